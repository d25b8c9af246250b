#!/usr/bin/env node
// Measures what README.md reports about the kernel: start time, trivial-cell latency, memory after 20 cells, and how
// long a cell that prints a million lines takes to reach the client.
// Usage: npm run measure:kernel   (numbers are medians over several kernels / cells on this machine)
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { KernelClient } = require("../extension/kernel/dist/index");

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const rssMiB = (pid) => Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"))[1]) / 1024;

(async () => {
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), "mllab-measure-"));
  const starts = [], inKernel = [];
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    const k = await KernelClient.start({ cwd });
    starts.push(performance.now() - t0);
    inKernel.push(k.startupMs);
    await k.shutdown();
  }
  const k = await KernelClient.start({ cwd, outputLimitChars: 0 });
  const latencies = [];
  for (let i = 0; i < 20; i++) {
    const t0 = performance.now();
    const r = await k.execute(`const v${i} = ${i} + 1;\nv${i}`);
    if (r.status !== "ok") throw new Error(`cell ${i} failed`);
    latencies.push(performance.now() - t0);
  }
  const rss = rssMiB(k.pid);
  const fit = performance.now();
  await k.execute("new ml.KMeans({ k: 3, seed: 0 }).fit(ml.generateBlobs([100, 100, 100], [[0, 0], [5, 0], [0, 5]], undefined, 1).X)");
  const chartCell = performance.now() - fit;
  let printed = 0;
  const flood = performance.now();
  await k.execute("for (let i = 0; i < 1_000_000; i++) console.log(i);", (e) => (printed += e.type === "stream" ? e.text.length : 0));
  const floodMs = performance.now() - flood;
  if (printed !== 6_888_890) throw new Error(`the million lines arrived as ${printed} characters`);
  await k.shutdown();
  const out = {
    machine: `${os.cpus().length} × ${os.cpus()[0].model}, Node ${process.version}`,
    kernelStartMs: { median: Math.round(median(starts)), min: Math.round(Math.min(...starts)), insideKernelMedian: Math.round(median(inKernel)) },
    trivialCellMs: { median: Number(median(latencies.slice(1)).toFixed(1)), first: Number(latencies[0].toFixed(1)), max: Number(Math.max(...latencies).toFixed(1)) },
    rssAfter20CellsMiB: Math.round(rss),
    kmeansWithChartCellMs: Math.round(chartCell),
    millionPrintedLinesMs: Math.round(floodMs),
  };
  console.log(JSON.stringify(out, null, 2));
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
