import * as os from "node:os";
import * as path from "node:path";
import { Worker } from "node:worker_threads";
import { Counters, mergeCounters, runMapTask, runReduceTask, stepCount, TaskOutput } from "./engine";
import { makeSplits, readLines } from "./input";
import { KeyValue, MapReduceError } from "./job";
import { loadJob } from "./load-job";
import { decodePair, keyText, sortByKeyBytes } from "./protocol";
import type { TaskRequest } from "./task-worker";

export interface RunOptions {
  /** Input text files; step 0's mapper gets each line. */
  input: string[];
  /** JSON-serialisable parameters given to `steps(params)` in every task (mrjob's --file / passthrough options). */
  params?: unknown;
}

export interface LocalOptions extends RunOptions {
  /** Worker threads; default one per core. */
  workers?: number;
}

export interface RunResult {
  /** The last step's pairs, in output order (partition by partition). */
  output: KeyValue[];
  counters: Counters;
  /** Wall time per step, ms. */
  stepTimes: number[];
  runner: "inline" | "local" | "hadoop";
}

/** The last step's output lines as a result (every runner's). */
export function finish(lines: string[], counters: Counters, stepTimes: number[], runner: RunResult["runner"]): RunResult {
  return { output: lines.map((line, i) => decodePair(line, () => `output line ${i + 1}`)), counters, stepTimes, runner };
}

/** Every step in this process, one map task and one reduce task: the reference the other runners must match. */
export async function runInline(jobPath: string, options: RunOptions): Promise<RunResult> {
  const job = loadJob(jobPath);
  const params = options.params ?? null;
  const counters: Counters = {};
  const stepTimes: number[] = [];
  let lines: string[] = [];
  for (let stepNum = 0; stepNum < stepCount(job, params); stepNum++) {
    const t = performance.now();
    const input = stepNum === 0 ? readLines(options.input) : { lines, where: (i: number) => `line ${i + 1} of step ${stepNum - 1}'s output` };
    const mapped = runMapTask(job, params, stepNum, input);
    const reduced = runReduceTask(job, params, stepNum, sortByKeyBytes(mapped.lines));
    mergeCounters(mergeCounters(counters, mapped.counters), reduced.counters);
    lines = reduced.lines;
    stepTimes.push(performance.now() - t);
  }
  return finish(lines, counters, stepTimes, "inline");
}

/** Hadoop's default partitioner in spirit: a stable hash of the key bytes. */
function partitionOf(key: string, partitions: number): number {
  let h = 0;
  for (let i = 0; i < key.length; i++) h = (Math.imul(31, h) + key.charCodeAt(i)) | 0;
  return (h & 0x7fffffff) % partitions;
}

/**
 * Every local core: map tasks over input splits (byte ranges read by each worker thread), a combine per map task,
 * the shuffle (partition by key hash, sort by key bytes), and reduce tasks in parallel, as Hadoop runs a job.
 */
export async function runLocal(jobPath: string, options: LocalOptions): Promise<RunResult> {
  const resolved = path.resolve(jobPath);
  const job = loadJob(resolved); // fails fast, in this thread, on a bad module
  const params = options.params ?? null;
  const workers = Math.max(1, options.workers ?? (os.availableParallelism?.() ?? os.cpus().length));
  const pool = TaskPool.shared(workers);
  const counters: Counters = {};
  const stepTimes: number[] = [];
  try {
    let lines: string[] = [];
    for (let stepNum = 0; stepNum < stepCount(job, params); stepNum++) {
      const t = performance.now();
      const base = { jobPath: resolved, params, stepNum };
      const mapTasks: Omit<TaskRequest, "id">[] =
        stepNum === 0
          ? makeSplits(options.input, workers * 2).map((split) => ({ ...base, kind: "map", split }))
          : chunk(lines, workers * 2).map((part) => ({ ...base, kind: "map", lines: part }));
      const mapped = await Promise.all(mapTasks.map((task) => pool.run(task)));
      const partitions: string[][] = Array.from({ length: workers }, () => []);
      for (const out of mapped) {
        mergeCounters(counters, out.counters);
        for (const line of out.lines) partitions[partitionOf(keyText(line), workers)].push(line);
      }
      const reduced = await Promise.all(
        partitions.map((part) => (part.length ? pool.run({ ...base, kind: "reduce", lines: sortByKeyBytes(part) }) : Promise.resolve({ lines: [], counters: {} }))),
      );
      reduced.forEach((out) => mergeCounters(counters, out.counters));
      lines = reduced.flatMap((out) => out.lines);
      stepTimes.push(performance.now() - t);
    }
    return finish(lines, counters, stepTimes, "local");
  } catch (e) {
    pool.close(); // a failed job may leave tasks running: start afresh next time
    throw e;
  }
}

function chunk<T>(items: T[], count: number): T[][] {
  const size = Math.max(1, Math.ceil(items.length / count));
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out.length ? out : [[]];
}

const TASK_WORKER = path.join(__dirname, `task-worker${path.extname(__filename)}`);
// Loads tsx first when the library runs from its TypeScript sources (tests).
const BOOTSTRAP = `
const { workerData } = require("node:worker_threads");
if (workerData.script.endsWith(".ts")) require(require.resolve("tsx/cjs", { paths: [workerData.script] }));
require(workerData.script);`;

/**
 * A few worker threads taking tasks in turn; a crashed worker fails its task instead of hanging the job. Kept
 * between jobs (an iterative driver runs one job per iteration, and warm workers have their code compiled); the
 * threads hold the process open only while they have work.
 */
class TaskPool {
  private static current?: TaskPool;

  static shared(size: number): TaskPool {
    if (!TaskPool.current || TaskPool.current.size !== size || TaskPool.current.closed) TaskPool.current = new TaskPool(size);
    return TaskPool.current;
  }

  private closed = false;
  private readonly idle: Worker[] = [];
  private readonly all: Worker[] = [];
  private readonly queue: { task: TaskRequest; resolve: (out: TaskOutput) => void; reject: (e: Error) => void }[] = [];
  private readonly running = new Map<Worker, { task: TaskRequest; resolve: (out: TaskOutput) => void; reject: (e: Error) => void }>();
  private nextId = 0;

  constructor(readonly size: number) {
    for (let i = 0; i < size; i++) {
      const worker = new Worker(BOOTSTRAP, { eval: true, workerData: { script: TASK_WORKER } });
      worker.on("message", (m: { id: number; ok: boolean; result?: TaskOutput; error?: string }) => {
        const job = this.running.get(worker);
        this.running.delete(worker);
        if (job) {
          if (m.ok) job.resolve(m.result!);
          else job.reject(new MapReduceError(m.error!));
        }
        this.release(worker);
      });
      const fail = (e: Error) => {
        this.closed = true; // a dead thread: the next job starts a new pool
        const job = this.running.get(worker);
        this.running.delete(worker);
        job?.reject(new MapReduceError(`a worker thread died running a ${job.task.kind} task of step ${job.task.stepNum}: ${e.message}`));
      };
      worker.on("error", fail);
      worker.on("exit", (code) => code !== 0 && fail(new Error(`exit code ${code}`)));
      worker.unref();
      this.all.push(worker);
      this.idle.push(worker);
    }
  }

  run(task: Omit<TaskRequest, "id">): Promise<TaskOutput> {
    return new Promise((resolve, reject) => {
      this.queue.push({ task: { ...task, id: this.nextId++ } as TaskRequest, resolve, reject });
      this.dispatch();
    });
  }

  private release(worker: Worker): void {
    worker.unref();
    this.idle.push(worker);
    this.dispatch();
  }

  private dispatch(): void {
    while (this.idle.length && this.queue.length) {
      const worker = this.idle.pop()!;
      const job = this.queue.shift()!;
      this.running.set(worker, job);
      worker.ref();
      worker.postMessage(job.task);
    }
  }

  /** Stops every thread. Not awaited: idle threads are unref'd, so waiting for them could outlive the event loop. */
  close(): void {
    this.closed = true;
    for (const job of this.queue.splice(0)) job.reject(new MapReduceError("the job stopped"));
    for (const worker of this.all) void worker.terminate();
  }
}
