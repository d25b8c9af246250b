import * as vscode from "vscode";
import type { CellEvent } from "mllab-kernel";
import { MIME, MimeBundle, mimeEncoding } from "ml-lab/output-contract";

/** A kernel MIME bundle as output items, in the bundle's order (richest first), each encoded as the contract says. */
export function toOutputItems(data: MimeBundle): vscode.NotebookCellOutputItem[] {
  return Object.entries(data).map(([mime, value]) => {
    const encoding = mimeEncoding(mime);
    if (encoding === "base64" && typeof value === "string") return new vscode.NotebookCellOutputItem(Buffer.from(value, "base64"), mime);
    if (encoding === "json") return vscode.NotebookCellOutputItem.json(value, mime);
    return vscode.NotebookCellOutputItem.text(Array.isArray(value) ? value.join("") : String(value), mime);
  });
}

const isEmpty = (data: MimeBundle) => Object.keys(data).length === 0;

type Operation = { kind: "stream"; name: "stdout" | "stderr"; parts: string[] } | { kind: "event"; event: Exclude<CellEvent, { type: "stream" }> };

/**
 * Applies one cell's kernel events to its NotebookCellExecution: streams append to the previous output of the
 * same stream, display updates replace their output's items in place (no flicker), an update with an empty bundle
 * removes its output (a long call's progress, once the call is over), errors become error items.
 *
 * VS Code applies output edits asynchronously, one at a time here so they land in the kernel's order. Events that
 * arrive while an edit is in flight are merged: consecutive prints become one append, and successive updates of a
 * display only the latest, so a cell that prints a million lines costs a few hundred edits, not a million.
 */
export class CellOutputWriter {
  private readonly displays = new Map<string, vscode.NotebookCellOutput>();
  private lastStream: { name: string; output: vscode.NotebookCellOutput } | undefined;
  private readonly queue: Operation[] = [];
  /** Updates still queued, by display id: a newer update replaces the queued one's data. */
  private readonly queuedUpdates = new Map<string, Extract<Operation, { kind: "event" }>>();
  private draining: Promise<void> | undefined;

  constructor(private readonly execution: vscode.NotebookCellExecution) {}

  handle(event: CellEvent): void {
    const last = this.queue[this.queue.length - 1];
    if (event.type === "stream") {
      if (last?.kind === "stream" && last.name === event.name) last.parts.push(event.text);
      else this.queue.push({ kind: "stream", name: event.name, parts: [event.text] });
    } else if (event.type === "display" && event.update && this.queuedUpdates.has(event.displayId)) {
      this.queuedUpdates.get(event.displayId)!.event = event;
    } else {
      const operation: Extract<Operation, { kind: "event" }> = { kind: "event", event };
      if (event.type === "display" && event.update) this.queuedUpdates.set(event.displayId, operation);
      this.queue.push(operation);
    }
    // Started a microtask later, so that the events of one chunk from the kernel are merged before the first edit.
    this.draining ??= Promise.resolve().then(() => this.drain());
  }

  /** Resolves when every event handled so far has been applied. */
  async flush(): Promise<void> {
    while (this.draining) await this.draining;
  }

  private async drain(): Promise<void> {
    for (let operation = this.queue.shift(); operation; operation = this.queue.shift()) {
      try {
        if (operation.kind === "stream") await this.applyStream(operation.name, operation.parts.join(""));
        else {
          if (operation.event.type === "display") this.queuedUpdates.delete(operation.event.displayId);
          await this.apply(operation.event);
        }
      } catch {
        // An edit VS Code refused (the cell was cleared meanwhile) must not stop the ones after it.
      }
    }
    this.draining = undefined;
  }

  private async applyStream(name: "stdout" | "stderr", text: string): Promise<void> {
    const item = name === "stdout" ? vscode.NotebookCellOutputItem.stdout(text) : vscode.NotebookCellOutputItem.stderr(text);
    if (this.lastStream?.name === name) {
      await this.execution.appendOutputItems(item, this.lastStream.output);
    } else {
      const output = new vscode.NotebookCellOutput([item]);
      this.lastStream = { name, output };
      await this.execution.appendOutput(output);
    }
  }

  private async apply(event: Exclude<CellEvent, { type: "stream" }>): Promise<void> {
    const { execution } = this;
    switch (event.type) {
      case "display": {
        const existing = this.displays.get(event.displayId);
        if (event.update && existing && isEmpty(event.data)) {
          this.displays.delete(event.displayId);
          // Outputs carry their display id in their metadata (set below), which VS Code keeps.
          await execution.replaceOutput(execution.cell.outputs.filter((output) => output.metadata?.displayId !== event.displayId));
          return;
        }
        if (event.update && existing) {
          await execution.replaceOutputItems(toOutputItems(event.data), existing);
          return;
        }
        if (isEmpty(event.data)) return;
        const output = new vscode.NotebookCellOutput(toOutputItems(event.data), { displayId: event.displayId, result: event.result ?? false });
        this.displays.set(event.displayId, output);
        // A progress stays below what the cell prints meanwhile (prints join the stream above it), as a progress bar
        // does in a terminal; when it is removed, the stream is still one output.
        if (!(MIME.progress in event.data)) this.lastStream = undefined;
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
