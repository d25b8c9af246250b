import * as os from "node:os";
import * as path from "node:path";
import { MessageChannel, MessagePort, receiveMessageOnPort, Worker } from "node:worker_threads";
import { InvalidArgumentError } from "../errors";
import { ARGS_BYTE, CONTROL_INTS, Control, MAX_ARGS, MAX_PARTS, Pass } from "./memory-layout";
import { runShares } from "./claim";
import type { PassExports } from "./passes";
import { sharedMemory } from "./shared-memory";

/**
 * A synchronous thread pool: the main thread writes a pass's arguments into the shared control page, wakes the
 * workers with Atomics.notify, does share 0 itself and blocks (Atomics.wait) until every share is done. Fits stay
 * synchronous calls, as in scikit-learn, and nothing is copied between threads. Why not a promise-based pool
 * library: those post messages (copies, event-loop round trips) per task, which costs more than an iteration here.
 */
class ThreadPool {
  private readonly control: Int32Array;
  private readonly passes: PassExports;
  private workers: { thread: Worker; errors: MessagePort }[] = [];
  /** Shares of the pass in flight, when the main thread was interrupted while waiting for it. */
  private pending = 0;

  constructor(threads: number) {
    const { memory, passes } = sharedMemory();
    this.control = new Int32Array(memory.buffer, 0, CONTROL_INTS);
    this.passes = passes;
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
    Atomics.store(this.control, Control.ready, 0);
    Atomics.store(this.control, Control.failed, 0);
    const generation = Atomics.load(this.control, Control.generation);
    const epoch = Atomics.load(this.control, Control.epoch);
    for (let part = 1; part < threads; part++) {
      const { port1, port2 } = new MessageChannel();
      const workerData = { memory, wasm: module, part, generation, epoch, port: port2, script: WORKER_SCRIPT };
      const thread = new Worker(BOOTSTRAP, { eval: true, workerData, transferList: [port2] });
      thread.unref();
      port1.unref();
      this.workers.push({ thread, errors: port1 });
    }
    // Wait (bounded) until every worker has its module instance and is listening, so no pass is posted into the void.
    const deadline = Date.now() + 30_000;
    for (let ready; (ready = Atomics.load(this.control, Control.ready)) < this.workers.length; ) {
      if (Date.now() > deadline) return this.fallBack(`only ${ready} of ${this.workers.length} worker threads started in 30 s`);
      Atomics.wait(this.control, Control.ready, ready, 100);
    }
    if (Atomics.load(this.control, Control.failed)) return this.fallBack(this.workerMessages() || "a worker thread failed to start");
  }

  /** Without working threads the library still runs, on the calling thread; say why once. */
  private fallBack(reason: string): void {
    this.stopWorkers();
    Atomics.store(this.control, Control.failed, 0);
    process.emitWarning(`ml-lab runs single-threaded: ${reason}`);
  }

  private workerMessages(): string {
    return this.workers.map((w) => receiveMessageOnPort(w.errors)?.message).filter(Boolean).join("; ");
  }

  /** Runs `pass` over `parts` shares (≤ threads), its arguments written by `writeArgs`; returns when all are done. */
  run(pass: Pass, parts: number, writeArgs: (slots: Float64Array) => void): void {
    parts = this.post(pass, Math.max(1, parts), writeArgs);
    this.passes.run(pass, 0, parts);
    this.finish();
  }

  /**
   * Runs `shares` shares of `pass` (≤ MAX_PARTS), each claimed in turn by the calling thread or, when `threads` > 1,
   * by any of the workers: whichever is free takes the next. Returns when all are done.
   */
  runClaimed(pass: Pass, shares: number, threads: number, writeArgs: (slots: Float64Array) => void, steps: SerialSteps = {}): void {
    shares = this.post(pass, shares, writeArgs, threads > 1, steps.before);
    runShares(this.passes, this.control, pass, shares);
    this.finish();
    if (steps.after) this.passes.run(steps.after, 0, 1);
  }

  /**
   * Runs shares 1 … parts − 1 of `pass` on the workers while the calling thread runs `beside` instead of share 0
   * (JavaScript work that can overlap the pass, such as copying in the data the next pass reads); returns when both
   * are done. Needs a worker (threads ≥ 2) and a pass whose share 0 has nothing to do.
   */
  runBeside(pass: Pass, parts: number, writeArgs: (slots: Float64Array) => void, beside: () => void): void {
    if (this.workers.length === 0 || parts < 2) throw new Error("runBeside needs a worker thread and two shares or more");
    this.post(pass, parts, writeArgs);
    try {
      beside();
    } finally {
      this.finish();
    }
  }

  /**
   * Writes a pass's arguments once no earlier pass is in flight (then runs `before` with them on this thread) and
   * wakes the workers when it has shares for them: one each (share 1, 2, …) or, with `claimed` (undefined: no such
   * pass), shares they claim in turn.
   */
  private post(pass: Pass, parts: number, writeArgs: (slots: Float64Array) => void, claimed?: boolean, before?: Pass): number {
    this.settle();
    parts = Math.min(parts, claimed === undefined ? this.threads : MAX_PARTS, MAX_PARTS);
    writeArgs(argumentSlots());
    if (before) this.passes.run(before, 0, 1);
    Atomics.store(this.control, Control.pass, pass);
    Atomics.store(this.control, Control.parts, parts);
    Atomics.store(this.control, Control.done, 0);
    Atomics.store(this.control, Control.failed, 0);
    Atomics.store(this.control, Control.claimed, claimed === undefined ? 0 : 1);
    Atomics.store(this.control, Control.next, 0);
    if (this.workers.length > 0 && (claimed ?? parts > 1)) {
      this.pending = this.workers.length;
      Atomics.add(this.control, Control.generation, 1);
      Atomics.notify(this.control, Control.generation);
    }
    return parts;
  }

  /** Waits for the workers' shares of the pass posted, then reports a worker's failure. */
  private finish(): void {
    this.settle();
    if (Atomics.load(this.control, Control.failed)) {
      const message = this.workerMessages() || "a worker thread failed";
      throw new Error(`parallel pass failed: ${message}`);
    }
  }

  /** Blocks until every worker has finished the pass in flight (the waits time out so an interrupt can land). */
  private settle(): void {
    while (this.pending > 0) {
      const done = Atomics.load(this.control, Control.done);
      if (done >= this.pending) {
        this.pending = 0;
        return;
      }
      Atomics.wait(this.control, Control.done, done, 50);
    }
  }

  private stopWorkers(): void {
    if (this.workers.length === 0) return;
    // A new epoch, not a "stop" pass: a worker still waking up from this notify must not find the slot already
    // overwritten by the next pass (run on fewer threads) and stay on as a second worker for some share.
    Atomics.add(this.control, Control.epoch, 1);
    Atomics.add(this.control, Control.generation, 1);
    Atomics.notify(this.control, Control.generation);
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
const control = new Int32Array(workerData.memory.buffer, 0, ${CONTROL_INTS});
try {
  if (workerData.script.endsWith(".ts")) require(require.resolve("tsx/cjs", { paths: [workerData.script] }));
  require(workerData.script);
} catch (e) {
  workerData.port.postMessage("worker " + workerData.part + " failed to start: " + ((e && e.stack) || e));
  Atomics.store(control, ${Control.failed}, 1);
  Atomics.add(control, ${Control.ready}, 1);
  Atomics.notify(control, ${Control.ready});
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

/** Threads the library's parallel passes use (main thread included); 1 runs everything on the calling thread. */
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
 * How many shares a pass of `work` (rows × cost per row) is split into: every thread when that repays waking them,
 * else 1, without ever starting the pool. Callers size their per-share buffers with it and pass it on to
 * runParallel, so the shares a pass runs and the shares its caller reads back are always the same.
 */
export function partsFor(work: number): number {
  return work < PARALLEL_MIN_WORK || getThreads() === 1 ? 1 : threadPool().threads;
}

/**
 * Runs `pass` over `parts` shares (from partsFor; share 0 on the calling thread), its arguments written into the
 * control page's slots by `writeArgs`, once no earlier pass is in flight.
 */
export function runParallel(pass: Pass, parts: number, writeArgs: (slots: Float64Array) => void): void {
  if (parts === 1 && !pool) {
    writeArgs(argumentSlots());
    sharedMemory().passes.run(pass, 0, 1);
    return;
  }
  // A pool settles any pass an interrupt left in flight before the arguments are overwritten.
  threadPool().run(pass, parts, writeArgs);
}

/**
 * Runs `shares` shares of `pass` that the calling thread and, when `threads` (from partsFor) > 1, the pool's workers
 * claim in turn (ThreadPool.runClaimed).
 */
export function runClaimed(pass: Pass, shares: number, threads: number, writeArgs: (slots: Float64Array) => void, steps: SerialSteps = {}): void {
  if (threads === 1 && !pool) {
    writeArgs(argumentSlots());
    const { passes } = sharedMemory();
    if (steps.before) passes.run(steps.before, 0, 1);
    for (let share = 0; share < shares; share++) passes.run(pass, share, shares);
    if (steps.after) passes.run(steps.after, 0, 1);
    return;
  }
  threadPool().runClaimed(pass, shares, threads, writeArgs, steps);
}

/**
 * Passes a claimed pass runs on the calling thread alone with the same arguments, `before` it (ahead of waking the
 * workers) and `after` it (once every share is done): small serial steps that need no arguments of their own.
 */
export interface SerialSteps {
  before?: Pass;
  after?: Pass;
}

/**
 * Runs shares 1 … parts − 1 of `pass` on the pool's workers while the calling thread runs `beside` (see
 * ThreadPool.runBeside); only when there are workers (`threadsBeside()` > 0).
 */
export function runBeside(pass: Pass, parts: number, writeArgs: (slots: Float64Array) => void, beside: () => void): void {
  threadPool().runBeside(pass, parts, writeArgs, beside);
}

/** Worker threads that can run a pass beside the calling thread: 0 when the library runs single-threaded. */
export function threadsBeside(): number {
  return getThreads() === 1 ? 0 : threadPool().threads - 1;
}

/** The argument slots, cleared. */
function argumentSlots(): Float64Array {
  return new Float64Array(sharedMemory().memory.buffer, ARGS_BYTE, MAX_ARGS).fill(0);
}

/** Multiply-adds below which one thread is faster than waking the pool (~0.2 ms of work). */
const PARALLEL_MIN_WORK = 1 << 19;
