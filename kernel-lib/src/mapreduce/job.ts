/**
 * MapReduce jobs in the style of mrjob: a job is a module whose default export is `defineJob({ name, steps })`,
 * so that every runner (inline, local worker threads, Hadoop Streaming) can load the same code by path.
 * `steps(params)` is called afresh for every task, so state kept in its closures is per task, as in mrjob's
 * mapper_init/mapper_final pattern.
 */
export type KeyValue = [unknown, unknown];
/** What a mapper, combiner or reducer returns: pairs to emit (an array or a generator), or nothing. */
export type Emits = Iterable<KeyValue> | void | undefined;

export interface TaskContext {
  /** Adds to a counter (Hadoop's user counters; summed over all tasks and reported with the result). */
  increment(group: string, counter: string, amount?: number): void;
  readonly stepNum: number;
}

export interface MRStep {
  mapperInit?(ctx: TaskContext): Emits;
  /** Step 0 gets each input line as `value` with a null key; later steps get the previous step's pairs. */
  mapper?(key: unknown, value: unknown, ctx: TaskContext): Emits;
  mapperFinal?(ctx: TaskContext): Emits;
  combinerInit?(ctx: TaskContext): Emits;
  /** May run zero or more times on a subset of a key's values; it must emit what the reducer can take again. */
  combiner?(key: unknown, values: unknown[], ctx: TaskContext): Emits;
  combinerFinal?(ctx: TaskContext): Emits;
  reducerInit?(ctx: TaskContext): Emits;
  reducer?(key: unknown, values: unknown[], ctx: TaskContext): Emits;
  reducerFinal?(ctx: TaskContext): Emits;
}

export interface MRJob<P = unknown> {
  name: string;
  steps(params: P): MRStep[];
}

export function defineJob<P>(job: MRJob<P>): MRJob<P> {
  if (!job || typeof job.name !== "string" || typeof job.steps !== "function") throw new TypeError("defineJob needs { name: string, steps(params) => MRStep[] }");
  return job;
}

/** A failure inside a job, naming the step, the task role and the input line. */
export class MapReduceError extends Error {
  override name = "MapReduceError";
}
