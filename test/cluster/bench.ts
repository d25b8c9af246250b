/**
 * The same HW6 job (one weighted-least-squares gradient over 1,000,000 points) timed on the inline runner, the local
 * runner and the pseudo-distributed cluster, for the HW6 sample's table. Run by `npm run bench:cluster`
 * (scripts/hadoop-cluster.sh bench), which starts the cluster and sets HADOOP_CONF_DIR and MLLAB_HADOOP_CLASSPATH.
 * Prints a markdown table: the best and the median wall time per job over the rounds (the best is the job's own cost
 * on a machine that other work shares; the median shows how much that work added), and each runner's gradient against inline's.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
// The built library, as a notebook runs it (tasks on the local runner start without compiling TypeScript).
import * as ml from "../../kernel-lib/dist";

const mr = ml.mapreduce;
const rounds = Number(process.env.MLLAB_BENCH_ROUNDS ?? 3);
const confDir = process.env.HADOOP_CONF_DIR;
const classpath = process.env.MLLAB_HADOOP_CLASSPATH;

async function main(): Promise<void> {
  if (!confDir || !classpath) throw new Error("no cluster: run npm run bench:cluster (scripts/hadoop-cluster.sh bench)");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mllab-bench-"));
  try {
    const { x, y } = ml.generateWeightedLinearData(1_000_000, { seed: 6 });
    const file = path.join(dir, "points.csv");
    fs.writeFileSync(file, Array.from(x, (xi, i) => `${xi},${y[i]}`).join("\n") + "\n");
    const fsShell = new mr.HadoopFs({ classpath, confDir });
    let t = performance.now();
    await fsShell.put([file], "hdfs:///bench");
    const uploadMs = performance.now() - t;
    const job = mr.jobPath("weighted-gd");
    const params = { coef: [0.5, -0.5] };
    const runs: Record<string, () => Promise<ml.mapreduce.RunResult>> = {
      inline: () => mr.runInline(job, { input: [file], params }),
      local: () => mr.runLocal(job, { input: [file], params }),
      cluster: () => mr.runHadoop(job, { input: ["hdfs:///bench/points.csv"], params, classpath, confDir }),
    };
    await runs.local(); // the worker threads start once, as in a notebook's driver loop
    const times: Record<string, number[]> = {}, gradients: Record<string, number[]> = {};
    for (let round = 0; round < rounds; round++) {
      for (const [name, run] of Object.entries(runs)) {
        t = performance.now();
        const result = await run();
        (times[name] ??= []).push(performance.now() - t);
        gradients[name] = (result.output[0][1] as ml.mapreduce.WeightedGDGradient).gradient;
        process.stderr.write(`round ${round + 1}: ${name} ${(times[name].at(-1)! / 1000).toFixed(2)} s\n`);
      }
    }
    await fsShell.rm("hdfs:///bench");
    const median = (a: number[]) => [...a].sort((p, q) => p - q)[Math.floor(a.length / 2)];
    const best = (a: number[]) => Math.min(...a);
    const where: Record<string, string> = {
      inline: "this thread",
      local: `${os.availableParallelism()} worker threads`,
      cluster: "YARN containers (a JVM + node per task), input on HDFS",
    };
    console.log(`\nweighted-gd job, 1,000,000 points (${(fs.statSync(file).size / 2 ** 20).toFixed(1)} MiB), ${rounds} rounds; ${os.cpus().length} cores, load ${os.loadavg()[0].toFixed(1)}; upload to HDFS ${(uploadMs / 1000).toFixed(1)} s\n`);
    console.log("| runner | tasks run in | s per job, best | median | best vs inline | gradient vs inline |");
    console.log("|---|---|---:|---:|---:|---:|");
    for (const name of Object.keys(runs)) {
      const diff = Math.max(...gradients[name].map((g, j) => Math.abs(g - gradients.inline[j])));
      console.log(`| ${name} | ${where[name]} | ${(best(times[name]) / 1000).toFixed(2)} | ${(median(times[name]) / 1000).toFixed(2)} | ${(best(times[name]) / best(times.inline)).toFixed(1)}× | ${diff.toExponential(1)} |`);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
