import * as fs from "node:fs";
import Module, { createRequire } from "node:module";
import * as path from "node:path";
import { MapReduceError } from "./errors";
import { defineJob, MRJob } from "./job";

const loadedAt = new Map<string, number>();

/** This library's package folder (dist/mapreduce/ or src/mapreduce/ is two levels down). */
const LIBRARY = path.resolve(__dirname, "..", "..");
let libraryFallback = false;

/**
 * A job module's `require("ml-lab")` finds this library even where no ml-lab is installed next to the module (a
 * notebook's folder, whose kernel provides ml-lab by a hook of its own main thread that the local runner's worker
 * threads do not share; the hadoop runner's tasks get the copy shipped with them). Only a failed lookup falls back:
 * an ml-lab the module's folder does have is used as Node would.
 */
function fallBackToThisLibrary(): void {
  if (libraryFallback) return;
  libraryFallback = true;
  const resolver = Module as unknown as { _resolveFilename: (request: string, ...rest: unknown[]) => string };
  const resolve = resolver._resolveFilename;
  resolver._resolveFilename = function (request: string, ...rest: unknown[]) {
    try {
      return resolve.call(this, request, ...rest);
    } catch (error) {
      const mine = request === "ml-lab" || request.startsWith("ml-lab/");
      if (!mine || (error as NodeJS.ErrnoException).code !== "MODULE_NOT_FOUND") throw error;
      return resolve.call(this, LIBRARY + request.slice("ml-lab".length), ...rest);
    }
  };
}

/**
 * The job a module exports (default export, `job`, or `module.exports = defineJob(…)`); the path is resolved from
 * the current directory. A module edited since it was loaded is loaded afresh, so a notebook that rewrites its job
 * file runs the new code (modules the job itself requires are Node's to cache).
 */
export function loadJob(modulePath: string): MRJob {
  const resolved = path.resolve(modulePath);
  let mod: { default?: MRJob; job?: MRJob } & Partial<MRJob>;
  fallBackToThisLibrary();
  try {
    const mtime = fs.statSync(resolved).mtimeMs;
    if (loadedAt.has(resolved) && loadedAt.get(resolved) !== mtime) delete require.cache[require.resolve(resolved)];
    loadedAt.set(resolved, mtime);
    mod = createRequire(resolved)(resolved);
  } catch (e) {
    throw new MapReduceError(`cannot load job module ${resolved}: ${(e as Error).message}`);
  }
  const job = mod?.default ?? mod?.job ?? (mod as MRJob);
  if (!job || typeof job.steps !== "function") throw new MapReduceError(`${resolved} does not export a job: export default defineJob({ name, steps }) (or module.exports = defineJob(…))`);
  return defineJob(job);
}
