import * as vscode from "vscode";
import { MlLabController } from "./controller";

const CELLS: vscode.DocumentSelector = { notebookType: "jupyter-notebook", language: "typescript" };
const TYPESCRIPT_EXTENSION = "vscode.typescript-language-features";

function notebookOf(document: vscode.TextDocument): vscode.NotebookDocument | undefined {
  return vscode.workspace.notebookDocuments.find((nb) => nb.getCells().some((c) => c.document === document));
}

/**
 * Completions, hovers and signature help from the kernel's TypeScript program, which knows the declarations of
 * earlier cells and the library's documentation. Only a kernel already running answers: typing in a cell never
 * starts one (nor runs any code from the workspace).
 *
 * VS Code's own TypeScript support also answers in notebook cells, seeing each cell alone: on `ml.KMeans` it knows
 * no `ml` and hovers "any". VS Code shows every hover provider's answer and offers no way to withhold another
 * extension's; it puts first the provider registered last. So ours is registered again once the TypeScript
 * extension has activated and registered its own, and ours is the first box, with the full signature and docs.
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
  const hovers = new LateRegistration(() => vscode.languages.registerHoverProvider(CELLS, { provideHover: (document, position) => provideHover(controller, document, position) }));
  const signatures = vscode.languages.registerSignatureHelpProvider(
    CELLS,
    { provideSignatureHelp: (document, position, _token, context) => provideSignatureHelp(controller, document, position, context) },
    { triggerCharacters: ["(", ","], retriggerCharacters: [")"] },
  );
  return [completion, hovers, signatures];
}

async function provideHover(controller: MlLabController, document: vscode.TextDocument, position: vscode.Position): Promise<vscode.Hover | undefined> {
  const notebook = notebookOf(document);
  if (!notebook) return undefined;
  const reply = await controller.session(notebook).inspect(document.getText(), document.offsetAt(position));
  if (!reply?.found || !reply.signature) return undefined;
  const contents = new vscode.MarkdownString().appendCodeblock(reply.signature, "typescript");
  if (reply.documentation) contents.appendMarkdown("\n\n---\n\n" + reply.documentation);
  const range = reply.start !== undefined && reply.end !== undefined ? new vscode.Range(document.positionAt(reply.start), document.positionAt(reply.end)) : undefined;
  return new vscode.Hover(contents, range);
}

async function provideSignatureHelp(
  controller: MlLabController,
  document: vscode.TextDocument,
  position: vscode.Position,
  context: vscode.SignatureHelpContext,
): Promise<vscode.SignatureHelp | undefined> {
  const notebook = notebookOf(document);
  if (!notebook) return undefined;
  const reply = await controller.session(notebook).signatureHelp(document.getText(), document.offsetAt(position), context.triggerCharacter);
  if (!reply?.found || !reply.signatures?.length) return undefined;
  const help = new vscode.SignatureHelp();
  help.signatures = reply.signatures.map((s) => {
    const signature = new vscode.SignatureInformation(s.label, s.documentation ? new vscode.MarkdownString(s.documentation) : undefined);
    signature.parameters = s.parameters.map((p) => new vscode.ParameterInformation(p.label, p.documentation ? new vscode.MarkdownString(p.documentation) : undefined));
    return signature;
  });
  help.activeSignature = reply.activeSignature ?? 0;
  help.activeParameter = reply.activeParameter ?? 0;
  return help;
}

/** A registration made now and made again once VS Code's TypeScript extension is active, so that it comes after theirs. */
class LateRegistration implements vscode.Disposable {
  private current: vscode.Disposable;
  private disposed = false;

  constructor(private readonly register: () => vscode.Disposable) {
    this.current = register();
    const typescript = vscode.extensions.getExtension(TYPESCRIPT_EXTENSION);
    if (!typescript) return;
    // The extension registers its providers shortly after activating (once its server client exists).
    const again = () => setTimeout(() => this.renew(), 1000);
    if (typescript.isActive) again();
    else typescript.activate().then(again, () => {});
  }

  dispose(): void {
    this.disposed = true;
    this.current.dispose();
  }

  private renew(): void {
    if (this.disposed) return;
    this.current.dispose();
    this.current = this.register();
  }
}
