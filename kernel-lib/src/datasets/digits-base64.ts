import { DataFileError, DataTypeError } from "../errors";
import { describe, Matrix } from "../linalg/matrix";
import { readMaybeGzip } from "./files";
import { ImageDataset } from "./idx";

/**
 * The MNIST k-means homework's `digits.base64.json`: one JSON object per line, {"label": 7, "data": "<base64 of 784 unsigned bytes>"}.
 * Pixel values stay 0…255 as in the seed (it converts to float64 without scaling) unless `scale: true`.
 */
export function parseDigitsBase64(text: string, options: { scale?: boolean; source?: string } = {}): ImageDataset {
  const source = options.source ?? "digits file";
  if (typeof text !== "string") throw new DataTypeError(`parseDigitsBase64 needs the file's text as a string, got ${describe(text)}`);
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== "");
  if (lines.length === 0) throw new DataFileError(`${source} has no digits`);
  let size = -1;
  const rows: Uint8Array[] = [];
  const labels = new Int32Array(lines.length);
  lines.forEach((line, i) => {
    let record: { label?: unknown; data?: unknown };
    try {
      record = JSON.parse(line);
    } catch {
      throw new DataFileError(`${source} line ${i + 1} is not JSON: ${line.slice(0, 60)}…`);
    }
    if (record === null || typeof record !== "object" || !Number.isInteger(record.label) || typeof record.data !== "string") {
      throw new DataFileError(`${source} line ${i + 1} needs an integer "label" and a base64 "data" string`);
    }
    const bytes = Buffer.from(record.data, "base64");
    if (size < 0) size = bytes.length;
    if (bytes.length !== size) throw new DataFileError(`${source} line ${i + 1} has ${bytes.length} pixels but line 1 has ${size}`);
    rows.push(bytes);
    labels[i] = record.label as number;
  });
  const side = Math.round(Math.sqrt(size));
  const images = Matrix.zeros(rows.length, size);
  const factor = options.scale ? 1 / 255 : 1;
  rows.forEach((r, i) => {
    for (let j = 0; j < size; j++) images.data[i * size + j] = r[j] * factor;
  });
  return { images, labels, imageShape: side * side === size ? [side, side] : [1, size] };
}

export function readDigitsBase64(path: string, options: { scale?: boolean } = {}): ImageDataset {
  return parseDigitsBase64(readMaybeGzip(path, "digits file").toString("utf8"), { ...options, source: path });
}
