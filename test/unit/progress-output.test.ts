/**
 * A long call's progress in VS Code: the extension's output writer shows the live display and removes it when the
 * kernel sends its empty update, leaving the cell's other outputs as they were.
 */
import * as assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { CellEvent } from "mllab-kernel";
import { MIME } from "../../kernel-lib/src/output-contract";
import * as fake from "../extension/fake-vscode";
import "../extension/load-extension";

const { CellOutputWriter } = require("../../extension/src/outputs") as typeof import("../../extension/src/outputs");

/** The slice of NotebookCellExecution the writer uses, with the cell's outputs as VS Code would hold them. */
class Execution {
  readonly cell = { outputs: [] as fake.NotebookCellOutput[] };
  readonly log: string[] = [];
  async appendOutput(output: fake.NotebookCellOutput) {
    this.cell.outputs = [...this.cell.outputs, output];
    this.log.push("append");
  }
  async appendOutputItems(items: fake.NotebookCellOutputItem | fake.NotebookCellOutputItem[], output: fake.NotebookCellOutput) {
    output.items.push(...[items].flat());
    this.log.push("appendItems");
  }
  async replaceOutputItems(items: fake.NotebookCellOutputItem | fake.NotebookCellOutputItem[], output: fake.NotebookCellOutput) {
    assert.ok(this.cell.outputs.includes(output), "replaces an output the cell holds");
    output.items = [items].flat();
    this.log.push("replaceItems");
  }
  async replaceOutput(outputs: fake.NotebookCellOutput[]) {
    this.cell.outputs = [...outputs];
    this.log.push("replaceOutput");
  }
}

const progress = (step: number) => ({ [MIME.progress]: { version: 1, task: "KMeans", step, elapsedMs: 800 + step }, [MIME.text]: `KMeans: iteration ${step}` });
const display = (displayId: string, data: Record<string, unknown>, update: boolean): CellEvent => ({ type: "display", id: "c", displayId, data, update });
const stdout = (text: string): CellEvent => ({ type: "stream", id: "c", name: "stdout", text });
const shown = (e: Execution) => e.cell.outputs.map((o) => o.items.map((i) => `${i.mime}: ${i.text}`).join(" | "));

describe("a long call's progress in the notebook", () => {
  it("is drawn by the ML Lab renderer while the call runs, updated in place, and removed when it is over", async () => {
    const execution = new Execution();
    const writer = new CellOutputWriter(execution as never);
    writer.handle(stdout("before\n"));
    writer.handle(display("p1", progress(3), false));
    await writer.flush();
    assert.deepEqual(shown(execution), ["application/vnd.code.notebook.stdout: before\n", `${MIME.progress}: ${JSON.stringify(progress(3)[MIME.progress])} | text/plain: KMeans: iteration 3`]);
    writer.handle(display("p1", progress(9), true));
    await writer.flush();
    assert.match(shown(execution)[1], /iteration 9/);
    writer.handle(stdout("while\n"));
    await writer.flush();
    assert.equal(shown(execution)[0], "application/vnd.code.notebook.stdout: before\n | application/vnd.code.notebook.stdout: while\n", "prints join the stream above the progress");
    writer.handle(display("p1", {}, true));
    writer.handle(stdout("after\n"));
    writer.handle({ type: "display", id: "c", displayId: "result-1", data: { "text/plain": "42" }, update: false, result: true });
    await writer.flush();
    assert.deepEqual(shown(execution), ["application/vnd.code.notebook.stdout: before\n | application/vnd.code.notebook.stdout: while\n | application/vnd.code.notebook.stdout: after\n", "text/plain: 42"]);
    assert.deepEqual(execution.log, ["append", "append", "replaceItems", "appendItems", "replaceOutput", "appendItems", "append"]);
  });

  it("a progress created and removed in one burst of events leaves nothing; an empty bundle alone adds nothing", async () => {
    const execution = new Execution();
    const writer = new CellOutputWriter(execution as never);
    writer.handle(display("p1", progress(1), false));
    writer.handle(display("p1", progress(2), true));
    writer.handle(display("p1", {}, true));
    writer.handle(display("p2", {}, false));
    await writer.flush();
    assert.deepEqual(execution.cell.outputs, []);
  });
});
