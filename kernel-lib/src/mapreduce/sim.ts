/**
 * How the inline and local runners run a step, as Hadoop would on one machine (mrjob's sim runner): cut the input
 * into splits of whole lines, run a map task per split (each sorts, combines and spills its output into one sorted
 * run per partition), then a reduce task per partition that merges its runs and writes a part file. Every step's
 * output is files in the job's work folder, so memory holds only the tasks' buffers, never a whole step's data.
 * The two runners differ only in how a task is invoked: in this thread, or on a worker thread.
 */
import { setMaxListeners } from "node:events";
import * as fs from "node:fs";
import * as path from "node:path";
import { Counters, mergeCounters } from "./engine";
import { checkFile, InputFile, makeSplits } from "./input";
import { lineChunks } from "./line-reader";
import { DEFAULT_SORT_BUFFER_MB, RunnerName, RunOptions } from "./options";
import { StepOutcome, StepRunner } from "./step-loop";
import { ReduceTask, Task, TaskResult } from "./tasks";
import { makeWorkDir, removeWorkDir } from "./work-dir";

/** Runs one task; rejects when `signal` aborts (stopping the task if it can). */
export type InvokeTask = (task: Task, signal: AbortSignal) => Promise<TaskResult>;

export interface SimShape {
  /** About how many map tasks a step's input is cut into. */
  mapTasks: number;
  /** Reduce tasks (partitions of the key space). */
  partitions: number;
  /** Whether a step's tasks run at once (worker threads) or one after another (this thread). */
  parallel: boolean;
}

export class SimRunner implements StepRunner<InputFile> {
  private work = "";
  private readonly jobPath: string;

  constructor(
    readonly name: RunnerName,
    jobPath: string,
    private readonly options: RunOptions,
    private readonly shape: SimShape,
    private readonly invoke: InvokeTask,
  ) {
    this.jobPath = path.resolve(jobPath);
  }

  async prepare(): Promise<InputFile[]> {
    const input = this.options.input.map((file) => ({ file: path.resolve(file), label: file }));
    for (const { file } of input) checkFile(file);
    this.work = makeWorkDir(`mllab-${this.name}-`);
    return input;
  }

  async runStep(stepNum: number, input: InputFile[], _last: boolean, jobSignal: AbortSignal): Promise<StepOutcome<InputFile>> {
    const stepDir = path.join(this.work, `step-${stepNum}`);
    fs.mkdirSync(stepDir);
    // A failed task cancels its siblings: nothing of a failed step keeps running.
    const step = new AbortController();
    setMaxListeners(0, step.signal); // one listener per task
    const stop = () => step.abort(jobSignal.reason);
    jobSignal.addEventListener("abort", stop, { once: true });
    const counters: Counters = {};
    const base = { jobPath: this.jobPath, params: this.options.params ?? null, stepNum };
    // Waits for every task to settle (a cancelled one settles once its thread has ended, so nothing writes into
    // the work folder after cleanup) and throws the error that failed the step first.
    const all = async <T>(tasks: Task[], use: (result: TaskResult) => T): Promise<T[]> => {
      let failure: unknown;
      const run = (task: Task) =>
        this.invoke(task, step.signal).then(
          (result) => use(mergeResult(counters, result)),
          (e) => {
            failure ??= e;
            step.abort(e);
            return undefined as T;
          },
        );
      const results: T[] = [];
      if (this.shape.parallel) results.push(...(await Promise.all(tasks.map(run))));
      else for (const task of tasks) results.push(await run(task));
      if (failure !== undefined) throw failure;
      return results;
    };
    try {
      const sortBufferBytes = Math.round((this.options.sortBufferMb ?? DEFAULT_SORT_BUFFER_MB) * 2 ** 20);
      const splits = makeSplits(input, this.shape.mapTasks);
      const maps: Task[] = splits.map((split, index) => ({ ...base, kind: "map", index, split, partitions: this.shape.partitions, spillDir: stepDir, sortBufferBytes }));
      const runs = await all(maps, (result) => result.runs);
      // A later step's input is the previous step's part files: read now, so they go.
      if (stepNum > 0) for (const { file } of input) fs.rmSync(file, { force: true });
      const reduces: ReduceTask[] = [];
      for (let p = 0; p < this.shape.partitions; p++) {
        const partRuns = runs.flatMap((r) => r[p]);
        if (partRuns.length === 0 && this.shape.partitions > 1) continue; // an empty partition of several: no task
        const output = path.join(stepDir, `part-${String(p).padStart(5, "0")}`);
        reduces.push({ ...base, kind: "reduce", index: p, runs: partRuns, output, scratchPrefix: path.join(stepDir, `merge-${p}`) });
      }
      await all(reduces, () => undefined);
      // The runs are read; only the part files go on to the next step.
      for (const file of runs.flat(2)) fs.rmSync(file, { force: true });
      return { output: reduces.map((r) => ({ file: r.output, label: `step ${stepNum}'s output ${path.basename(r.output)}` })), counters };
    } finally {
      jobSignal.removeEventListener("abort", stop);
    }
  }

  async readOutput(output: InputFile[]): Promise<string[]> {
    const lines: string[] = [];
    for (const { file } of output) for (const chunk of lineChunks(file)) for (const line of chunk) lines.push(line);
    return lines;
  }

  async cleanup(): Promise<void> {
    if (this.work) removeWorkDir(this.work);
  }
}

function mergeResult(counters: Counters, result: TaskResult): TaskResult {
  mergeCounters(counters, result.counters);
  return result;
}
