import { CellProgram, normalizeJoin } from "./cell-program";
import { CellConverter, CompileDiagnostic, Conversion } from "./convert";
import { CellLanguage } from "./language";
import { ts } from "./typescript";

export type { CompileDiagnostic, Conversion, SideOutput } from "./convert";

/**
 * The TypeScript side of the kernel: one program for the notebook (compiler/cell-program.ts), that checks and
 * compiles cells (convert.ts) and answers the editor (language.ts). Works in the process's cwd, the notebook's folder.
 */
export class CellCompiler {
  private readonly cells = new CellProgram();
  private readonly converter = new CellConverter(this.cells);
  readonly language = new CellLanguage(this.cells);

  convert(prevDecl: string, src: string): Conversion {
    return this.converter.convert(prevDecl, src);
  }

  /** A `//%module: name` cell (`name` is a word): the module `./name` for later cells to import; returns its diagnostics. */
  addModule(name: string, src: string, jsx: boolean): CompileDiagnostic[] {
    const fileName = normalizeJoin(this.cells.cwd, name + (jsx ? ".tsx" : ".ts"));
    const check = (program: ts.Program) => this.converter.diagnostics(program, ts.getPreEmitDiagnostics(program, program.getSourceFile(fileName))).diagnostics;
    const diagnostics = check(this.cells.addModule(fileName, src));
    // As for a cell (convert.ts): failing before Node's types are all in, it is checked again with them.
    return diagnostics.length > 0 && this.cells.includeAllNodeTypes() ? check(this.cells.program) : diagnostics;
  }

  /** Reads Node's types for about `budgetMs` (later-node-types.ts); true once the program has them all. */
  readNodeTypes(budgetMs: number): boolean {
    return this.cells.readNodeTypes(budgetMs);
  }

  close(): void {
    this.cells.close();
  }
}
