/**
 * Works around a tslab 1.0.22 bug: identifiers from earlier cells are rewritten to `exports.name`, except in
 * shorthand properties, so `{ k }` with `k` from an earlier cell throws "k is not defined" at run time.
 * Expanding every shorthand property to `{ k: k }` means the same thing in object literals and destructuring
 * assignments, keeps line numbers, and lets tslab's rewrite see the identifier.
 */
const ts = require("@tslab/typescript-for-tslab") as typeof import("typescript");

export interface Insertion {
  /** 1-based line and column of the inserted text in the rewritten code. */
  line: number;
  column: number;
  length: number;
}

export function expandShorthandProperties(source: string): { code: string; insertions: Insertion[] } {
  // Every shorthand property sits in braces: a cell without any is not parsed here (a parse per cell saved).
  if (!source.includes("{")) return { code: source, insertions: [] };
  const file = ts.createSourceFile("cell.ts", source, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const at: { pos: number; text: string }[] = [];
  const visit = (node: import("typescript").Node): void => {
    if (ts.isShorthandPropertyAssignment(node)) at.push({ pos: node.name.end, text: `: ${node.name.text}` });
    ts.forEachChild(node, visit);
  };
  visit(file);
  if (at.length === 0) return { code: source, insertions: [] };
  let code = source;
  for (const { pos, text } of [...at].sort((a, b) => b.pos - a.pos)) code = code.slice(0, pos) + text + code.slice(pos);
  // Positions in the rewritten code: each insertion shifts the ones after it on the same line.
  const insertions: Insertion[] = [];
  for (const { pos, text } of [...at].sort((a, b) => a.pos - b.pos)) {
    const { line, character } = file.getLineAndCharacterOfPosition(pos);
    const sameLineBefore = insertions.filter((i) => i.line === line + 1).reduce((s, i) => s + i.length, 0);
    insertions.push({ line: line + 1, column: character + 1 + sameLineBefore, length: text.length });
  }
  return { code, insertions };
}

/** A 1-based column in the rewritten code, as a column in the cell the user wrote. */
export function originalColumn(line: number, column: number, insertions: Insertion[]): number {
  let col = column;
  for (const i of insertions) if (i.line === line && i.column < column) col -= Math.min(i.length, column - i.column);
  return col;
}
