/**
 * The VS Code side under faults (against the recording fake of the VS Code API, with real kernels): a flood of
 * output, a cell an interrupt cannot stop, and closing everything down. Afterwards nothing may be left running.
 */
import * as assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import type { KernelClient } from "../../extension/kernel/src/index";
import * as fake from "../extension/fake-vscode";
import { fileUri, itemsOf, kernelStarter, MlLabController, runCells } from "../extension/load-extension";
import { canScanProcesses, processesIn } from "../kernel/kernel-helpers";
import { assertNothingLeft, notebookFolder } from "./fault-helpers";

describe("the notebook controller under faults", { skip: canScanProcesses ? false : "needs /proc to scan processes" }, () => {
  const dir = notebookFolder("mllab-fault-controller-");
  const started: KernelClient[] = [];
  const controller = new MlLabController(kernelStarter(started));
  after(async () => {
    await controller.dispose();
    await assertNothingLeft(dir);
  });

  it("a million printed lines reach the cell in seconds, merged into few edits, cut at the output limit with a note", { timeout: 120_000 }, async () => {
    fake.settings["mllab.kernel.outputLimitMB"] = 4;
    const nb = new fake.FakeNotebook(fileUri(dir, "flood.ipynb"), ["for (let i = 0; i < 1_000_000; i++) console.log(`line ${i}`);"]);
    const t0 = performance.now();
    const [e] = await runCells(controller, nb);
    const ms = performance.now() - t0;
    assert.equal(e.ended!.success, true);
    const [stdout, stderr] = itemsOf(e);
    const text = stdout.map(([, t]) => t).join("");
    assert.ok(text.startsWith("line 0\nline 1\n") && text.length <= 4 * 1048576, `${text.length} characters`);
    assert.match(stderr.map(([, t]) => t).join(""), /output truncated: this cell's output passed 4 MB; the rest is not shown \(raise it with the mllab\.kernel\.outputLimitMB setting\)/);
    assert.ok(e.log.length < 2000, `${e.log.length} output edits`);
    process.stdout.write(`# 10^6 lines through the controller (4 MB limit, kernel start included): ${(ms / 1000).toFixed(1)} s, ${e.log.length} edits\n`);
  });

  it("a cell an interrupt cannot stop ends when its kernel is killed; the next run says so and gets a new kernel", { timeout: 90_000 }, async () => {
    fake.settings["mllab.kernel.interruptGraceSeconds"] = 2;
    const nb = new fake.FakeNotebook(fileUri(dir, "stuck.ipynb"), [
      "const before = 1;",
      "require('child_process').execSync(\"sh -c 'trap \\\"\\\" INT; sleep 53'\");",
      "typeof before",
    ]);
    await runCells(controller, nb, [nb.cells[0]]);
    const running = runCells(controller, nb, [nb.cells[1]]);
    await new Promise((r) => setTimeout(r, 1500));
    fake.recorded.executions.at(-1)!.cancellation.cancel();
    const [stuck] = await running;
    assert.equal(stuck.ended!.success, false);
    assert.match(JSON.parse(stuck.outputs.at(-1)!.items[0].text).message, /did not stop within 2 s of the interrupt/);
    assert.equal(processesIn(dir).filter((p) => p.command.includes("sleep 53")).length, 0, "the cell's child went with the kernel");
    const [next] = await runCells(controller, nb, [nb.cells[2]]);
    const [[[, notice]]] = itemsOf(next);
    assert.match(notice, /The kernel process was stopped because the cell did not stop within 2 s of the interrupt; started a new kernel/);
    assert.match(JSON.parse(next.outputs[1].items[0].text).message, /Cannot find name 'before'/);
  });
});
