#!/usr/bin/env node
/**
 * mllab run <notebook.ipynb> [--out file.ipynb] [--allow-errors] [--timeout seconds]
 * Runs every code cell with the ML Lab kernel (in the notebook's folder) and writes the outputs as nbformat 4.5.
 * Exit code 1 when a cell fails (the error is printed and saved in the notebook), 2 for bad usage.
 */
import * as path from "node:path";
import { KernelClient } from "./client";
import { cellSource, NotebookOutput, OutputCollector, readNotebook, writeNotebook } from "./notebook";

interface RunOptions {
  notebook: string;
  out?: string;
  allowErrors: boolean;
  timeoutSeconds?: number;
}

function usage(message?: string): never {
  if (message) process.stderr.write(`mllab: ${message}\n`);
  process.stderr.write("usage: mllab run <notebook.ipynb> [--out file.ipynb] [--allow-errors] [--timeout seconds]\n");
  process.exit(2);
}

function parseArgs(argv: string[]): RunOptions {
  const [command, ...rest] = argv;
  if (command !== "run") usage(command ? `unknown command "${command}"` : undefined);
  const options: Partial<RunOptions> = { allowErrors: false };
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    if (arg === "--out") options.out = rest[++i] ?? usage("--out needs a file name");
    else if (arg === "--allow-errors") options.allowErrors = true;
    else if (arg === "--timeout") {
      const value = Number(rest[++i]);
      if (!(value > 0)) usage("--timeout needs a positive number of seconds");
      options.timeoutSeconds = value;
    } else if (arg.startsWith("-")) usage(`unknown option ${arg}`);
    else if (options.notebook) usage(`only one notebook at a time (got ${options.notebook} and ${arg})`);
    else options.notebook = arg;
  }
  if (!options.notebook) usage("which notebook?");
  return options as RunOptions;
}

export async function runNotebook(options: RunOptions): Promise<number> {
  const file = path.resolve(options.notebook);
  const nb = readNotebook(file);
  const kernel = await KernelClient.start({ cwd: path.dirname(file) });
  const collector = new OutputCollector();
  const codeCells = nb.cells.filter((c) => c.cell_type === "code");
  let failures = 0, index = 0;
  const timer = options.timeoutSeconds
    ? setTimeout(() => {
        process.stderr.write(`mllab: ${path.basename(file)} ran longer than ${options.timeoutSeconds} s; interrupting\n`);
        kernel.interrupt();
      }, options.timeoutSeconds * 1000)
    : undefined;
  try {
    for (const cell of codeCells) {
      index++;
      const outputs: NotebookOutput[] = [];
      cell.outputs = outputs;
      cell.execution_count = null;
      collector.forCell(outputs);
      const result = await kernel.execute(cellSource(cell), (event) => collector.add(event, () => cell.execution_count ?? null));
      cell.execution_count = result.executionCount || null;
      for (const o of outputs) if (o.output_type === "execute_result") o.execution_count = cell.execution_count;
      const label = `[${index}/${codeCells.length}]`;
      if (result.status === "ok") {
        process.stderr.write(`${label} ok (${Math.round(result.durationMs)} ms)\n`);
        continue;
      }
      failures++;
      const error = outputs.find((o) => o.output_type === "error");
      process.stderr.write(`${label} ${result.status}: ${error ? (error.traceback as string[]).join("\n") || `${error.ename}: ${error.evalue}` : ""}\n`);
      if (!options.allowErrors) break;
    }
  } finally {
    if (timer) clearTimeout(timer);
    await kernel.shutdown();
  }
  // Cells after a failure keep no stale outputs from an earlier run.
  let seenFailure = false;
  for (const cell of codeCells) {
    if (seenFailure && !options.allowErrors) {
      cell.outputs = [];
      cell.execution_count = null;
    }
    if (cell.outputs?.some((o) => o.output_type === "error")) seenFailure = true;
  }
  writeNotebook(options.out ? path.resolve(options.out) : file, nb);
  return failures > 0 ? 1 : 0;
}

if (require.main === module || require.main?.filename.endsWith(`${path.sep}bin${path.sep}mllab.js`)) {
  runNotebook(parseArgs(process.argv.slice(2))).then(
    (code) => process.exit(code),
    (e) => {
      process.stderr.write(`mllab: ${(e as Error).message}\n`);
      process.exit(1);
    },
  );
}
