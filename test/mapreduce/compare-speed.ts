/**
 * The time of two MapReduce jobs on two builds of the library, interleaved in one run so that both see the same
 * machine load: the 10^6-distinct-key job of measure-memory.ts, and the w261 HW6 homework's weighted-GD job (one
 * gradient step) over 1,000,000 points. Each measurement is a fresh plain `node` process. Not a test; run it with
 * `npm run build && node --import tsx test/mapreduce/compare-speed.ts <other kernel-lib/dist> [rounds]`.
 * Prints the median wall and CPU time per job, runner and build, and this build's ratio to the other.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const THIS = path.resolve(__dirname, "../../kernel-lib/dist");

const CHILD = `const [ml, job, input, runner] = process.argv.slice(2);
const { mapreduce } = require(ml);
const t = performance.now();
const options = job === "weighted-gd" ? { params: { coef: [0, 0] } } : {};
mapreduce.run(job === "weighted-gd" ? mapreduce.jobPath(job) : job, { runner, input: [input], workers: 2, ...options }).then((result) => {
  const cpu = process.cpuUsage();
  process.stdout.write(JSON.stringify({ ms: performance.now() - t, cpuMs: (cpu.user + cpu.system) / 1000, output: JSON.stringify(result.output) }));
});
`;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

function main(other: string, rounds: number): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mllab-speed-"));
  try {
    const keys = path.join(dir, "keys.txt");
    fs.writeFileSync(keys, Array.from({ length: 1e6 }, (_, i) => `key${i}\n`).join(""));
    const points = path.join(dir, "points.csv");
    // y = 2 + 3x plus a deterministic wobble, x in [0.5, 10.5): the homework's kind of data, one point a line.
    fs.writeFileSync(points, Array.from({ length: 1e6 }, (_, i) => { const x = 0.5 + (i % 1000) / 100; return `${x},${2 + 3 * x + Math.sin(i)}\n`; }).join(""));
    const distinct = path.join(dir, "distinct.js");
    fs.writeFileSync(distinct, `const sum = (k, vs) => [[k, vs.reduce((a, b) => a + b, 0)]];
module.exports = { default: { name: "distinct-keys", steps: () => [
  { mapper: (_k, line) => [[line, 1]], combiner: sum, reducer: sum },
  { mapper: (_k, count) => [["keys seen " + count + " time(s)", 1]], combiner: sum, reducer: sum },
] } };\n`);
    const child = path.join(dir, "child.js");
    fs.writeFileSync(child, CHILD);
    const builds = { this: THIS, other: path.resolve(other) };
    const jobs = { "distinct keys": [distinct, keys], "weighted-gd": ["weighted-gd", points] };
    const times = new Map<string, { ms: number[]; cpuMs: number[]; output: string }>();
    console.log(`node ${process.version}, ${os.cpus().length} cores; this build ${THIS}, other ${builds.other}; ${rounds} rounds`);
    for (let round = 0; round < rounds; round++) {
      for (const [job, [jobFile, input]] of Object.entries(jobs)) {
        for (const runner of ["inline", "local"]) {
          // Alternate which build goes first, so neither always runs on the warmer (or busier) machine.
          const order = round % 2 ? (["other", "this"] as const) : (["this", "other"] as const);
          for (const build of order) {
            const r = spawnSync(process.execPath, [child, builds[build], jobFile, input, runner], { encoding: "utf8", timeout: 600_000 });
            if (r.status !== 0) throw new Error(`${job} ${runner} on ${build} failed (${r.signal ?? r.status}): ${r.stderr}`);
            const m: { ms: number; cpuMs: number; output: string } = JSON.parse(r.stdout);
            const key = `${job}|${runner}|${build}`;
            const t = times.get(key) ?? { ms: [] as number[], cpuMs: [] as number[], output: m.output };
            if (t.output !== m.output) throw new Error(`${key}: output changed between rounds`);
            t.ms.push(m.ms);
            t.cpuMs.push(m.cpuMs);
            times.set(key, t);
          }
        }
      }
      console.log(`round ${round + 1} done (load ${os.loadavg()[0].toFixed(1)})`);
    }
    for (const job of Object.keys(jobs)) {
      for (const runner of ["inline", "local"]) {
        const a = times.get(`${job}|${runner}|this`)!, b = times.get(`${job}|${runner}|other`)!;
        const same = a.output === b.output ? "same output" : `OUTPUTS DIFFER: ${a.output.slice(0, 200)} vs ${b.output.slice(0, 200)}`;
        const s = (ms: number) => (ms / 1000).toFixed(2);
        console.log(
          `${job.padEnd(13)} ${runner.padEnd(6)} this ${s(median(a.ms))} s wall, ${s(median(a.cpuMs))} s CPU; other ${s(median(b.ms))} s wall, ${s(median(b.cpuMs))} s CPU; ` +
            `this/other wall ${(median(a.ms) / median(b.ms)).toFixed(2)}, CPU ${(median(a.cpuMs) / median(b.cpuMs)).toFixed(2)}; ${same}`,
        );
      }
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (!process.argv[2]) throw new Error("usage: compare-speed.ts <other kernel-lib/dist> [rounds]");
main(process.argv[2], Number(process.argv[3] ?? 3));
