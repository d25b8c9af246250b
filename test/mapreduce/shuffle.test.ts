/**
 * The shuffle with bounded memory: map output sorted in a compact buffer and spilled to sorted runs on disk when
 * it reaches its budget, runs merged in passes when there are many, keys in UTF-8 byte order. The mechanism is
 * checked (spills happen, and change nothing in the output); memory itself is measured outside the tests.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, describe, it } from "node:test";
import { Group } from "../../kernel-lib/src/mapreduce/engine";
import { MERGE_FACTOR, mergedGroups } from "../../kernel-lib/src/mapreduce/merge";
import { compareUtf8 } from "../../kernel-lib/src/mapreduce/protocol";
import { SortBuffer } from "../../kernel-lib/src/mapreduce/sort-buffer";
import { mr, runners, scratch } from "./helpers";

const s = scratch("mllab-mr-shuffle-");
after(() => s.cleanup());

/** A seeded stream of small integers (mulberry32). */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

const ALPHABET = ["a", "B", "é", "ü", "€", "\uffee", "\ue000", "😀", "𝄞", "\t", "\\", '"', "0", "~"];

describe("key order", () => {
  it("compareUtf8 orders strings as Buffer.compare orders their UTF-8 bytes, surrogate pairs included", () => {
    const next = random(7);
    const word = () => Array.from({ length: Math.floor(next() * 5) }, () => ALPHABET[Math.floor(next() * ALPHABET.length)]).join("");
    for (let i = 0; i < 20_000; i++) {
      const a = word(), b = word();
      assert.equal(Math.sign(compareUtf8(a, b)), Math.sign(Buffer.compare(Buffer.from(a), Buffer.from(b))), `${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
    }
  });
});

describe("sort buffer and merge", () => {
  /** Pairs with repeated keys, as encoded text: [keyText, valueText]. */
  function pairs(n: number, keys: number): [string, string][] {
    const next = random(n);
    return Array.from({ length: n }, (_, i) => [JSON.stringify(`k${Math.floor(next() * keys)}${ALPHABET[i % ALPHABET.length]}`), JSON.stringify(i)]);
  }

  /** The reference: every pair sorted by key bytes (stable), grouped. */
  function reference(all: [string, string][], partition: (k: string) => boolean): Group[] {
    const sorted = all.filter(([k]) => partition(k)).sort((a, b) => Buffer.compare(Buffer.from(a[0]), Buffer.from(b[0])));
    const groups: Group[] = [];
    for (const [keyText, valueText] of sorted) {
      if (groups.length && groups[groups.length - 1].keyText === keyText) groups[groups.length - 1].valueTexts.push(valueText);
      else groups.push({ keyText, valueTexts: [valueText] });
    }
    return groups;
  }

  it("a small budget spills many sorted runs per partition; merging them gives the in-memory sort, values in arrival order", () => {
    const dir = fs.mkdtempSync(path.join(s.dir, "spill-"));
    const all = pairs(20_000, 3000);
    const buffer = new SortBuffer(3, 16 * 1024, path.join(dir, "map-0"));
    for (const [k, v] of all) buffer.add(k, v);
    const runs = buffer.finish();
    assert.ok(runs.every((r) => r.length > 5), `spills per partition: ${runs.map((r) => r.length)}`);
    const seen = new Set<string>();
    runs.forEach((files, p) => {
      const merged = [...mergedGroups(files, path.join(dir, `merge-${p}`))];
      const keys = new Set(merged.map((g) => g.keyText));
      for (const k of keys) seen.add(k);
      // Which partition a key went to is the buffer's business; the groups must be exactly those keys' pairs.
      assert.deepEqual(merged, reference(all, (k) => keys.has(k)));
    });
    assert.equal(seen.size, new Set(all.map(([k]) => k)).size, "every key in exactly one partition");
  });

  it(`more than ${MERGE_FACTOR} runs are merged in passes, with the same result`, () => {
    const dir = fs.mkdtempSync(path.join(s.dir, "passes-"));
    const all = pairs(30_000, 500);
    const buffer = new SortBuffer(1, 4096, path.join(dir, "map-0"));
    for (const [k, v] of all) buffer.add(k, v);
    const [files] = buffer.finish();
    assert.ok(files.length > 2 * MERGE_FACTOR, `${files.length} runs`);
    assert.deepEqual([...mergedGroups(files, path.join(dir, "merge"))], reference(all, () => true));
    assert.ok(fs.readdirSync(dir).some((f) => f.startsWith("merge-")), "an intermediate merge was written");
  });

  it("a combiner runs on each spill; one that changes keys has its run sorted again", () => {
    const dir = fs.mkdtempSync(path.join(s.dir, "combine-"));
    const all = pairs(5000, 200);
    const reversed = (g: Iterable<Group>, sink: { add(k: string, v: string): void }) => {
      // Emits each key's count under a key that sorts the other way round.
      for (const { keyText, valueTexts } of g) sink.add(JSON.stringify(`${1e6 - Number(JSON.parse(keyText).match(/\d+/)[0])}`), String(valueTexts.length));
    };
    const buffer = new SortBuffer(1, 8 * 1024, path.join(dir, "map-0"), reversed);
    for (const [k, v] of all) buffer.add(k, v);
    const [files] = buffer.finish();
    for (const file of files) {
      const keys = fs.readFileSync(file, "utf8").trim().split("\n").map((l) => l.slice(0, l.indexOf("\t")));
      assert.deepEqual(keys, [...keys].sort(compareUtf8), `${path.basename(file)} is sorted`);
    }
    const total = [...mergedGroups(files, path.join(dir, "merge"))].reduce((t, g) => t + g.valueTexts.reduce((a, v) => a + Number(v), 0), 0);
    assert.equal(total, all.length);
  });
});

describe("jobs give the same output however often they spill", () => {
  for (const [name, run] of runners) {
    it(`${name}: 100,000 distinct keys through two steps, with a 64 KB sort buffer and the default`, async () => {
      const lines = Array.from({ length: 100_000 }, (_, i) => `key${(i * 7919) % 100_000}`);
      const input = s.write(`keys-${name}.txt`, lines.concat(lines.slice(0, 1000)).join("\n") + "\n");
      const job = s.job(`() => [
        { mapper: (_k, line) => [[line, 1]], combiner: (k, vs) => [[k, vs.reduce((a, b) => a + b, 0)]], reducer: (k, vs) => [[k, vs.reduce((a, b) => a + b, 0)]] },
        { mapper: (k, count) => [[count, 1]], reducer: (count, ones) => [[count, ones.length]] },
      ]`);
      const small = await run(job, { input: [input], sortBufferMb: 1 / 16 });
      const large = await run(job, { input: [input] });
      assert.deepEqual(small.output.sort(), [[1, 99_000], [2, 1000]]);
      assert.deepEqual(large.output.sort(), small.output);
    });
  }

  it("a job module edited between runs is loaded afresh", async () => {
    const input = s.write("edit.txt", "a\n");
    const file = s.job(`() => [{ mapper: (_k, line) => [[line, "first"]] }]`, "edited");
    assert.deepEqual((await mr.runLocal(file, { input: [input], workers: 1 })).output, [["a", "first"]]);
    fs.writeFileSync(file, fs.readFileSync(file, "utf8").replace('"first"', '"second"'));
    fs.utimesSync(file, new Date(), new Date(Date.now() + 5000)); // a newer mtime even on a coarse clock
    assert.deepEqual((await mr.runLocal(file, { input: [input], workers: 1 })).output, [["a", "second"]]);
    assert.deepEqual((await mr.runInline(file, { input: [input] })).output, [["a", "second"]]);
  });
});
