import { randomUUID } from "node:crypto";
import * as fs from "node:fs";
import { CellEvent } from "./client";
import { MimeBundle } from "./protocol";

/** The parts of nbformat 4 we read and write. */
export interface NotebookOutput {
  output_type: "stream" | "display_data" | "execute_result" | "error";
  [key: string]: unknown;
}

export interface NotebookCell {
  id?: string;
  cell_type: "code" | "markdown" | "raw";
  source: string | string[];
  metadata: Record<string, unknown>;
  outputs?: NotebookOutput[];
  execution_count?: number | null;
  attachments?: unknown;
}

export interface Notebook {
  nbformat: number;
  nbformat_minor: number;
  metadata: Record<string, unknown>;
  cells: NotebookCell[];
}

export const KERNELSPEC = { name: "mllab-typescript", display_name: "TypeScript (ML Lab)", language: "typescript" };

export function readNotebook(file: string): Notebook {
  let nb: Notebook;
  try {
    nb = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new Error(code === "ENOENT" ? `notebook not found: ${file}` : `${file} is not a JSON notebook: ${(e as Error).message}`);
  }
  if (nb?.nbformat !== 4 || !Array.isArray(nb.cells)) throw new Error(`${file} is not an nbformat 4 notebook (nbformat=${nb?.nbformat})`);
  return nb;
}

/** Fills what nbformat 4.5 requires (cell ids, kernelspec) and writes with Jupyter's layout (1-space indent, trailing newline). */
export function writeNotebook(file: string, nb: Notebook): void {
  nb.nbformat_minor = Math.max(nb.nbformat_minor ?? 0, 5);
  for (const cell of nb.cells) cell.id ??= randomUUID().slice(0, 8);
  nb.metadata = {
    ...nb.metadata,
    kernelspec: KERNELSPEC,
    language_info: { name: "typescript", file_extension: ".ts", mimetype: "text/typescript" },
  };
  fs.writeFileSync(file, JSON.stringify(nb, null, 1) + "\n");
}

export function cellSource(cell: NotebookCell): string {
  return Array.isArray(cell.source) ? cell.source.join("") : cell.source;
}

/** nbformat's multiline strings: a list of lines, each keeping its "\n". */
function multiline(text: string): string[] {
  return text.split(/(?<=\n)/);
}

function bundleForNotebook(data: MimeBundle): MimeBundle {
  const out: MimeBundle = {};
  for (const [mime, value] of Object.entries(data)) {
    out[mime] = typeof value === "string" && !/json$/.test(mime) && !/^image\/(png|jpeg|gif)$/.test(mime) ? multiline(value) : value;
  }
  return out;
}

/**
 * Turns a cell's kernel events into nbformat outputs: consecutive stream chunks merge, a display update rewrites
 * the output it updates (even in an earlier cell), a result becomes execute_result.
 */
export class OutputCollector {
  private readonly byDisplayId = new Map<string, NotebookOutput>();

  constructor(private outputs: NotebookOutput[] = []) {}

  forCell(outputs: NotebookOutput[]): void {
    this.outputs = outputs;
  }

  add(event: CellEvent, executionCount: () => number | null): void {
    switch (event.type) {
      case "stream": {
        const last = this.outputs[this.outputs.length - 1];
        if (last?.output_type === "stream" && last.name === event.name) {
          last.text = multiline((last.text as string[]).join("") + event.text);
        } else {
          this.outputs.push({ output_type: "stream", name: event.name, text: multiline(event.text) });
        }
        return;
      }
      case "display": {
        const existing = this.byDisplayId.get(event.displayId);
        if (event.update && existing) {
          existing.data = bundleForNotebook(event.data);
          return;
        }
        const output: NotebookOutput = event.result
          ? { output_type: "execute_result", execution_count: executionCount(), data: bundleForNotebook(event.data), metadata: {} }
          : { output_type: "display_data", data: bundleForNotebook(event.data), metadata: {} };
        this.byDisplayId.set(event.displayId, output);
        this.outputs.push(output);
        return;
      }
      case "error":
        this.outputs.push({ output_type: "error", ename: event.ename, evalue: event.evalue, traceback: event.traceback });
        return;
    }
  }
}
