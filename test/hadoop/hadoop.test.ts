/**
 * The hadoop runner for real: Hadoop 3.3.4 Streaming in local mode (LocalJobRunner, file:///), from the jars
 * scripts/hadoop-setup.sh resolves from Maven Central, on Java 17. Each job must give what the inline runner gives;
 * a failed, timed-out or stopped job leaves no process (checked with ps) and no work folder (checked in TMPDIR).
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import * as ml from "../../kernel-lib/src";
import { scratch, workFolders } from "../mapreduce/helpers";
import { processesUnder } from "./processes";

const mr = ml.mapreduce;
const lib = process.env.MLLAB_HADOOP_LIB ?? path.join(os.homedir(), ".cache/mllab-hadoop/hadoop-3.3.4/lib");
const classpath = path.join(lib, "*");
const s = scratch("mllab-hadoop-test-");
process.env.TMPDIR = s.dir; // the runner's work folders go here, apart from other test runs'
const write = (name: string, text: string) => s.write(name, text);

describe("hadoop runner (Hadoop Streaming, local mode)", () => {
  before(() => {
    assert.ok(fs.existsSync(path.join(lib, "hadoop-streaming-3.3.4.jar")), `no Hadoop jars in ${lib}: run scripts/hadoop-setup.sh`);
  });
  after(() => {
    try {
      assert.deepEqual(processesUnder(s.dir), [], "no Hadoop or task process is left");
      assert.deepEqual(workFolders(s.dir), [], "no work folder is left");
    } finally {
      s.cleanup();
    }
  });

  it("a two-step job with a combiner and counters gives the inline runner's output", async () => {
    const text = Array.from({ length: 3000 }, (_, i) => ["to be", "or not", "to be", "Ünïcode words", "that is"][i % 5]).join("\n") + "\n";
    const input = write("words.txt", text);
    const job = path.join(__dirname, "../mapreduce/jobs/word-count.ts");
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
      mr.runHadoop(path.join(__dirname, "../mapreduce/jobs/failing.ts"), { input: [bad], classpath, timeoutMs: 120_000 }),
      /Hadoop step 0 failed: step 0 mapper failed on line 3 of the split of .*bad\.txt from byte 0 "boom here": the mapper blew up/,
    );
  });

  it("shipped through the distributed cache: a .js job that requires ml-lab and a helper, into an output folder that is kept", async () => {
    const input = write("shipped.txt", "The cat; the DOG\nthe end\n");
    const job = path.join(__dirname, "jobs/words.js");
    const output = path.join(s.dir, "kept-output");
    const hadoop = await mr.runHadoop(job, { input: [input], classpath, ship: true, files: [path.join(__dirname, "jobs/tokenize.js")], output });
    const inline = await mr.runInline(job, { input: [input] });
    assert.deepEqual(hadoop.output, inline.output);
    assert.deepEqual(Object.fromEntries(hadoop.output as [string, number][]), { cat: 1, dog: 1, end: 1, the: 3 });
    assert.equal(hadoop.counters.words.seen, 6);
    assert.ok(fs.readdirSync(output).some((f) => f.startsWith("part-")), "the output folder is kept");
    await assert.rejects(mr.runHadoop(job, { input: [input], classpath, ship: true, files: [path.join(__dirname, "jobs/tokenize.js")], output }), /the output folder .*kept-output already exists; remove it or choose another options\.output/);
    // Without its helper the shipped job cannot load in the task, and says so.
    await assert.rejects(mr.runHadoop(job, { input: [input], classpath, ship: true }), /Hadoop step 0 failed: cannot load job module .*words\.js: Cannot find module '\.\/tokenize'/);
  });

  it("a step past timeoutMs is killed with its tasks; a stopped job too", async () => {
    const spin = write("spin.txt", "fine\nspin\n");
    const job = path.join(__dirname, "jobs/fails.js");
    const started = Date.now();
    await assert.rejects(mr.runHadoop(job, { input: [spin], classpath, timeoutMs: 20_000 }), (e: Error) => e instanceof mr.MapReduceTimeoutError && /Hadoop step 0 did not finish in 20 s \(options\.timeoutMs\); it was killed/.test(e.message));
    assert.ok(Date.now() - started < 60_000);
    assert.deepEqual(processesUnder(s.dir), [], "the client and its spinning task are gone");
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 8000);
    await assert.rejects(mr.runHadoop(job, { input: [spin], classpath, signal: controller.signal }), mr.MapReduceInterruptedError);
    assert.deepEqual(processesUnder(s.dir), []);
    assert.deepEqual(workFolders(s.dir), []);
  });

  it("misuse fails before Java starts, naming the option", async () => {
    const input = write("x.txt", "x\n");
    await assert.rejects(mr.runHadoop(mr.jobPath("weighted-gd"), { input: [input] } as ml.mapreduce.HadoopOptions), /options\.classpath must name Hadoop's jars/);
    await assert.rejects(mr.runHadoop(mr.jobPath("weighted-gd"), { input: [input], classpath, confDir: s.dir }), /the Hadoop configuration folder .* \(options\.confDir\) has no core-site\.xml/);
    await assert.rejects(mr.runHadoop(path.join(__dirname, "../mapreduce/jobs/failing.ts"), { input: [input], classpath, ship: true }), /ships the job module to the cluster's tasks as JavaScript, and .*failing\.ts is not a \.js file/);
    await assert.rejects(mr.runHadoop(mr.jobPath("weighted-gd"), { input: [path.join(s.dir, "missing.txt")], params: { coef: [0, 0] }, classpath }), /input file not found: .*missing\.txt/);
    await assert.rejects(mr.runHadoop(mr.jobPath("weighted-gd"), { input: [input], classpath }), /the weighted-gd job needs params \{ coef: \[intercept, slope\] \}/);
  });
});
