import * as vscode from "vscode";

/** What each bundled sample mirrors, for the quick pick. */
const DESCRIPTIONS: Record<string, string> = {
  "em-gmm.ipynb": "EM for Gaussian mixtures, step by step with checkpoints (Coursera)",
  "lab3-kmeans-em.ipynb": "k-means on a labelled table; 1-D EM from k-means (Lab 3)",
  "mnist-kmeans.ipynb": "Lloyd's k-means on MNIST digits, centroids as images",
  "hw6-optimization.ipynb": "Newton–Raphson, least squares by GD, EM, MapReduce (w261 HW6)",
  "kmeans-inits-scaling.ipynb": "k-means inits, run-time scaling, a many-cluster MNIST classifier",
};

const OPEN_MINE = "Open my copy", REPLACE = "Replace with a fresh copy";

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

/**
 * "ML Lab: Open Sample Notebook": copies a bundled sample and its data into the workspace (ml-lab-samples/) and
 * opens it. An existing copy is opened as it is unless the user asks for a fresh one; every question waits for an
 * answer.
 */
export async function openSample(extensionUri: vscode.Uri): Promise<vscode.Uri | undefined> {
  const source = vscode.Uri.joinPath(extensionUri, "samples");
  const names = (await vscode.workspace.fs.readDirectory(source)).map(([name]) => name).filter((n) => n.endsWith(".ipynb")).sort();
  const choice = await vscode.window.showQuickPick(
    names.map((name) => ({ label: name, description: DESCRIPTIONS[name] ?? "" })),
    { placeHolder: "Open which sample notebook?", ignoreFocusOut: true },
  );
  if (!choice) return undefined;
  let root = vscode.workspace.workspaceFolders?.[0]?.uri;
  if (!root) {
    const picked = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, openLabel: "Copy the sample here" });
    root = picked?.[0];
    if (!root) return undefined;
  }
  const target = vscode.Uri.joinPath(root, "ml-lab-samples");
  const notebook = vscode.Uri.joinPath(target, choice.label);
  let replace = true;
  if (await exists(notebook)) {
    // Modal: a notification would hide itself after a few seconds, and then nothing would open.
    const answer = await vscode.window.showInformationMessage(
      `${choice.label} is already in ml-lab-samples/.`,
      { modal: true, detail: "Open your copy as it is, or replace it (and its data) with a fresh copy of the sample?" },
      OPEN_MINE,
      REPLACE,
    );
    if (!answer) return undefined;
    replace = answer === REPLACE;
  }
  if (replace) {
    await vscode.workspace.fs.createDirectory(target);
    await vscode.workspace.fs.copy(vscode.Uri.joinPath(source, choice.label), notebook, { overwrite: true });
    const data = vscode.Uri.joinPath(source, "data");
    if (await exists(data)) await vscode.workspace.fs.copy(data, vscode.Uri.joinPath(target, "data"), { overwrite: true });
  }
  const document = await vscode.workspace.openNotebookDocument(notebook);
  await vscode.window.showNotebookDocument(document);
  return notebook;
}
