import * as assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { KernelClient } from "../../extension/kernel/src/index";
import { canScanProcesses, processesIn, tempDir, waitFor } from "../kernel/kernel-helpers";
import * as fake from "./fake-vscode";
import { Controller, fileUri, itemsOf, kernelStarter, MlLabController, registerLanguageFeatures, runCells, toOutputItems } from "./load-extension";

const dir = tempDir("mllab-controller-");
const uri = (name: string) => fileUri(dir, name);
const started: KernelClient[] = [];
const startKernel = kernelStarter(started);

describe("notebook controller (against a recording fake of the VS Code API, real kernel)", () => {
  let controller: Controller;
  before(() => {
    controller = new MlLabController(startKernel);
  });
  after(() => controller.dispose());

  it("registers for .ipynb (jupyter-notebook) TypeScript cells with execution order", () => {
    const c = controller.controller as unknown as fake.FakeController;
    assert.equal(c.notebookType, "jupyter-notebook");
    assert.deepEqual(c.supportedLanguages, ["typescript"]);
    assert.equal(c.supportsExecutionOrder, true);
  });

  it("runs cells in order with timing, execution order, merged streams and rich results", async () => {
    const nb = new fake.FakeNotebook(uri("a.ipynb"), [
      'const n = 2;\nconsole.log("a");\nconsole.log("b");\nn * 21',
      'display.html("<i>x</i>");\nnew ml.KMeans({ k: 2, seed: 0 }).fit([[0], [1], [10], [11]])',
    ]);
    const [first, second] = await runCells(controller, nb);
    for (const e of [first, second]) {
      assert.ok(e.started! > 0 && e.ended!.at! >= e.started!);
      assert.equal(e.ended!.success, true);
    }
    assert.deepEqual([first.executionOrder, second.executionOrder], [1, 2]);
    // Both prints in one stdout output (the writer may merge them into one item), then the result.
    const [stdout, result] = itemsOf(first);
    assert.ok(stdout.every(([mime]) => mime === "application/vnd.code.notebook.stdout"));
    assert.equal(stdout.map(([, text]) => text).join(""), "a\nb\n");
    assert.deepEqual(result, [["text/plain", "42"]]);
    assert.equal(first.outputs.length, 2);
    assert.equal(first.outputs[1].metadata?.result, true);
    const [html, chart] = second.outputs;
    assert.deepEqual(html.items.map((i) => i.mime), ["text/html", "text/plain"]);
    assert.deepEqual(chart.items.map((i) => i.mime), ["application/vnd.vegalite.v5+json", "text/plain", "image/svg+xml"], "SVG fallback replaced the result's items in place");
    assert.ok(second.log.includes("replaceItems"));
    assert.equal(second.outputs.length, 2);
  });

  it("a live display is updated in place, not appended", async () => {
    const nb = new fake.FakeNotebook(uri("live.ipynb"), ['const h = display.text("0");\nfor (let i = 1; i <= 5; i++) h.update(`step ${i}`);']);
    const [e] = await runCells(controller, nb);
    assert.equal(e.outputs.length, 1);
    assert.deepEqual(itemsOf(e), [[["text/plain", "step 5"]]]);
    // Updates that arrive while an edit is in flight are merged, so there are between 1 and 5 replacements.
    const replaced = e.log.filter((l) => l === "replaceItems").length;
    assert.ok(replaced >= 1 && replaced <= 5, `${replaced} replacements`);
    assert.equal(e.log.filter((l) => l === "append").length, 1);
  });

  it("an error fails its cell with the traceback and skips the queued cells", async () => {
    const nb = new fake.FakeNotebook(uri("err.ipynb"), ["const ok = 1;", "\nthrow new TypeError('nope');", "console.log('never');"]);
    const [a, b, c] = await runCells(controller, nb);
    assert.equal(a.ended!.success, true);
    assert.equal(b.ended!.success, false);
    const error = JSON.parse(b.outputs[0].items[0].text);
    assert.equal(error.name, "TypeError");
    assert.match(error.stack, /line 2/);
    assert.equal(c.ended!.success, undefined, "skipped, not failed");
    assert.deepEqual(c.outputs, []);
  });

  it("cancelling a running cell interrupts the kernel and keeps its state", async () => {
    const nb = new fake.FakeNotebook(uri("int.ipynb"), ["const kept = 'yes';", "while (true) {}", "kept"]);
    await runCells(controller, nb, [nb.cells[0]]);
    const running = runCells(controller, nb, [nb.cells[1]]);
    await new Promise((r) => setTimeout(r, 400));
    fake.recorded.executions[fake.recorded.executions.length - 1].cancellation.cancel();
    const [e] = await running;
    assert.equal(e.ended!.success, false);
    const [after] = await runCells(controller, nb, [nb.cells[2]]);
    assert.deepEqual(itemsOf(after), [[["text/plain", "yes"]]]);
  });

  it("Restart Kernel clears state (and keeps a spare warm for the next restart)", async () => {
    const nb = new fake.FakeNotebook(uri("restart.ipynb"), ["const before = 1;", "typeof before", "process.pid"]);
    await runCells(controller, nb, [nb.cells[0]]);
    const beforeRestart = started.length;
    await controller.restart(nb as never);
    const [e] = await runCells(controller, nb, [nb.cells[1]]);
    assert.equal(e.ended!.success, false);
    assert.match(JSON.parse(e.outputs[0].items[0].text).message, /Cannot find name 'before'/);
    // The first restart starts a kernel and then a spare; the next restart uses the spare instead of starting one.
    assert.ok(await waitFor(() => started.length === beforeRestart + 2, 60_000), "the spare kernel started");
    const spare = started[started.length - 1];
    await controller.restart(nb as never);
    const [again] = await runCells(controller, nb, [nb.cells[1]]);
    assert.equal(again.ended!.success, false, "state is cleared after the warm restart too");
    const [pid] = await runCells(controller, nb, [nb.cells[2]]);
    assert.deepEqual(itemsOf(pid), [[["text/plain", String(spare.pid)]]], "the warm restart switched to the spare process");
  });

  it("after the kernel dies, the next run says so and starts a new one", async () => {
    const nb = new fake.FakeNotebook(uri("crash.ipynb"), ["setTimeout(() => process.exit(1), 10); 'bye'", "1 + 1"]);
    await runCells(controller, nb, [nb.cells[0]]);
    await new Promise((r) => setTimeout(r, 300));
    const [e] = await runCells(controller, nb, [nb.cells[1]]);
    assert.equal(e.ended!.success, true);
    assert.match(itemsOf(e)[0][0][1], /kernel process exited with code 1; started a new kernel/);
    assert.deepEqual(itemsOf(e)[1], [["text/plain", "2"]]);
  });

  it("a notebook opened with ML Lab gets its kernel before any cell runs; switched to another kernel, it loses it", { skip: canScanProcesses ? false : "needs /proc to scan processes" }, async () => {
    const folder = tempDir("mllab-open-");
    const nb = new fake.FakeNotebook(fileUri(folder, "open.ipynb"), ["process.pid"]);
    const before = started.length;
    (controller.controller as unknown as fake.FakeController).select(nb as never);
    assert.equal(processesIn(folder).length, 1, "a kernel process is starting in the notebook's folder");
    assert.ok(await waitFor(() => started.length === before + 1, 60_000), "and it became ready");
    const kernel = started[started.length - 1];
    const [e] = await runCells(controller, nb);
    assert.deepEqual(itemsOf(e), [[["text/plain", String(kernel.pid)]]], "the first cell ran in that kernel");
    assert.equal(started.length, before + 1, "no other kernel started");
    (controller.controller as unknown as fake.FakeController).select(nb as never, false);
    assert.ok(await waitFor(() => !kernel.alive && processesIn(folder).length === 0, 10_000), "switching away ended it");
  });

  it("with mllab.kernel.startOnOpen off, opening a notebook starts no kernel: its first cell does", { skip: canScanProcesses ? false : "needs /proc to scan processes" }, async () => {
    const folder = tempDir("mllab-open-off-");
    const nb = new fake.FakeNotebook(fileUri(folder, "open.ipynb"), ["1 + 1"]);
    fake.settings["mllab.kernel.startOnOpen"] = false;
    try {
      (controller.controller as unknown as fake.FakeController).select(nb as never);
      assert.deepEqual(processesIn(folder), []);
      const [e] = await runCells(controller, nb);
      assert.deepEqual(itemsOf(e), [[["text/plain", "2"]]]);
      assert.equal(processesIn(folder).length, 1);
    } finally {
      delete fake.settings["mllab.kernel.startOnOpen"];
      await Promise.all(fake.recorded.closeListeners.map((l) => l(nb)));
    }
  });

  it("closing a notebook shuts its kernel down", async () => {
    const nb = new fake.FakeNotebook(uri("close.ipynb"), ["1"]);
    await runCells(controller, nb);
    const kernel = started[started.length - 1];
    await Promise.all(fake.recorded.closeListeners.map((l) => l(nb)));
    assert.equal(kernel.alive, false);
  });

  it("completion and hover come from the kernel's view of earlier cells", async () => {
    registerLanguageFeatures(controller);
    const nb = new fake.FakeNotebook(uri("complete.ipynb"), ["const learningRate = 0.05;", "learningR", "learningRate * 2"]);
    fake.workspace.notebookDocuments.push(nb);
    await runCells(controller, nb, [nb.cells[0]]);
    const doc = nb.cells[1].document;
    const items = await fake.recorded.providers.completion[0].provideCompletionItems(doc, { offset: 9 });
    assert.ok(items.some((i: fake.CompletionItem) => i.label === "learningRate"));
    const hover = await fake.recorded.providers.hover[0].provideHover(nb.cells[2].document, { offset: 2 });
    assert.match(hover.contents.value, /learningRate: 0\.05/);
  });

  it("hovers show the library's docs, and signature help the parameters of the call being typed", async () => {
    registerLanguageFeatures(controller);
    const nb = new fake.FakeNotebook(uri("docs.ipynb"), ["const ready = true;", "new ml.KMeans({ k: 3 })", "new ml.GaussianMixture(", "ml.generateBlobs([100, 100], "]);
    fake.workspace.notebookDocuments.push(nb);
    await runCells(controller, nb, [nb.cells[0]]);
    const hover = await fake.recorded.providers.hover.at(-1)!.provideHover(nb.cells[1].document, { offset: "new ml.KM".length });
    assert.match(hover.contents.value, /^```typescript\nconstructor KMeans\(options: ml\.KMeansOptions\): ml\.KMeans\n```\n\n---\n\nLloyd's k-means with scikit-learn's interface/);
    assert.match(hover.contents.value, /\*@param\* `options` — `k` \(required\), `init`/);
    assert.doesNotMatch(hover.contents.value, /DESIGN\.md/);
    const { provider, metadata } = fake.recorded.providers.signature.at(-1)!;
    assert.deepEqual(metadata.triggerCharacters, ["(", ","]);
    const call = "new ml.GaussianMixture(";
    const help = await provider.provideSignatureHelp(nb.cells[2].document, { offset: call.length }, undefined, { triggerCharacter: "(" });
    assert.equal(help.signatures.length, 1);
    assert.equal(help.signatures[0].label, "GaussianMixture(options: ml.GaussianMixtureOptions): ml.GaussianMixture");
    assert.deepEqual(help.signatures[0].parameters.map((p: fake.ParameterInformation) => p.label), ["options: ml.GaussianMixtureOptions"]);
    assert.match(help.signatures[0].parameters[0].documentation!.value, /`k` \(required\)/);
    assert.match(help.signatures[0].documentation!.value, /^A Gaussian mixture fitted by expectation–maximisation/);
    assert.equal(help.activeParameter, 0);
    const second = "ml.generateBlobs([100, 100], ";
    const next = await provider.provideSignatureHelp(nb.cells[3].document, { offset: second.length }, undefined, { triggerCharacter: "," });
    assert.equal(next.activeParameter, 1);
    assert.match(next.signatures[0].label, /^generateBlobs\(/);
  });

  it("maps MIME bundles to output items: base64 images to bytes, JSON types as JSON", () => {
    const items = toOutputItems({ "image/png": Buffer.from([1, 2, 3]).toString("base64"), "application/vnd.vegalite.v5+json": { mark: "bar" }, "text/plain": ["a", "b"] } as never);
    assert.deepEqual(Array.from((items[0] as unknown as fake.NotebookCellOutputItem).data), [1, 2, 3]);
    assert.deepEqual(JSON.parse((items[1] as unknown as fake.NotebookCellOutputItem).text), { mark: "bar" });
    assert.equal((items[2] as unknown as fake.NotebookCellOutputItem).text, "ab");
  });
});

after(async () => {
  await Promise.all(started.map((k) => k.shutdown()));
});
