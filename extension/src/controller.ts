import * as path from "node:path";
import * as vscode from "vscode";
import type { KernelClient } from "mllab-kernel";
import { KernelSession } from "./kernel-session";
import { startsOnOpen } from "./kernel-settings";
import { CellOutputWriter } from "./outputs";

export const CONTROLLER_ID = "mllab-typescript";

/** Shown on cells run in Restricted Mode, where ML Lab starts no kernel and runs no code from the workspace. */
export const UNTRUSTED_MESSAGE =
  "This workspace is not trusted, so ML Lab runs no code from it (Restricted Mode). Trust the workspace (Workspaces: Manage Workspace Trust), then run the cell again.";

/** The notebook's folder (or the workspace's, for an untitled notebook): the kernel's cwd. */
export function kernelCwd(notebook: vscode.NotebookDocument): string {
  if (notebook.uri.scheme === "file") return path.dirname(notebook.uri.fsPath);
  return vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? process.cwd();
}

/** The notebook controller: TypeScript cells of .ipynb notebooks run in an ML Lab kernel, one per notebook. */
export class MlLabController implements vscode.Disposable {
  readonly controller: vscode.NotebookController;
  private readonly sessions = new Map<string, KernelSession>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly startKernel: (cwd: string) => Promise<KernelClient>) {
    this.controller = vscode.notebooks.createNotebookController(CONTROLLER_ID, "jupyter-notebook", "TypeScript (ML Lab)");
    this.controller.supportedLanguages = ["typescript"];
    this.controller.supportsExecutionOrder = true;
    this.controller.description = "TypeScript with ml-lab pre-loaded";
    this.controller.executeHandler = (cells, notebook) => this.executeCells(cells, notebook);
    this.controller.interruptHandler = (notebook) => this.session(notebook).interrupt();
    this.disposables.push(
      vscode.workspace.onDidCloseNotebookDocument((nb) => this.closeSession(nb)),
      this.controller.onDidChangeSelectedNotebooks(({ notebook, selected }) => this.selectionChanged(notebook, selected)),
    );
  }

  session(notebook: vscode.NotebookDocument): KernelSession {
    const key = notebook.uri.toString();
    let session = this.sessions.get(key);
    if (!session) {
      session = new KernelSession(kernelCwd(notebook), this.startKernel);
      this.sessions.set(key, session);
    }
    return session;
  }

  /** Restarts the notebook's kernel; in an untrusted workspace, starts none and says why. */
  async restart(notebook: vscode.NotebookDocument): Promise<boolean> {
    if (!vscode.workspace.isTrusted) {
      void vscode.window.showWarningMessage(`ML Lab: ${UNTRUSTED_MESSAGE}`);
      return false;
    }
    await this.session(notebook).restart();
    return true;
  }

  async dispose(): Promise<void> {
    this.disposables.forEach((d) => d.dispose());
    await Promise.all([...this.sessions.values()].map((s) => s.dispose()));
    this.sessions.clear();
    this.controller.dispose();
  }

  /** Cells run in order; a failing or interrupted cell stops the ones queued after it, as in Jupyter. */
  private async executeCells(cells: vscode.NotebookCell[], notebook: vscode.NotebookDocument): Promise<void> {
    const executions = cells.map((cell) => this.controller.createNotebookCellExecution(cell));
    if (!vscode.workspace.isTrusted) return this.refuseUntrusted(executions);
    for (let i = 0; i < executions.length; i++) {
      const ok = await this.executeCell(executions[i], notebook);
      if (!ok) {
        for (const skipped of executions.slice(i + 1)) {
          skipped.start();
          skipped.end(undefined);
        }
        return;
      }
    }
  }

  private async executeCell(execution: vscode.NotebookCellExecution, notebook: vscode.NotebookDocument): Promise<boolean> {
    execution.start(Date.now());
    await execution.clearOutput();
    const writer = new CellOutputWriter(execution);
    const token = execution.token.onCancellationRequested(() => void this.session(notebook).interrupt());
    try {
      const result = await this.session(notebook).execute(execution.cell.document.getText(), (event) => writer.handle(event));
      await writer.flush();
      if (result.executionCount) execution.executionOrder = result.executionCount;
      execution.end(result.status === "ok", Date.now());
      return result.status === "ok";
    } catch (e) {
      await writer.flush();
      await execution.appendOutput(new vscode.NotebookCellOutput([vscode.NotebookCellOutputItem.error(e as Error)]));
      execution.end(false, Date.now());
      return false;
    } finally {
      token.dispose();
    }
  }

  private async refuseUntrusted(executions: vscode.NotebookCellExecution[]): Promise<void> {
    for (const execution of executions) {
      execution.start(Date.now());
      await execution.clearOutput();
      const error = Object.assign(new Error(UNTRUSTED_MESSAGE), { name: "RestrictedMode", stack: `RestrictedMode: ${UNTRUSTED_MESSAGE}` });
      await execution.appendOutput(new vscode.NotebookCellOutput([vscode.NotebookCellOutputItem.error(error)]));
      execution.end(false, Date.now());
    }
  }

  /**
   * A notebook opened with ML Lab (or switched to it) gets its kernel at once, while the user reads: a start takes
   * most of a second, and completions need a running kernel. One switched to another kernel no longer needs ours.
   */
  private selectionChanged(notebook: vscode.NotebookDocument, selected: boolean): void {
    if (!selected) return void this.closeSession(notebook);
    if (vscode.workspace.isTrusted && startsOnOpen()) this.session(notebook).warmUp();
  }

  private async closeSession(notebook: vscode.NotebookDocument): Promise<void> {
    const key = notebook.uri.toString();
    const session = this.sessions.get(key);
    this.sessions.delete(key);
    await session?.dispose();
  }
}
