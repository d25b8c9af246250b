/**
 * Reading text files a chunk at a time, synchronously (tasks are synchronous code in a worker thread or a Hadoop
 * Streaming process), so that a task holds one chunk of its input, never the whole split. Node's readline is
 * asynchronous and per line; this is the small synchronous equivalent.
 */
import * as fs from "node:fs";
import type { PairSink } from "./engine";
import { copyBytes, writeJson, writeText } from "./json-bytes";

// Bytes read at a time: big enough that the per-read cost does not show.
const CHUNK = 1 << 16;
// Bytes of lines made into strings at a time: small enough that they die young. The strings still unused at a
// scavenge survive it, and what survives is what grows V8's young generation (to 32 MB in a kernel's main thread)
// and fills the old one (8 KB rather than 64 KB took the 10^6-key job's inline peak down by 15 MB).
const LINES_BYTES = 1 << 13;

/**
 * The lines of bytes [start, end) of a file (or of a file descriptor such as stdin, read to its end), a chunk's
 * worth at a time, without "\r" at line ends and without the empty string after a final newline. Chunks are cut
 * at newlines, so a multi-byte character is never split (a UTF-8 continuation byte is never "\n").
 */
export function* lineChunks(source: string | number, start = 0, end = Infinity, chunkBytes = CHUNK): Generator<string[]> {
  const fd = typeof source === "number" ? source : fs.openSync(source, "r");
  try {
    // The buffer holds the unfinished last line of the previous read, then the new bytes.
    let buffer = Buffer.allocUnsafe(chunkBytes);
    let carry = 0;
    let position = start;
    for (;;) {
      if (carry === buffer.length) {
        const bigger = Buffer.allocUnsafe(buffer.length * 2); // one line longer than the buffer
        buffer.copy(bigger, 0, 0, carry);
        buffer = bigger;
      }
      const want = Math.min(buffer.length - carry, end - position);
      const read = want > 0 ? readSome(fd, buffer, carry, want, typeof source === "number" ? null : position) : 0;
      position += read;
      const filled = carry + read;
      if (read === 0) {
        if (filled) yield splitLines(buffer.toString("utf8", 0, filled));
        return;
      }
      const cut = buffer.lastIndexOf(10, filled - 1);
      if (cut < 0) {
        carry = filled;
        continue;
      }
      // Lines a slice of about LINES_BYTES at a time, so that few are alive at once (see LINES_BYTES).
      for (let from = 0; from <= cut; ) {
        const next = from + LINES_BYTES > cut ? -1 : buffer.indexOf(10, from + LINES_BYTES);
        const to = next < 0 || next > cut ? cut + 1 : next + 1;
        yield splitLines(buffer.toString("utf8", from, to));
        from = to;
      }
      carry = buffer.copy(buffer, 0, cut + 1, filled);
    }
  } finally {
    if (typeof source !== "number") fs.closeSync(fd);
  }
}

/** Reads up to `length` bytes; a non-blocking pipe that has nothing yet (EAGAIN) is waited on briefly. */
function readSome(fd: number, buffer: Buffer, offset: number, length: number, position: number | null): number {
  for (;;) {
    try {
      return fs.readSync(fd, buffer, offset, length, position);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EAGAIN") throw e;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
    }
  }
}

/** Lines of a text, without the empty string after a final newline and without Windows' "\r". */
export function splitLines(text: string): string[] {
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  for (let i = 0; i < lines.length; i++) if (lines[i].endsWith("\r")) lines[i] = lines[i].slice(0, -1);
  return lines;
}

/** Lines before byte `offset` of a file: counted only to name a failing line. */
export function linesBefore(file: string, offset: number): number {
  let count = 0;
  const buffer = Buffer.allocUnsafe(CHUNK);
  const fd = fs.openSync(file, "r");
  try {
    for (let position = 0; position < offset; ) {
      const read = fs.readSync(fd, buffer, 0, Math.min(buffer.length, offset - position), position);
      if (read === 0) break;
      for (let at = buffer.indexOf(10); at >= 0 && at < read; at = buffer.indexOf(10, at + 1)) count++;
      position += read;
    }
  } finally {
    fs.closeSync(fd);
  }
  return count;
}

/**
 * Writes lines to a file (or a file descriptor such as stdout) through a byte buffer, synchronously; `close()`
 * flushes. Spills and step outputs are always new files in the job's own work folder. As a PairSink it writes
 * pairs as JSON-protocol lines; the last pair's key bytes are `buffer[keyStart, keyEnd)` until the next write.
 */
export class LineWriter implements PairSink {
  buffer = Buffer.allocUnsafe(CHUNK);
  private used = 0;
  keyStart = 0;
  keyEnd = 0;
  closed = false;
  private readonly fd: number;

  constructor(readonly file: string | number) {
    this.fd = typeof file === "number" ? file : fs.openSync(file, "w");
  }

  write(line: string): void {
    for (;;) {
      const end = writeText(line, this.buffer, this.used);
      if (end >= 0 && end < this.buffer.length) {
        this.buffer[end] = 10;
        this.used = end + 1;
        return;
      }
      this.makeRoom();
    }
  }

  /** A pair the job emitted (checked by checkPair), as JSON key, tab, JSON value. */
  emit(key: unknown, value: unknown): void {
    for (;;) {
      const keyEnd = writeJson(key, this.buffer, this.used);
      if (this.placed(keyEnd, this.fits(keyEnd) ? writeJson(value, this.buffer, keyEnd + 1) : -1)) return;
      this.makeRoom();
    }
  }

  /** A pair already in JSON text. */
  add(keyText: string, valueText: string): void {
    for (;;) {
      const keyEnd = writeText(keyText, this.buffer, this.used);
      if (this.placed(keyEnd, this.fits(keyEnd) ? writeText(valueText, this.buffer, keyEnd + 1) : -1)) return;
      this.makeRoom();
    }
  }

  /** Whether a key written up to `keyEnd` (−1: it did not fit) leaves room for its tab and a value. */
  private fits(keyEnd: number): boolean {
    return keyEnd >= 0 && keyEnd + 1 < this.buffer.length;
  }

  /**
   * Completes a pair written as key bytes up to `keyEnd` and value bytes up to `valueEnd` (−1: it did not fit) with
   * its tab and newline; false when it did not fit, to be written again after makeRoom.
   */
  private placed(keyEnd: number, valueEnd: number): boolean {
    if (valueEnd < 0 || valueEnd >= this.buffer.length) return false;
    this.buffer[keyEnd] = 9;
    this.buffer[valueEnd] = 10;
    this.keyStart = this.used;
    this.keyEnd = keyEnd;
    this.used = valueEnd + 1;
    return true;
  }

  /** Copies bytes [start, end) of `source` (a whole record; the newline is added). */
  writeBytes(source: Buffer, start: number, end: number): void {
    while (this.used + end - start + 1 > this.buffer.length) this.makeRoom();
    copyBytes(source, start, end, this.buffer, this.used);
    this.used += end - start;
    this.buffer[this.used++] = 10;
  }

  /** Flushes, or when the buffer is already empty, doubles it: a record always fits whole (it is in memory anyway). */
  private makeRoom(): void {
    if (this.used > 0) this.flush();
    else this.buffer = Buffer.allocUnsafe(2 * this.buffer.length);
  }

  flush(): void {
    if (this.used) writeAll(this.fd, this.buffer.subarray(0, this.used));
    this.used = 0;
  }

  close(): void {
    this.flush();
    if (typeof this.file !== "number") fs.closeSync(this.fd);
    this.closed = true;
  }
}

/** fs.writeSync until every byte is out (pipes take partial writes, and a non-blocking one may say EAGAIN). */
function writeAll(fd: number, bytes: Buffer): void {
  for (let offset = 0; offset < bytes.length; ) {
    try {
      offset += fs.writeSync(fd, bytes, offset, bytes.length - offset);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EAGAIN") throw e;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
    }
  }
}
