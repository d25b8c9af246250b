/**
 * The slice of the VS Code API the extension uses, recording what the extension does with it. Enough to drive
 * the controller headlessly; the real-VS-Code tests (code-server + Playwright) live with the e2e suite.
 */
type Listener<T> = (e: T) => unknown;

export class Disposable {
  constructor(private readonly fn: () => void = () => {}) {}
  dispose(): void {
    this.fn();
  }
}

export class NotebookCellOutputItem {
  constructor(readonly data: Uint8Array, readonly mime: string) {}
  static text(value: string, mime = "text/plain") {
    return new NotebookCellOutputItem(Buffer.from(value), mime);
  }
  static json(value: unknown, mime = "text/x-json") {
    return new NotebookCellOutputItem(Buffer.from(JSON.stringify(value)), mime);
  }
  static stdout(value: string) {
    return NotebookCellOutputItem.text(value, "application/vnd.code.notebook.stdout");
  }
  static stderr(value: string) {
    return NotebookCellOutputItem.text(value, "application/vnd.code.notebook.stderr");
  }
  static error(e: Error) {
    return new NotebookCellOutputItem(Buffer.from(JSON.stringify({ name: e.name, message: e.message, stack: e.stack })), "application/vnd.code.notebook.error");
  }
  get text(): string {
    return Buffer.from(this.data).toString();
  }
}

export class NotebookCellOutput {
  constructor(public items: NotebookCellOutputItem[], readonly metadata?: Record<string, unknown>) {}
}

export class CancellationTokenSource {
  private listeners: Listener<void>[] = [];
  isCancellationRequested = false;
  readonly token = {
    get isCancellationRequested() {
      return false;
    },
    onCancellationRequested: (l: Listener<void>) => {
      this.listeners.push(l);
      return new Disposable(() => (this.listeners = this.listeners.filter((x) => x !== l)));
    },
  };
  cancel(): void {
    this.isCancellationRequested = true;
    this.listeners.forEach((l) => l());
  }
}

export class FakeExecution {
  started?: number;
  ended?: { success: boolean | undefined; at?: number };
  executionOrder?: number;
  outputs: NotebookCellOutput[] = [];
  /** Every call, in order, for assertions about in-place updates. */
  log: string[] = [];
  readonly cancellation = new CancellationTokenSource();
  readonly token = this.cancellation.token;
  constructor(readonly cell: FakeCell) {}
  start(at?: number) {
    this.started = at ?? -1;
  }
  end(success: boolean | undefined, at?: number) {
    this.ended = { success, at };
  }
  async clearOutput() {
    this.outputs = [];
    this.log.push("clear");
  }
  async appendOutput(output: NotebookCellOutput) {
    this.outputs.push(output);
    this.log.push("append");
  }
  async appendOutputItems(items: NotebookCellOutputItem | NotebookCellOutputItem[], output: NotebookCellOutput) {
    output.items.push(...(Array.isArray(items) ? items : [items]));
    this.log.push("appendItems");
  }
  async replaceOutputItems(items: NotebookCellOutputItem | NotebookCellOutputItem[], output: NotebookCellOutput) {
    if (!this.outputs.includes(output)) throw new Error("replaceOutputItems on an output this execution does not own");
    output.items = Array.isArray(items) ? items : [items];
    this.log.push("replaceItems");
  }
}

export class FakeCell {
  constructor(readonly notebook: FakeNotebook, readonly index: number, private readonly text: string) {}
  readonly document = {
    getText: () => this.text,
    offsetAt: (p: { offset: number }) => p.offset,
    positionAt: (offset: number) => ({ offset }),
  };
}

export class FakeNotebook {
  readonly cells: FakeCell[];
  constructor(readonly uri: { scheme: string; fsPath: string; toString(): string }, sources: string[]) {
    this.cells = sources.map((s, i) => new FakeCell(this, i, s));
  }
  getCells() {
    return this.cells;
  }
}

/** The language providers the extension registers, as the tests call them (with the fake's documents and positions). */
export interface CompletionProvider {
  provideCompletionItems(document: unknown, position: unknown): Promise<CompletionItem[]>;
}
export interface HoverProvider {
  provideHover(document: unknown, position: unknown): Promise<Hover>;
}
export interface SignatureHelpProvider {
  provideSignatureHelp(document: unknown, position: unknown, token: unknown, context: { triggerCharacter?: string }): Promise<SignatureHelp>;
}

export const recorded = {
  warnings: [] as string[],
  controllers: [] as FakeController[],
  executions: [] as FakeExecution[],
  providers: {
    completion: [] as CompletionProvider[],
    hover: [] as HoverProvider[],
    signature: [] as { provider: SignatureHelpProvider; metadata: { triggerCharacters: string[] } }[],
  },
  /** Hover providers disposed (VS Code then stops asking them). */
  disposedHovers: [] as HoverProvider[],
  closeListeners: [] as Listener<unknown>[],
};

export class FakeController {
  supportedLanguages?: string[];
  supportsExecutionOrder?: boolean;
  description?: string;
  executeHandler?: (cells: FakeCell[], notebook: FakeNotebook, controller: FakeController) => Promise<void>;
  interruptHandler?: (notebook: FakeNotebook) => Promise<void>;
  disposed = false;
  private readonly selectionListeners: Listener<{ notebook: FakeNotebook; selected: boolean }>[] = [];
  constructor(readonly id: string, readonly notebookType: string, readonly label: string) {}
  onDidChangeSelectedNotebooks(l: Listener<{ notebook: FakeNotebook; selected: boolean }>) {
    this.selectionListeners.push(l);
    return new Disposable(() => this.selectionListeners.splice(this.selectionListeners.indexOf(l), 1));
  }
  /** What VS Code does when this controller becomes (or stops being) a notebook's kernel. */
  select(notebook: FakeNotebook, selected = true) {
    for (const l of [...this.selectionListeners]) l({ notebook, selected });
  }
  createNotebookCellExecution(cell: FakeCell) {
    const e = new FakeExecution(cell);
    recorded.executions.push(e);
    return e;
  }
  dispose() {
    this.disposed = true;
  }
}

export const notebooks = {
  createNotebookController(id: string, type: string, label: string) {
    const c = new FakeController(id, type, label);
    recorded.controllers.push(c);
    return c;
  },
};

/** `mllab.kernel.maxMemoryMB` and the like, as a test sets them. */
export const settings: Record<string, unknown> = {};

export const workspace = {
  workspaceFolders: undefined,
  /** Workspace trust, as a test sets it. */
  isTrusted: true,
  notebookDocuments: [] as FakeNotebook[],
  getConfiguration(section: string) {
    return { get: <T>(key: string, fallback: T): T => (settings[`${section}.${key}`] as T | undefined) ?? fallback };
  },
  onDidCloseNotebookDocument(l: Listener<unknown>) {
    recorded.closeListeners.push(l);
    return new Disposable();
  },
};

export class Range {
  constructor(readonly start: unknown, readonly end: unknown) {}
}
export class CompletionItem {
  range?: Range;
  sortText?: string;
  constructor(readonly label: string, readonly kind?: number) {}
}
export const CompletionItemKind = { Variable: 5 };
export class MarkdownString {
  constructor(public value = "") {}
  appendCodeblock(code: string, lang: string) {
    this.value += "```" + lang + "\n" + code + "\n```";
    return this;
  }
  appendMarkdown(md: string) {
    this.value += md;
    return this;
  }
}
export class Hover {
  constructor(readonly contents: MarkdownString, readonly range?: Range) {}
}
export const languages = {
  registerCompletionItemProvider(_selector: unknown, provider: CompletionProvider) {
    recorded.providers.completion.push(provider);
    return new Disposable();
  },
  registerHoverProvider(_selector: unknown, provider: HoverProvider) {
    recorded.providers.hover.push(provider);
    return new Disposable(() => recorded.disposedHovers.push(provider));
  },
  registerSignatureHelpProvider(_selector: unknown, provider: SignatureHelpProvider, metadata: { triggerCharacters: string[] }) {
    recorded.providers.signature.push({ provider, metadata });
    return new Disposable();
  },
};

export class ParameterInformation {
  constructor(readonly label: string, readonly documentation?: MarkdownString) {}
}
export class SignatureInformation {
  parameters: ParameterInformation[] = [];
  constructor(readonly label: string, readonly documentation?: MarkdownString) {}
}
export class SignatureHelp {
  signatures: SignatureInformation[] = [];
  activeSignature = 0;
  activeParameter = 0;
}

/** No other extension is installed (VS Code's TypeScript extension among them). */
export const extensions = {
  getExtension(_id: string): undefined {
    return undefined;
  },
};

export const window = {
  async showWarningMessage(message: string) {
    recorded.warnings.push(message);
    return undefined;
  },
};
