/**
 * The Java processes the hadoop runner starts (the Hadoop Streaming client, FsShell, the YARN command-line tools).
 * Each runs in a process group of its own, so that stopping it also stops what it started (Hadoop's local mode
 * runs the job's `node` tasks as its children); each has a time limit; and any still running when this process
 * exits is killed by an exit hook.
 */
import { ChildProcess, spawn } from "node:child_process";
import { MapReduceError } from "./errors";

export interface JavaRun {
  code: number | null;
  /** stdout and stderr interleaved, as Hadoop logs to both. */
  log: string;
  stdout: string;
  /** Why it was stopped early ("timeout" or "abort"), if it was. */
  stopped?: "timeout" | "abort";
}

const running = new Set<ChildProcess>();
let hooked = false;

/** Signals the child's whole process group (the child and whatever it started). */
function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    process.kill(-child.pid!, signal);
  } catch {
    child.kill(signal);
  }
}

/**
 * Runs `java args` and resolves when it exits (with any exit code: callers decide what a failure means). Past
 * `timeoutMs`, or when `signal` aborts, it gets SIGTERM and, 5 s later, SIGKILL.
 */
export function runJava(java: string, args: string[], options: { cwd?: string; timeoutMs: number; signal?: AbortSignal; env?: NodeJS.ProcessEnv }): Promise<JavaRun> {
  if (!hooked) {
    hooked = true;
    process.on("exit", () => running.forEach((child) => killGroup(child, "SIGKILL")));
  }
  return new Promise((resolve, reject) => {
    const child = spawn(java, args, { cwd: options.cwd, env: options.env, stdio: ["ignore", "pipe", "pipe"], detached: process.platform !== "win32" });
    running.add(child);
    let log = "", stdout = "";
    let stopped: JavaRun["stopped"];
    let killer: NodeJS.Timeout | undefined;
    child.stdout!.on("data", (d) => {
      log += d;
      stdout += d;
    });
    child.stderr!.on("data", (d) => (log += d));
    const stop = (why: "timeout" | "abort") => {
      if (stopped) return;
      stopped = why;
      killGroup(child, "SIGTERM");
      killer = setTimeout(() => killGroup(child, "SIGKILL"), 5000);
    };
    const timer = setTimeout(() => stop("timeout"), options.timeoutMs);
    const onAbort = () => stop("abort");
    if (options.signal?.aborted) onAbort();
    else options.signal?.addEventListener("abort", onAbort, { once: true });
    const done = () => {
      clearTimeout(timer);
      clearTimeout(killer);
      options.signal?.removeEventListener("abort", onAbort);
      running.delete(child);
    };
    child.on("error", (e) => {
      done();
      reject(new MapReduceError(`cannot start ${java}: ${e.message} (is a Java runtime installed? set options.java to its path)`));
    });
    child.on("close", (code) => {
      done();
      // Tasks the client started may still be exiting: make sure none outlives it.
      killGroup(child, "SIGKILL");
      resolve({ code, log, stdout, stopped });
    });
  });
}
