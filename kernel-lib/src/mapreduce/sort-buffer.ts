/**
 * A map task's output buffer, after Hadoop's (MapTask.MapOutputBuffer): pairs are kept as UTF-8 bytes in one
 * buffer with a few integers of metadata each, not as JavaScript strings and arrays, so a million small pairs take
 * tens of megabytes rather than hundreds. When the buffer reaches its budget it is sorted by (partition, key
 * bytes), combined, and spilled to one sorted run file per partition; reduce tasks merge the runs.
 */
import * as path from "node:path";
import { Group, PairSink } from "./engine";
import { LineWriter, lineChunks } from "./line-reader";
import { compareUtf8, partitionOf } from "./protocol";

/** Runs a combiner over one partition's sorted groups (absent: pairs are written as they are). */
export type Combine = (groups: Iterable<Group>, sink: PairSink) => void;

const META = 12; // bytes of metadata per pair: start, key length (Uint32 each), partition (Uint32)

interface Storage {
  bytes: Buffer;
  starts: Uint32Array;
  keyLengths: Uint32Array;
  parts: Uint32Array;
}

// A thread runs one task at a time; the next task reuses this one's grown storage instead of growing its own
// (fewer large allocations, which the allocator does not always give back).
let spare: Storage | undefined;

export class SortBuffer implements PairSink {
  private bytes: Buffer;
  private used = 0;
  private starts: Uint32Array;
  private keyLengths: Uint32Array;
  private parts: Uint32Array;
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
    const storage = spare ?? { bytes: Buffer.allocUnsafe(1 << 16), starts: new Uint32Array(1024), keyLengths: new Uint32Array(1024), parts: new Uint32Array(1024) };
    spare = undefined;
    ({ bytes: this.bytes, starts: this.starts, keyLengths: this.keyLengths, parts: this.parts } = storage);
  }

  add(keyText: string, valueText: string): void {
    const worst = 3 * (keyText.length + valueText.length) + 1;
    if (this.used + worst > this.bytes.length) this.growBytes(this.used + worst);
    if (this.count === this.starts.length) this.growMeta();
    const start = this.used;
    const keyLength = this.bytes.write(keyText, start, "utf8");
    this.bytes[start + keyLength] = 9;
    this.used = start + keyLength + 1 + this.bytes.write(valueText, start + keyLength + 1, "utf8");
    this.starts[this.count] = start;
    this.keyLengths[this.count] = keyLength;
    this.parts[this.count] = partitionOf(keyText, this.partitions);
    this.count++;
    if (this.used + META * this.count >= this.budget) this.spill();
  }

  /** Spills what is left and returns the run files per partition. */
  finish(): string[][] {
    if (this.count > 0) this.spill();
    spare = { bytes: this.bytes, starts: this.starts, keyLengths: this.keyLengths, parts: this.parts };
    return this.runs;
  }

  private growBytes(needed: number): void {
    const next = Buffer.allocUnsafe(Math.max(needed, Math.min(2 * this.bytes.length, Math.max(needed, this.budget))));
    this.bytes.copy(next, 0, 0, this.used);
    this.bytes = next;
  }

  private growMeta(): void {
    const grow = (a: Uint32Array) => {
      const next = new Uint32Array(a.length * 2);
      next.set(a);
      return next;
    };
    this.starts = grow(this.starts);
    this.keyLengths = grow(this.keyLengths);
    this.parts = grow(this.parts);
  }

  /** Sorts by partition, then key bytes, then arrival (stable), and writes one run file per partition. */
  private spill(): void {
    const { bytes, starts, keyLengths, parts } = this;
    const order = new Uint32Array(this.count);
    for (let i = 0; i < order.length; i++) order[i] = i;
    order.sort((a, b) => {
      if (parts[a] !== parts[b]) return parts[a] - parts[b];
      const sa = starts[a], sb = starts[b], la = keyLengths[a], lb = keyLengths[b];
      const n = la < lb ? la : lb;
      for (let i = 0; i < n; i++) {
        const d = bytes[sa + i] - bytes[sb + i];
        if (d !== 0) return d;
      }
      return la - lb || a - b;
    });
    let at = 0;
    for (let p = 0; p < this.partitions; p++) {
      const from = at;
      while (at < order.length && parts[order[at]] === p) at++;
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
    let last: string | undefined;
    let sorted = true;
    this.combine!(this.groups(order), {
      add: (keyText, valueText) => {
        if (sorted && last !== undefined && last !== keyText && compareUtf8(last, keyText) > 0) sorted = false;
        last = keyText;
        writer.write(`${keyText}\t${valueText}`);
      },
    });
    if (!sorted) {
      writer.close();
      resort(writer.file as string);
    }
  }

  private *groups(order: Uint32Array): Generator<Group> {
    const { bytes, starts, keyLengths } = this;
    for (let j = 0; j < order.length; ) {
      const first = order[j];
      const keyStart = starts[first], keyLength = keyLengths[first];
      const valueTexts: string[] = [];
      for (; j < order.length; j++) {
        const i = order[j];
        if (keyLengths[i] !== keyLength || bytes.compare(bytes, keyStart, keyStart + keyLength, starts[i], starts[i] + keyLength) !== 0) break;
        valueTexts.push(bytes.toString("utf8", starts[i] + keyLength + 1, this.recordEnd(i)));
      }
      yield { keyText: bytes.toString("utf8", keyStart, keyStart + keyLength), valueTexts };
    }
  }

  private recordEnd(i: number): number {
    return i + 1 < this.count ? this.starts[i + 1] : this.used;
  }
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
