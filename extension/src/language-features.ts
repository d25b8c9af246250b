import * as vscode from "vscode";
import { MlLabController } from "./controller";

const CELLS: vscode.DocumentSelector = { notebookType: "jupyter-notebook", language: "typescript" };

function notebookOf(document: vscode.TextDocument): vscode.NotebookDocument | undefined {
  return vscode.workspace.notebookDocuments.find((nb) => nb.getCells().some((c) => c.document === document));
}

/**
 * Completions and hovers from the kernel's TypeScript program, which knows the declarations of earlier cells
 * (VS Code's own TypeScript service sees each cell alone). Only a kernel already running answers: typing in a cell
 * never starts one (nor runs any code from the workspace).
 */
export function registerLanguageFeatures(controller: MlLabController): vscode.Disposable[] {
  const completion = vscode.languages.registerCompletionItemProvider(
    CELLS,
    {
      async provideCompletionItems(document, position) {
        const notebook = notebookOf(document);
        if (!notebook) return undefined;
        const reply = await controller.session(notebook).complete(document.getText(), document.offsetAt(position));
        if (!reply) return undefined;
        const range = new vscode.Range(document.positionAt(reply.start), document.positionAt(reply.end));
        return reply.candidates.map((label, i) => {
          const item = new vscode.CompletionItem(label, vscode.CompletionItemKind.Variable);
          item.range = range;
          item.sortText = String(i).padStart(5, "0");
          return item;
        });
      },
    },
    ".",
  );
  const hover = vscode.languages.registerHoverProvider(CELLS, {
    async provideHover(document, position) {
      const notebook = notebookOf(document);
      if (!notebook) return undefined;
      const reply = await controller.session(notebook).inspect(document.getText(), document.offsetAt(position));
      if (!reply?.found || !reply.signature) return undefined;
      const contents = new vscode.MarkdownString().appendCodeblock(reply.signature, "typescript");
      if (reply.documentation) contents.appendMarkdown("\n\n" + reply.documentation);
      const range = reply.start !== undefined && reply.end !== undefined ? new vscode.Range(document.positionAt(reply.start), document.positionAt(reply.end)) : undefined;
      return new vscode.Hover(contents, range);
    },
  });
  return [completion, hover];
}
