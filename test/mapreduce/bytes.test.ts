/**
 * The shuffle's byte-level mechanisms, which keep a job's memory bounded: pairs written as JSON bytes without
 * intermediate strings (exactly JSON.stringify's bytes), read back as JSON.parse reads them, sorted in a typed-array
 * merge sort, merged from runs read a chunk at a time, and each step's output passed on as files. Memory itself is
 * measured outside the tests (measure-memory.ts).
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import fsModule from "node:fs";
import * as path from "node:path";
import { after, describe, it, mock } from "node:test";
import { Group, PairSink } from "../../kernel-lib/src/mapreduce/engine";
import { MapReduceError } from "../../kernel-lib/src/mapreduce/errors";
import { writeJson } from "../../kernel-lib/src/mapreduce/json-bytes";
import { mergedGroups } from "../../kernel-lib/src/mapreduce/merge";
import { decodeText } from "../../kernel-lib/src/mapreduce/protocol";
import { SimRunner } from "../../kernel-lib/src/mapreduce/sim";
import { SortBuffer } from "../../kernel-lib/src/mapreduce/sort-buffer";
import { runTask } from "../../kernel-lib/src/mapreduce/tasks";
import { scratch } from "./helpers";

const s = scratch("mllab-mr-bytes-");
after(() => s.cleanup());

const LONG = "x".repeat(70);
const VALUES: unknown[] = [
  "", "a", "key123", LONG, `${LONG}é`, 'say "hi"', "back\\slash", "tab\there", "line\nbreak", "\u0001\u001f", "\u007f", "é", "€", "😀", "\ud800", "\udc00x",
  0, -0, 1, -1, 9, 10, 123456789012345, 2 ** 53 - 1, 2 ** 53, -(2 ** 53), 1e21, 1e-7, 0.1, -1.5e-7, 5e-324, Number.MAX_VALUE,
  true, false, null, [], {}, [1, "a", null, [2.5]], { a: 1, "b c": ["é", { d: false }] },
];

describe("JSON bytes", () => {
  it("writeJson writes exactly the UTF-8 bytes of JSON.stringify, or -1 when they do not fit", () => {
    for (const value of VALUES) {
      const expected = Buffer.from(JSON.stringify(value), "utf8");
      const roomy = Buffer.alloc(3 + 6 * expected.length + 32);
      const end = writeJson(value, roomy, 3);
      assert.deepEqual(roomy.subarray(3, end), expected, JSON.stringify(value));
      assert.equal(writeJson(value, Buffer.alloc(3 + expected.length - 1), 3), -1, `${JSON.stringify(value)} in a buffer one byte short`);
    }
  });

  it("decodeText reads every text JSON.stringify writes as JSON.parse does, and fails on what is not JSON", () => {
    for (const value of VALUES) {
      const text = JSON.stringify(value);
      const decoded = decodeText(text, () => text, () => "here");
      assert.deepEqual(decoded, JSON.parse(text), text);
      assert.ok(Object.is(decoded, JSON.parse(text)) || typeof decoded === "object", `${text}: the same value (-0 included)`);
    }
    for (const text of ["-0", "0", "-7", "100", "1.5", "1e3", "-1E-2", '"a"']) assert.ok(Object.is(decodeText(text, () => text, () => ""), JSON.parse(text)), text);
    for (const text of ["01", "-", "", "1.", "+1", "'a'", '"a', "0x10"]) {
      assert.throws(() => decodeText(text, () => `k\t${text}`, () => "step 1 reducer input"), (e: unknown) => e instanceof MapReduceError && /step 1 reducer input: not JSON/.test(e.message), text);
    }
  });
});

/** Seeded small integers (mulberry32). */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

/** What the shuffle must give: pairs stably sorted by their key's JSON bytes, grouped, values as JSON text. */
function reference(pairs: [unknown, unknown][]): Group[] {
  const encoded = pairs.map(([k, v]) => [JSON.stringify(k), JSON.stringify(v)] as const);
  const sorted = encoded.map((p, i) => [p, i] as const).sort((a, b) => Buffer.compare(Buffer.from(a[0][0]), Buffer.from(b[0][0])) || a[1] - b[1]);
  const groups: Group[] = [];
  for (const [[keyText, valueText]] of sorted) {
    if (groups.length && groups[groups.length - 1].keyText === keyText) groups[groups.length - 1].valueTexts.push(valueText);
    else groups.push({ keyText, valueTexts: [valueText] });
  }
  return groups;
}

/** Every pair through a sort buffer of `budget` bytes and the merge, one partition. */
function shuffle(name: string, pairs: [unknown, unknown][], budget: number, combine?: (groups: Iterable<Group>, sink: PairSink) => void): { groups: Group[]; runs: string[] } {
  const dir = fs.mkdtempSync(path.join(s.dir, `${name}-`));
  const buffer = new SortBuffer(1, budget, path.join(dir, "map-0"), combine);
  for (const [k, v] of pairs) buffer.emit(k, v);
  const [runs] = buffer.finish();
  return { groups: [...mergedGroups(runs, path.join(dir, "merge"))], runs };
}

describe("sort buffer: the merge sort on typed arrays", () => {
  const next = random(11);
  const n = 20_000;
  const orders: Record<string, [unknown, unknown][]> = {
    "keys already in order": Array.from({ length: n }, (_, i) => [`k${String(i).padStart(6, "0")}`, i]),
    "keys in reverse order": Array.from({ length: n }, (_, i) => [`k${String(n - i).padStart(6, "0")}`, i]),
    "one key": Array.from({ length: n }, (_, i) => ["same", i]),
    "random keys of mixed types and lengths": Array.from({ length: n }, (_, i) => {
      const r = Math.floor(next() * 500);
      return [[r, `k${r}`, r % 7 === 0 ? "é€😀".slice(0, r % 4) + r : -r / 4, r % 3 === 0][i % 4], { i }];
    }),
  };
  for (const [name, pairs] of Object.entries(orders)) {
    for (const budget of [2048, 64 * 1024, 4 * 2 ** 20]) {
      it(`${name}, ${budget} byte budget: sorted by key bytes, values in arrival order`, () => {
        const { groups, runs } = shuffle(name.replace(/\W+/g, "-"), pairs, budget);
        if (budget === 2048) assert.ok(runs.length > 10, `${runs.length} runs`);
        assert.deepEqual(groups, reference(pairs));
      });
    }
  }

  it("a pair bigger than the budget, the run reader's chunk and the writer's buffer goes through whole", () => {
    const big = "é".repeat(50_000) + "z".repeat(40_000);
    const pairs: [unknown, unknown][] = [["a", 1], [big, big], ["b", [big]], ["a", 2]];
    assert.deepEqual(shuffle("big", pairs, 4096).groups, reference(pairs));
  });

  it("a combiner gets at most 1024 values of a key per call, and the sum comes out whole", () => {
    const sizes: number[] = [];
    const sum = (groups: Iterable<Group>, sink: PairSink) => {
      for (const { keyText, valueTexts } of groups) {
        sizes.push(valueTexts.length);
        sink.emit(JSON.parse(keyText), valueTexts.reduce((a, v) => a + Number(v), 0));
      }
    };
    const pairs: [unknown, unknown][] = Array.from({ length: 5000 }, (_, i) => [i % 10 === 0 ? "rare" : "common", 1]);
    const { groups } = shuffle("combine", pairs, 4 * 2 ** 20, sum);
    assert.ok(Math.max(...sizes) <= 1024 && sizes.length >= 6, `combiner calls of ${sizes.join(", ")} values`);
    assert.deepEqual(groups.map((g) => [g.keyText, g.valueTexts.reduce((a, v) => a + Number(v), 0)]), [['"common"', 4500], ['"rare"', 500]]);
  });
});

describe("merge: runs are read a chunk at a time", () => {
  it("the first group of two 1 MB runs comes after reading a few kilobytes of them", () => {
    const dir = fs.mkdtempSync(path.join(s.dir, "stream-"));
    const runs = [0, 1].map((r) => {
      const file = path.join(dir, `run-${r}`);
      fs.writeFileSync(file, Array.from({ length: 50_000 }, (_, i) => `"k${String(i).padStart(6, "0")}"\t${r}\n`).join(""));
      return file;
    });
    // The module object merge.ts calls (a namespace import's bindings cannot be replaced).
    const reads = mock.method(fsModule, "readSync");
    try {
      const groups = mergedGroups(runs, path.join(dir, "merge"));
      assert.deepEqual(groups.next().value, { keyText: '"k000000"', valueTexts: ["0", "1"] });
      const bytesRead = reads.mock.calls.reduce((total, call) => total + (call.result as number), 0);
      assert.ok(bytesRead > 0 && bytesRead <= 2 * 16 * 1024, `${bytesRead} bytes read for the first group`);
      let count = 1;
      for (const g of groups) count += g.valueTexts.length === 2 ? 1 : 0;
      assert.equal(count, 50_000);
    } finally {
      reads.mock.restore();
    }
  });
});

describe("between steps: files, not memory", () => {
  it("a step's output is part files in the work folder, the next step reads them and removes them", async () => {
    const input = s.write("steps.txt", Array.from({ length: 3000 }, (_, i) => `w${i % 300}`).join("\n") + "\n");
    const job = s.job(`() => [
      { mapper: (_k, line) => [[line, 1]], reducer: (k, vs) => [[k, vs.length]] },
      { mapper: (k, n) => [[n, k]], reducer: (n, ks) => [[n, ks.length]] },
    ]`);
    const runner = new SimRunner("inline", job, { input: [input], sortBufferMb: 1 / 16 }, { mapTasks: 2, partitions: 2, parallel: false }, async (task) => runTask(task));
    const signal = new AbortController().signal;
    try {
      const step0 = (await runner.runStep(0, await runner.prepare(), false, signal)).output;
      assert.equal(step0.length, 2, "one part file per partition");
      const lines = step0.flatMap(({ file }) => fs.readFileSync(file, "utf8").trim().split("\n"));
      assert.equal(lines.length, 300);
      assert.ok(lines.every((l) => /^"w\d+"\t10$/.test(l)), lines[0]);
      const step1 = (await runner.runStep(1, step0, true, signal)).output;
      assert.ok(step0.every(({ file }) => !fs.existsSync(file)), "step 0's part files are removed once step 1 has read them");
      assert.deepEqual(await runner.readOutput(step1), ["10\t300"]);
    } finally {
      await runner.cleanup();
    }
  });
});
