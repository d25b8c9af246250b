/** The runners' options and their checks, in one place: every misuse is a MapReduceError naming the option and the fix. */
import { describe, MapReduceError } from "./errors";
import { explain, unencodable } from "./protocol";

export type RunnerName = "inline" | "local" | "hadoop";

export interface RunOptions {
  /** Input text files (the hadoop runner also takes hdfs://, s3a://, … URIs); step 0's mapper gets each line. */
  input: string[];
  /** JSON parameters given to `steps(params)` in every task (mrjob's passthrough options). */
  params?: unknown;
  /** Stops the job when it aborts: tasks are stopped, and the promise rejects with a MapReduceInterruptedError. */
  signal?: AbortSignal;
  /** Megabytes of map output (pairs and their metadata) a task sorts in memory before spilling a sorted run to disk (Hadoop's mapreduce.task.io.sort.mb, which the hadoop runner sets from it). Default 4 on the inline and local runners, per task. */
  sortBufferMb?: number;
}

export interface LocalOptions extends RunOptions {
  /** Worker threads; default one per core. */
  workers?: number;
  /** Stops a map or reduce task that runs longer than this (its thread is replaced) and fails the job. Default: no limit. */
  taskTimeoutMs?: number;
}

const COMMON = ["input", "params", "signal", "sortBufferMb", "runner"];
// `workers` is accepted (and ignored) so that switching a call between runner "local" and "inline" just works.
export const INLINE_OPTIONS = [...COMMON, "workers"];
export const LOCAL_OPTIONS = [...COMMON, "workers", "taskTimeoutMs"];

/** Checks what every runner takes; `allowed` lists the runner's option names. */
export function checkOptions(options: unknown, runner: RunnerName, allowed: string[]): asserts options is RunOptions {
  const call = `run${runner[0].toUpperCase()}${runner.slice(1)}(job, options)`;
  if (options === null || typeof options !== "object") throw new MapReduceError(`${call}: options must be an object such as { input: ["data.txt"] }, got ${describe(options)}`);
  const o = options as Record<string, unknown>;
  for (const key of Object.keys(o)) {
    if (!allowed.includes(key)) {
      const other = key in HADOOP_ONLY ? ` (${key} is an option of the hadoop runner)` : key === "taskTimeoutMs" ? ` (the inline runner runs tasks in this thread and cannot stop one: use runner "local")` : "";
      throw new MapReduceError(`${call}: unknown option "${key}"${other}; the ${runner} runner takes ${allowed.filter((k) => k !== "runner").join(", ")}`);
    }
  }
  if (!Array.isArray(o.input) || o.input.length === 0 || !o.input.every((f) => typeof f === "string" && f.length > 0)) {
    throw new MapReduceError(`${call}: options.input must be a non-empty array of file paths, e.g. { input: ["data.txt"] }; got ${describe(o.input)}`);
  }
  const bad = unencodable(o.params);
  if (o.params !== undefined && bad) {
    throw new MapReduceError(`${call}: options.params reach every task as JSON, which cannot carry ${explain(bad)}`);
  }
  if (o.signal !== undefined && !(o.signal instanceof AbortSignal)) {
    throw new MapReduceError(`${call}: options.signal must be an AbortSignal (new AbortController().signal), got ${describe(o.signal)}`);
  }
  positive(call, o, "sortBufferMb", 1 / 16);
  positive(call, o, "taskTimeoutMs", 1);
  if (o.workers !== undefined && !(Number.isInteger(o.workers) && (o.workers as number) >= 1 && (o.workers as number) <= 256)) {
    throw new MapReduceError(`${call}: options.workers must be a whole number of threads from 1 to 256, got ${describe(o.workers)}`);
  }
}

/** An optional number option that must be at least `min` when given. */
export function positive(call: string, o: Record<string, unknown>, key: string, min: number): void {
  const v = o[key];
  if (v !== undefined && !(typeof v === "number" && Number.isFinite(v) && v >= min)) {
    throw new MapReduceError(`${call}: options.${key} must be a number ≥ ${min}, got ${describe(v)}`);
  }
}

const HADOOP_ONLY: Record<string, true> = { classpath: true, java: true, node: true, properties: true, reducers: true, timeoutMs: true, workDir: true, confDir: true, output: true, files: true };

// Per task: with one task per core at once, the local runner holds this once per worker thread.
export const DEFAULT_SORT_BUFFER_MB = 4;
