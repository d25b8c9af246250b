/**
 * Node's types, read once the kernel is ready rather than before. They are four fifths of the declarations a
 * kernel's program reads, and most cells need none of them but `console`. So a kernel starts with console.d.ts alone
 * of them, and reads the rest in short steps between cells once it is ready (`step`); a cell whose check fails before
 * they are all in (it may use `process` or import `fs`) waits for the rest (`readAll`) and is checked again. A cell
 * that passes without them runs the same JavaScript (types are erased), and its declarations name only types that
 * are there either way.
 *
 * The files are parsed and bound through the watch program's own source-file cache (its compiler host's
 * `getSourceFile`), so the program that takes them in finds the very objects it would have made itself. The files to
 * read are those the index references, as TypeScript finds them (references, type references); a file missed here
 * (a package that one of them imports) is read when the program takes them in, as it would have been at the start.
 */
import { internals, ts } from "./typescript";

export class LaterNodeTypes {
  /** The file the program takes in to have them all: Node's types' index. */
  readonly index: string;
  /** The file the program starts with: the global `console`. */
  readonly console: string;
  private readonly queue: string[];
  private readonly seen: Set<string>;
  private included = false;

  /**
   * `index`: @types/node's index file, as the program resolves it. `host`: the compiler host of the watch program
   * (only known once it built its first program).
   */
  constructor(
    index: string,
    private readonly options: ts.CompilerOptions,
    private readonly system: ts.System,
    private readonly host: () => ts.CompilerHost | undefined,
  ) {
    this.index = index;
    const references = ts.preProcessFile(system.readFile(index) ?? "", true, false).referencedFiles;
    const console = references.map((r) => ts.resolveTripleslashReference(r.fileName, index)).find((f) => f.endsWith("/console.d.ts"));
    if (!console) throw new Error(`Node's types at ${index} declare no console`);
    this.console = console;
    this.queue = [index];
    this.seen = new Set(this.queue);
  }

  /** Whether the program has all of Node's types. */
  get complete(): boolean {
    return this.included;
  }

  /**
   * Reads files for about `budgetMs`, at least one; when none is left, returns true: the program may take them in
   * (`markIncluded` once it has).
   */
  step(budgetMs: number): boolean {
    const host = this.host();
    if (!host) return false;
    const until = performance.now() + budgetMs;
    do {
      const fileName = this.queue.shift();
      if (fileName === undefined) return true;
      this.read(host, fileName);
    } while (performance.now() < until);
    return this.queue.length === 0;
  }

  /** Reads every file left. */
  readAll(): void {
    while (!this.step(Infinity));
  }

  markIncluded(): void {
    this.included = true;
  }

  private read(host: ts.CompilerHost, fileName: string): void {
    const file = host.getSourceFile(fileName, this.createOptions(fileName, host));
    if (!file) return;
    internals.bindSourceFile(file, this.options);
    for (const reference of file.referencedFiles) this.enqueue(ts.resolveTripleslashReference(reference.fileName, fileName));
    for (const reference of file.typeReferenceDirectives) {
      this.enqueue(ts.resolveTypeReferenceDirective(reference.fileName, fileName, this.options, this.system).resolvedTypeReferenceDirective?.resolvedFileName);
    }
  }

  private enqueue(fileName: string | undefined): void {
    if (!fileName || !fileName.endsWith(".d.ts") || this.seen.has(fileName)) return;
    this.seen.add(fileName);
    this.queue.push(fileName);
  }

  /** What the program passes to `getSourceFile` for a file (its getCreateSourceFileOptions). */
  private createOptions(fileName: string, host: ts.CompilerHost): ts.CreateSourceFileOptions {
    return {
      languageVersion: this.options.target ?? ts.ScriptTarget.ES5,
      impliedNodeFormat: ts.getImpliedNodeFormatForFile(fileName as ts.Path, undefined, host, this.options),
      setExternalModuleIndicator: internals.getSetExternalModuleIndicator(this.options),
    };
  }
}
