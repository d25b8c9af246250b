/**
 * The reduce side of the shuffle: a k-way merge of sorted run files (one per map task and spill) into groups of
 * one key's values, in key-byte order, holding one chunk of each run's bytes and one key's values in memory. Ties
 * keep run order, so values arrive in map-task order, as a stable sort of everything would give.
 */
import * as fs from "node:fs";
import { Group } from "./engine";
import { MapReduceError } from "./errors";
import { copyBytes } from "./json-bytes";
import { LineWriter } from "./line-reader";
import { compareBytes, preview } from "./protocol";

/** At most this many runs are merged at once; more are merged in passes first (Hadoop's mapreduce.task.io.sort.factor). */
export const MERGE_FACTOR = 64;

// Bytes read from a run at a time: outside V8's heap, so however many runs are merged, nothing of them is garbage.
const RUN_CHUNK = 1 << 14;

/**
 * One sorted run, a record at a time: `buf[start, tab)` is the current key, `buf[tab + 1, end)` its value. Keys
 * are compared as bytes and no string is made until a group needs its key and values.
 */
class RunReader {
  private readonly fd: number;
  private buf = Buffer.allocUnsafe(RUN_CHUNK);
  private filled = 0;
  private position = 0;
  private following = 0;
  start = 0;
  tab = 0;
  end = 0;

  constructor(readonly file: string, readonly index: number) {
    this.fd = fs.openSync(file, "r");
  }

  get bytes(): Buffer {
    return this.buf;
  }

  /** Moves to the next record; false at the end of the run. */
  next(): boolean {
    for (;;) {
      const { buf, filled } = this;
      let tab = -1;
      for (let i = this.following; i < filled; i++) {
        const c = buf[i];
        if (c === 10) return this.found(tab, i);
        if (c === 9 && tab < 0) tab = i;
      }
      if (!this.refill()) return this.following < this.filled ? this.found(tab, this.filled) : false;
    }
  }

  private found(tab: number, end: number): boolean {
    if (tab < 0) throw new MapReduceError(`shuffle: ${this.file} has a line without a tab: ${preview(this.buf.toString("utf8", this.following, end))}`);
    this.start = this.following;
    this.tab = tab;
    this.end = end;
    this.following = end + 1;
    return true;
  }

  /** Keeps the unfinished record, reads more after it; false at the end of the file. */
  private refill(): boolean {
    const rest = this.filled - this.following;
    if (rest === this.buf.length) {
      const bigger = Buffer.allocUnsafe(2 * this.buf.length); // a record longer than the buffer
      this.buf.copy(bigger, 0, this.following, this.filled);
      this.buf = bigger;
    } else this.buf.copy(this.buf, 0, this.following, this.filled);
    this.following = 0;
    this.filled = rest;
    const read = fs.readSync(this.fd, this.buf, rest, this.buf.length - rest, this.position);
    this.position += read;
    this.filled += read;
    return read > 0;
  }

  close(): void {
    fs.closeSync(this.fd);
  }
}

const before = (a: RunReader, b: RunReader) => {
  const c = compareBytes(a.bytes, a.start, a.tab - a.start, b.bytes, b.start, b.tab - b.start);
  return c < 0 || (c === 0 && a.index < b.index);
};

/** The records of sorted runs in merged order: the reader whose current record is next (use it before the next step). */
function* mergedRecords(files: string[]): Generator<RunReader> {
  // A binary heap of the runs' current records.
  const heap: RunReader[] = [];
  const readers: RunReader[] = [];
  try {
    for (let i = 0; i < files.length; i++) readers.push(new RunReader(files[i], i));
    for (const reader of readers) if (reader.next()) push(heap, reader);
    while (heap.length) {
      const top = heap[0];
      yield top;
      if (top.next()) siftDown(heap, 0);
      else {
        const last = heap.pop()!;
        if (heap.length) {
          heap[0] = last;
          siftDown(heap, 0);
        }
      }
    }
  } finally {
    for (const reader of readers) reader.close();
  }
}

function push(heap: RunReader[], reader: RunReader): void {
  heap.push(reader);
  for (let i = heap.length - 1; i > 0; ) {
    const parent = (i - 1) >> 1;
    if (!before(heap[i], heap[parent])) break;
    [heap[i], heap[parent]] = [heap[parent], heap[i]];
    i = parent;
  }
}

function siftDown(heap: RunReader[], i: number): void {
  for (;;) {
    const l = 2 * i + 1, r = l + 1;
    let best = i;
    if (l < heap.length && before(heap[l], heap[best])) best = l;
    if (r < heap.length && before(heap[r], heap[best])) best = r;
    if (best === i) return;
    [heap[i], heap[best]] = [heap[best], heap[i]];
    i = best;
  }
}

/** Groups of equal keys from sorted runs, merging in passes first when there are more than MERGE_FACTOR of them. */
export function* mergedGroups(files: string[], scratchPrefix: string): Generator<Group> {
  let runs = files;
  for (let pass = 0; runs.length > MERGE_FACTOR; pass++) {
    const merged = `${scratchPrefix}-${pass}`;
    const writer = new LineWriter(merged);
    for (const r of mergedRecords(runs.slice(0, MERGE_FACTOR))) writer.writeBytes(r.bytes, r.start, r.end);
    writer.close();
    runs = [merged, ...runs.slice(MERGE_FACTOR)];
  }
  // The current group's key bytes, copied: a reader's buffer moves on.
  let key = Buffer.allocUnsafe(256);
  let keyLength = -1;
  let group: Group | undefined;
  for (const r of mergedRecords(runs)) {
    const bytes = r.bytes, length = r.tab - r.start;
    const valueText = bytes.toString("utf8", r.tab + 1, r.end);
    if (group && compareBytes(key, 0, keyLength, bytes, r.start, length) === 0) {
      group.valueTexts.push(valueText);
      continue;
    }
    if (group) yield group;
    if (length > key.length) key = Buffer.allocUnsafe(2 * length);
    copyBytes(bytes, r.start, r.tab, key, 0);
    keyLength = length;
    group = { keyText: bytes.toString("utf8", r.start, r.tab), valueTexts: [valueText] };
  }
  if (group) yield group;
}

/** Groups of equal keys from lines already sorted by key (Hadoop Streaming's combiner and reducer input). */
export function* sortedGroups(chunks: Iterable<string[]>): Generator<Group> {
  let group: Group | undefined;
  for (const lines of chunks) {
    for (const line of lines) {
      const tab = line.indexOf("\t");
      if (tab < 0) throw new MapReduceError(`expected JSON key, a tab, JSON value; got ${preview(line)}`);
      const keyText = line.slice(0, tab);
      const valueText = line.slice(tab + 1);
      if (group && group.keyText === keyText) {
        group.valueTexts.push(valueText);
        continue;
      }
      if (group) yield group;
      group = { keyText, valueTexts: [valueText] };
    }
  }
  if (group) yield group;
}
