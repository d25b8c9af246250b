import { ChildProcess, spawn } from "node:child_process";
import * as os from "node:os";
import * as path from "node:path";

export interface KernelProcessOptions {
  cwd: string;
  nodePath?: string;
  env?: NodeJS.ProcessEnv;
  /** Caps the kernel's JavaScript heap (Node's --max-old-space-size), in MiB. */
  maxMemoryMB?: number;
  /** Where kernels keep V8's compiled code between starts (process/code-cache.ts); false: no cache. Default: a per-user cache folder. */
  codeCacheDir?: string | false;
}

const POSIX = process.platform !== "win32";

/**
 * Starts a kernel process in its own process group (POSIX), so that a signal to the group reaches the processes its
 * cells start too. A detached group no longer gets the terminal's signals: the kernel's supervisor thread ends the
 * group when the host is gone, and the host ends it on every exit path it controls.
 */
export function spawnKernelProcess(options: KernelProcessOptions): ChildProcess {
  const args = [
    // The supervisor may stop the main thread inside a timer callback; Node's async-context bookkeeping would then
    // abort the process on the next callback unless this consistency check is off.
    "--no-force-async-hooks-checks",
    ...(options.maxMemoryMB ? [`--max-old-space-size=${Math.round(options.maxMemoryMB)}`] : []),
    path.join(__dirname, "..", "kernel-main.js"),
  ];
  return spawn(options.nodePath ?? process.execPath, args, {
    cwd: options.cwd,
    // In desktop VS Code the extension host's execPath is Electron; this makes it behave as plain Node.
    env: { ...process.env, ...options.env, NODE_OPTIONS: "", ELECTRON_RUN_AS_NODE: "1", MLLAB_KERNEL_CACHE_DIR: options.codeCacheDir === false ? "" : (options.codeCacheDir ?? defaultCacheDir()) },
    // stdin, stdout, stderr, fd 3 (events), fd 4 (requests): see protocol/messages.ts.
    stdio: ["ignore", "pipe", "pipe", "pipe", "pipe"],
    detached: POSIX,
  });
}

/** Where kernels keep compiled code by default: $XDG_CACHE_HOME (or ~/.cache)/mllab-kernel. */
function defaultCacheDir(): string {
  return path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), ".cache"), "mllab-kernel");
}

/** Sends `signal` to the kernel and every process in its group; quietly does nothing when they are gone. */
export function signalKernelGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(POSIX ? -child.pid : child.pid, signal);
  } catch {
    // The group is empty already.
  }
}
