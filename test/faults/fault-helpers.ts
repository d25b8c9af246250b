/**
 * What the fault-injection tests share: running `mllab run` under a deadline, writing notebooks, and checking
 * afterwards, by scanning processes, that nothing was left running.
 */
import * as assert from "node:assert/strict";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { processesIn, tempDir, waitFor } from "../kernel/kernel-helpers";

export const root = path.resolve(__dirname, "..", "..");
export const cli = path.join(root, "extension", "kernel", "bin", "mllab.js");

export interface CliRun {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

export interface CliOptions {
  /** The run is killed (and the test fails) past this. */
  deadlineMs: number;
  /** Limit on the size of files the run may write, in 512-byte blocks (bash's `ulimit -f`): a disk that fills up. */
  fileSizeBlocks?: number;
  /** Called once the CLI has started, with its process (to signal it). */
  onSpawn?: (pid: number) => void;
}

/** Runs `mllab <args>` from `cwd`; rejects if it is still running at the deadline (after killing it). */
export function runCli(cwd: string, args: string[], options: CliOptions): Promise<CliRun> {
  const command = options.fileSizeBlocks === undefined ? [process.execPath, cli, ...args] : ["bash", "-c", `ulimit -f ${options.fileSizeBlocks}; exec "$0" "$@"`, process.execPath, cli, ...args];
  const started = performance.now();
  const child = spawn(command[0], command.slice(1), { cwd, stdio: ["ignore", "pipe", "pipe"] });
  options.onSpawn?.(child.pid!);
  let stdout = "", stderr = "";
  child.stdout.on("data", (d) => (stdout += d));
  child.stderr.on("data", (d) => (stderr += d));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`mllab ${args.join(" ")} still ran after ${options.deadlineMs} ms:\n${stderr}`));
    }, options.deadlineMs);
    child.on("close", (status, signal) => {
      clearTimeout(timer);
      resolve({ status, signal, stdout, stderr, ms: performance.now() - started });
    });
  });
}

export type CellSpec = string | { source?: unknown; outputs?: unknown[]; execution_count?: number | null; cell_type?: string } | null;

/** An nbformat 4 notebook with these code cells (a string is a cell's source; anything else is written as given). */
export function notebookJson(cells: CellSpec[], metadata: Record<string, unknown> = {}): string {
  return JSON.stringify({
    nbformat: 4,
    nbformat_minor: 5,
    metadata,
    cells: cells.map((c, i) =>
      typeof c === "string" ? { id: `c${i}`, cell_type: "code", metadata: {}, source: c, outputs: [], execution_count: null } : c === null ? null : { id: `c${i}`, cell_type: "code", metadata: {}, outputs: [], execution_count: null, ...c },
    ),
  });
}

/**
 * A folder for one notebook, with a trap: a node_modules/ml-lab whose code writes `trap-ran` if anything loads it.
 * The kernel must pre-load the ml-lab it ships, never this one.
 */
export function notebookFolder(prefix: string): string {
  const dir = tempDir(prefix);
  const trap = path.join(dir, "node_modules", "ml-lab");
  fs.mkdirSync(trap, { recursive: true });
  fs.writeFileSync(path.join(trap, "package.json"), JSON.stringify({ name: "ml-lab", version: "0.0.0-trap", main: "index.js" }));
  fs.writeFileSync(path.join(trap, "index.js"), `require("fs").writeFileSync(${JSON.stringify(path.join(dir, "trap-ran"))}, "loaded");\n`);
  return dir;
}

/** Nothing runs in `dir` any more (allowing a moment for exits to land), and the folder's ml-lab trap never ran. */
export async function assertNothingLeft(dir: string, withinMs = 5000): Promise<void> {
  await waitFor(() => processesIn(dir).length === 0, withinMs);
  assert.deepEqual(processesIn(dir), [], "processes left running in the notebook's folder");
  assert.equal(fs.existsSync(path.join(dir, "trap-ran")), false, "code from the notebook's node_modules/ml-lab ran");
}

export function readJson(file: string): any {
  return JSON.parse(fs.readFileSync(file, "utf8"));
}
