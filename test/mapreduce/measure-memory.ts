/**
 * Peak memory of a job over 10^6 distinct keys (a 9.9 MB input of lines key0 … key999999; two steps: count per key,
 * then keys per count), each runner in a fresh process, with the built library. Not a test (memory is measured
 * outside the tests); run it with `npm run build && node --import tsx test/mapreduce/measure-memory.ts`.
 * Prints peak RSS, its ratio to the input size, and the RSS of the same process running a one-line job.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

// MLLAB_ML_DIST measures another build of the library (e.g. a copy of an older dist/).
const ML = process.env.MLLAB_ML_DIST ?? path.resolve(__dirname, "../../kernel-lib/dist");
const child = process.argv[2] === "child";

function runChild(job: string, input: string, runner: string): { ms: number; rss: number; output: string } {
  const r = spawnSync(process.execPath, [...process.execArgv, __filename, "child", job, input, runner], { encoding: "utf8", timeout: 600_000 });
  if (r.status !== 0) throw new Error(`${runner} failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

async function childMain([job, input, runner]: string[]): Promise<void> {
  const ml = await import(ML);
  const t = performance.now();
  const result = await ml.mapreduce.run(job, { runner, input: [input], workers: 2 });
  process.stdout.write(JSON.stringify({ ms: performance.now() - t, rss: process.resourceUsage().maxRSS * 1024, output: JSON.stringify(result.output) }));
}

function main(): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mllab-measure-"));
  try {
    const keys = path.join(dir, "keys.txt");
    const out = fs.openSync(keys, "w");
    for (let i = 0; i < 1e6; i += 1e5) fs.writeSync(out, Array.from({ length: 1e5 }, (_, j) => `key${i + j}\n`).join(""));
    fs.closeSync(out);
    const tiny = path.join(dir, "tiny.txt");
    fs.writeFileSync(tiny, "key0\n");
    const job = path.join(dir, "distinct.js");
    fs.writeFileSync(job, `const { defineJob } = require(${JSON.stringify(path.join(ML, "mapreduce/job"))});
const sum = (k, vs) => [[k, vs.reduce((a, b) => a + b, 0)]];
module.exports = defineJob({ name: "distinct-keys", steps: () => [
  { mapper: (_k, line) => [[line, 1]], combiner: sum, reducer: sum },
  { mapper: (_k, count) => [["keys seen " + count + " time(s)", 1]], combiner: sum, reducer: sum },
] });\n`);
    const size = fs.statSync(keys).size;
    console.log(`input: ${(size / 1e6).toFixed(1)} MB, 1,000,000 distinct keys; node ${process.version}, ${os.cpus().length} cores, load ${os.loadavg()[0].toFixed(1)}`);
    for (const runner of ["inline", "local"]) {
      const base = runChild(job, tiny, runner);
      const big = runChild(job, keys, runner);
      console.log(`${runner.padEnd(7)} peak RSS ${(big.rss / 2 ** 20).toFixed(0)} MiB = ${(big.rss / size).toFixed(1)}× the input (${(base.rss / 2 ** 20).toFixed(0)} MiB for a one-line input), ${(big.ms / 1000).toFixed(1)} s, output ${big.output}`);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (child) void childMain(process.argv.slice(3));
else main();
