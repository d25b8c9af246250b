import { ShapeError } from "../errors";
import { ContingencyTable } from "../metrics/classification";
import { MIME, MimeBundle } from "../output-contract";

export interface TableOptions {
  /** Column headings. */
  columns: string[];
  /** One array of cells per row; numbers are right-aligned (and formatted with `digits` when given). */
  rows: (string | number)[][];
  title?: string;
  /** Decimals for number cells (default: as given). */
  digits?: number;
  /** Headings of the first column's cells (`<th scope="row">`), e.g. cluster ids. Default true. */
  rowHeadings?: boolean;
}

const escape = (s: string) => s.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]!);

/**
 * A table as text/html (VS Code, Jupyter and GitHub draw it as a table; colours from the VS Code theme where
 * there is one) with an aligned text/plain version for plain viewers and screen readers.
 */
export function table(options: TableOptions): MimeBundle & { toMimeBundle(): MimeBundle } {
  const { columns, rows } = options;
  rows.forEach((r, i) => {
    if (r.length !== columns.length) throw new ShapeError(`row ${i} has ${r.length} cells for ${columns.length} columns`);
  });
  const show = (v: string | number) => (typeof v === "number" ? (options.digits === undefined ? String(v) : v.toFixed(options.digits)) : v);
  const cells = rows.map((r) => r.map(show));
  const numeric = columns.map((_, j) => rows.length > 0 && rows.every((r) => typeof r[j] === "number"));
  const rowHeadings = options.rowHeadings ?? true;
  const border = "border-bottom:1px solid var(--vscode-editorWidget-border, rgba(128,128,128,0.4))";
  const cell = (text: string, j: number, tag: "td" | "th", scope?: string) =>
    `<${tag}${scope ? ` scope="${scope}"` : ""} style="padding:3px 10px;text-align:${numeric[j] ? "right" : "left"};${border}">${escape(text)}</${tag}>`;
  const html = [
    `<table style="border-collapse:collapse;font-variant-numeric:tabular-nums;margin:4px 0">`,
    ...(options.title ? [`<caption style="text-align:left;font-weight:600;padding-bottom:4px">${escape(options.title)}</caption>`] : []),
    `<thead><tr>${columns.map((c, j) => cell(c, j, "th", "col")).join("")}</tr></thead>`,
    `<tbody>${cells.map((r) => `<tr>${r.map((c, j) => (j === 0 && rowHeadings ? cell(c, j, "th", "row") : cell(c, j, "td"))).join("")}</tr>`).join("")}</tbody>`,
    `</table>`,
  ].join("");
  const widths = columns.map((c, j) => Math.max(c.length, ...cells.map((r) => r[j].length)));
  const line = (r: string[]) => r.map((c, j) => (numeric[j] ? c.padStart(widths[j]) : c.padEnd(widths[j]))).join("  ").trimEnd();
  const text = [...(options.title ? [options.title] : []), line(columns), ...cells.map(line)].join("\n");
  const bundle: MimeBundle = { [MIME.html]: html, [MIME.text]: text };
  return Object.assign(bundle, { toMimeBundle: () => bundle });
}

/** A cluster-vs-label table as HTML, with its text form (the one `toString()` gives) as the fallback. */
export function contingencyTableBundle(t: ContingencyTable): MimeBundle {
  const html = table({ columns: ["cluster", ...t.classes.map(String)], rows: t.counts.map((r, i) => [String(t.clusters[i]), ...r]) })[MIME.html];
  return { [MIME.html]: html, [MIME.text]: t.toString() };
}

export function isContingencyTable(value: unknown): value is ContingencyTable {
  const v = value as Partial<ContingencyTable> | null;
  return typeof v === "object" && v !== null && Array.isArray(v.clusters) && Array.isArray(v.classes) && Array.isArray(v.counts) && typeof v.toString === "function";
}
