import * as path from "node:path";
import { MapReduceError } from "./errors";
import { HadoopOptions, runHadoop } from "./hadoop";
import { runInline } from "./inline";
import { runLocal } from "./local";
import { LocalOptions, RunnerName } from "./options";
import { RunResult } from "./step-loop";

export { defineJob } from "./job";
export type { Emits, KeyValue, MRJob, MRStep, TaskContext } from "./job";
export { MapReduceError, MapReduceInterruptedError, MapReduceTimeoutError } from "./errors";
export type { Counters } from "./engine";
export { runInline } from "./inline";
export { runLocal } from "./local";
export type { LocalOptions, RunOptions, RunnerName } from "./options";
export type { RunResult } from "./step-loop";
export { interruptAll, interruptOnSigint } from "./interrupt";
export { runHadoop } from "./hadoop";
export type { HadoopOptions } from "./hadoop";
export { HADOOP_JAVA_FLAGS, HadoopFs } from "./hadoop-fs";
export type { HadoopConnection } from "./hadoop-fs";
export { parseCounters } from "./hadoop-logs";
export { iterate } from "./driver";
export type { IterateResult, IterationRecord } from "./driver";
export { weightedGDUpdate } from "./jobs/weighted-gd";
export type { WeightedGDGradient, WeightedGDParams } from "./jobs/weighted-gd";
export { gmmMStep } from "./jobs/gmm-em";
export type { GmmParams, GmmStats } from "./jobs/gmm-em";

/** The jobs that ship with ml-lab, by name: a path any runner can load. */
export function jobPath(name: "weighted-gd" | "gmm-em"): string {
  if (name !== "weighted-gd" && name !== "gmm-em") throw new MapReduceError(`jobPath(name): ml-lab ships the jobs "weighted-gd" and "gmm-em", not ${JSON.stringify(name)}`);
  return path.join(__dirname, "jobs", `${name}${path.extname(__filename)}`);
}

/** Runs a job module on the named runner (mrjob's `-r inline|local|hadoop`). */
export async function run(jobModule: string, options: (LocalOptions & { runner?: "inline" | "local" }) | (HadoopOptions & { runner: "hadoop" })): Promise<RunResult> {
  const runner: RunnerName | undefined = options?.runner ?? "inline";
  switch (runner) {
    case "inline":
      return runInline(jobModule, options);
    case "local":
      return runLocal(jobModule, options as LocalOptions);
    case "hadoop":
      return runHadoop(jobModule, options as HadoopOptions);
    default:
      throw new MapReduceError(`run(job, options): options.runner must be "inline", "local" or "hadoop", got ${JSON.stringify(runner)}`);
  }
}
