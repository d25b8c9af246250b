import * as path from "node:path";
import { MapReduceError, MRJob } from "./job";

/** The job a module exports (default export, or `job`); the path is resolved from the current directory. */
export function loadJob(modulePath: string): MRJob {
  const resolved = path.resolve(modulePath);
  let mod: { default?: MRJob; job?: MRJob } & Partial<MRJob>;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    mod = require(resolved);
  } catch (e) {
    throw new MapReduceError(`cannot load job module ${resolved}: ${(e as Error).message}`);
  }
  const job = mod.default ?? mod.job ?? (mod as MRJob); // also `module.exports = defineJob(…)`
  if (!job || typeof job.steps !== "function") throw new MapReduceError(`${resolved} does not export a job: export default defineJob({ name, steps })`);
  return job;
}
