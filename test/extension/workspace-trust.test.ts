import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, describe, it } from "node:test";
import type { KernelClient } from "../../extension/kernel/src/index";
import { notebookFolder } from "../faults/fault-helpers";
import { canScanProcesses, processesIn } from "../kernel/kernel-helpers";
import * as fake from "./fake-vscode";
import { fileUri, itemsOf, kernelStarter, MlLabController, registerLanguageFeatures, runCells } from "./load-extension";

describe("workspace trust", { skip: canScanProcesses ? false : "needs /proc to scan processes" }, () => {
  // The notebook's folder holds a node_modules/ml-lab that writes `trap-ran` if anything loads it.
  const dir = notebookFolder("mllab-trust-");
  const started: KernelClient[] = [];
  const controller = new MlLabController(kernelStarter(started));
  registerLanguageFeatures(controller);
  const nb = new fake.FakeNotebook(fileUri(dir, "trust.ipynb"), [
    "const answer = 42;",
    'import { greet } from "greeter";\ngreet(String(answer))',
    "ans",
    "[typeof ml.KMeans, require.resolve('ml-lab').includes('mllab-trust-')]",
  ]);
  fake.workspace.notebookDocuments.push(nb);
  after(async () => {
    fake.workspace.isTrusted = true;
    await controller.dispose();
  });

  it("in Restricted Mode, running a cell starts no kernel: the cell fails and says how to trust the workspace", async () => {
    fake.workspace.isTrusted = false;
    const [e] = await runCells(controller, nb, [nb.cells[0]]);
    assert.equal(e.ended!.success, false);
    const error = JSON.parse(e.outputs[0].items[0].text);
    assert.equal(error.name, "RestrictedMode");
    assert.match(error.message, /not trusted, so ML Lab runs no code from it \(Restricted Mode\)\. Trust the workspace/);
    assert.equal(await controller.restart(nb as never), false, "Restart Kernel starts none either");
    (controller.controller as unknown as fake.FakeController).select(nb as never);
    assert.deepEqual(processesIn(dir), [], "opening the notebook with ML Lab starts none either");
    assert.match(fake.recorded.warnings.at(-1)!, /not trusted/);
    assert.equal(started.length, 0);
    assert.deepEqual(processesIn(dir), []);
  });

  it("completions, hovers and signature help start no kernel: without a running one they offer nothing", async () => {
    const completion = await fake.recorded.providers.completion.at(-1)!.provideCompletionItems(nb.cells[2].document, { offset: 3 });
    const hover = await fake.recorded.providers.hover.at(-1)!.provideHover(nb.cells[2].document, { offset: 1 });
    const signature = await fake.recorded.providers.signature.at(-1)!.provider.provideSignatureHelp(nb.cells[1].document, { offset: 39 }, undefined, { triggerCharacter: "(" });
    assert.equal(completion, undefined);
    assert.equal(hover, undefined);
    assert.equal(signature, undefined);
    assert.equal(started.length, 0);
    assert.deepEqual(processesIn(dir), []);
  });

  it("once trusted, cells run; `ml` is the bundled ml-lab, never the notebook folder's, and local packages import", async () => {
    fake.workspace.isTrusted = true;
    const greeter = path.join(dir, "node_modules", "greeter");
    fs.mkdirSync(greeter, { recursive: true });
    fs.writeFileSync(path.join(greeter, "package.json"), JSON.stringify({ name: "greeter", main: "index.js", types: "index.d.ts" }));
    fs.writeFileSync(path.join(greeter, "index.js"), "exports.greet = (who) => `hello, ${who}`;\n");
    fs.writeFileSync(path.join(greeter, "index.d.ts"), "export declare function greet(who: string): string;\n");
    const [declare, local, bundled] = await runCells(controller, nb, [nb.cells[0], nb.cells[1], nb.cells[3]]);
    assert.equal(declare.ended!.success, true);
    assert.deepEqual(itemsOf(local), [[["text/plain", "hello, 42"]]]);
    assert.deepEqual(itemsOf(bundled), [[["text/plain", "[ 'function', false ]"]]]);
    assert.equal(fs.existsSync(path.join(dir, "trap-ran")), false, "the folder's node_modules/ml-lab never ran");
    const completion = await fake.recorded.providers.completion.at(-1)!.provideCompletionItems(nb.cells[2].document, { offset: 3 });
    assert.ok(completion.some((i: fake.CompletionItem) => i.label === "answer"), "a running kernel answers completions");
  });
});
