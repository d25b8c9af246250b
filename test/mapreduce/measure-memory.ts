/**
 * Peak memory and time of a job over 10^6 distinct keys (a 9.9 MB input of lines key0 … key999999; two steps: count
 * per key, then keys per count), each runner in a fresh plain `node` process (no tsx) with the built library, as a
 * notebook kernel loads it. Not a test (memory and time are measured outside the tests); run it with
 * `npm run build && node --import tsx test/mapreduce/measure-memory.ts [rounds]`.
 * Prints, per runner and round: peak RSS, its ratio to the input size, the increment over the same process running
 * the job on a one-line input, wall and CPU time (all threads). MLLAB_ML_DIST measures another build of the library
 * (e.g. a copy of an older dist/).
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const ML = path.resolve(process.env.MLLAB_ML_DIST ?? path.join(__dirname, "../../kernel-lib/dist"));

interface Measured {
  ms: number;
  cpuMs: number;
  rss: number;
  output: string;
}

// The child: loads the whole library, runs the job once, reports peak RSS (getrusage's maxRSS, in KiB) and times.
const CHILD = `const ml = require(${JSON.stringify(ML)});
const [job, input, runner] = process.argv.slice(2);
const t = performance.now();
ml.mapreduce.run(job, { runner, input: [input], workers: 2 }).then((result) => {
  const cpu = process.cpuUsage();
  process.stdout.write(JSON.stringify({ ms: performance.now() - t, cpuMs: (cpu.user + cpu.system) / 1000, rss: process.resourceUsage().maxRSS * 1024, output: JSON.stringify(result.output) }));
});
`;

function runChild(child: string, job: string, input: string, runner: string): Measured {
  // Plain node: no tsx loader or its compiled-code cache in the measured process.
  const r = spawnSync(process.execPath, [child, job, input, runner], { encoding: "utf8", timeout: 600_000 });
  if (r.status !== 0) throw new Error(`${runner} failed (${r.signal ?? r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout);
}

function main(rounds: number): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mllab-measure-"));
  try {
    const keys = path.join(dir, "keys.txt");
    const out = fs.openSync(keys, "w");
    for (let i = 0; i < 1e6; i += 1e5) fs.writeSync(out, Array.from({ length: 1e5 }, (_, j) => `key${i + j}\n`).join(""));
    fs.closeSync(out);
    const tiny = path.join(dir, "tiny.txt");
    fs.writeFileSync(tiny, "key0\n");
    const child = path.join(dir, "child.js");
    fs.writeFileSync(child, CHILD);
    const job = path.join(dir, "distinct.js");
    fs.writeFileSync(job, `const { defineJob } = require(${JSON.stringify(path.join(ML, "mapreduce/job"))});
const sum = (k, vs) => [[k, vs.reduce((a, b) => a + b, 0)]];
module.exports = defineJob({ name: "distinct-keys", steps: () => [
  { mapper: (_k, line) => [[line, 1]], combiner: sum, reducer: sum },
  { mapper: (_k, count) => [["keys seen " + count + " time(s)", 1]], combiner: sum, reducer: sum },
] });\n`);
    const size = fs.statSync(keys).size;
    const MiB = (bytes: number) => (bytes / 2 ** 20).toFixed(0);
    console.log(`input: ${(size / 1e6).toFixed(1)} MB, 1,000,000 distinct keys; 10× the input is ${MiB(10 * size)} MiB; node ${process.version}, ${os.cpus().length} cores, load ${os.loadavg()[0].toFixed(1)}`);
    for (let round = 0; round < rounds; round++) {
      for (const runner of ["inline", "local"]) {
        const base = runChild(child, job, tiny, runner);
        const big = runChild(child, job, keys, runner);
        if (big.output !== JSON.stringify([["keys seen 1 time(s)", 1e6]])) throw new Error(`${runner}: wrong output ${big.output}`);
        console.log(
          `${runner.padEnd(7)} peak RSS ${MiB(big.rss)} MiB = ${(big.rss / size).toFixed(1)}× the input; ${MiB(big.rss - base.rss)} MiB over the one-line job's ${MiB(base.rss)} MiB; ` +
            `${(big.ms / 1000).toFixed(1)} s wall, ${(big.cpuMs / 1000).toFixed(1)} s CPU (load ${os.loadavg()[0].toFixed(1)})`,
        );
      }
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main(Number(process.argv[2] ?? 1));
