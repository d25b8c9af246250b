/**
 * Stopping running jobs from outside: every job gets an AbortSignal that fires when the caller's `signal` aborts
 * or when `interruptAll()` runs (a notebook kernel calls it when the user interrupts a cell). The registry lives on
 * globalThis, so a kernel that loaded another copy of this library still reaches every job.
 */

const REGISTRY = Symbol.for("ml-lab.mapreduce.runningJobs");
const running: Set<AbortController> = ((globalThis as Record<symbol, unknown>)[REGISTRY] ??= new Set<AbortController>()) as Set<AbortController>;

/** Why a job stopped, as the abort reason. */
export class InterruptReason {
  constructor(readonly message: string) {}
}

export interface TrackedJob {
  signal: AbortSignal;
  /** Unregisters the job (every exit path). */
  done(): void;
}

/** Registers a running job; its signal follows the caller's signal and `interruptAll`. */
export function trackJob(signal?: AbortSignal): TrackedJob {
  const controller = new AbortController();
  const follow = () => controller.abort(new InterruptReason(`its signal aborted${signal!.reason !== undefined ? ` (${String((signal!.reason as Error)?.message ?? signal!.reason)})` : ""}`));
  if (signal?.aborted) follow();
  else signal?.addEventListener("abort", follow, { once: true });
  running.add(controller);
  return {
    signal: controller.signal,
    done: () => {
      running.delete(controller);
      signal?.removeEventListener("abort", follow);
    },
  };
}

/**
 * Stops every MapReduce job running in this process: the local runner terminates the job's worker threads (the
 * next job gets fresh ones), the hadoop runner kills its Hadoop client and the job on the cluster, and each job's
 * promise rejects with a MapReduceInterruptedError. Returns how many jobs were stopped. A notebook kernel calls this
 * when the user interrupts a cell.
 */
export function interruptAll(reason = "interrupted"): number {
  const jobs = [...running];
  for (const controller of jobs) controller.abort(new InterruptReason(reason));
  return jobs.length;
}

/**
 * Makes SIGINT (Ctrl-C, a kernel's interrupt) stop every running job, as `interruptAll` does; returns a function that
 * removes the hook. Note that while any SIGINT listener is installed, Node no longer exits on SIGINT by itself.
 */
export function interruptOnSigint(): () => void {
  const onSigint = () => interruptAll("SIGINT");
  process.on("SIGINT", onSigint);
  return () => process.off("SIGINT", onSigint);
}
