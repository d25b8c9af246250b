/**
 * What a task does, apart from where its lines come from and go to: the mapper over input lines, the combiner or
 * reducer over groups of one key's values. The same code runs in this thread (inline), in a worker thread (local)
 * and in a Hadoop Streaming process, so the three runners cannot disagree about a job's semantics.
 */
import * as path from "node:path";
import { describe, MapReduceError } from "./errors";
import { Emits, MRStep, TaskContext } from "./job";
import { checkPair, decodeSimple, decodeText, NOT_SIMPLE, preview } from "./protocol";

export type Counters = Record<string, Record<string, number>>;

/** Where a task's pairs go: a sort buffer, a spill or output file, or Hadoop Streaming's stdout. */
export interface PairSink {
  /** A pair the job emitted, checked by checkPair: the sink writes its JSON. */
  emit(key: unknown, value: unknown): void;
  /** A pair already in JSON text (passed through by a step without a mapper or reducer). */
  add(keyText: string, valueText: string): void;
}

/** One key's values, still as JSON text: what a combiner or reducer gets. */
export interface Group {
  keyText: string;
  valueTexts: string[];
}

export class Context implements TaskContext {
  readonly counters: Counters = {};
  constructor(readonly stepNum: number) {}
  increment(group: string, counter: string, amount = 1): void {
    if (typeof group !== "string" || typeof counter !== "string" || !Number.isFinite(amount)) {
      throw new MapReduceError(`ctx.increment(group, counter, amount) needs two strings and a finite number, got ${describe(group)}, ${describe(counter)}, ${describe(amount)}`);
    }
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

const LOCATED = Symbol("located");
const HERE = path.dirname(__filename);

/** The error a task fails with: where it failed (step, role, input line or key), what went wrong, and where it was thrown. */
function located(e: unknown, place: string): MapReduceError {
  if (e instanceof MapReduceError && (e as { [LOCATED]?: boolean })[LOCATED]) return e;
  const error = new MapReduceError(`${place}: ${(e as Error)?.message ?? String(e)}${thrownAt(e)}`);
  (error as { [LOCATED]?: boolean })[LOCATED] = true;
  return error;
}

/** " (thrown at job.js:12:7)": the first stack frame outside this library's MapReduce code, for an error the job threw. */
function thrownAt(e: unknown): string {
  if (e instanceof MapReduceError || !(e instanceof Error) || !e.stack) return "";
  const frame = e.stack.split("\n").slice(1).find((line) => /^\s+at /.test(line) && !line.includes(HERE) && !line.includes("node:internal"));
  const where = frame && /\(?((?:file:\/\/)?[^()\s]+:\d+:\d+)\)?\s*$/.exec(frame)?.[1];
  return where ? ` (thrown at ${where})` : "";
}

/** Encodes every pair a function returned into the sink; throws (unlocated) on anything but [key, value] pairs. */
function emitAll(result: Emits, sink: PairSink): void {
  if (result === undefined || result === null) return;
  if (typeof (result as { then?: unknown }).then === "function") {
    throw new MapReduceError("returned a Promise: mappers, combiners and reducers run synchronously (no async, no await); compute the pairs and return them");
  }
  if (typeof (result as { [Symbol.iterator]?: unknown })[Symbol.iterator] !== "function" || typeof result === "string") {
    throw new MapReduceError(`returned ${describe(result)}; return an array of [key, value] pairs, yield pairs from a generator, or return nothing`);
  }
  for (const pair of result as Iterable<unknown>) {
    if (!Array.isArray(pair) || pair.length !== 2) {
      throw new MapReduceError(`emitted ${describe(pair)} where a [key, value] pair was expected; yield [key, value] from a generator, or return [[key, value], …] (one pair is [[key, value]])`);
    }
    checkPair(pair[0], pair[1]);
    sink.emit(pair[0], pair[1]);
  }
}

function callAndEmit(fn: () => Emits, sink: PairSink, place: string): void {
  try {
    emitAll(fn(), sink);
  } catch (e) {
    throw located(e, place);
  }
}

/**
 * The map side of a task: mapperInit, the mapper over every line, mapperFinal. Step 0 reads raw lines (null key);
 * later steps read the previous step's JSON pairs. A step without a mapper passes its input through.
 * `where(i)` names line i of the input in errors ("data.txt line 12"); it is called only when something fails.
 */
export function runMapper(step: MRStep, ctx: Context, chunks: Iterable<string[]>, where: (index: number) => string, sink: PairSink): void {
  const stepNum = ctx.stepNum;
  if (step.mapperInit) callAndEmit(() => step.mapperInit!.call(step, ctx), sink, `step ${stepNum} mapperInit`);
  const mapper = step.mapper;
  let index = 0;
  // The hot loop: no closure or message per line unless something fails.
  for (const lines of chunks) {
    for (let i = 0; i < lines.length; i++, index++) {
      const line = lines[i];
      let key: unknown = null, value: unknown = line, keyText = "null", valueText = "";
      if (stepNum > 0) {
        const tab = line.indexOf("\t");
        if (tab < 0) throw new MapReduceError(`step ${stepNum} mapper input, ${where(index)}: expected JSON key, a tab, JSON value; got ${preview(line)}`);
        keyText = line.slice(0, tab);
        valueText = line.slice(tab + 1);
        key = decodeSimple(keyText);
        if (key === NOT_SIMPLE) key = decodeText(keyText, () => line, () => `step ${stepNum} mapper input, ${where(index)}`);
        value = decodeSimple(valueText);
        if (value === NOT_SIMPLE) value = decodeText(valueText, () => line, () => `step ${stepNum} mapper input, ${where(index)}`);
      }
      if (!mapper) {
        if (stepNum === 0) sink.emit(null, line);
        else sink.add(keyText, valueText);
        continue;
      }
      try {
        emitAll(mapper.call(step, key, value, ctx), sink);
      } catch (e) {
        throw located(e, `step ${stepNum} mapper failed on ${where(index)} ${preview(line)}`);
      }
    }
  }
  if (step.mapperFinal) callAndEmit(() => step.mapperFinal!.call(step, ctx), sink, `step ${stepNum} mapperFinal`);
}

/**
 * The combiner or reducer over groups of one key's values, in key order: init, the function per key, final.
 * A step without one passes its pairs through (Hadoop's identity reducer).
 */
export function runGrouped(step: MRStep, role: "combiner" | "reducer", ctx: Context, groups: Iterable<Group>, sink: PairSink): void {
  const stepNum = ctx.stepNum;
  const init = role === "combiner" ? step.combinerInit : step.reducerInit;
  const fn = role === "combiner" ? step.combiner : step.reducer;
  const final = role === "combiner" ? step.combinerFinal : step.reducerFinal;
  if (init) callAndEmit(() => init.call(step, ctx), sink, `step ${stepNum} ${role}Init`);
  for (const { keyText, valueTexts } of groups) {
    if (!fn) {
      for (const valueText of valueTexts) sink.add(keyText, valueText);
      continue;
    }
    const place = () => `step ${stepNum} ${role} input for key ${keyText}`;
    const key = decodeText(keyText, () => `${keyText}\t${valueTexts[0]}`, place);
    // The hot loop: no closure per value unless one needs JSON.parse.
    const values: unknown[] = new Array(valueTexts.length);
    for (let i = 0; i < valueTexts.length; i++) {
      const text = valueTexts[i];
      const simple = decodeSimple(text);
      values[i] = simple !== NOT_SIMPLE ? simple : decodeText(text, () => `${keyText}\t${text}`, place);
    }
    try {
      emitAll(fn.call(step, key, values, ctx), sink);
    } catch (e) {
      throw located(e, `step ${stepNum} ${role} failed on key ${keyText}`);
    }
  }
  if (final) callAndEmit(() => final.call(step, ctx), sink, `step ${stepNum} ${role}Final`);
}
