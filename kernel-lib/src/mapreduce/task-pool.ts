/**
 * The local runner's worker threads. A thread runs one task at a time; a task that crashes its thread, runs past
 * its time limit or is cancelled (its job's signal aborted) has its thread terminated, and a fresh thread takes the
 * slot when the next task needs it, so the pool stays usable and the next job never waits behind a stuck task.
 * Kept between jobs: an iterative driver runs one job per iteration, and warm threads have the job's code compiled.
 * Idle threads do not hold the process open.
 */
import * as path from "node:path";
import { Worker } from "node:worker_threads";
import { MapReduceError, MapReduceTimeoutError } from "./errors";
import { describeTask, Task, TaskResult } from "./tasks";

const TASK_WORKER = path.join(__dirname, `task-worker${path.extname(__filename)}`);
// Loads tsx first when the library runs from its TypeScript sources (tests).
const BOOTSTRAP = `
const { workerData } = require("node:worker_threads");
if (workerData.script.endsWith(".ts")) require(require.resolve("tsx/cjs", { paths: [workerData.script] }));
require(workerData.script);`;
// Tasks make many short-lived strings and keep few; a small young generation is collected often and cheaply
// instead of growing to V8's default tens of megabytes per thread, which would dominate the memory of a job over
// small records (2 MB: the 10^6-key job's peak drops by 2 MB per thread at the same CPU time as 4 MB).
const YOUNG_GENERATION_MB = 2;

interface Pending {
  task: Task;
  resolve: (result: TaskResult) => void;
  reject: (e: Error) => void;
  timeoutMs?: number;
  signal?: AbortSignal;
  onAbort?: () => void;
}

interface Slot {
  /** Started when a task needs it; cleared when the thread is terminated or dies. */
  worker?: Worker;
  job?: Pending;
  timer?: NodeJS.Timeout;
}

export type WorkerReply = { ok: true; result: TaskResult } | { ok: false; error: string };

export class TaskPool {
  private static current?: TaskPool;

  /** The shared pool of this size (a pool of another size is retired: its threads end when their task does). */
  static shared(size: number): TaskPool {
    if (TaskPool.current?.size !== size) {
      TaskPool.current?.retire();
      TaskPool.current = new TaskPool(size);
    }
    return TaskPool.current;
  }

  private readonly slots: Slot[];
  private readonly queue: Pending[] = [];
  private retired = false;

  private constructor(readonly size: number) {
    this.slots = Array.from({ length: size }, () => ({}));
  }

  /** Runs a task on the next free thread; rejects on failure, after `timeoutMs` of running, or when `signal` aborts. */
  run(task: Task, options: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<TaskResult> {
    return new Promise((resolve, reject) => {
      if (options.signal?.aborted) return reject(new MapReduceError(`${describeTask(task)} was cancelled`));
      const pending: Pending = { task, resolve, reject, ...options };
      pending.onAbort = () => this.cancel(pending);
      options.signal?.addEventListener("abort", pending.onAbort, { once: true });
      this.queue.push(pending);
      this.dispatch();
    });
  }

  private start(slot: Slot): Worker {
    const worker = new Worker(BOOTSTRAP, { eval: true, workerData: { script: TASK_WORKER }, resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB } });
    worker.on("message", (reply: WorkerReply) => {
      if (slot.worker !== worker) return;
      const job = this.free(slot);
      if (job) {
        if (reply.ok) job.resolve(reply.result);
        else job.reject(new MapReduceError(reply.error));
      }
      this.dispatch();
    });
    const died = (why: string) => {
      if (slot.worker !== worker) return; // terminated on purpose
      slot.worker = undefined;
      const job = this.free(slot);
      job?.reject(new MapReduceError(`a worker thread died running ${describeTask(job.task)}: ${why}`));
      this.dispatch();
    };
    worker.on("error", (e) => died(e.message));
    worker.on("exit", (code) => died(`exit code ${code}`));
    return worker;
  }

  /** Frees a slot; returns the task it was running. */
  private free(slot: Slot): Pending | undefined {
    const job = slot.job;
    clearTimeout(slot.timer);
    slot.job = slot.timer = undefined;
    if (job?.onAbort) job.signal?.removeEventListener("abort", job.onAbort);
    slot.worker?.unref();
    if (this.retired && !this.queue.length) void this.stop(slot);
    return job;
  }

  /** Terminates a slot's thread (it may be spinning in user code); resolves when it has ended. */
  private stop(slot: Slot): Promise<unknown> {
    const worker = slot.worker;
    slot.worker = undefined;
    return worker ? worker.terminate() : Promise.resolve();
  }

  private cancel(pending: Pending): void {
    const queued = this.queue.indexOf(pending);
    if (queued >= 0) this.queue.splice(queued, 1);
    const slot = this.slots.find((s) => s.job === pending);
    const cancelled = () => pending.reject(new MapReduceError(`${describeTask(pending.task)} was cancelled`));
    if (slot) {
      this.free(slot);
      // Settles once the thread has ended, so the task writes nothing after its job has cleaned up.
      void this.stop(slot).then(cancelled, cancelled);
    } else cancelled();
    this.dispatch();
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (slot.job || !this.queue.length) continue;
      const job = this.queue.shift()!;
      slot.job = job;
      slot.worker ??= this.start(slot);
      slot.worker.ref();
      if (job.timeoutMs !== undefined) {
        slot.timer = setTimeout(() => {
          this.free(slot);
          const late = () => job.reject(new MapReduceTimeoutError(`${describeTask(job.task)} ran past taskTimeoutMs = ${job.timeoutMs} ms; its thread was stopped. Raise taskTimeoutMs, or look for a mapper or reducer that never returns`));
          void this.stop(slot).then(late, late);
          this.dispatch();
        }, job.timeoutMs);
      }
      slot.worker.postMessage(job.task);
    }
  }

  /** Ends idle threads now, and the others once the tasks already given to this pool are done. */
  private retire(): void {
    this.retired = true;
    for (const slot of this.slots) if (!slot.job) void this.stop(slot);
  }
}
