import type * as CsvParse from "csv-parse/sync";
import { DataFileError, DataTypeError, InvalidArgumentError, ShapeError } from "../errors";
import { describe, Matrix } from "../linalg/matrix";
import { readMaybeGzip } from "./files";

export interface CsvTable {
  header: string[];
  rows: string[][];
}

/** csv-parse loads with the first CSV parsed, not with the library (the kernel preloads ml-lab). */
function csvParse(): typeof CsvParse.parse {
  return (require("csv-parse/sync") as typeof CsvParse).parse;
}

/** A CSV with a header row (quoted fields and CRLF handled by csv-parse). */
export function parseCsv(text: string, options: { delimiter?: string; source?: string } = {}): CsvTable {
  const source = options.source ?? "CSV";
  if (typeof text !== "string") throw new DataTypeError(`parseCsv needs the file's text as a string, got ${describe(text)}`);
  let records: string[][];
  try {
    records = csvParse()(text, { delimiter: options.delimiter ?? ",", skip_empty_lines: true, trim: true, relax_column_count: false });
  } catch (e) {
    throw new DataFileError(`${source} is not valid CSV: ${(e as Error).message}`);
  }
  if (records.length === 0) throw new DataFileError(`${source} is empty; expected a header row`);
  const [header, ...rows] = records;
  return { header, rows };
}

export function readCsv(path: string, options: { delimiter?: string } = {}): CsvTable {
  return parseCsv(readMaybeGzip(path, "CSV file").toString("utf8"), { ...options, source: path });
}

export interface LabelledTable {
  X: Matrix;
  /** Feature names, one per column of X. */
  features: string[];
  labels: string[];
}

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * Numeric feature columns (all but `labelColumn` unless `features` names them) as a matrix, and the label column.
 * A cell that is not a number is an error naming its row and column.
 */
export function tableToMatrix(table: CsvTable, options: { labelColumn?: string; features?: string[]; source?: string } = {}): LabelledTable {
  const source = options.source ?? "table";
  if (table === null || typeof table !== "object" || !Array.isArray(table.header) || !Array.isArray(table.rows)) {
    throw new InvalidArgumentError(`tableToMatrix needs a table { header, rows } as readCsv returns, got ${describe(table)}`);
  }
  const index = (name: string) => {
    const i = table.header.indexOf(name);
    if (i < 0) throw new ShapeError(`${source} has no column "${name}"; its columns are ${table.header.join(", ")}`);
    return i;
  };
  const labelIndex = options.labelColumn === undefined ? -1 : index(options.labelColumn);
  const features = options.features ?? table.header.filter((_, i) => i !== labelIndex);
  const featureIndex = features.map(index);
  const X = Matrix.zeros(table.rows.length, features.length);
  table.rows.forEach((row, r) => {
    featureIndex.forEach((c, j) => {
      const cell = row[c];
      // Decimal numbers only: Number() would also take "0x1F", "0b1" or "  ", which are not data.
      const value = DECIMAL.test(cell) ? Number(cell) : NaN;
      if (!Number.isFinite(value)) throw new DataFileError(`${source} row ${r + 2}, column "${table.header[c]}" is ${JSON.stringify(cell)}, not a finite number`);
      X.data[r * features.length + j] = value;
    });
  });
  return { X, features, labels: labelIndex < 0 ? [] : table.rows.map((row) => row[labelIndex]) };
}
