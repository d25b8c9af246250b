/**
 * A map task's output buffer, after Hadoop's (MapTask.MapOutputBuffer): pairs are written as UTF-8 JSON bytes
 * into one buffer with a few integers of metadata each, not kept as JavaScript strings and arrays, and the budget
 * bounds the bytes and the metadata together. When the buffer reaches its budget it is sorted by (partition, key
 * bytes), combined, and spilled to one sorted run file per partition; reduce tasks merge the runs.
 */
import * as path from "node:path";
import { Group, PairSink } from "./engine";
import { LineWriter, lineChunks } from "./line-reader";
import { copyBytes, writeJson, writeText } from "./json-bytes";
import { compareBytes, compareUtf8, partitionOf } from "./protocol";

/** Runs a combiner over one partition's sorted groups (absent: pairs are written as they are). */
export type Combine = (groups: Iterable<Group>, sink: PairSink) => void;

// The most values a combiner gets in one call.
const COMBINE_GROUP = 1024;

// Bytes of metadata per pair, counted in the budget: start, key length, partition, and two sort slots (Uint32 each).
const META = 20;

interface Storage {
  budget: number;
  bytes: Buffer;
  starts: Uint32Array;
  keyLengths: Uint32Array;
  parts: Uint32Array;
  order: Uint32Array;
  scratch: Uint32Array;
}

// A thread runs one task at a time; the next task of the same budget reuses this one's storage instead of
// allocating its own (fewer large allocations, which the allocator does not always give back).
let spare: Storage | undefined;

/** Storage for `budget` bytes of pairs and metadata. Allocated whole but touched only as pairs arrive, so only what is used is resident. */
function storage(budget: number): Storage {
  if (spare?.budget === budget) {
    const s = spare;
    spare = undefined;
    return s;
  }
  const most = Math.floor(budget / META) + 2;
  return { budget, bytes: Buffer.allocUnsafe(budget), starts: new Uint32Array(most), keyLengths: new Uint32Array(most), parts: new Uint32Array(most), order: new Uint32Array(most), scratch: new Uint32Array(most) };
}

export class SortBuffer implements PairSink {
  private readonly storage: Storage;
  private bytes: Buffer;
  private used = 0;
  private count = 0;
  private spills = 0;
  /** Run files per partition, in spill order. */
  readonly runs: string[][];

  /**
   * @param budget bytes of pair text plus metadata held before a spill (Hadoop's mapreduce.task.io.sort.mb)
   * @param spillPrefix path prefix of this task's run files: `<prefix>-<spill>-<partition>`
   */
  constructor(
    private readonly partitions: number,
    private readonly budget: number,
    private readonly spillPrefix: string,
    private readonly combine?: Combine,
  ) {
    this.runs = Array.from({ length: partitions }, () => []);
    this.storage = storage(budget);
    this.bytes = this.storage.bytes;
  }

  emit(key: unknown, value: unknown): void {
    for (;;) {
      const keyEnd = writeJson(key, this.bytes, this.used);
      const end = keyEnd < 0 || keyEnd >= this.bytes.length ? -1 : writeJson(value, this.bytes, keyEnd + 1);
      if (end >= 0) return this.record(keyEnd, end);
      this.makeRoom();
    }
  }

  add(keyText: string, valueText: string): void {
    for (;;) {
      const keyEnd = writeText(keyText, this.bytes, this.used);
      const end = keyEnd < 0 || keyEnd >= this.bytes.length ? -1 : writeText(valueText, this.bytes, keyEnd + 1);
      if (end >= 0) return this.record(keyEnd, end);
      this.makeRoom();
    }
  }

  /** Spills what is left and returns the run files per partition. */
  finish(): string[][] {
    if (this.count > 0) this.spill();
    if (this.bytes === this.storage.bytes) spare = this.storage;
    return this.runs;
  }

  /** Notes the pair just written at `used` (key up to `keyEnd`, the record up to `end`); spills at the budget. */
  private record(keyEnd: number, end: number): void {
    const { bytes, storage } = this;
    const start = this.used;
    bytes[keyEnd] = 9;
    const i = this.count++;
    storage.starts[i] = start;
    storage.keyLengths[i] = keyEnd - start;
    storage.parts[i] = partitionOf(bytes, start, keyEnd, this.partitions);
    this.used = end;
    if (this.used + META * this.count >= this.budget) this.spill();
  }

  /** Spills, or when nothing is buffered (one pair bigger than the budget), grows the buffer for it. */
  private makeRoom(): void {
    if (this.count > 0) return this.spill();
    this.bytes = Buffer.allocUnsafe(2 * this.bytes.length);
  }

  /** Sorts by partition, then key bytes, then arrival (stable), and writes one run file per partition. */
  private spill(): void {
    const { bytes } = this;
    const { starts, keyLengths, parts } = this.storage;
    const order = sortRecords(bytes, starts, keyLengths, parts, this.count, this.storage.order, this.storage.scratch);
    let at = 0;
    for (let p = 0; p < this.partitions; p++) {
      const from = at;
      while (at < this.count && parts[order[at]] === p) at++;
      if (at === from) continue;
      const file = `${this.spillPrefix}-${this.spills}-${p}`;
      const writer = new LineWriter(file);
      if (this.combine) {
        this.combineInto(writer, order.subarray(from, at));
      } else {
        for (let j = from; j < at; j++) writer.writeBytes(bytes, starts[order[j]], this.recordEnd(order[j]));
      }
      if (!writer.closed) writer.close();
      this.runs[p].push(file);
    }
    this.spills++;
    this.count = 0;
    this.used = 0;
  }

  /**
   * The combiner over one partition's sorted pairs, written as it emits. A combiner that changes keys may break
   * their order; then the run is read back and sorted (rare, and only as big as one spill).
   */
  private combineInto(writer: LineWriter, order: Uint32Array): void {
    const keys = new KeyOrder();
    let sorted = true;
    this.combine!(this.groups(order), {
      emit(key, value) {
        writer.emit(key, value);
        if (sorted) sorted = keys.next(writer.buffer, writer.keyStart, writer.keyEnd);
      },
      add(keyText, valueText) {
        writer.add(keyText, valueText);
        if (sorted) sorted = keys.next(writer.buffer, writer.keyStart, writer.keyEnd);
      },
    });
    if (!sorted) {
      writer.close();
      resort(writer.file as string);
    }
  }

  /**
   * The combiner's input: one spill's pairs grouped by key, at most COMBINE_GROUP values at a time (a combiner may
   * run on any subset of a key's values, so a key with many values costs no more memory than one with few).
   */
  private *groups(order: Uint32Array): Generator<Group> {
    const { bytes } = this;
    const { starts, keyLengths } = this.storage;
    for (let j = 0; j < order.length; ) {
      const first = order[j];
      const keyStart = starts[first], keyLength = keyLengths[first];
      const valueTexts: string[] = [];
      for (const last = Math.min(order.length, j + COMBINE_GROUP); j < last; j++) {
        const i = order[j];
        if (keyLengths[i] !== keyLength || compareBytes(bytes, keyStart, keyLength, bytes, starts[i], keyLength) !== 0) break;
        valueTexts.push(bytes.toString("utf8", starts[i] + keyLength + 1, this.recordEnd(i)));
      }
      yield { keyText: bytes.toString("utf8", keyStart, keyStart + keyLength), valueTexts };
    }
  }

  private recordEnd(i: number): number {
    return i + 1 < this.count ? this.storage.starts[i + 1] : this.used;
  }
}

/** Whether keys arrive in byte order: each key is compared with a copy of the one before. */
class KeyOrder {
  private last = Buffer.allocUnsafe(256);
  private length = -1;

  /** False once `buf[start, end)` sorts before the key before it. */
  next(buf: Buffer, start: number, end: number): boolean {
    const n = end - start;
    if (this.length >= 0 && compareBytes(this.last, 0, this.length, buf, start, n) > 0) return false;
    if (n > this.last.length) this.last = Buffer.allocUnsafe(2 * n);
    copyBytes(buf, start, end, this.last, 0);
    this.length = n;
    return true;
  }
}

/**
 * The records' indices sorted by (partition, key bytes, index): a stable merge sort on typed arrays. By hand
 * because TypedArray#sort with a comparator copies the indices into a heap array and calls the comparator
 * through a generic path, several times slower here, and more memory outside the budget.
 */
function sortRecords(bytes: Buffer, starts: Uint32Array, keyLengths: Uint32Array, parts: Uint32Array, count: number, order: Uint32Array, scratch: Uint32Array): Uint32Array {
  const before = (a: number, b: number): boolean => {
    if (parts[a] !== parts[b]) return parts[a] < parts[b];
    const c = compareBytes(bytes, starts[a], keyLengths[a], bytes, starts[b], keyLengths[b]);
    return c < 0 || (c === 0 && a < b);
  };
  // Runs of 16 by insertion sort, then merges of doubling width between the two arrays.
  const RUN = 16;
  for (let i = 0; i < count; i++) order[i] = i;
  for (let lo = 0; lo < count; lo += RUN) {
    const hi = Math.min(lo + RUN, count);
    for (let i = lo + 1; i < hi; i++) {
      const x = order[i];
      let j = i - 1;
      for (; j >= lo && before(x, order[j]); j--) order[j + 1] = order[j];
      order[j + 1] = x;
    }
  }
  let from = order, to = scratch;
  for (let width = RUN; width < count; width *= 2) {
    for (let lo = 0; lo < count; lo += 2 * width) {
      const mid = Math.min(lo + width, count), hi = Math.min(lo + 2 * width, count);
      // Runs already in order (equal keys, presorted input) are copied after one comparison.
      if (mid === hi || !before(from[mid], from[mid - 1])) {
        to.set(from.subarray(lo, hi), lo);
        continue;
      }
      let i = lo, j = mid, k = lo;
      while (i < mid && j < hi) to[k++] = before(from[j], from[i]) ? from[j++] : from[i++];
      while (i < mid) to[k++] = from[i++];
      while (j < hi) to[k++] = from[j++];
    }
    [from, to] = [to, from];
  }
  return from.subarray(0, count);
}

/** A run file's name for a task's spills: `<dir>/map-<task>` (the buffer adds `-<spill>-<partition>`). */
export function spillPrefix(dir: string, task: number): string {
  return path.join(dir, `map-${task}`);
}

/** Sorts a run file's lines by key, stably (after a combiner that changed keys). */
function resort(file: string): void {
  const pairs: [string, string][] = [];
  for (const lines of lineChunks(file)) for (const line of lines) pairs.push([line.slice(0, line.indexOf("\t")), line]);
  pairs.sort((a, b) => compareUtf8(a[0], b[0]));
  const writer = new LineWriter(file);
  for (const [, line] of pairs) writer.write(line);
  writer.close();
}
