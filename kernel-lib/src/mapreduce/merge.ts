/**
 * The reduce side of the shuffle: a k-way merge of sorted run files (one per map task and spill) into groups of
 * one key's values, in key-byte order, holding one chunk of each run and one key's values in memory. Ties keep run
 * order, so values arrive in map-task order, as a stable sort of everything would give.
 */
import { Group } from "./engine";
import { MapReduceError } from "./errors";
import { LineWriter, lineChunks } from "./line-reader";
import { compareUtf8, preview } from "./protocol";

/** At most this many runs are merged at once; more are merged in passes first (Hadoop's mapreduce.task.io.sort.factor). */
export const MERGE_FACTOR = 64;

class RunReader {
  private readonly chunks: Generator<string[]>;
  private lines: string[] = [];
  private at = 0;
  keyText = "";
  valueText = "";

  constructor(readonly file: string, readonly index: number) {
    this.chunks = lineChunks(file, 0, Infinity, 1 << 16);
  }

  /** Moves to the next pair; false at the end of the run. */
  next(): boolean {
    while (this.at >= this.lines.length) {
      const chunk = this.chunks.next();
      if (chunk.done) return false;
      this.lines = chunk.value;
      this.at = 0;
    }
    const line = this.lines[this.at++];
    const tab = line.indexOf("\t");
    if (tab < 0) throw new MapReduceError(`shuffle: ${this.file} has a line without a tab: ${preview(line)}`);
    this.keyText = line.slice(0, tab);
    this.valueText = line.slice(tab + 1);
    return true;
  }

  close(): void {
    this.chunks.return(undefined);
  }
}

const before = (a: RunReader, b: RunReader) => {
  const c = compareUtf8(a.keyText, b.keyText);
  return c < 0 || (c === 0 && a.index < b.index);
};

/** The pairs of sorted runs in merged order, as [keyText, valueText] (one array reused: copy what you keep). */
function* mergedPairs(files: string[]): Generator<readonly [string, string]> {
  // A binary heap of the runs' current pairs.
  const heap: RunReader[] = [];
  const readers = files.map((file, i) => new RunReader(file, i));
  try {
    for (const reader of readers) if (reader.next()) push(heap, reader);
    const pair: [string, string] = ["", ""];
    while (heap.length) {
      const top = heap[0];
      pair[0] = top.keyText;
      pair[1] = top.valueText;
      yield pair;
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
    for (const [k, v] of mergedPairs(runs.slice(0, MERGE_FACTOR))) writer.write(`${k}\t${v}`);
    writer.close();
    runs = [merged, ...runs.slice(MERGE_FACTOR)];
  }
  let group: Group | undefined;
  for (const [keyText, valueText] of mergedPairs(runs)) {
    if (group && group.keyText === keyText) {
      group.valueTexts.push(valueText);
      continue;
    }
    if (group) yield group;
    group = { keyText, valueTexts: [valueText] };
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
