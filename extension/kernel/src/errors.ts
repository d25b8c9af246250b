import { alignLines } from "./line-map";
import { CellDiagnostic } from "./protocol";

export interface CellRecord {
  /** Execution count: the cell is named `<cell N>` in stack traces. */
  count: number;
  source: string;
  /** The JavaScript tslab ran for it. */
  js?: string;
  lineMap?: number[];
}

export function scriptName(count: number): string {
  return `<cell ${count}>`;
}

const FRAME = /<cell (\d+)>:(\d+):(\d+)/g;
const UNMAPPED = "\u0000unmapped";
const KERNEL_DIR = __dirname;

export interface RuntimeErrorReport {
  ename: string;
  evalue: string;
  traceback: string[];
  line?: number;
}

/**
 * A runtime error with its stack rewritten from emitted-JavaScript positions to cell lines
 * ("at f (cell 3, line 6)"), and the failing source line quoted first.
 */
export function describeRuntimeError(error: unknown, cells: Map<number, CellRecord>, current: number): RuntimeErrorReport {
  const err = error instanceof Error ? error : new Error(String(error));
  const ename = err.name || "Error";
  const evalue = err.message;
  const stack = (err.stack ?? `${ename}: ${evalue}`).split("\n");
  // The innermost mapped frame is quoted; `line` is the first frame inside the cell being run.
  let innermost: { count: number; line: number } | undefined;
  let inCurrent: number | undefined;
  const frames = stack
    .slice(1)
    .filter((f) => /^\s+at /.test(f))
    // Frames of tslab's executor, Node internals and this kernel itself say nothing about the user's code.
    .filter((f) => !/tslab[\\/]dist[\\/]executor|node:internal|\bnode:vm\b/.test(f) && !f.includes(KERNEL_DIR))
    .map((frame) =>
      frame.replace(FRAME, (_, count: string, jsLine: string) => {
        const line = sourceLine(cells.get(Number(count)), Number(jsLine));
        if (line !== undefined) {
          innermost ??= { count: Number(count), line };
          if (Number(count) === current) inCurrent ??= line;
        }
        return line === undefined ? UNMAPPED : `cell ${count}, line ${line}`;
      }),
    )
    // tslab's wrapper call maps to no source line, and cell functions are called through its exports proxy.
    .filter((f) => !f.includes(UNMAPPED))
    .map((f) => f.replace(/\bat Proxy\./, "at "));
  const traceback = [`${ename}: ${evalue}`];
  if (innermost) {
    const src = cells.get(innermost.count)?.source.split("\n")[innermost.line - 1];
    if (src !== undefined) traceback.unshift(`cell ${innermost.count}, line ${innermost.line}:`, `  ${src.trim()}`);
  }
  traceback.push(...frames);
  return { ename, evalue, traceback, line: inCurrent };
}

function sourceLine(cell: CellRecord | undefined, jsLine: number): number | undefined {
  if (!cell?.js) return undefined;
  cell.lineMap ??= alignLines(cell.js, cell.source);
  const mapped = cell.lineMap[jsLine - 1];
  return mapped === undefined || mapped < 0 ? undefined : mapped + 1;
}

/** tslab prints each compile diagnostic as console.error("%s%d:%d - %s", file, line, column, message). */
export function parseDiagnostic(args: unknown[]): CellDiagnostic | undefined {
  if (args[0] !== "%s%d:%d - %s" || args.length < 5) return undefined;
  const [, file, line, column, message] = args as [string, string, number, number, string];
  if (file) return { line, column, message: `${file.trim()}: ${message}` };
  return { line, column, message };
}

export function describeDiagnostics(diagnostics: CellDiagnostic[], source: string): RuntimeErrorReport {
  const lines = source.split("\n");
  const traceback: string[] = [];
  for (const d of diagnostics) {
    traceback.push(`line ${d.line}, column ${d.column}: ${d.message}`);
    const text = lines[d.line - 1];
    if (text !== undefined) traceback.push(`  ${text}`, `  ${" ".repeat(Math.max(0, d.column - 1))}^`);
  }
  const first = diagnostics[0];
  return { ename: "TypeScript error", evalue: `line ${first.line}: ${first.message}`, traceback, line: first.line };
}
