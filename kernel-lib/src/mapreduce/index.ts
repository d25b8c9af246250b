import * as path from "node:path";
import { HadoopOptions, runHadoop } from "./hadoop";
import { LocalOptions, RunResult, runInline, runLocal } from "./runners";

export { defineJob, MapReduceError } from "./job";
export type { Emits, KeyValue, MRJob, MRStep, TaskContext } from "./job";
export type { Counters } from "./engine";
export { runInline, runLocal } from "./runners";
export type { LocalOptions, RunOptions, RunResult } from "./runners";
export { runHadoop, HADOOP_JAVA_FLAGS, parseCounters } from "./hadoop";
export type { HadoopOptions } from "./hadoop";
export { iterate } from "./driver";
export type { IterateResult, IterationRecord } from "./driver";
export { weightedGDUpdate } from "./jobs/weighted-gd";
export type { WeightedGDGradient, WeightedGDParams } from "./jobs/weighted-gd";
export { gmmMStep } from "./jobs/gmm-em";
export type { GmmParams, GmmStats } from "./jobs/gmm-em";

/** The jobs that ship with ml-lab, by name: a path any runner can load. */
export function jobPath(name: "weighted-gd" | "gmm-em"): string {
  return path.join(__dirname, "jobs", `${name}${path.extname(__filename)}`);
}

export type RunnerName = "inline" | "local" | "hadoop";

/** Runs a job module on the named runner (mrjob's `-r inline|local|hadoop`). */
export function run(jobModule: string, options: (LocalOptions & { runner?: "inline" | "local" }) | (HadoopOptions & { runner: "hadoop" })): Promise<RunResult> {
  switch (options.runner ?? "inline") {
    case "inline":
      return runInline(jobModule, options);
    case "local":
      return runLocal(jobModule, options as LocalOptions);
    case "hadoop":
      return runHadoop(jobModule, options as HadoopOptions);
    default:
      throw new RangeError(`runner must be "inline", "local" or "hadoop", got ${JSON.stringify(options.runner)}`);
  }
}
