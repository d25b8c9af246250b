/** Runs inside VS Code's extension host (see ../run-tests.ts): the installed-from-source extension, the real API. */
import * as assert from "node:assert/strict";
import * as vscode from "vscode";

const EXTENSION_ID = "mllab.ml-lab-notebooks";
const CONTROLLER_ID = "mllab-typescript";

async function until<T>(what: string, probe: () => T | undefined, timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

function typescriptCell(source: string): vscode.NotebookCellData {
  return new vscode.NotebookCellData(vscode.NotebookCellKind.Code, source, "typescript");
}

describe("ML Lab extension in the VS Code extension host", () => {
  it("activates and registers its commands", async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is loaded`);
    await extension.activate();
    const commands = await vscode.commands.getCommands(true);
    for (const id of ["mllab.openSample", "mllab.restartKernel", "mllab.interruptKernel"]) assert.ok(commands.includes(id), id);
  });

  it("runs TypeScript cells with its controller; outputs carry text, stream, vega-lite and SVG MIME types", async () => {
    const notebook = await vscode.workspace.openNotebookDocument(
      "jupyter-notebook",
      new vscode.NotebookData([
        typescriptCell('console.log("hello from the kernel");\n6 * 7'),
        typescriptCell(
          'display.vegaLite(ml.convergenceChart({ series: [{ name: "EM", values: [-10, -5, -4, -3.9] }], yTitle: "log-likelihood" }))',
        ),
      ]),
    );
    await vscode.window.showNotebookDocument(notebook);
    // Selecting a kernel by id is what the kernel picker does; it fails if the controller is not registered.
    await vscode.commands.executeCommand("notebook.selectKernel", { id: CONTROLLER_ID, extension: EXTENSION_ID });
    await vscode.commands.executeCommand("notebook.execute", notebook.uri);

    const done = (cell: vscode.NotebookCell) => cell.executionSummary?.success !== undefined && cell.outputs.length > 0;
    await until("both cells to finish", () => (notebook.getCells().every(done) ? true : undefined));
    const [first, second] = notebook.getCells();
    assert.equal(first.executionSummary?.success, true);
    assert.equal(second.executionSummary?.success, true);

    const mimes = (cell: vscode.NotebookCell) => cell.outputs.flatMap((o) => o.items.map((i) => i.mime));
    const text = (cell: vscode.NotebookCell, mime: string) =>
      cell.outputs.flatMap((o) => o.items.filter((i) => i.mime === mime).map((i) => new TextDecoder().decode(i.data))).join("");
    assert.match(text(first, "application/vnd.code.notebook.stdout"), /hello from the kernel/);
    assert.equal(text(first, "text/plain").trim(), "42");
    for (const mime of ["application/vnd.vegalite.v5+json", "image/svg+xml", "text/plain"]) assert.ok(mimes(second).includes(mime), mime);
    const spec = JSON.parse(text(second, "application/vnd.vegalite.v5+json"));
    assert.equal(spec.data.values.length, 4);
  });
});
