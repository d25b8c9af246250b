import * as fs from "node:fs";
import * as path from "node:path";
import { MapReduceError } from "./errors";
import { defineJob, MRJob } from "./job";

const loadedAt = new Map<string, number>();

/**
 * The job a module exports (default export, `job`, or `module.exports = defineJob(…)`); the path is resolved from
 * the current directory. A module edited since it was loaded is loaded afresh, so a notebook that rewrites its job
 * file runs the new code (modules the job itself requires are Node's to cache).
 */
export function loadJob(modulePath: string): MRJob {
  const resolved = path.resolve(modulePath);
  let mod: { default?: MRJob; job?: MRJob } & Partial<MRJob>;
  try {
    const mtime = fs.statSync(resolved).mtimeMs;
    if (loadedAt.has(resolved) && loadedAt.get(resolved) !== mtime) delete require.cache[require.resolve(resolved)];
    loadedAt.set(resolved, mtime);
    mod = require(resolved);
  } catch (e) {
    throw new MapReduceError(`cannot load job module ${resolved}: ${(e as Error).message}`);
  }
  const job = mod?.default ?? mod?.job ?? (mod as MRJob);
  if (!job || typeof job.steps !== "function") throw new MapReduceError(`${resolved} does not export a job: export default defineJob({ name, steps }) (or module.exports = defineJob(…))`);
  return defineJob(job);
}
