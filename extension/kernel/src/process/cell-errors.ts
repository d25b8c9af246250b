import * as path from "node:path";
import { inspect } from "node:util";
import { CellDiagnostic } from "../protocol/messages";
import { alignLines } from "./line-map";
import { StackPaths } from "./stack-paths";

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
/** This package's built code (dist/): its frames say nothing about the user's code. */
const PACKAGE_DIR = path.resolve(__dirname, "..");
/** Kernels run in their notebook's folder. */
const paths = new StackPaths(process.cwd());

export interface ErrorReport {
  ename: string;
  evalue: string;
  traceback: string[];
  line?: number;
}

/** Reads a property without letting a hostile value (a throwing getter, a Proxy) throw. */
function read(value: unknown, key: string): unknown {
  try {
    return (value as Record<string, unknown>)[key];
  } catch {
    return undefined;
  }
}

/** Text for any value, even one whose every trap or conversion throws. */
export function describeValue(value: unknown): string {
  try {
    return typeof value === "string" ? value : inspect(value, { depth: 2, breakLength: Infinity });
  } catch {
    try {
      return Object.prototype.toString.call(value);
    } catch {
      return "a value that cannot be shown";
    }
  }
}

/** An Error, or something shaped like one (an error from another realm). */
function isError(value: unknown): boolean {
  try {
    if (value instanceof Error) return true;
  } catch {
    return false;
  }
  return typeof value === "object" && value !== null && typeof read(value, "name") === "string" && typeof read(value, "message") === "string";
}

/** Name, message and stack of whatever was thrown, read defensively: a cell may throw anything. */
function errorParts(error: unknown): { ename: string; evalue: string; stack: string[] } {
  if (!isError(error)) return { ename: "Error", evalue: describeValue(error), stack: [] };
  const name = read(error, "name"), message = read(error, "message"), stack = read(error, "stack");
  const ename = typeof name === "string" && name ? name : "Error";
  const evalue = typeof message === "string" ? message : describeValue(message);
  return { ename, evalue, stack: typeof stack === "string" ? stack.split("\n").slice(1) : [] };
}

/**
 * A runtime error with its stack rewritten from emitted-JavaScript positions to cell lines
 * ("at f (cell 3, line 6)"), and the failing source line quoted first. Never throws, whatever was thrown.
 */
export function describeRuntimeError(error: unknown, cells: Map<number, CellRecord>, current: number | undefined): ErrorReport {
  const { ename, evalue, stack } = errorParts(error);
  // The innermost mapped frame is quoted; `line` is the first frame inside the cell being run.
  let innermost: { count: number; line: number } | undefined;
  let inCurrent: number | undefined;
  const frames = stack
    .filter((f) => /^\s+at /.test(f))
    // Frames of Node's internals and of this kernel itself say nothing about the user's code.
    .filter((f) => !/node:internal|\bnode:vm\b/.test(f) && !f.includes(PACKAGE_DIR))
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
    .map((f) => paths.frame(f.replace(/\bat Proxy\./, "at ")));
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

/** The interrupt report: where the cell stopped (its own frames), without Node's "Script execution was interrupted". */
export function describeInterrupt(error: unknown, cells: Map<number, CellRecord>, current: number): ErrorReport {
  const report = describeRuntimeError(error, cells, current);
  const evalue = "the cell was interrupted; the kernel's state is kept";
  return { ...report, ename: "Interrupted", evalue, traceback: [`Interrupted: ${evalue}`, ...report.traceback.filter((l) => /^\s+at /.test(l))] };
}

/** Code that ran outside any cell's script (a timer, an event handler, a promise nobody awaited) failed. */
export function describeCallbackError(error: unknown, kind: "exception" | "rejection", cells: Map<number, CellRecord>, current: number | undefined): ErrorReport {
  const report = describeRuntimeError(error, cells, current);
  const what = kind === "rejection" ? "A promise rejection was not handled" : "A callback threw an exception";
  return { ...report, traceback: [`${what} (the kernel keeps running):`, ...report.traceback] };
}

export function describeDiagnostics(diagnostics: CellDiagnostic[], source: string): ErrorReport {
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
