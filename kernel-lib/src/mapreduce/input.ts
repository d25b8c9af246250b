import * as fs from "node:fs";
import { MapReduceError } from "./errors";

export interface InputSplit {
  file: string;
  /** How errors name the file: the path as the user gave it, or "step 0's output part-00001". */
  label: string;
  /** Byte range [start, end), both on line starts. */
  start: number;
  end: number;
}

/** A step's input file and how errors name it. */
export interface InputFile {
  file: string;
  label: string;
}

/** The size of an input file, or a MapReduceError naming it and where relative paths resolve from. */
export function checkFile(file: string): number {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    throw new MapReduceError(`input file not found: ${file} (relative paths resolve from ${process.cwd()})`);
  }
  if (!stat.isFile()) throw new MapReduceError(`input ${file} is not a file; list the files in it: input: [${JSON.stringify(`${file}/part-1.txt`)}, …]`);
  return stat.size;
}

/**
 * Cuts the files into about `count` splits of whole lines, Hadoop's rule for where a line belongs (the split its
 * first byte falls in); every non-empty file gets at least one. Only the bytes around each cut are read.
 */
export function makeSplits(files: InputFile[], count: number): InputSplit[] {
  const sizes = files.map((f) => checkFile(f.file));
  const total = sizes.reduce((a, b) => a + b, 0);
  const target = Math.max(1, Math.ceil(total / Math.max(1, count)));
  const splits: InputSplit[] = [];
  files.forEach(({ file, label }, f) => {
    const fd = fs.openSync(file, "r");
    try {
      for (let start = 0; start < sizes[f]; ) {
        const end = start + target >= sizes[f] ? sizes[f] : nextLineStart(fd, start + target - 1, sizes[f]);
        splits.push({ file, label, start, end });
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
