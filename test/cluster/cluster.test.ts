/**
 * The hadoop runner on a real pseudo-distributed cluster: HDFS (NameNode + DataNode), YARN (ResourceManager +
 * NodeManager, a MapReduce application master and a container per task) and s3a:// against moto, all brought up by
 * scripts/hadoop-cluster.sh. Run with `npm run test:cluster`, which starts the cluster in a private network
 * namespace, sets HADOOP_CONF_DIR, MLLAB_HADOOP_CLASSPATH and MLLAB_S3_ENDPOINT, and checks afterwards that nothing
 * is left running. The runner is pointed at the cluster by configuration alone: `confDir` and the jars.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import * as ml from "../../kernel-lib/src";
import { scratch, workFolders } from "../mapreduce/helpers";

const mr = ml.mapreduce;
const confDir = process.env.HADOOP_CONF_DIR ?? "";
const classpath = process.env.MLLAB_HADOOP_CLASSPATH ?? "";
const s3 = process.env.MLLAB_S3_ENDPOINT ?? "";
const s = scratch("mllab-cluster-test-");
const BUCKET = "mllab-test";
// What a user sets for s3a:// on their own cluster (here: moto on loopback, its fixed test credentials).
const S3A = {
  "fs.s3a.endpoint": s3,
  "fs.s3a.endpoint.region": "us-east-1",
  "fs.s3a.path.style.access": "true",
  "fs.s3a.connection.ssl.enabled": "false",
  "fs.s3a.aws.credentials.provider": "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider",
  "fs.s3a.access.key": "testing",
  "fs.s3a.secret.key": "testing",
};
const cluster = { classpath, confDir, properties: S3A };
// A failing job fails at its first failed task instead of retrying it three times.
const ONE_ATTEMPT = { ...S3A, "mapreduce.map.maxattempts": "1", "mapreduce.reduce.maxattempts": "1" };
const fsShell = new mr.HadoopFs(cluster);

/** The ResourceManager's REST address, from the cluster's yarn-site.xml. */
function resourceManager(): string {
  const site = fs.readFileSync(path.join(confDir, "yarn-site.xml"), "utf8");
  return `http://${/<name>yarn\.resourcemanager\.webapp\.address<\/name><value>([^<]+)</.exec(site)![1]}`;
}

describe("the hadoop runner on a pseudo-distributed cluster (HDFS, YARN, s3a)", () => {
  let wols: string, gmm: string;
  const { x, y } = ml.generateWeightedLinearData(20_000, { seed: 8 });
  const blobs = ml.generateMoGData(3000, [[0, 0], [4, 4], [0, 5]], [[[1, 0.3], [0.3, 1]], [[0.6, 0], [0, 1.2]], [[1, -0.4], [-0.4, 0.8]]], [0.3, 0.4, 0.3], 11);

  before(async () => {
    assert.ok(confDir && classpath && s3, "no cluster: run npm run test:cluster (scripts/hadoop-cluster.sh test)");
    wols = s.write("wols.txt", Array.from(x, (xi, i) => `${xi},${y[i]}`).join("\n") + "\n");
    gmm = s.write("gmm.txt", blobs.X.toArray().map((r) => r.join(",")).join("\n") + "\n");
    await fsShell.put([wols, gmm], "hdfs:///data");
    const bucket = await fetch(`${s3}/${BUCKET}`, { method: "PUT" });
    assert.ok(bucket.ok, `cannot make the S3 bucket: ${bucket.status}`);
    await fsShell.put([wols], `s3a://${BUCKET}/in`);
  });

  after(async () => {
    try {
      const tmp = await fsShell.shell("-ls", "hdfs:///tmp");
      assert.doesNotMatch(tmp, /\/tmp\/mllab-/, "no work folder is left on HDFS");
      assert.deepEqual(workFolders(), [], "no local work folder is left");
    } finally {
      s.cleanup();
    }
  });

  it("the HW6 weighted-least-squares driver: 3 gradient-descent jobs on YARN (over HDFS, then s3a:// into s3a://) match the inline runner to 1e-12", async () => {
    const job = mr.jobPath("weighted-gd");
    const drive = (run: (coef: [number, number], iteration: number) => Promise<ml.mapreduce.RunResult>) =>
      mr.iterate<[number, number]>({
        initial: [0.5, -0.5],
        maxIter: 3,
        step: async (coef, iteration) => mr.weightedGDUpdate(coef, (await run(coef, iteration)).output[0][1] as ml.mapreduce.WeightedGDGradient, 0.5),
      });
    const points: number[] = [];
    const onCluster = await drive(async (coef, iteration) => {
      // The last iteration reads its input from the S3 bucket and leaves its output there.
      const where = iteration < 3 ? { input: ["hdfs:///data/wols.txt"] } : { input: [`s3a://${BUCKET}/in/wols.txt`], output: `s3a://${BUCKET}/wols-out` };
      const result = await mr.runHadoop(job, { ...cluster, ...where, params: { coef } });
      points.push(result.counters["weighted-ols"].points);
      return result;
    });
    const inline = await drive((coef) => mr.runInline(job, { input: [wols], params: { coef } }));
    onCluster.trace.forEach((record, i) => {
      record.state.forEach((v, j) => assert.ok(Math.abs(v - inline.trace[i].state[j]) <= 1e-12, `iteration ${i}, coefficient ${j}: ${v} vs ${inline.trace[i].state[j]}`));
    });
    assert.deepEqual(points, [20_000, 20_000, 20_000], "counters come back from the cluster");
    assert.match(await fsShell.cat(`s3a://${BUCKET}/wols-out/part-*`), /^"gradient"\t\{"gradient":/, "the output stays in the bucket");
  });

  it("GMM EM: a job over HDFS input matches the inline runner to 1e-12", async () => {
    const job = mr.jobPath("gmm-em");
    const init = { weights: [1 / 3, 1 / 3, 1 / 3], means: [[1, 1], [3, 3], [-1, 4]], covariances: [0, 1, 2].map(() => [[1, 0], [0, 1]]) };
    const stats = async (result: Promise<ml.mapreduce.RunResult>) => (await result).output[0][1] as ml.mapreduce.GmmStats;
    const onCluster = mr.gmmMStep(await stats(mr.runHadoop(job, { ...cluster, input: ["hdfs:///data/gmm.txt"], params: init })));
    const inline = mr.gmmMStep(await stats(mr.runInline(job, { input: [gmm], params: init })));
    const flat = (p: ml.mapreduce.GmmParams) => [...p.weights, ...p.means.flat(), ...p.covariances.flat(2)];
    flat(onCluster).forEach((v, i) => assert.ok(Math.abs(v - flat(inline)[i]) <= 1e-12, `parameter ${i}: ${v} vs ${flat(inline)[i]}`));
  });

  it("a failing mapper's own message, fetched from the task logs, reaches the caller (local input uploaded first)", async () => {
    const bad = s.write("bad.txt", "fine\nstill fine\nboom here\n");
    await assert.rejects(
      mr.runHadoop(path.join(__dirname, "../hadoop/jobs/fails.js"), { ...cluster, properties: ONE_ATTEMPT, input: [bad] }),
      /Hadoop step 0 failed: step 0 mapper failed on line \d+ of the split of hdfs:\/\/.*\/input\/bad\.txt from byte \d+ "boom here": the mapper blew up/,
    );
  });

  it("a malformed line in the HW6 input is reported with its line", async () => {
    const malformed = s.write("malformed.csv", "1,2\n0.5,1\n2,oops\n3,4\n");
    await assert.rejects(
      mr.runHadoop(mr.jobPath("weighted-gd"), { ...cluster, properties: ONE_ATTEMPT, input: [malformed], params: { coef: [0, 0] } }),
      /step 0 mapper failed on line \d+ of the split of .*malformed\.csv from byte \d+ "2,oops": expected "x,y" with two finite numbers/,
    );
  });

  it("a step past its time limit is killed, on the cluster too", async () => {
    const spin = s.write("spin.txt", "fine\nspin\n");
    await assert.rejects(
      mr.runHadoop(path.join(__dirname, "../hadoop/jobs/fails.js"), { ...cluster, properties: ONE_ATTEMPT, input: [spin], timeoutMs: 45_000 }),
      (e: Error) => e instanceof mr.MapReduceTimeoutError && /did not finish in 45 s \(options\.timeoutMs\); it was killed, and job_\d+_\d+ on the cluster/.test(e.message),
    );
    const running = (await (await fetch(`${resourceManager()}/ws/v1/cluster/apps?states=NEW,NEW_SAVING,SUBMITTED,ACCEPTED,RUNNING`)).json()) as { apps: { app?: { id: string }[] } | null };
    assert.deepEqual(running.apps?.app ?? [], [], "no application is left running on YARN");
  });
});
