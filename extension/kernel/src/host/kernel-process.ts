import { ChildProcess, spawn } from "node:child_process";
import * as os from "node:os";
import * as path from "node:path";
import { SNAPSHOT_FLAG, usableSnapshot } from "../snapshot/snapshot-store";

export interface KernelProcessOptions {
  cwd: string;
  nodePath?: string;
  env?: NodeJS.ProcessEnv;
  /** Caps the kernel's JavaScript heap (Node's --max-old-space-size), in MiB. */
  maxMemoryMB?: number;
  /** Where kernels keep V8's compiled code and startup snapshots between starts (process/code-cache.ts, snapshot/); false: no cache. Default: a per-user cache folder. */
  codeCacheDir?: string | false;
  /** Start from the kernel's startup snapshot when the cache folder has one for this Node (default); false: never. */
  startupSnapshot?: boolean;
}

export interface KernelProcess {
  child: ChildProcess;
  /** The startup snapshot the kernel was started from, if any: if the kernel fails to start, it is to blame. */
  snapshot?: string;
}

const POSIX = process.platform !== "win32";

/**
 * Starts a kernel process in its own process group (POSIX), so that a signal to the group reaches the processes its
 * cells start too. A detached group no longer gets the terminal's signals: the kernel's supervisor thread ends the
 * group when the host is gone, and the host ends it on every exit path it controls.
 */
export function spawnKernelProcess(options: KernelProcessOptions): KernelProcess {
  const nodePath = options.nodePath ?? process.execPath;
  const cacheDir = options.codeCacheDir === false ? "" : (options.codeCacheDir ?? defaultCacheDir());
  const flags = kernelNodeFlags(options);
  // Only a blob a kernel built with this very Node binary and these flags (Electron's kernels build none).
  const snapshot = cacheDir && options.startupSnapshot !== false ? usableSnapshot(cacheDir, nodePath, flags) : undefined;
  const args = [...flags, ...(snapshot ? [SNAPSHOT_FLAG, snapshot] : []), path.join(__dirname, "..", "kernel-main.js")];
  const child = spawn(nodePath, args, {
    cwd: options.cwd,
    // In desktop VS Code the extension host's execPath is Electron; this makes it behave as plain Node.
    env: { ...process.env, ...options.env, NODE_OPTIONS: "", ELECTRON_RUN_AS_NODE: "1", MLLAB_KERNEL_CACHE_DIR: cacheDir },
    // stdin, stdout, stderr, fd 3 (events), fd 4 (requests): see protocol/messages.ts.
    stdio: ["ignore", "pipe", "pipe", "pipe", "pipe"],
    detached: POSIX,
  });
  return { child, snapshot };
}

/** The Node flags a kernel runs with (a startup snapshot is keyed by them: V8 rejects a blob made with other flags). */
export function kernelNodeFlags(options: Pick<KernelProcessOptions, "maxMemoryMB">): string[] {
  return [
    // The supervisor may stop the main thread inside a timer callback; Node's async-context bookkeeping would then
    // abort the process on the next callback unless this consistency check is off.
    "--no-force-async-hooks-checks",
    ...(options.maxMemoryMB ? [`--max-old-space-size=${Math.round(options.maxMemoryMB)}`] : []),
  ];
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
