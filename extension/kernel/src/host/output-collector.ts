import { MIME } from "ml-lab/output-contract";
import type { MimeBundle } from "../protocol/messages";
import type { NotebookOutput } from "./notebook-file";
import type { CellEvent } from "./output-limit";

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
 * Turns kernel events into nbformat outputs: consecutive stream chunks merge, a display update rewrites the output it
 * updates (even in an earlier cell), an update with no data removes it (a finished progress), a result becomes
 * execute_result. As in the VS Code controller (extension/src/outputs.ts), a progress does not split the stream
 * printed around it. Stream text is gathered as chunks and split into lines once, when the cell ends (`endCell`), so
 * a cell's output costs time linear in its size.
 */
export class OutputCollector {
  /** Each display's output and the cell outputs that hold it. */
  private readonly byDisplayId = new Map<string, { output: NotebookOutput; outputs: NotebookOutput[] }>();
  private outputs: NotebookOutput[] = [];
  private stream: { output: NotebookOutput; name: string; chunks: string[] } | undefined;

  /** Starts collecting a cell's outputs into `outputs`. */
  beginCell(outputs: NotebookOutput[]): void {
    this.endCell();
    this.outputs = outputs;
  }

  /** Writes out the stream text still being gathered. */
  endCell(): void {
    this.closeStream();
  }

  add(event: CellEvent, executionCount: () => number | null): void {
    switch (event.type) {
      case "stream": {
        if (this.stream?.name !== event.name) {
          this.closeStream();
          const output: NotebookOutput = { output_type: "stream", name: event.name, text: [] };
          this.outputs.push(output);
          this.stream = { output, name: event.name, chunks: [] };
        }
        this.stream.chunks.push(event.text);
        return;
      }
      case "display": {
        const existing = this.byDisplayId.get(event.displayId);
        const empty = Object.keys(event.data).length === 0;
        if (event.update && existing && empty) {
          this.byDisplayId.delete(event.displayId);
          existing.outputs.splice(existing.outputs.indexOf(existing.output), 1);
          return;
        }
        if (event.update && existing) {
          existing.output.data = bundleForNotebook(event.data);
          return;
        }
        if (empty) return;
        if (!(MIME.progress in event.data)) this.closeStream();
        const output: NotebookOutput = event.result
          ? { output_type: "execute_result", execution_count: executionCount(), data: bundleForNotebook(event.data), metadata: {} }
          : { output_type: "display_data", data: bundleForNotebook(event.data), metadata: {} };
        this.byDisplayId.set(event.displayId, { output, outputs: this.outputs });
        this.outputs.push(output);
        return;
      }
      case "error":
        this.closeStream();
        this.outputs.push({ output_type: "error", ename: event.ename, evalue: event.evalue, traceback: event.traceback });
        return;
    }
  }

  private closeStream(): void {
    if (!this.stream) return;
    this.stream.output.text = multiline(this.stream.chunks.join(""));
    this.stream = undefined;
  }
}
