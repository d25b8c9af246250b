import * as fs from "node:fs";
import { MapReduceError } from "./job";
import { InputLines } from "./engine";

export interface InputSplit {
  file: string;
  /** Byte range [start, end), both on line starts. */
  start: number;
  end: number;
}

function checkFile(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    throw new MapReduceError(`input file not found: ${file} (relative paths resolve from ${process.cwd()})`);
  }
}

/** Every line of the files, numbered (inline runner). */
export function readLines(files: string[]): InputLines {
  const all: string[] = [];
  const starts: { file: string; from: number }[] = [];
  for (const file of files) {
    checkFile(file);
    starts.push({ file, from: all.length });
    for (const line of splitLines(fs.readFileSync(file, "utf8"))) all.push(line);
  }
  return {
    lines: all,
    where: (i) => {
      const at = starts.filter((s) => s.from <= i).pop()!;
      return `${at.file} line ${i - at.from + 1}`;
    },
  };
}

/** Lines of a text, without the empty string after a final newline and without Windows' "\r". */
export function splitLines(text: string): string[] {
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  for (let i = 0; i < lines.length; i++) if (lines[i].endsWith("\r")) lines[i] = lines[i].slice(0, -1);
  return lines;
}

/**
 * Cuts the files into about `count` splits of whole lines, Hadoop's rule for where a line belongs (the split its
 * first byte falls in). Only the bytes around each cut are read.
 */
export function makeSplits(files: string[], count: number): InputSplit[] {
  const sizes = files.map(checkFile);
  const total = sizes.reduce((a, b) => a + b, 0);
  const target = Math.max(1, Math.ceil(total / Math.max(1, count)));
  const splits: InputSplit[] = [];
  files.forEach((file, f) => {
    const fd = fs.openSync(file, "r");
    try {
      for (let start = 0; start < sizes[f]; ) {
        const end = start + target >= sizes[f] ? sizes[f] : nextLineStart(fd, start + target - 1, sizes[f]);
        splits.push({ file, start, end });
        start = end;
      }
    } finally {
      fs.closeSync(fd);
    }
  });
  return splits;
}

/** The offset just after the first "\n" at or after `at` (or the file's end). */
function nextLineStart(fd: number, at: number, size: number): number {
  const chunk = Buffer.alloc(64 * 1024);
  for (let pos = at; pos < size; pos += chunk.length) {
    const read = fs.readSync(fd, chunk, 0, chunk.length, pos);
    const nl = chunk.subarray(0, read).indexOf(10);
    if (nl >= 0) return pos + nl + 1;
  }
  return size;
}

/** Lines before byte `offset` of a file: counted only to name a failing line. */
function linesBefore(file: string, offset: number): number {
  const bytes = fs.readFileSync(file).subarray(0, offset);
  let count = 0;
  for (let at = bytes.indexOf(10); at >= 0; at = bytes.indexOf(10, at + 1)) count++;
  return count;
}

/** The lines of one split (its bounds fall on line starts), named by their line number in the file. */
export function readSplit(split: InputSplit): InputLines {
  const fd = fs.openSync(split.file, "r");
  try {
    const buffer = Buffer.alloc(split.end - split.start);
    fs.readSync(fd, buffer, 0, buffer.length, split.start);
    return { lines: splitLines(buffer.toString("utf8")), where: (i) => `${split.file} line ${linesBefore(split.file, split.start) + i + 1}` };
  } finally {
    fs.closeSync(fd);
  }
}

