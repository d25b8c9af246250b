#!/usr/bin/env node
// Measures what README.md reports about the kernel, against tslab's own executor (scripts/tslab-kernel.js) doing the
// same work in the same run, spawned the same way (same Node, flags, folder and pipes), the two taking turns:
// - start: spawn to `ready` (ml-lab and `display` pre-loaded, a cell can run at once), the first cell after it, and
//   the next, which uses Node's types (`process.pid`: our kernel reads those after `ready`, and such a cell waits for
//   what is left of them);
// - a trivial cell's round trip (`const v = 1 + 1;\nv`: request, type-check, run, the value shown, done);
// then, for the ML Lab kernel alone: memory after 20 cells, a k-means fit shown as a chart, a million printed lines.
// Usage: npm run measure:kernel [-- --rounds N] [-- --node /path/to/node] [-- --also label=/path/to/kernel-main.js]
// (--also adds another kernel to the rotation, e.g. an earlier build of this one.)
const { spawn } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { KernelClient } = require("../extension/kernel/dist/index");

const argument = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const ROUNDS = Number(argument("--rounds", 7));
const NODE = argument("--node", process.execPath);
const CELLS = 20;
const KERNELS = {
  "ML Lab": path.join(__dirname, "..", "extension", "kernel", "dist", "kernel-main.js"),
  "tslab executor": path.join(__dirname, "tslab-kernel.js"),
};
const also = argument("--also");
if (also) KERNELS[also.slice(0, also.indexOf("="))] = path.resolve(also.slice(also.indexOf("=") + 1));

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const round1 = (x) => Math.round(x * 10) / 10;
const ratio = (a, b) => Math.round((a / b) * 1000) / 1000;
/** CPU time the process has used (all its threads), from /proc: less disturbed than wall time by a busy machine. */
const cpuMs = (pid) => {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").replace(/^.*\) /, "").split(" ");
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime + stime, in clock ticks of 10 ms
};
const rssMiB = (pid) => Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"))[1]) / 1024;

/** A kernel process speaking the wire protocol (protocol/messages.ts), spawned as host/kernel-process.ts does. */
function startRaw(script, cwd, cacheDir) {
  const t0 = performance.now();
  const child = spawn(NODE, ["--no-force-async-hooks-checks", script], {
    cwd,
    env: { ...process.env, NODE_OPTIONS: "", MLLAB_KERNEL_CACHE_DIR: cacheDir },
    stdio: ["ignore", "ignore", "inherit", "pipe", "pipe"],
    detached: true,
  });
  const waiting = new Map();
  let ready;
  const readyPromise = new Promise((resolve, reject) => {
    ready = resolve;
    child.once("exit", (code) => reject(new Error(`${script} exited (${code}) before it was ready`)));
  });
  let buffer = "";
  child.stdio[3].on("data", (chunk) => {
    buffer += chunk;
    for (let i; (i = buffer.indexOf("\n")) >= 0; buffer = buffer.slice(i + 1)) {
      const line = buffer.slice(0, i);
      if (!line) continue;
      const event = JSON.parse(line);
      if (event.type === "ready") ready({ ...event, readyMs: performance.now() - t0, readyCpuMs: cpuMs(child.pid) });
      else if (event.type === "done") waiting.get(event.id)?.(event);
      else if (event.type === "error") waiting.get(event.id)?.(event);
    }
  });
  let n = 0;
  return readyPromise.then((event) => ({
    ready: event,
    pid: child.pid,
    /** Resolves with the round trip in ms; rejects if the cell failed. */
    execute(code) {
      const id = `m${++n}`;
      const t = performance.now();
      return new Promise((resolve, reject) => {
        waiting.set(id, (e) => (e.type === "error" ? reject(new Error(`${id}: ${e.evalue}`)) : resolve(performance.now() - t)));
        child.stdio[4].write(JSON.stringify({ type: "execute", id, code }) + "\n");
      });
    },
    stop() {
      return new Promise((resolve) => {
        child.once("exit", resolve);
        try {
          process.kill(-child.pid, "SIGKILL");
        } catch {
          resolve();
        }
      });
    },
  }));
}

async function oneKernel(name, cwd, cacheDir) {
  const k = await startRaw(KERNELS[name], cwd, cacheDir);
  try {
    const cells = [await k.execute("const v0 = 0 + 1;\nv0")];
    const nodeCellMs = await k.execute("const pid: number = process.pid;\npid > 0");
    for (let i = 1; i < CELLS; i++) cells.push(await k.execute(`const v${i} = ${i} + 1;\nv${i}`));
    return { startMs: k.ready.readyMs, startCpuMs: k.ready.readyCpuMs, stages: k.ready.stages, firstCellMs: cells[0], nodeCellMs, cellMs: cells.slice(1), rssMiB: rssMiB(k.pid) };
  } finally {
    await k.stop();
  }
}

(async () => {
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), "mllab-measure-"));
  const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), "mllab-measure-cache-"));
  // The first ML Lab kernel on this Node fills the code cache (as a user's first kernel does); both warm the disk cache.
  const names = Object.keys(KERNELS);
  const cold = await oneKernel("ML Lab", cwd, cacheDir);
  for (const name of names.slice(1)) await oneKernel(name, cwd, cacheDir);
  const runs = Object.fromEntries(names.map((name) => [name, []]));
  for (let r = 0; r < ROUNDS; r++) {
    // Each round in another order, so that a slow spell of a shared machine does not always hit the same kernel.
    const order = names.map((_, i) => names[(i + r) % names.length]);
    for (const name of order) runs[name].push(await oneKernel(name, cwd, cacheDir));
  }
  const summary = {};
  for (const [name, list] of Object.entries(runs)) {
    summary[name] = {
      startMs: { median: Math.round(median(list.map((x) => x.startMs))), min: Math.round(Math.min(...list.map((x) => x.startMs))) },
      startCpuMs: Math.round(median(list.map((x) => x.startCpuMs))),
      firstCellMs: round1(median(list.map((x) => x.firstCellMs))),
      nodeCellMs: round1(median(list.map((x) => x.nodeCellMs))),
      trivialCellMs: round1(median(list.flatMap((x) => x.cellMs))),
      rssAfter20CellsMiB: Math.round(median(list.map((x) => x.rssMiB))),
    };
  }
  const ours = summary["ML Lab"], theirs = summary["tslab executor"];
  const stageNames = Object.keys(runs["ML Lab"][0].stages ?? {});
  const stages = Object.fromEntries(stageNames.map((s) => [s, Math.round(median(runs["ML Lab"].map((x) => x.stages[s])))]));

  const k = await KernelClient.start({ cwd, outputLimitChars: 0, codeCacheDir: cacheDir });
  const fit = performance.now();
  await k.execute("new ml.KMeans({ k: 3, seed: 0 }).fit(ml.generateBlobs([100, 100, 100], [[0, 0], [5, 0], [0, 5]], undefined, 1).X)");
  const chartCell = performance.now() - fit;
  let printed = 0;
  const flood = performance.now();
  await k.execute("for (let i = 0; i < 1_000_000; i++) console.log(i);", (e) => (printed += e.type === "stream" ? e.text.length : 0));
  const floodMs = performance.now() - flood;
  if (printed !== 6_888_890) throw new Error(`the million lines arrived as ${printed} characters`);
  await k.shutdown();
  fs.rmSync(cacheDir, { recursive: true, force: true });

  console.log(
    JSON.stringify(
      {
        machine: `${os.cpus().length} × ${os.cpus()[0].model.trim()}, Node ${require("node:child_process").execFileSync(NODE, ["--version"]).toString().trim()}, load average ${os.loadavg().map((l) => l.toFixed(1)).join(" ")}`,
        rounds: ROUNDS,
        ...summary,
        ratios: {
          start: ratio(ours.startMs.median, theirs.startMs.median),
          startCpu: ratio(ours.startCpuMs, theirs.startCpuMs),
          trivialCell: ratio(ours.trivialCellMs, theirs.trivialCellMs),
        },
        "ML Lab start stages (ms since the process started, median)": stages,
        "ML Lab first start, code cache empty": { startMs: Math.round(cold.startMs), firstCellMs: round1(cold.firstCellMs) },
        kmeansWithChartCellMs: Math.round(chartCell),
        millionPrintedLinesMs: Math.round(floodMs),
      },
      null,
      2,
    ),
  );
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
