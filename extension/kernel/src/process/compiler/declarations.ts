/**
 * What earlier cells declared, as the text of `__prev__.d.ts`: after each cell, its own declarations plus those of
 * earlier cells it did not replace. `remainingDeclarations` is tslab 1.0.22's `remainingDecls` (Apache-2.0,
 * © Yu Watanabe), changed to build new nodes instead of editing the program's own source file.
 */
import { localsOf, ts } from "./typescript";

interface Keep {
  value: boolean;
  type: boolean;
}

/** Which meanings (value, type) of an earlier declaration survive a cell that declares `redeclared`. */
function keepMeanings(checker: ts.TypeChecker, redeclared: ts.Symbol | undefined): Keep {
  const keep = { value: true, type: true };
  if (!redeclared) return keep;
  let symbol = redeclared;
  if (symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
  if (symbol.flags & ts.SymbolFlags.Value) keep.value = false;
  if (symbol.flags & ts.SymbolFlags.Type) keep.type = false;
  return keep;
}

/** The declarations of earlier cells (`decls`) that the cell (`src`) did not replace, printed as declarations. */
export function remainingDeclarations(checker: ts.TypeChecker, src: ts.SourceFile, decls: ts.SourceFile): string {
  const declLocals = localsOf(decls);
  const srcLocals = localsOf(src);
  const keepNames = new Map<ts.Statement, Set<string>>();
  const addName = (statement: ts.Statement, name: string) => {
    const names = keepNames.get(statement) ?? new Set<string>();
    names.add(name);
    keepNames.set(statement, names);
  };
  const valueNames = new Set<string>();
  /** Values whose declaration cannot be kept without its type (a class replaced by a type): kept as `any`. */
  const anyVars = new Set<string>();
  declLocals?.forEach((symbol, name) => {
    const keep = keepMeanings(checker, srcLocals?.get(name));
    if (!keep.type && !keep.value) return;
    for (const declaration of symbol.declarations ?? []) {
      let node: ts.Node = declaration;
      while (node.parent !== decls) node = node.parent;
      const statement = node as ts.Statement;
      if (ts.isVariableStatement(statement)) {
        if (keep.value) {
          addName(statement, name);
          anyVars.delete(name);
          valueNames.add(name);
        }
      } else if (ts.isTypeAliasDeclaration(statement) || ts.isInterfaceDeclaration(statement)) {
        if (keep.type) addName(statement, name);
      } else if (ts.isClassDeclaration(statement) || ts.isEnumDeclaration(statement)) {
        if (keep.type) {
          if (keep.value) addName(statement, name);
        } else if (!valueNames.has(name)) {
          anyVars.add(name);
        }
      } else if (ts.isImportDeclaration(statement)) {
        keepImport(checker, symbol, statement, name, keep, valueNames, anyVars, addName);
      } else if (ts.isFunctionDeclaration(statement)) {
        if (keep.value) addName(statement, name);
      }
    }
  });
  const printer = ts.createPrinter({ newLine: ts.NewLineKind.LineFeed });
  let text = "";
  for (const statement of decls.statements) {
    const names = keepNames.get(statement);
    if (!names) continue;
    const kept = onlyNames(statement, names);
    // A statement kept whole is copied with its comments (the file is printed text already): reprinting every earlier
    // cell's declarations made each cell slower than the one before.
    text += kept === statement ? decls.text.slice(statement.pos, statement.end).replace(/^\s+/, "") : printer.printNode(ts.EmitHint.Unspecified, kept, decls);
    text += "\n";
  }
  return text + [...anyVars].map((name) => `let ${name}: any;\n`).join("");
}

function keepImport(
  checker: ts.TypeChecker,
  symbol: ts.Symbol,
  statement: ts.ImportDeclaration,
  name: string,
  keep: Keep,
  valueNames: Set<string>,
  anyVars: Set<string>,
  addName: (statement: ts.Statement, name: string) => void,
): void {
  if (keep.type && keep.value) return addName(statement, name);
  const aliased = checker.getAliasedSymbol(symbol);
  if (!keep.value) {
    // Only the type survives: keep the import unless what it imports is a value (now replaced).
    if (!(aliased.flags & ts.SymbolFlags.Value) && aliased.flags) addName(statement, name);
    return;
  }
  // Only the value survives.
  if (aliased.flags & ts.SymbolFlags.Type) {
    if (aliased.flags & ts.SymbolFlags.Value && !valueNames.has(String(aliased.escapedName))) anyVars.add(String(aliased.escapedName));
    return;
  }
  addName(statement, name);
}

/** The statement, narrowed to the declarations of `names` (variable statements and imports may declare several). */
function onlyNames(statement: ts.Statement, names: ReadonlySet<string>): ts.Statement {
  if (ts.isVariableStatement(statement)) {
    const declarations = statement.declarationList.declarations.filter((d) => ts.isIdentifier(d.name) && names.has(d.name.text));
    if (declarations.length === statement.declarationList.declarations.length) return statement;
    return ts.factory.updateVariableStatement(statement, statement.modifiers, ts.factory.updateVariableDeclarationList(statement.declarationList, declarations));
  }
  if (ts.isImportDeclaration(statement)) return importOnly(statement, names) ?? statement;
  return statement;
}

/** An import narrowed to the bindings in `names`; undefined when none is left. */
function importOnly(statement: ts.ImportDeclaration, names: ReadonlySet<string>): ts.ImportDeclaration | undefined {
  const clause = statement.importClause;
  if (!clause) return undefined;
  const name = clause.name && names.has(clause.name.text) ? clause.name : undefined;
  let bindings = clause.namedBindings;
  if (bindings && ts.isNamespaceImport(bindings)) {
    if (!names.has(bindings.name.text)) bindings = undefined;
  } else if (bindings) {
    const elements = bindings.elements.filter((e) => names.has(e.name.text));
    bindings = elements.length > 0 ? ts.factory.updateNamedImports(bindings, elements) : undefined;
  }
  if (!name && !bindings) return undefined;
  return ts.factory.updateImportDeclaration(
    statement,
    statement.modifiers,
    ts.factory.updateImportClause(clause, clause.isTypeOnly, name, bindings),
    statement.moduleSpecifier,
    statement.assertClause,
  );
}

/**
 * The declarations after a cell that failed or was interrupted part-way: `next` is what the cell would have
 * declared had it finished, `previous` what held before it. Values whose declaring statement never ran (`notRun`)
 * keep their earlier declaration, or none; everything else is `next`'s.
 */
export function declarationsAfterPartialRun(previous: string, next: string, notRun: ReadonlySet<string>): string {
  if (notRun.size === 0) return next;
  const kept = filterDeclarations(parse(next), (name) => !notRun.has(name), true);
  const restored = filterDeclarations(parse(previous), (name) => notRun.has(name), false);
  const printer = ts.createPrinter({ newLine: ts.NewLineKind.LineFeed });
  return [kept, restored].map((file) => printer.printFile(file)).join("");
}

function parse(text: string): ts.SourceFile {
  return ts.createSourceFile("__prev__.d.ts", text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
}

/** The file with only the top-level declarations whose name passes `keep` (and, if `unnamed`, those with no name). */
function filterDeclarations(file: ts.SourceFile, keep: (name: string) => boolean, unnamed: boolean): ts.SourceFile {
  const statements: ts.Statement[] = [];
  for (const statement of file.statements) {
    const declared = declaredNames(statement);
    const names = declared.filter(keep);
    if (names.length > 0) statements.push(onlyNames(statement, new Set(names)));
    else if (declared.length === 0 && unnamed) statements.push(statement);
  }
  return ts.factory.updateSourceFile(file, statements);
}

function declaredNames(statement: ts.Statement): string[] {
  if (ts.isVariableStatement(statement)) return statement.declarationList.declarations.flatMap((d) => (ts.isIdentifier(d.name) ? [d.name.text] : []));
  if (ts.isImportDeclaration(statement)) {
    const clause = statement.importClause;
    const bindings = clause?.namedBindings;
    const named = !bindings ? [] : ts.isNamespaceImport(bindings) ? [bindings.name.text] : bindings.elements.map((e) => e.name.text);
    return [...(clause?.name ? [clause.name.text] : []), ...named];
  }
  const name = (statement as { name?: ts.Node }).name;
  return name && ts.isIdentifier(name) ? [name.text] : [];
}
