/**
 * One cell, type-checked and compiled to the CommonJS the executor runs, with the declarations the next cell sees.
 * Adapted from tslab 1.0.22's converter (Apache-2.0, © Yu Watanabe). tslab checks each cell twice, once to find its
 * top-level names and once with them exported; here the names come from parsing and binding the cell on its own
 * (what the checker's binder would give), so the program is built once.
 */
import * as path from "node:path";
import { CellProgram, Position, SRC_PREFIX } from "./cell-program";
import { remainingDeclarations } from "./declarations";
import { internals, localsOf, ts } from "./typescript";

export interface CompileDiagnostic {
  start: Position;
  end: Position;
  messageText: string;
  category: number;
  code: number;
  /** Relative to the notebook's folder, for diagnostics in files other than the cell. */
  fileName?: string;
}

export interface SideOutput {
  /** The module's path as `require` sees it. */
  path: string;
  data: string;
}

export interface Conversion {
  /** Non-empty: the cell does not run, and nothing else is set. */
  diagnostics: CompileDiagnostic[];
  /** CommonJS; undefined for a cell with nothing to run (only types). */
  output?: string;
  declOutput?: string;
  /** The export that holds the value of the cell's last expression. */
  lastExpressionVar?: string;
  hasTopLevelAwait?: boolean;
  /** The notebook's own modules the cell imports, compiled. */
  sideOutputs?: SideOutput[];
  /** The cell's top-level names that exist at run time (the rest are types): what a partial run may not reach. */
  runtimeNames?: string[];
}

/** Code of TypeScript's "'await' expressions are only allowed within async functions" (tslab's top-level await). */
const AWAIT_OUTSIDE_ASYNC = 1308;
const LAST_EXPRESSION = "tsLastExpr";

export class CellConverter {
  /** The notebook's own modules compiled already (a file is compiled again when it changes on disk). */
  private readonly converted = new Set<string>();

  constructor(private readonly cells: CellProgram) {
    cells.onFileChanged = (fileName) => this.converted.delete(fileName);
  }

  convert(prevDecl: string, src: string): Conversion {
    const names = topLevelNames(src, this.cells);
    const program = this.cells.update(prevDecl, names.length > 0 ? `${src}\nexport {${names.join(", ")}}` : src);
    const srcFile = program.getSourceFile(this.cells.srcFileName)!;
    const declsFile = program.getSourceFile(this.cells.declFileName)!;
    const dependencies = this.cells.dependencies(srcFile);
    const { diagnostics, hasTopLevelAwait } = this.diagnostics(program, checkDiagnostics(program, dependencies));
    // A cell checked before Node's types are all in may fail for want of them (later-node-types.ts).
    const failed = (found: CompileDiagnostic[]): Conversion => (this.cells.includeAllNodeTypes() ? this.convert(prevDecl, src) : { diagnostics: found });
    if (diagnostics.length > 0) return failed(diagnostics);
    const checker = program.getTypeChecker();
    let output: string | undefined;
    let declOutput = "";
    let lastExpressionVar: string | undefined;
    const sideOutputs: SideOutput[] = [];
    const emitDiagnostics: ts.Diagnostic[] = [];
    const newlyConverted: string[] = [];
    const dstFileName = "outDir/__tslab__.js";
    const dstDeclFileName = "outDir/__tslab__.d.ts";
    const transformers = cellTransformers(checker, srcFile, declsFile, new Set(names), (name) => (lastExpressionVar = name));
    for (const dependency of dependencies) {
      if (dependency !== srcFile) {
        if (this.converted.has(dependency.fileName)) continue;
        newlyConverted.push(dependency.fileName);
      }
      const emitted = program.emit(
        dependency,
        (fileName, data) => {
          if (fileName === dstFileName) output = data;
          else if (fileName === dstDeclFileName) declOutput = data;
          else if (fileName.endsWith(".js")) {
            const rel = path.relative("outDir", fileName);
            if (rel.startsWith("..")) throw new Error(`unexpected emit path: ${fileName}`);
            sideOutputs.push({ path: path.join(this.cells.cwd, rel).replace(/\\/g, "/"), data });
          }
        },
        undefined,
        undefined,
        transformers,
      );
      emitDiagnostics.push(...emitted.diagnostics);
    }
    // The declaration checks ("exported variable … cannot be named") come from the emit; failing them, what it wrote is dropped.
    const declarationDiagnostics = this.diagnostics(program, emitDiagnostics).diagnostics;
    if (declarationDiagnostics.length > 0) return failed(declarationDiagnostics);
    for (const fileName of newlyConverted) this.converted.add(fileName);
    sideOutputs.sort((a, b) => a.path.localeCompare(b.path));
    return {
      diagnostics: [],
      output,
      declOutput: declOutput + remainingDeclarations(checker, srcFile, declsFile),
      lastExpressionVar,
      hasTopLevelAwait,
      sideOutputs: sideOutputs.length > 0 ? sideOutputs : undefined,
      runtimeNames: runtimeNames(checker, srcFile),
    };
  }

  /** Diagnostics in the cell's own coordinates; tslab's fork reports a top-level await as one, which is allowed here. */
  diagnostics(program: ts.Program, input: readonly ts.Diagnostic[]): { diagnostics: CompileDiagnostic[]; hasTopLevelAwait: boolean } {
    let hasTopLevelAwait = false;
    const diagnostics: CompileDiagnostic[] = [];
    const srcFile = program.getSourceFile(this.cells.srcFileName);
    for (const d of input) {
      if (!d.file || d.start === undefined) continue;
      if (d.file.fileName === this.cells.srcFileName && isTopLevelAwait(srcFile, d)) {
        hasTopLevelAwait = true;
        continue;
      }
      let fileName: string | undefined;
      if (d.file.fileName !== this.cells.srcFileName) {
        fileName = path.relative(this.cells.cwd, d.file.fileName);
        // Files outside the notebook's folder (packages, Node's types) are not the user's to fix.
        if (fileName.startsWith("..")) continue;
      }
      const start = this.cells.position(d.file, d.start);
      const end = this.cells.position(d.file, d.start + (d.length ?? 0));
      if (typeof d.messageText === "string") {
        diagnostics.push({ start, end, messageText: d.messageText, category: d.category, code: d.code, fileName });
      } else {
        flattenChain(start, end, d.messageText, diagnostics, fileName);
      }
    }
    return { diagnostics, hasTopLevelAwait };
  }
}

/**
 * TypeScript's pre-emit diagnostics of `files` but for the declaration checks, which the emit runs too (with
 * `declaration` on, getPreEmitDiagnostics would run the declaration transform once more per cell).
 */
function checkDiagnostics(program: ts.Program, files: readonly ts.SourceFile[]): readonly ts.Diagnostic[] {
  const diagnostics = [...program.getConfigFileParsingDiagnostics(), ...program.getOptionsDiagnostics(), ...program.getGlobalDiagnostics()];
  for (const file of files) diagnostics.push(...program.getSyntacticDiagnostics(file), ...program.getSemanticDiagnostics(file));
  return ts.sortAndDeduplicateDiagnostics(diagnostics);
}

/** The cell's top-level names (what tslab exports so that later cells see them), from the binder alone. */
function topLevelNames(src: string, cells: CellProgram): string[] {
  const file = ts.createSourceFile(cells.srcFileName, SRC_PREFIX + src, ts.ScriptTarget.ES2022, false, ts.ScriptKind.TS);
  internals.bindSourceFile(file, cells.options);
  return [...(localsOf(file)?.keys() ?? [])];
}

/** The cell's top-level names that hold a value at run time: not types, not `declare`d, not const enums. */
function runtimeNames(checker: ts.TypeChecker, src: ts.SourceFile): string[] {
  const names: string[] = [];
  localsOf(src)?.forEach((symbol, name) => {
    const declarations = symbol.declarations ?? [];
    if (declarations.every((d) => ts.getCombinedModifierFlags(d as ts.Declaration) & ts.ModifierFlags.Ambient)) return;
    if (declarations.some((d) => ts.isTypeOnlyImportOrExportDeclaration(d))) return;
    const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
    if (target.flags & ts.SymbolFlags.Value && !(target.flags & ts.SymbolFlags.ConstEnum)) names.push(name);
  });
  return names;
}

function isTopLevelAwait(srcFile: ts.SourceFile | undefined, d: ts.Diagnostic): boolean {
  if (d.code !== AWAIT_OUTSIDE_ASYNC || !srcFile || d.start === undefined) return false;
  const token = ts.findPrecedingToken(d.start + (d.length ?? 0), srcFile);
  if (token?.kind !== ts.SyntaxKind.AwaitKeyword) return false;
  for (let parent = token.parent; parent && parent !== srcFile; parent = parent.parent) {
    switch (parent.kind) {
      case ts.SyntaxKind.ArrowFunction:
      case ts.SyntaxKind.FunctionExpression:
      case ts.SyntaxKind.FunctionDeclaration:
      case ts.SyntaxKind.ClassDeclaration:
      case ts.SyntaxKind.ModuleDeclaration:
        return false;
    }
  }
  return true;
}

function flattenChain(start: Position, end: Position, chain: ts.DiagnosticMessageChain, out: CompileDiagnostic[], fileName?: string): void {
  out.push({ start, end, messageText: chain.messageText, category: chain.category, code: chain.code, fileName });
  for (const next of chain.next ?? []) flattenChain(start, end, next, out);
}

/**
 * tslab's transformers: the last expression statement is stored in an export (its value is shown), earlier cells'
 * names become `exports.name` (they live on the shared exports object), and the declarations lose their exports.
 * The first runs before TypeScript's transforms (so that the export it adds becomes CommonJS), the second after
 * them (when types are gone).
 */
function cellTransformers(
  checker: ts.TypeChecker,
  srcFile: ts.SourceFile,
  declsFile: ts.SourceFile,
  locals: ReadonlySet<string>,
  setLastExpression: (name: string) => void,
): ts.CustomTransformers {
  const context = ts.getNullTransformationContext();
  const lastExpressionName = (): string => {
    if (!locals.has(LAST_EXPRESSION)) return LAST_EXPRESSION;
    for (let i = 0; ; i++) if (!locals.has(`${LAST_EXPRESSION}${i}`)) return `${LAST_EXPRESSION}${i}`;
  };
  const fromEarlierCell = (node: ts.Identifier): boolean => (checker.getSymbolAtLocation(node)?.declarations ?? []).some((d) => d.getSourceFile() === declsFile);
  const wrapEarlier = (node: ts.Node): ts.Node => {
    if (!ts.isIdentifier(node)) return ts.visitEachChild(node, wrapEarlier, context);
    if (node.parent && ts.isPropertyAccessExpression(node.parent) && node.parent.name === node) return node;
    return fromEarlierCell(node) ? ts.factory.createPropertyAccessExpression(ts.factory.createIdentifier("exports"), node) : node;
  };
  const storeLastExpression = (): ts.Transformer<ts.SourceFile> => (file) => {
    if (file.fileName !== srcFile.fileName) return file;
    for (let i = file.statements.length - 1; i >= 0; i--) {
      const statement = file.statements[i];
      if (ts.isExportDeclaration(statement)) continue;
      if (!ts.isExpressionStatement(statement)) break;
      const name = lastExpressionName();
      setLastExpression(name);
      const store = ts.factory.createVariableStatement(
        [ts.factory.createModifier(ts.SyntaxKind.ExportKeyword)],
        ts.factory.createVariableDeclarationList([ts.factory.createVariableDeclaration(name, undefined, undefined, statement.expression)], ts.NodeFlags.Const),
      );
      return ts.factory.updateSourceFile(file, [...file.statements.slice(0, i), store, ...file.statements.slice(i + 1)]);
    }
    return file;
  };
  const after = (): ts.Transformer<ts.SourceFile> => (file) => ts.visitEachChild(file, wrapEarlier, context);
  const afterDeclarations = (): ts.Transformer<ts.SourceFile | ts.Bundle> => (node) =>
    ts.isSourceFile(node) ? ts.factory.updateSourceFile(node, node.statements.filter((s) => !ts.isExportDeclaration(s))) : node;
  return { before: [storeLastExpression], after: [after], afterDeclarations: [afterDeclarations] };
}
