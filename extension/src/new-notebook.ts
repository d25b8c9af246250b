import * as vscode from "vscode";
import { CONTROLLER_ID } from "./controller";

/** What a new notebook says and runs first: `ml` is there, and a fit shows itself. */
const INTRODUCTION = [
  "# A new ML Lab notebook",
  "",
  "TypeScript cells with `ml` (the ml-lab library) and `display` ready. Run a cell with **Shift+Enter**; a cell's last",
  "value is shown, and a fitted model draws itself.",
].join("\n");

const FIRST_CELL = [
  "// Three blobs of points, clustered by k-means: the cell's value draws the clusters and the distortion per iteration.",
  "const { X } = ml.generateBlobs([200, 200, 200], [[0, 0], [5, 1], [2, 5]], undefined, 1);",
  "const km = new ml.KMeans({ k: 3, seed: 0 }).fit(X);",
  "km",
].join("\n");

/** The notebook-level metadata VS Code's .ipynb serializer writes: a TypeScript notebook for our kernel. */
const METADATA = {
  cells: [],
  nbformat: 4,
  nbformat_minor: 5,
  metadata: {
    kernelspec: { name: CONTROLLER_ID, display_name: "TypeScript (ML Lab)", language: "typescript" },
    language_info: { name: "typescript", file_extension: ".ts", mimetype: "text/typescript" },
  },
};

/**
 * "ML Lab: New ML Lab Notebook": an untitled .ipynb with an introduction and a first cell that uses `ml`, opened with
 * the ML Lab kernel selected, so the first Shift+Enter runs it.
 */
export async function newNotebook(extensionId: string): Promise<vscode.NotebookDocument> {
  const data = new vscode.NotebookData([
    new vscode.NotebookCellData(vscode.NotebookCellKind.Markup, INTRODUCTION, "markdown"),
    new vscode.NotebookCellData(vscode.NotebookCellKind.Code, FIRST_CELL, "typescript"),
  ]);
  data.metadata = METADATA;
  const document = await vscode.workspace.openNotebookDocument("jupyter-notebook", data);
  await vscode.window.showNotebookDocument(document);
  await vscode.commands.executeCommand("notebook.selectKernel", { id: CONTROLLER_ID, extension: extensionId });
  return document;
}
