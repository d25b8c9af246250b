import * as assert from "node:assert/strict";
import { describe, it } from "node:test";
import { OutputCollector } from "../../extension/kernel/src/host/output-collector";
import type { NotebookOutput } from "../../extension/kernel/src/host/notebook-file";
import { MIME } from "../../kernel-lib/src/output-contract";

const progress = (text: string) => ({ [MIME.progress]: { text }, "text/plain": text });

describe("the notebook file's outputs (OutputCollector, as `mllab run` writes them)", () => {
  it("a finished progress leaves nothing behind, and the prints around it stay one stream", () => {
    const collector = new OutputCollector();
    const outputs: NotebookOutput[] = [];
    collector.beginCell(outputs);
    const count = () => 1;
    collector.add({ type: "stream", id: "c", name: "stdout", text: "before\n" }, count);
    collector.add({ type: "display", id: "c", displayId: "p1", data: progress("iteration 1"), update: false }, count);
    collector.add({ type: "stream", id: "c", name: "stdout", text: "during\n" }, count);
    collector.add({ type: "display", id: "c", displayId: "p1", data: progress("iteration 2"), update: true }, count);
    collector.add({ type: "display", id: "c", displayId: "p1", data: {}, update: true }, count);
    collector.add({ type: "stream", id: "c", name: "stdout", text: "after\n" }, count);
    collector.add({ type: "display", id: "c", displayId: "chart", data: { "text/plain": "a chart" }, update: false }, count);
    collector.endCell();
    assert.deepEqual(outputs, [
      { output_type: "stream", name: "stdout", text: ["before\n", "during\n", "after\n"] },
      { output_type: "display_data", data: { "text/plain": ["a chart"] }, metadata: {} },
    ]);
  });

  it("removes a display from the earlier cell that showed it, and never writes an empty one", () => {
    const collector = new OutputCollector();
    const first: NotebookOutput[] = [], second: NotebookOutput[] = [];
    const count = () => 1;
    collector.beginCell(first);
    collector.add({ type: "display", id: "c", displayId: "d", data: { "text/plain": "shown" }, update: false }, count);
    collector.add({ type: "display", id: "c", displayId: "e", data: {}, update: false }, count);
    collector.beginCell(second);
    collector.add({ type: "display", id: "c", displayId: "d", data: {}, update: true }, count);
    collector.endCell();
    assert.deepEqual(first, []);
    assert.deepEqual(second, []);
  });
});
