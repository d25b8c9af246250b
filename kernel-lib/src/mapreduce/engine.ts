import { Emits, MapReduceError, MRJob, MRStep, TaskContext } from "./job";
import { decodePair, encodePair, groupSorted, preview, sortByKeyBytes } from "./protocol";

export type Counters = Record<string, Record<string, number>>;

/** A task's input lines and how to name line i in an error ("data.txt line 12"), built only when needed. */
export interface InputLines {
  lines: string[];
  where: (index: number) => string;
}

export interface TaskOutput {
  lines: string[];
  counters: Counters;
}

export type Role = "mapper" | "combiner" | "reducer";

class Context implements TaskContext {
  readonly counters: Counters = {};
  constructor(readonly stepNum: number) {}
  increment(group: string, counter: string, amount = 1): void {
    const g = (this.counters[group] ??= {});
    g[counter] = (g[counter] ?? 0) + amount;
  }
}

export function mergeCounters(into: Counters, from: Counters): Counters {
  for (const [group, counters] of Object.entries(from)) {
    const g = (into[group] ??= {});
    for (const [name, value] of Object.entries(counters)) g[name] = (g[name] ?? 0) + value;
  }
  return into;
}

function stepOf(job: MRJob, params: unknown, stepNum: number): MRStep {
  const steps = job.steps(params);
  if (!Array.isArray(steps) || steps.length === 0) throw new MapReduceError(`job ${job.name}: steps() returned no steps`);
  const step = steps[stepNum];
  if (!step) throw new MapReduceError(`job ${job.name} has ${steps.length} step(s); there is no step ${stepNum}`);
  return step;
}

export function stepCount(job: MRJob, params: unknown): number {
  return job.steps(params).length;
}

/** Runs a piece of user code, turning its exceptions (and NaN in what it emits) into errors naming the place. */
function call(emits: () => Emits, out: string[], place: () => string): void {
  let result: Emits;
  try {
    result = emits();
  } catch (e) {
    throw located(e, place);
  }
  if (result) emit(result, out, place);
}

function emit(result: Iterable<[unknown, unknown]>, out: string[], place: () => string): void {
  try {
    for (const [key, value] of result) {
      const line = encodePair(key, value);
      if (line.includes("null") && (hasNaN(value) || hasNaN(key))) throw new MapReduceError(`emitted NaN (key ${JSON.stringify(key)})`);
      out.push(line);
    }
  } catch (e) {
    throw located(e, place);
  }
}

function located(e: unknown, place: () => string): MapReduceError {
  if (e instanceof MapReduceError && e.message.startsWith("step ")) return e;
  return new MapReduceError(`${place()}: ${(e as Error)?.message ?? e}`);
}

function hasNaN(value: unknown): boolean {
  if (typeof value === "number") return Number.isNaN(value);
  if (Array.isArray(value)) return value.some(hasNaN);
  if (value && typeof value === "object") return Object.values(value).some(hasNaN);
  return false;
}

/**
 * A map task: mapperInit, the mapper over every record, mapperFinal; step 0 reads raw lines (null key), later steps
 * the JSON protocol. Then, if the step has a combiner, this task's output is sorted and combined once (Hadoop may
 * combine zero or more times; a correct job gives the same result either way).
 */
export function runMapTask(job: MRJob, params: unknown, stepNum: number, input: InputLines, combine = true): TaskOutput {
  const step = stepOf(job, params, stepNum);
  const ctx = new Context(stepNum);
  const out: string[] = [];
  const { lines, where } = input;
  const failedOn = (i: number) => () => `step ${stepNum} mapper failed on ${where(i)} ${preview(lines[i])}`;
  if (step.mapperInit) call(() => step.mapperInit!(ctx), out, () => `step ${stepNum} mapperInit`);
  const mapper = step.mapper;
  // The hot loop: no closure or string per line unless something fails.
  for (let i = 0; i < lines.length; i++) {
    let key: unknown = null, value: unknown = lines[i];
    if (stepNum > 0) [key, value] = decodePair(lines[i], () => `step ${stepNum} input, ${where(i)}`);
    if (!mapper) {
      out.push(stepNum === 0 ? encodePair(null, value) : lines[i]);
      continue;
    }
    let result: Emits;
    try {
      result = mapper.call(step, key, value, ctx);
    } catch (e) {
      throw located(e, failedOn(i));
    }
    if (result) emit(result, out, failedOn(i));
  }
  if (step.mapperFinal) call(() => step.mapperFinal!(ctx), out, () => `step ${stepNum} mapperFinal`);
  const lines2 = combine && step.combiner ? runGrouped(step, "combiner", stepNum, sortByKeyBytes(out), ctx) : out;
  return { lines: lines2, counters: ctx.counters };
}

/** A reduce task over lines already sorted by key (one partition): reducerInit, reducer per key, reducerFinal. */
export function runReduceTask(job: MRJob, params: unknown, stepNum: number, sorted: string[]): TaskOutput {
  const step = stepOf(job, params, stepNum);
  const ctx = new Context(stepNum);
  return { lines: runGrouped(step, "reducer", stepNum, sorted, ctx), counters: ctx.counters };
}

/** A combine pass on its own (Hadoop Streaming's -combiner). */
export function runCombineTask(job: MRJob, params: unknown, stepNum: number, sorted: string[]): TaskOutput {
  const step = stepOf(job, params, stepNum);
  const ctx = new Context(stepNum);
  return { lines: step.combiner ? runGrouped(step, "combiner", stepNum, sorted, ctx) : sorted, counters: ctx.counters };
}

export function hasCombiner(job: MRJob, params: unknown, stepNum: number): boolean {
  return Boolean(stepOf(job, params, stepNum).combiner);
}

function runGrouped(step: MRStep, role: "combiner" | "reducer", stepNum: number, sorted: string[], ctx: Context): string[] {
  const out: string[] = [];
  const init = role === "combiner" ? step.combinerInit : step.reducerInit;
  const fn = role === "combiner" ? step.combiner : step.reducer;
  const final = role === "combiner" ? step.combinerFinal : step.reducerFinal;
  if (init) call(() => init.call(step, ctx), out, () => `step ${stepNum} ${role}Init`);
  for (const [text, lines] of groupSorted(sorted)) {
    const pairs = lines.map((line, i) => decodePair(line, () => `step ${stepNum} ${role} input for key ${text} (#${i + 1})`));
    if (!fn) {
      out.push(...lines);
      continue;
    }
    call(() => fn.call(step, pairs[0][0], pairs.map((p) => p[1]), ctx), out, () => `step ${stepNum} ${role} failed on key ${text}`);
  }
  if (final) call(() => final.call(step, ctx), out, () => `step ${stepNum} ${role}Final`);
  return out;
}
