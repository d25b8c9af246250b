import * as path from "node:path";
import { ExecuteResult, KernelClient, KernelOptions } from "./kernel-client";
import { checkLanguage, checkWritable, codeCellSources, NotebookOutput, readNotebook, writeNotebook } from "./notebook-file";
import { OutputCollector } from "./output-collector";

export interface RunOptions {
  notebook: string;
  /** Where to write the results; default: the notebook itself. */
  out?: string;
  /** Run every cell even after one fails (a cell that kills its kernel gets a new kernel for the next). */
  allowErrors: boolean;
  /** Per cell: a cell running longer is interrupted, then its kernel killed if it does not stop. */
  timeoutSeconds?: number;
  /** Caps the kernel's JavaScript heap, in MiB. */
  maxMemoryMB?: number;
  /** What one cell may show, in MiB of text; 0: no limit. */
  outputLimitMB?: number;
  /** Run a notebook whose kernelspec or language is not TypeScript anyway. */
  force?: boolean;
}

export interface RunControl {
  /** Stops the run: the kernel is killed, nothing is written, and runNotebook rejects. */
  signal?: AbortSignal;
  /** Progress lines; default: stderr. */
  log?: (line: string) => void;
}

/**
 * Runs every code cell of a notebook with the ML Lab kernel (in the notebook's folder) and writes the outputs as
 * nbformat 4.5. Everything that can be checked is checked before the first cell runs (the notebook is readable,
 * TypeScript and well formed; the target is writable), and the file is replaced atomically at the end, so a failure
 * at any point leaves the old file whole. Cells the run did not reach keep their saved outputs. Resolves to the
 * exit code: 0, or 1 when a cell failed.
 */
export async function runNotebook(options: RunOptions, control: RunControl = {}): Promise<number> {
  const log = control.log ?? ((line: string) => process.stderr.write(line + "\n"));
  const { signal } = control;
  const file = path.resolve(options.notebook);
  const target = options.out ? path.resolve(options.out) : file;
  const nb = readNotebook(file);
  if (!options.force) checkLanguage(nb, file);
  const cells = codeCellSources(nb, file);
  checkWritable(target);
  const kernelOptions: KernelOptions = {
    cwd: path.dirname(file),
    maxMemoryMB: options.maxMemoryMB,
    outputLimitChars: options.outputLimitMB === undefined ? undefined : Math.round(options.outputLimitMB * 1048576),
    outputLimitHint: "raise it with --output-limit MB",
    signal,
  };
  const timeoutMs = options.timeoutSeconds === undefined ? undefined : options.timeoutSeconds * 1000;
  const collector = new OutputCollector();
  let kernel: KernelClient | undefined;
  const stop = () => void kernel?.kill("was stopped because mllab was stopped");
  signal?.addEventListener("abort", stop);
  let failures = 0;
  try {
    for (const [index, { cell, source }] of cells.entries()) {
      signal?.throwIfAborted();
      const label = `[${index + 1}/${cells.length}]`;
      if (kernel && !kernel.alive) log(`${label} starting a new kernel: the last one ${kernel.exitDescription}`);
      if (!kernel?.alive) kernel = await KernelClient.start(kernelOptions);
      const outputs: NotebookOutput[] = [];
      collector.beginCell(outputs);
      const onTimeout = () => log(`${label} ran longer than ${options.timeoutSeconds} s; interrupting`);
      const result = await kernel.execute(source, (event) => collector.add(event, () => null), { timeoutMs, onTimeout });
      collector.endCell();
      signal?.throwIfAborted();
      cell.outputs = outputs;
      cell.execution_count = result.executionCount || null;
      for (const o of outputs) if (o.output_type === "execute_result") o.execution_count = cell.execution_count;
      log(`${label} ${describe(result, outputs)}`);
      if (result.status !== "ok") {
        failures++;
        if (!options.allowErrors) break;
      }
    }
  } finally {
    signal?.removeEventListener("abort", stop);
    await kernel?.shutdown();
  }
  writeNotebook(target, nb);
  return failures > 0 ? 1 : 0;
}

function describe(result: ExecuteResult, outputs: NotebookOutput[]): string {
  if (result.status === "ok") return `ok (${Math.round(result.durationMs)} ms)`;
  const error = outputs.find((o) => o.output_type === "error");
  const text = error ? (error.traceback as string[]).join("\n") || `${error.ename}: ${error.evalue}` : "";
  return `${result.status}${result.timedOut ? " (timed out)" : ""}: ${text}`;
}
