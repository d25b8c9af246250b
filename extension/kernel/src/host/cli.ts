#!/usr/bin/env node
/**
 * mllab run <notebook.ipynb> [--out file.ipynb] [--allow-errors] [--timeout seconds] [--max-memory MB]
 *           [--output-limit MB] [--force]
 * Runs every code cell with the ML Lab kernel (in the notebook's folder) and writes the outputs as nbformat 4.5.
 * Exit code 1 when a cell fails (the error is printed and saved in the notebook) or the notebook is refused, 2 for
 * bad usage, 128 + n when stopped by signal n (the kernel is stopped too, and nothing is written).
 */
import * as os from "node:os";
import { runNotebook, RunOptions } from "./run-notebook";

const USAGE =
  "usage: mllab run <notebook.ipynb> [--out file.ipynb] [--allow-errors] [--timeout seconds] [--max-memory MB] [--output-limit MB] [--force]\n" +
  "  --timeout s        per cell: interrupt a cell that runs longer, then stop its kernel if it does not stop\n" +
  "  --max-memory MB    cap the kernel's JavaScript heap (a cell past it fails with an out-of-memory error)\n" +
  "  --output-limit MB  what one cell may show before its output is cut with a note (default 8; 0: no limit)\n" +
  "  --force            run a notebook whose kernelspec or language is not TypeScript\n";

function usage(message?: string): never {
  if (message) process.stderr.write(`mllab: ${message}\n`);
  process.stderr.write(USAGE);
  process.exit(2);
}

function number(value: string | undefined, option: string, min: number): number {
  const n = Number(value);
  if (value === undefined || !Number.isFinite(n) || n < min || (min > 0 && n === 0)) usage(`${option} needs a ${min > 0 ? "positive" : "non-negative"} number`);
  return n;
}

function parseArgs(argv: string[]): RunOptions {
  const [command, ...rest] = argv;
  if (command !== "run") usage(command ? `unknown command "${command}"` : undefined);
  const options: Partial<RunOptions> = { allowErrors: false };
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    if (arg === "--out") options.out = rest[++i] ?? usage("--out needs a file name");
    else if (arg === "--allow-errors") options.allowErrors = true;
    else if (arg === "--force") options.force = true;
    else if (arg === "--timeout") options.timeoutSeconds = number(rest[++i], arg, 1e-9);
    else if (arg === "--max-memory") options.maxMemoryMB = number(rest[++i], arg, 1);
    else if (arg === "--output-limit") options.outputLimitMB = number(rest[++i], arg, 0);
    else if (arg.startsWith("-")) usage(`unknown option ${arg}`);
    else if (options.notebook) usage(`only one notebook at a time (got ${options.notebook} and ${arg})`);
    else options.notebook = arg;
  }
  if (!options.notebook) usage("which notebook?");
  return options as RunOptions;
}

function main(): void {
  const options = parseArgs(process.argv.slice(2));
  // The kernel runs in its own process group, out of reach of the terminal's signals: stop it on ours.
  const controller = new AbortController();
  let stoppedBy: NodeJS.Signals | undefined;
  for (const name of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.on(name, () => {
      stoppedBy ??= name;
      controller.abort();
    });
  }
  runNotebook(options, { signal: controller.signal }).then(
    (code) => process.exit(code),
    (e) => {
      if (stoppedBy) {
        process.stderr.write(`mllab: stopped by ${stoppedBy}; ${options.out ?? options.notebook} was left unchanged\n`);
        process.exit(128 + os.constants.signals[stoppedBy]);
      }
      process.stderr.write(`mllab: ${(e as Error).message}\n`);
      process.exit(1);
    },
  );
}

main();
