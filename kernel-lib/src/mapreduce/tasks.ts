/**
 * The map and reduce tasks of the inline and local runners, as plain data in and out, so that the same request
 * runs in this thread (inline) or is posted to a worker thread (local). Map tasks read a byte range of a file and
 * leave sorted runs on disk; reduce tasks merge one partition's runs and write its part file.
 */
import { Context, Counters, Group, PairSink, runGrouped, runMapper } from "./engine";
import { MapReduceError } from "./errors";
import { InputSplit } from "./input";
import { MRStep, stepsOf } from "./job";
import { linesBefore, LineWriter, lineChunks } from "./line-reader";
import { loadJob } from "./load-job";
import { mergedGroups } from "./merge";
import { SortBuffer, spillPrefix } from "./sort-buffer";

interface TaskBase {
  jobPath: string;
  params: unknown;
  stepNum: number;
  /** The task's number within its step and kind (map tasks 0…, reduce tasks by partition). */
  index: number;
}

export interface MapTask extends TaskBase {
  kind: "map";
  split: InputSplit;
  partitions: number;
  /** Folder for this step's sorted runs. */
  spillDir: string;
  /** The sort buffer's budget in bytes (spill when reached). */
  sortBufferBytes: number;
}

export interface ReduceTask extends TaskBase {
  kind: "reduce";
  /** Sorted runs of this partition from every map task, in map-task order. */
  runs: string[];
  /** The part file this task writes. */
  output: string;
  /** Path prefix for intermediate merges when there are many runs. */
  scratchPrefix: string;
}

export type Task = MapTask | ReduceTask;

export interface TaskResult {
  counters: Counters;
  /** Map tasks: run files per partition. */
  runs: string[][];
}

/** "map task 2 of step 0 (data.txt bytes 0–4096)": how timeouts and crashes name a task. */
export function describeTask(task: Task): string {
  return task.kind === "map"
    ? `map task ${task.index} of step ${task.stepNum} (${task.split.label} bytes ${task.split.start}–${task.split.end})`
    : `reduce task ${task.index} of step ${task.stepNum}`;
}

function stepOf(task: Task): MRStep {
  const steps = stepsOf(loadJob(task.jobPath), task.params);
  const step = steps[task.stepNum];
  if (!step) throw new MapReduceError(`the job has ${steps.length} step(s) in this task but ${task.stepNum + 1} when the job started: steps(params) must return the same steps every time`);
  return step;
}

export function runTask(task: Task): TaskResult {
  const step = stepOf(task);
  const ctx = new Context(task.stepNum);
  if (task.kind === "map") {
    const { split } = task;
    // The combiner runs per spill on a fresh steps(params), as Hadoop runs it in a process of its own.
    const combine = step.combiner ? (groups: Iterable<Group>, sink: PairSink) => runGrouped(stepOf(task), "combiner", ctx, groups, sink) : undefined;
    const buffer = new SortBuffer(task.partitions, task.sortBufferBytes, spillPrefix(task.spillDir, task.index), combine);
    const where = (i: number) => `${split.label} line ${linesBefore(split.file, split.start) + i + 1}`;
    runMapper(step, ctx, lineChunks(split.file, split.start, split.end), where, buffer);
    return { counters: ctx.counters, runs: buffer.finish() };
  }
  const writer = new LineWriter(task.output);
  try {
    runGrouped(step, "reducer", ctx, mergedGroups(task.runs, task.scratchPrefix), writer);
  } finally {
    writer.close();
  }
  return { counters: ctx.counters, runs: [] };
}
