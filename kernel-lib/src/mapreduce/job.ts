/**
 * MapReduce jobs in the style of mrjob: a job is a module whose default export is `defineJob({ name, steps })`,
 * so that every runner (inline, local worker threads, Hadoop Streaming) can load the same code by path.
 * `steps(params)` is called afresh for every task, so state kept in its closures is per task, as in mrjob's
 * mapper_init/mapper_final pattern.
 */
import { describe, MapReduceError } from "./errors";

export { MapReduceError } from "./errors";

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

const STEP_FUNCTIONS = ["mapperInit", "mapper", "mapperFinal", "combinerInit", "combiner", "combinerFinal", "reducerInit", "reducer", "reducerFinal"] as const;
const JOB_FIELDS = ["name", "steps"];
const camel = (name: string) => name.replace(/_(\w)/g, (_, c: string) => c.toUpperCase());

/** ` (did you mean "reducer"?)` for mrjob's snake_case names and near misses (edit distance ≤ 2), else "". */
function suggestion(key: string, known: readonly string[]): string {
  const wanted = camel(key).toLowerCase();
  const scored = known.map((k) => ({ k, d: distance(k.toLowerCase(), wanted) })).sort((a, b) => a.d - b.d);
  const match = scored[0].d <= 2 ? scored[0].k : wanted.length >= 3 ? known.find((k) => k.toLowerCase().startsWith(wanted)) : undefined;
  return match ? ` (did you mean "${match}"?)` : "";
}

/** Levenshtein distance of two short strings (field names). */
function distance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) next[j] = Math.min(row[j] + 1, next[j - 1] + 1, row[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    row = next;
  }
  return row[b.length];
}

/** Checks the shape of a job once, where it is defined: `{ name: string, steps(params) => MRStep[] }`. */
export function defineJob<P>(job: MRJob<P>): MRJob<P> {
  if (job === null || typeof job !== "object") {
    throw new MapReduceError(`defineJob(job): job must be an object { name, steps(params) => [step, …] }, got ${describe(job)}`);
  }
  if (typeof job.name !== "string" || job.name.trim() === "") {
    throw new MapReduceError(`defineJob(job): job.name must be a non-empty string (errors and logs name the job by it), got ${describe(job.name)}`);
  }
  if (typeof job.steps !== "function") {
    const hint = Array.isArray(job.steps) ? `; wrap the array in a function: steps: () => [ … ]` : `, e.g. steps: (params) => [{ mapper, reducer }]`;
    throw new MapReduceError(`defineJob(job): job "${job.name}" needs steps as a function of params returning the steps, got ${describe(job.steps)}${hint}`);
  }
  for (const key of Object.keys(job)) {
    if (!JOB_FIELDS.includes(key)) {
      throw new MapReduceError(`defineJob(job): job "${job.name}" has an unknown field "${key}"; a job is { name, steps }, and mappers, combiners and reducers go in the steps: steps: () => [{ mapper, reducer }]`);
    }
  }
  return job;
}

/**
 * The job's steps for these params, checked: an array of at least one step, each an object of the nine step
 * functions (mapper, combiner, reducer and their init/final) with at least one of them. Called by every task.
 */
export function stepsOf(job: MRJob, params: unknown): MRStep[] {
  let steps: unknown;
  try {
    steps = job.steps(params);
  } catch (e) {
    throw new MapReduceError(`job "${job.name}": steps(params) threw: ${(e as Error)?.message ?? e}`);
  }
  if (!Array.isArray(steps)) {
    throw new MapReduceError(`job "${job.name}": steps(params) must return an array of steps, got ${describe(steps)}; e.g. steps: () => [{ mapper, reducer }]`);
  }
  if (steps.length === 0) {
    throw new MapReduceError(`job "${job.name}": steps(params) returned no steps; return at least one, e.g. [{ mapper, reducer }]`);
  }
  steps.forEach((step: unknown, i) => checkStep(job.name, step, i));
  return steps as MRStep[];
}

function checkStep(name: string, step: unknown, i: number): void {
  const where = `job "${name}": step ${i}`;
  if (step === null || typeof step !== "object" || Array.isArray(step)) {
    throw new MapReduceError(`${where} must be an object such as { mapper, combiner, reducer }, got ${describe(step)}`);
  }
  const fields = step as Record<string, unknown>;
  for (const key of Object.keys(fields)) {
    if (!(STEP_FUNCTIONS as readonly string[]).includes(key)) {
      throw new MapReduceError(`${where} has an unknown field "${key}"${suggestion(key, STEP_FUNCTIONS)}; a step may have ${STEP_FUNCTIONS.join(", ")}`);
    }
    if (fields[key] !== undefined && typeof fields[key] !== "function") {
      throw new MapReduceError(`${where}: ${key} must be a function, got ${describe(fields[key])}`);
    }
  }
  if (!STEP_FUNCTIONS.some((key) => typeof fields[key] === "function")) {
    throw new MapReduceError(`${where} has no mapper, combiner or reducer; give it at least one function (a missing mapper or reducer passes pairs through)`);
  }
  for (const extra of ["combinerInit", "combinerFinal"]) {
    if (fields[extra] && !fields.combiner) {
      throw new MapReduceError(`${where} has ${extra} but no combiner; Hadoop runs ${extra} only around a combiner, so add combiner or remove ${extra}`);
    }
  }
}
