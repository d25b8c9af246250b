/**
 * The hadoop runner for real: Hadoop 3.3.4 Streaming in local mode (LocalJobRunner, file:///), from the jars
 * scripts/hadoop-setup.sh resolves from Maven Central, on Java 17. Each job must give what the inline runner gives.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { before, describe, it } from "node:test";
import * as ml from "../../kernel-lib/src";

const mr = ml.mapreduce;
const lib = process.env.MLLAB_HADOOP_LIB ?? path.join(os.homedir(), ".cache/mllab-hadoop/hadoop-3.3.4/lib");
const classpath = path.join(lib, "*");
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mllab-hadoop-test-"));
const write = (name: string, text: string) => {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
};

describe("hadoop runner (Hadoop Streaming, local mode)", () => {
  before(() => {
    assert.ok(fs.existsSync(path.join(lib, "hadoop-streaming-3.3.4.jar")), `no Hadoop jars in ${lib}: run scripts/hadoop-setup.sh`);
  });

  it("a two-step job with a combiner and counters gives the inline runner's output", async () => {
    const text = Array.from({ length: 3000 }, (_, i) => ["to be", "or not", "to be", "Ünïcode words", "that is"][i % 5]).join("\n") + "\n";
    const input = write("words.txt", text);
    const job = path.join(__dirname, "jobs/word-count.ts");
    const inline = await mr.runInline(job, { input: [input] });
    const hadoop = await mr.runHadoop(job, { input: [input], classpath });
    assert.deepEqual(hadoop.output, inline.output);
    assert.equal(hadoop.counters.words.seen, inline.counters.words.seen);
    assert.equal(hadoop.stepTimes.length, 2);
  });

  it("weighted OLS gradient and GMM statistics jobs agree with inline to floating-point tolerance", async () => {
    const { x, y } = ml.generateWeightedLinearData(20_000, { seed: 5 });
    const wols = write("wols.txt", Array.from(x, (xi, i) => `${xi},${y[i]}`).join("\n") + "\n");
    const params = { coef: [0.3, -0.2] };
    const a = (await mr.runInline(mr.jobPath("weighted-gd"), { input: [wols], params })).output[0][1] as ml.mapreduce.WeightedGDGradient;
    const b = (await mr.runHadoop(mr.jobPath("weighted-gd"), { input: [wols], params, classpath })).output[0][1] as ml.mapreduce.WeightedGDGradient;
    a.gradient.forEach((g, j) => assert.ok(Math.abs(g - b.gradient[j]) <= 1e-9 * Math.max(1, Math.abs(g)), `gradient ${j}: ${g} vs ${b.gradient[j]}`));
    assert.equal(b.count, 20_000);

    const data = ml.generateMoGData(3000, [[0, 0], [4, 4], [0, 5]], [[[1, 0], [0, 1]], [[1, 0], [0, 1]], [[1, 0], [0, 1]]], [0.3, 0.4, 0.3], 2);
    const gmm = write("gmm.txt", data.X.toArray().map((r) => r.join(",")).join("\n") + "\n");
    const init = { weights: [1 / 3, 1 / 3, 1 / 3], means: [[1, 1], [3, 3], [-1, 4]], covariances: [0, 1, 2].map(() => [[1, 0], [0, 1]]) };
    const p = mr.gmmMStep((await mr.runInline(mr.jobPath("gmm-em"), { input: [gmm], params: init })).output[0][1] as ml.mapreduce.GmmStats);
    const q = mr.gmmMStep((await mr.runHadoop(mr.jobPath("gmm-em"), { input: [gmm], params: init, classpath })).output[0][1] as ml.mapreduce.GmmStats);
    p.means.flat().forEach((v, i) => assert.ok(Math.abs(v - q.means.flat()[i]) < 1e-9));
    p.covariances.flat(2).forEach((v, i) => assert.ok(Math.abs(v - q.covariances.flat(2)[i]) < 1e-9));
  });

  it("a failing mapper fails the Hadoop job with the step and the line named, without hanging", async () => {
    const bad = write("bad.txt", "fine\nstill fine\nboom here\n");
    await assert.rejects(
      mr.runHadoop(path.join(__dirname, "jobs/failing.ts"), { input: [bad], classpath, timeoutMs: 120_000 }),
      /Hadoop step 0 failed: step 0 mapper failed on line 3 of the split of .*bad\.txt from byte 0 "boom here": the mapper blew up/,
    );
  });
});
