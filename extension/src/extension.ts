import * as vscode from "vscode";
import { KernelClient } from "mllab-kernel";
import { MlLabController } from "./controller";
import { kernelSettings } from "./kernel-settings";
import { registerLanguageFeatures } from "./language-features";
import { newNotebook } from "./new-notebook";
import { openSample } from "./samples";

/** The Getting Started walkthrough contributed in package.json. */
const WALKTHROUGH = "gettingStarted";

let controller: MlLabController | undefined;

function activeNotebook(): vscode.NotebookDocument | undefined {
  return vscode.window.activeNotebookEditor?.notebook;
}

export function activate(context: vscode.ExtensionContext): void {
  controller = new MlLabController((cwd) => KernelClient.start({ cwd, ...kernelSettings() }));
  const c = controller;
  context.subscriptions.push(
    ...registerLanguageFeatures(c),
    vscode.commands.registerCommand("mllab.restartKernel", async (arg?: { notebookEditor?: { notebookUri: vscode.Uri } }) => {
      const uri = arg?.notebookEditor?.notebookUri;
      const notebook = (uri && vscode.workspace.notebookDocuments.find((nb) => nb.uri.toString() === uri.toString())) ?? activeNotebook();
      if (!notebook) return void vscode.window.showWarningMessage("ML Lab: open a notebook to restart its kernel.");
      await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: "ML Lab: restarting the kernel…" }, () => c.restart(notebook));
    }),
    vscode.commands.registerCommand("mllab.openSample", () => openSample(context.extensionUri)),
    vscode.commands.registerCommand("mllab.newNotebook", () => newNotebook(context.extension.id)),
    vscode.commands.registerCommand("mllab.gettingStarted", () =>
      vscode.commands.executeCommand("workbench.action.openWalkthrough", `${context.extension.id}#${WALKTHROUGH}`, false),
    ),
    vscode.commands.registerCommand("mllab.interruptKernel", async () => {
      const notebook = activeNotebook();
      if (notebook) await c.session(notebook).interrupt();
    }),
  );
}

export async function deactivate(): Promise<void> {
  await controller?.dispose();
  controller = undefined;
}
