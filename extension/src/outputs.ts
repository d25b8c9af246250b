import * as vscode from "vscode";
import type { CellEvent, MimeBundle } from "mllab-kernel";

const BINARY = /^image\/(png|jpeg|gif)$/;
const JSON_TYPES = /(^application\/json$)|(\+json$)/;

/** A kernel MIME bundle as output items, in the bundle's order (richest first). */
export function toOutputItems(data: MimeBundle): vscode.NotebookCellOutputItem[] {
  return Object.entries(data).map(([mime, value]) => {
    if (BINARY.test(mime) && typeof value === "string") return new vscode.NotebookCellOutputItem(Buffer.from(value, "base64"), mime);
    if (JSON_TYPES.test(mime)) return vscode.NotebookCellOutputItem.json(value, mime);
    return vscode.NotebookCellOutputItem.text(Array.isArray(value) ? value.join("") : String(value), mime);
  });
}

/**
 * Applies one cell's kernel events to its NotebookCellExecution: streams append to the previous output of the
 * same stream, display updates replace their output's items in place (no flicker), errors become error items.
 */
export class CellOutputWriter {
  private readonly displays = new Map<string, vscode.NotebookCellOutput>();
  private lastStream: { name: string; output: vscode.NotebookCellOutput } | undefined;
  private pending: Promise<unknown> = Promise.resolve();

  constructor(private readonly execution: vscode.NotebookCellExecution) {}

  handle(event: CellEvent): void {
    // VS Code applies output edits asynchronously; chain them so they land in the order the kernel sent them.
    this.pending = this.pending.then(() => this.apply(event)).catch(() => undefined);
  }

  flush(): Promise<unknown> {
    return this.pending;
  }

  private async apply(event: CellEvent): Promise<void> {
    const { execution } = this;
    switch (event.type) {
      case "stream": {
        const item = event.name === "stdout" ? vscode.NotebookCellOutputItem.stdout(event.text) : vscode.NotebookCellOutputItem.stderr(event.text);
        if (this.lastStream?.name === event.name) {
          await execution.appendOutputItems(item, this.lastStream.output);
        } else {
          const output = new vscode.NotebookCellOutput([item]);
          this.lastStream = { name: event.name, output };
          await execution.appendOutput(output);
        }
        return;
      }
      case "display": {
        const existing = this.displays.get(event.displayId);
        if (event.update && existing) {
          await execution.replaceOutputItems(toOutputItems(event.data), existing);
          return;
        }
        const output = new vscode.NotebookCellOutput(toOutputItems(event.data), { displayId: event.displayId, result: event.result ?? false });
        this.displays.set(event.displayId, output);
        this.lastStream = undefined;
        await execution.appendOutput(output);
        return;
      }
      case "error": {
        const error = new Error(event.evalue);
        error.name = event.ename;
        error.stack = event.traceback.join("\n");
        this.lastStream = undefined;
        await execution.appendOutput(new vscode.NotebookCellOutput([vscode.NotebookCellOutputItem.error(error)]));
        return;
      }
    }
  }
}
