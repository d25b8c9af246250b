import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import * as ml from "../../kernel-lib/src";

const mr = ml.mapreduce;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mllab-mr-"));
after(() => fs.rmSync(dir, { recursive: true, force: true }));
const wordCount = path.join(__dirname, "jobs/word-count.ts");
const failing = path.join(__dirname, "jobs/failing.ts");
const runners = [
  ["inline", (job: string, o: ml.mapreduce.LocalOptions) => mr.runInline(job, o)],
  ["local", (job: string, o: ml.mapreduce.LocalOptions) => mr.runLocal(job, { ...o, workers: 2 })],
] as const;

function write(name: string, text: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

describe("MapReduce jobs: inline and local runners", () => {
  let text: string, corpus: string;
  before(() => {
    const words = ["apple", "Banana", "cherry", "Äpfel", "zebra", "apple", "b"];
    const lines = Array.from({ length: 5000 }, (_, i) => Array.from({ length: 1 + (i % 6) }, (_, j) => words[(i * 7 + j * 3) % words.length]).join(" "));
    text = lines.join("\n") + "\n";
    corpus = write("corpus.txt", text);
  });

  it("both runners give the same two-step word count and max, with counters, and the right answer", async () => {
    const counts = new Map<string, number>();
    for (const w of text.toLowerCase().split(/[^\p{L}\p{N}]+/u)) if (w) counts.set(w, (counts.get(w) ?? 0) + 1);
    const top = Math.max(...counts.values());
    const expected = [...counts].filter(([, c]) => c === top).map(([w, c]) => [w, c]).sort();
    for (const [name, run] of runners) {
      const result = await run(wordCount, { input: [corpus] });
      assert.deepEqual(result.output, expected, name);
      assert.equal(result.counters.words.seen, [...counts.values()].reduce((a, b) => a + b, 0), name);
      assert.ok(result.counters.words.combined >= 1, name);
      assert.equal(result.stepTimes.length, 2);
    }
  });

  it("a job module's require(\"ml-lab\") finds the library running it, on every runner, where none is installed next to it", async () => {
    const job = write("needs-ml-lab.js", 'const { mapreduce } = require("ml-lab");\nmodule.exports = mapreduce.defineJob({ name: "lengths", steps: () => [{ mapper: (_k, line) => [[line, line.length]] }] });\n');
    assert.ok(!fs.existsSync(path.join(dir, "node_modules")));
    for (const [name, run] of runners) assert.deepEqual((await run(job, { input: [write("two.txt", "ab\nc\n")] })).output, [["ab", 2], ["c", 1]], name);
  });

  it("reducers see keys sorted by their bytes and values grouped per key (split at the first tab)", async () => {
    const job = write("sorted-keys.js", `
      const { defineJob } = require(${JSON.stringify(path.resolve(__dirname, "../../kernel-lib/src/mapreduce/job.ts"))});
      module.exports = defineJob({ name: "keys", steps: () => [
        { mapper: (_k, line) => [[line.split(" ")[0], line.split(" ").slice(1).join(" ")]] },
        { mapper: (k, v) => [[null, [k, v]]], reducer: (_k, all) => [["order", all]] },
      ] });`);
    const input = write("keys.txt", ["b x\tone", "a two", "B three", "é four", "b five", "ab six"].join("\n"));
    const inline = await mr.runInline(job, { input: [input] });
    const local = await mr.runLocal(job, { input: [input], workers: 2 });
    // UTF-8 byte order of the JSON keys: "B" < "a" < "ab" < "b" < "é"; both values of "b" arrive together.
    const keys = (inline.output[0][1] as [string, string][]).map((p) => p[0]);
    assert.deepEqual(keys, ["B", "a", "ab", "b", "b", "é"]);
    assert.deepEqual((inline.output[0][1] as string[][]).filter((p) => p[0] === "b").map((p) => p[1]).sort(), ["five", "x\tone"]);
    // Several reducers: each partition is sorted, but the order between partitions (and so of values) may differ.
    const sortPairs = (all: unknown) => (all as string[][]).map((p) => p.join("|")).sort();
    assert.deepEqual(sortPairs(local.output[0][1]), sortPairs(inline.output[0][1]));
  });

  it("local input splits cover every line exactly once, however the bytes fall", async () => {
    const lines = Array.from({ length: 997 }, (_, i) => `${i},${"x".repeat(i % 13)}`);
    const file = write("splits.txt", lines.join("\n")); // no final newline
    const job = write("count.js", `
      const { defineJob } = require(${JSON.stringify(path.resolve(__dirname, "../../kernel-lib/src/mapreduce/job.ts"))});
      module.exports = defineJob({ name: "ids", steps: () => [{ mapper: (_k, line) => [[Number(line.split(",")[0]), 1]] }] });`);
    for (const workers of [1, 2, 3, 7]) {
      const result = await mr.runLocal(job, { input: [file], workers });
      const ids = result.output.map((p) => p[0] as number).sort((a, b) => a - b);
      assert.deepEqual(ids, lines.map((_, i) => i), `${workers} workers`);
    }
  });

  for (const [name, run] of runners) {
    it(`${name}: a mapper that throws, NaN, a missing file and a bad module fail the job naming step and line`, async () => {
      const bad = write(`bad-${name}.txt`, "fine\nstill fine\nboom here\n");
      await assert.rejects(run(failing, { input: [bad] }), /step 0 mapper failed on .*line 3.*"boom here": the mapper blew up/);
      await assert.rejects(run(failing, { input: [write(`nan-${name}.txt`, "ok\nnan\n")] }), /step 0 mapper failed on .*line 2.*emitted NaN/);
      await assert.rejects(run(failing, { input: [path.join(dir, "missing.txt")] }), /input file not found: .*missing\.txt/);
      await assert.rejects(run(path.join(dir, "nope.js"), { input: [bad] }), /cannot load job module .*nope\.js/);
    });
  }

  for (const [name, run] of runners) {
    it(`${name}: a malformed line in the weighted-GD job's input fails the job naming the file, line and step`, async () => {
      const input = write(`malformed-${name}.csv`, "1,2\n0.5,1\n2,oops\n3,4\n");
      await assert.rejects(
        run(mr.jobPath("weighted-gd"), { input: [input], params: { coef: [0, 0] } }),
        /step 0 mapper failed on .*malformed-\w+\.csv line 3 "2,oops": expected "x,y" with two finite numbers/,
      );
      await assert.rejects(run(mr.jobPath("weighted-gd"), { input: [write(`zero-${name}.csv`, "1,2\n0,1\n")], params: { coef: [0, 0] } }), /line 2 "0,1": x = 0 has an infinite weight/);
    });
  }

  it("weighted OLS by gradient descent as a job matches the in-memory fit, on both runners", async () => {
    const n = 20_000;
    const { x, y } = ml.generateWeightedLinearData(n, { seed: 3 });
    const input = write("wols.txt", Array.from(x, (xi, i) => `${xi},${y[i]}`).join("\n") + "\n");
    const w = Float64Array.from(x, (xi) => Math.abs(1 / xi));
    const reference = ml.weightedLinearRegressionGD(ml.Matrix.column(x), y, w, { learningRate: 0.5, maxIter: 6, tol: 0 });
    for (const [name, run] of runners) {
      const fit = await mr.iterate<[number, number]>({
        initial: [0, 0],
        maxIter: 6,
        step: async (coef) => {
          const out = await run(mr.jobPath("weighted-gd"), { input: [input], params: { coef } });
          return mr.weightedGDUpdate(coef, out.output[0][1] as ml.mapreduce.WeightedGDGradient, 0.5);
        },
      });
      assert.equal(fit.trace.length, 7);
      assert.ok(Math.abs(fit.state[0] - reference.intercept) < 1e-9 && Math.abs(fit.state[1] - reference.coef[0]) < 1e-9, `${name}: ${fit.state} vs ${reference.intercept}, ${reference.coef[0]}`);
    }
  });

  it("GMM EM as a job follows the library's EM iteration by iteration", async () => {
    const data = ml.generateMoGData(3000, [[0, 0], [4, 4], [0, 5]], [[[1, 0.3], [0.3, 1]], [[0.6, 0], [0, 1.2]], [[1, -0.4], [-0.4, 0.8]]], [0.3, 0.4, 0.3], 11);
    const input = write("gmm.txt", data.X.toArray().map((r) => r.join(",")).join("\n") + "\n");
    const init = { weights: [1 / 3, 1 / 3, 1 / 3], means: [[1, 1], [3, 3], [-1, 4]], covariances: [0, 1, 2].map(() => [[1, 0], [0, 1]]) };
    const reference = ml.EM(data.X, init.means, init.covariances, init.weights, { maxIter: 5, thresh: 0 });
    const fit = await mr.iterate<ml.mapreduce.GmmParams>({
      initial: init,
      maxIter: 5,
      step: async (params) => mr.gmmMStep((await mr.runLocal(mr.jobPath("gmm-em"), { input: [input], params, workers: 2 })).output[0][1] as ml.mapreduce.GmmStats),
    });
    fit.trace.slice(1).forEach((record, i) => {
      const snap = reference.snapshots[i + 1];
      record.state.means.forEach((m, c) => m.forEach((v, j) => assert.ok(Math.abs(v - snap.means[c][j]) < 1e-9, `iteration ${i + 1} mean ${c}`)));
      record.state.covariances.forEach((m, c) => m.flat().forEach((v, j) => assert.ok(Math.abs(v - snap.covariances[c].flat()[j]) < 1e-9)));
    });
  });
});
