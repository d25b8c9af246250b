import * as os from "node:os";
import * as path from "node:path";
import { MessageChannel, MessagePort, receiveMessageOnPort, Worker } from "node:worker_threads";
import { InvalidArgumentError } from "../errors";
import { ARGS_BYTE, CTRL, Job, KernelExports, MAX_PARTS, runJob } from "./jobs";
import { sharedMemory } from "./shared-memory";

/**
 * A synchronous thread pool: the main thread writes a job's arguments into the shared control block, wakes the
 * workers with Atomics.notify, does share 0 itself and blocks (Atomics.wait) until every share is done. Fits stay
 * synchronous calls, as in scikit-learn, and nothing is copied between threads. Why not a promise-based pool
 * library: those post messages (copies, event-loop round trips) per task, which costs more than an iteration here.
 */
class ThreadPool {
  private readonly control: Int32Array;
  private readonly kernels: KernelExports;
  private workers: { thread: Worker; errors: MessagePort }[] = [];
  /** Parts of the job in flight, when the main thread was interrupted while waiting for it. */
  private pending = 0;

  constructor(threads: number) {
    const { memory, kernels } = sharedMemory();
    this.control = new Int32Array(memory.buffer, 0, 16);
    this.kernels = kernels;
    this.resize(threads);
  }

  get threads(): number {
    return this.workers.length + 1;
  }

  resize(threads: number): void {
    this.settle();
    if (threads - 1 === this.workers.length) return;
    this.stopWorkers();
    const { memory, module } = sharedMemory();
    Atomics.store(this.control, CTRL.ready, 0);
    Atomics.store(this.control, CTRL.failed, 0);
    const generation = Atomics.load(this.control, CTRL.generation);
    for (let part = 1; part < threads; part++) {
      const { port1, port2 } = new MessageChannel();
      const workerData = { memory, wasm: module, part, generation, port: port2, script: WORKER_SCRIPT };
      const thread = new Worker(BOOTSTRAP, { eval: true, workerData, transferList: [port2] });
      thread.unref();
      port1.unref();
      this.workers.push({ thread, errors: port1 });
    }
    // Wait (bounded) until every worker has its kernels and is listening, so no job is posted into the void.
    const deadline = Date.now() + 30_000;
    for (let ready; (ready = Atomics.load(this.control, CTRL.ready)) < this.workers.length; ) {
      if (Date.now() > deadline) return this.fallBack(`only ${ready} of ${this.workers.length} worker threads started in 30 s`);
      Atomics.wait(this.control, CTRL.ready, ready, 100);
    }
    if (Atomics.load(this.control, CTRL.failed)) return this.fallBack(this.workerMessages() || "a worker thread failed to start");
  }

  /** Without working threads the library still runs, on the calling thread; say why once. */
  private fallBack(reason: string): void {
    this.stopWorkers();
    Atomics.store(this.control, CTRL.failed, 0);
    process.emitWarning(`ml-lab runs single-threaded: ${reason}`);
  }

  private workerMessages(): string {
    return this.workers.map((w) => receiveMessageOnPort(w.errors)?.message).filter(Boolean).join("; ");
  }

  /** Runs `job` with `args` over `parts` shares (≤ threads); returns when all are done. */
  run(job: Job, args: number[], parts = this.threads): void {
    this.settle();
    parts = Math.max(1, Math.min(parts, this.threads, MAX_PARTS));
    new Float64Array(this.control.buffer, ARGS_BYTE, 64).set(args);
    Atomics.store(this.control, CTRL.job, job);
    Atomics.store(this.control, CTRL.parts, parts);
    Atomics.store(this.control, CTRL.done, 0);
    Atomics.store(this.control, CTRL.failed, 0);
    if (this.workers.length > 0 && parts > 1) {
      this.pending = this.workers.length;
      Atomics.add(this.control, CTRL.generation, 1);
      Atomics.notify(this.control, CTRL.generation);
    }
    // The memory's current buffer: the arena may have grown it since this pool was made.
    runJob(job, 0, parts, sharedMemory().memory.buffer, this.kernels);
    this.settle();
    if (Atomics.load(this.control, CTRL.failed)) {
      const message = this.workerMessages() || "a worker thread failed";
      throw new Error(`parallel job failed: ${message}`);
    }
  }

  /** Blocks until every worker has finished the job in flight (the waits time out so an interrupt can land). */
  private settle(): void {
    while (this.pending > 0) {
      const done = Atomics.load(this.control, CTRL.done);
      if (done >= this.pending) {
        this.pending = 0;
        return;
      }
      Atomics.wait(this.control, CTRL.done, done, 50);
    }
  }

  private stopWorkers(): void {
    if (this.workers.length === 0) return;
    Atomics.store(this.control, CTRL.job, Job.Stop);
    Atomics.add(this.control, CTRL.generation, 1);
    Atomics.notify(this.control, CTRL.generation);
    this.workers = [];
  }
}

/** The pool thread's module: worker.js, or worker.ts when the library runs from source under tsx (tests). */
const WORKER_SCRIPT = path.join(__dirname, `worker${path.extname(__filename)}`);

/**
 * Each worker starts from this snippet so that a failure to load the worker module is reported through the
 * control block instead of as an 'error' event the blocked main thread could never receive.
 */
const BOOTSTRAP = `
const { workerData } = require("node:worker_threads");
const control = new Int32Array(workerData.memory.buffer, 0, 16);
try {
  if (workerData.script.endsWith(".ts")) require(require.resolve("tsx/cjs", { paths: [workerData.script] }));
  require(workerData.script);
} catch (e) {
  workerData.port.postMessage("worker " + workerData.part + " failed to start: " + ((e && e.stack) || e));
  Atomics.store(control, ${CTRL.failed}, 1);
  Atomics.add(control, ${CTRL.ready}, 1);
  Atomics.notify(control, ${CTRL.ready});
}`;

let pool: ThreadPool | undefined;
let requestedThreads: number | undefined;

function defaultThreads(): number {
  const fromEnv = Number(process.env.MLLAB_THREADS);
  if (Number.isInteger(fromEnv) && fromEnv >= 1) return Math.min(fromEnv, MAX_PARTS);
  return Math.min(os.availableParallelism?.() ?? os.cpus().length, MAX_PARTS);
}

/** The process's pool, started on first use with one thread per core (MLLAB_THREADS or setThreads() to change). */
export function threadPool(): ThreadPool {
  if (!pool) pool = new ThreadPool(requestedThreads ?? defaultThreads());
  return pool;
}

/** Threads the library's parallel kernels use (main thread included); 1 runs everything on the calling thread. */
export function setThreads(threads: number): void {
  if (!Number.isInteger(threads) || threads < 1 || threads > MAX_PARTS) {
    throw new InvalidArgumentError(`threads must be an integer from 1 to ${MAX_PARTS}, got ${typeof threads === "string" ? JSON.stringify(threads) : threads}`);
  }
  requestedThreads = threads;
  pool?.resize(threads);
}

export function getThreads(): number {
  return pool?.threads ?? requestedThreads ?? defaultThreads();
}

/**
 * How many shares a job of `work` (rows × cost per row) is split into: every thread when that repays waking them,
 * else 1, without ever starting the pool. Callers size their per-share buffers with it and pass it on to
 * runParallel, so the shares a job runs and the shares its caller reads back are always the same.
 */
export function partsFor(work: number): number {
  return work < PARALLEL_MIN_WORK || getThreads() === 1 ? 1 : threadPool().threads;
}

/** Runs `job` over the rows in `parts` shares (from partsFor); share 0 on the calling thread. */
export function runParallel(job: Job, args: number[], parts: number): void {
  if (parts === 1) {
    if (pool) return pool.run(job, args, 1); // settles any job an interrupt left in flight first
    const { memory, kernels } = sharedMemory();
    new Float64Array(memory.buffer, ARGS_BYTE, 64).set(args);
    runJob(job, 0, 1, memory.buffer, kernels);
    return;
  }
  threadPool().run(job, args, parts);
}

/** Multiply-adds below which one thread is faster than waking the pool (~0.2 ms of work). */
const PARALLEL_MIN_WORK = 1 << 19;
