import * as assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import type { KernelClient } from "../../extension/kernel/src/index";
import { BuiltKernelClient, isAlive, run, tempDir, waitFor } from "./kernel-helpers";

describe("kernel protocol (one kernel process)", () => {
  let kernel: KernelClient;
  const dir = tempDir();

  before(async () => {
    // An npm package next to the notebook, with types: cells import it like any project would.
    const pkg = path.join(dir, "node_modules", "greeter");
    fs.mkdirSync(pkg, { recursive: true });
    fs.writeFileSync(path.join(pkg, "package.json"), JSON.stringify({ name: "greeter", main: "index.js", types: "index.d.ts" }));
    fs.writeFileSync(path.join(pkg, "index.js"), "exports.greet = (who) => `hello, ${who}`;\n");
    fs.writeFileSync(path.join(pkg, "index.d.ts"), "export declare function greet(who: string): string;\n");
    const esm = path.join(dir, "node_modules", "esm-only");
    fs.mkdirSync(esm, { recursive: true });
    fs.writeFileSync(path.join(esm, "package.json"), JSON.stringify({ name: "esm-only", type: "module", exports: "./index.js", types: "./index.d.ts" }));
    fs.writeFileSync(path.join(esm, "index.js"), "export const square = (x) => x * x;\n");
    fs.writeFileSync(path.join(esm, "index.d.ts"), "export declare const square: (x: number) => number;\n");
    fs.writeFileSync(path.join(dir, "helper.js"), "exports.fail = (why) => {\n  throw new Error(why);\n};\n");
    kernel = await BuiltKernelClient.start({ cwd: dir });
  });

  it("imports ESM-only packages (through Node's require(esm)) without warnings in the cell", async () => {
    const r = await run(kernel, 'import { square } from "esm-only";\nsquare(7)');
    assert.equal(r.status, "ok", r.error?.traceback.join("\n"));
    assert.equal(r.displays[0].data["text/plain"], "49");
    assert.equal(r.stderr, "");
  });
  after(() => kernel.shutdown());

  it("type-checks and runs `import … from \"tslab\"` from a folder without tslab, and reads Node's types from the kernel", async () => {
    // tslab loads with the first cell that imports it, not with the kernel (hooks.ts's tslabFor).
    const before = await run(kernel, "Object.keys(require.cache).filter((f) => /tslab[\\\\/]dist[\\\\/]jupyter/.test(f)).length");
    assert.equal(before.displays[0]?.data["text/plain"], "0", before.error?.traceback.join("\n"));
    // Both come from the kernel's own node_modules, shown to the type checker under the notebook's (forward-modules.ts).
    const r = await run(kernel, 'import * as tslab from "tslab";\nimport * as os from "node:os";\nconst shown: void = tslab.display.text("from tslab");\ntypeof os.cpus');
    assert.equal(r.status, "ok", r.error?.traceback.join("\n"));
    assert.deepEqual(r.displays.map((d) => d.data["text/plain"]), ["from tslab", "function"]);
    const wrong = await run(kernel, 'import * as tslab from "tslab";\ntslab.display.text(42)');
    assert.equal(wrong.status, "error");
    assert.match(wrong.error!.evalue, /number.*string/s);
  });

  it("keeps declarations across cells, runs top-level await, shows the last value", async () => {
    assert.equal((await run(kernel, "const base: number = 40;")).status, "ok");
    const r = await run(kernel, "const more = await Promise.resolve(2);\nbase + more");
    assert.equal(r.status, "ok");
    assert.deepEqual(r.displays.map((d) => [d.result, d.data["text/plain"]]), [[true, "42"]]);
    assert.ok(r.executionCount >= 2);
  });

  it("has ml-lab pre-loaded as `ml` and `display`, and imports it and npm packages next to the notebook", async () => {
    const r = await run(kernel, 'import { KMeans } from "ml-lab";\nimport { greet } from "greeter";\nconsole.log(greet("cells"), typeof KMeans, typeof ml.GaussianMixture, typeof display);');
    assert.equal(r.status, "ok", r.error?.traceback.join("\n"));
    assert.equal(r.stdout, "hello, cells function function function\n");
  });

  it("shorthand properties see variables from earlier cells (works around a tslab bug)", async () => {
    await run(kernel, "const k = 4;\nconst seed = 9;");
    const r = await run(kernel, "const opts = { k, seed };\nJSON.stringify(opts)");
    assert.equal(r.status, "ok", r.error?.traceback.join("\n"));
    assert.equal(r.displays[0].data["text/plain"], '{"k":4,"seed":9}');
  });

  it("delivers outputs in the order the cell produced them", async () => {
    const r = await run(kernel, [
      'console.log("one");',
      'display.markdown("two");',
      'console.error("three");',
      'process.stdout.write("four\\n");',
      'display.text("five");',
      '"six"',
    ].join("\n"));
    const endsWithDisplay = await run(kernel, 'display.markdown("only this");');
    assert.deepEqual(endsWithDisplay.displays.map((d) => d.data["text/plain"]), ["only this"], "a cell ending in display(...) does not also show the handle");
    const sequence = r.events.map((e) => (e.type === "stream" ? e.text.trim() : e.type === "display" ? String(e.data["text/plain"]) : e.type));
    assert.deepEqual(sequence, ["one", "two", "three", "four", "five", "six"]);
  });

  it("streams output while a synchronous cell is still running", async () => {
    const r = await run(kernel, 'console.log("start");\nconst until = Date.now() + 700;\nwhile (Date.now() < until) {}\nconsole.log("end");');
    const start = r.events.find((e) => e.type === "stream" && e.text === "start\n")!;
    const end = r.events.find((e) => e.type === "stream" && e.text === "end\n")!;
    assert.ok(end.at - start.at > 500, `"start" arrived ${end.at - start.at} ms before "end"`);
  });

  it("updates a display in place while a fit runs (live trace), then adds a static SVG", async () => {
    const r = await run(kernel, [
      "const live = display.text('starting');",
      "const X = ml.generateBlobs([300, 300, 300], [[0, 0], [3, 0], [1.5, 2.5]], undefined, 3).X;",
      "new ml.GaussianMixture({ k: 3, seed: 1, tol: 1e-9, maxIter: 30, onIteration: (s) => {",
      "  live.updateMime(ml.display === undefined ? {} : { 'text/plain': `iteration ${s.iteration}` });",
      "  const until = Date.now() + 20; while (Date.now() < until) {}",
      "} }).fit(X)",
    ].join("\n"));
    assert.equal(r.status, "ok", r.error?.traceback.join("\n"));
    const live = r.displays.filter((d) => d.displayId === r.displays[0].displayId);
    assert.ok(live.length > 5, `${live.length} updates`);
    assert.ok(live.slice(1).every((d) => d.update));
    assert.ok(live[live.length - 1].at - live[1].at > 50, "updates were spread over the run, not batched at the end");
    const result = r.displays.filter((d) => d.result);
    assert.ok(result[0].data["application/vnd.vegalite.v5+json"]);
    const svg = result.find((d) => d.update)?.data["image/svg+xml"];
    assert.match(String(svg), /^<svg[\s\S]*<\/svg>$/);
  });

  it("liveConvergence grows a chart in place while k-means runs (every run overlaid)", async () => {
    const r = await run(kernel, [
      "const X2 = ml.generateBlobs([200, 200, 200], [[0, 0], [2, 0], [1, 2]], undefined, 4).X;",
      "const trace = ml.liveConvergence({ yTitle: 'distortion' });",
      "new ml.KMeans({ k: 3, init: 'random', nInit: 3, seed: 2, onIteration: (s) => trace.push(s.inertia, s.run) }).fit(X2);",
      "trace.values.map((v) => v.length).join(',')",
    ].join("\n"));
    assert.equal(r.status, "ok", r.error?.traceback.join("\n"));
    const chart = r.displays.filter((d) => d.displayId === r.displays[0].displayId);
    const points = chart.filter((d) => !d.data["image/svg+xml"]).map((d) => (d.data["application/vnd.vegalite.v5+json"] as { data: { values: unknown[] } }).data.values.length);
    assert.ok(points.length > 3 && points.every((n, i) => i === 0 || n >= points[i - 1]), `growing: ${points.join(" ")}`);
    const perRun = String(r.displays.find((d) => d.result)!.data["text/plain"]).split(",").map(Number);
    assert.equal(perRun.length, 3);
    assert.equal(points[points.length - 1], perRun.reduce((a, b) => a + b, 0));
    assert.ok(chart.some((d) => d.update && String(d.data["image/svg+xml"]).startsWith("<svg")), "the final state gets its static SVG");
  });

  it("reports a runtime error with the cell's own line numbers, also inside a function from an earlier cell", async () => {
    await run(kernel, "interface Pt { x: number }\n\nfunction check(v: number): number {\n  // comment\n  if (v > 1) throw new RangeError(`too big: ${v}`);\n  return v;\n}");
    const cellWithDefinition = (await run(kernel, "1")).executionCount - 1;
    const r = await run(kernel, "const ok = check(1);\n\nconst bad = check(5);");
    assert.equal(r.status, "error");
    assert.equal(r.error!.ename, "RangeError");
    assert.equal(r.error!.evalue, "too big: 5");
    assert.equal(r.error!.line, 3);
    const tb = r.error!.traceback.join("\n");
    assert.match(tb, new RegExp(`at check \\(cell ${cellWithDefinition}, line 5\\)`));
    assert.match(tb, new RegExp(`cell ${r.executionCount}, line 3`));
    assert.doesNotMatch(tb, /kernel-main|tslab[\\/]dist/);
  });

  it("reports a type error with its line and column and does not run the cell", async () => {
    const r = await run(kernel, 'console.log("must not print");\n\nconst n: number = "text";');
    assert.equal(r.status, "error");
    assert.equal(r.stdout, "");
    assert.equal(r.error!.ename, "TypeScript error");
    assert.deepEqual(r.error!.diagnostics!.map((d) => [d.line, d.column]), [[3, 7]]);
    assert.match(r.error!.evalue, /line 3: Type 'string' is not assignable to type 'number'/);
  });

  it("reports what a later cell could not be told about a declaration (the declaration checks) and does not run the cell", async () => {
    const r = await run(kernel, 'console.log("must not print");\nconst Hidden = class { private secret = 1; };');
    assert.equal(r.status, "error");
    assert.equal(r.stdout, "");
    assert.equal(r.error!.ename, "TypeScript error");
    assert.match(r.error!.evalue, /line 2: Property 'secret' of exported class expression may not be private or protected/);
    const next = await run(kernel, "typeof Hidden");
    assert.match(next.error?.evalue ?? "", /Cannot find name 'Hidden'/, "the failed cell declared nothing");
  });

  it("shows ml-lab's validation errors as the error they are", async () => {
    const r = await run(kernel, "new ml.KMeans({ k: 5 }).fit([[1, 2], [NaN, 4]])");
    assert.equal(r.error!.ename, "NonFiniteError");
    assert.match(r.error!.evalue, /row 1, column 0/);
  });

  it("names files in error stacks relative to the library or the notebook's folder, never by absolute path", async () => {
    const library = await run(kernel, "new ml.KMeans({ k: 5 }).fit([[1, 2], [NaN, 4]])");
    const local = await run(kernel, 'import { fail } from "./helper";\nfail("from the helper");');
    for (const r of [library, local]) {
      const frames = r.error!.traceback.filter((l) => /^\s+at /.test(l));
      assert.ok(frames.length > 0, r.error!.traceback.join("\n"));
      assert.ok(frames.every((f) => !f.includes(dir) && !/\(\/|at \//.test(f)), frames.join("\n"));
    }
    assert.match(library.error!.traceback.join("\n"), /at KMeans\.fit \(ml-lab\/cluster\/kmeans\.js:\d+\)/);
    assert.match(local.error!.traceback.join("\n"), /\(helper\.js:2\)[\s\S]*cell \d+, line 2/);
  });

  it("round-trips unicode in streams and values", async () => {
    const r = await run(kernel, 'console.log("naïve café — 数据 🚀");\n"μ = 1.3, σ² = 0.49 ✓"');
    assert.equal(r.stdout, "naïve café — 数据 🚀\n");
    assert.equal(r.displays[0].data["text/plain"], "μ = 1.3, σ² = 0.49 ✓");
  });

  it("delivers large outputs whole and in order (5 MB of stdout, a 2 MB value)", async () => {
    const r = await run(kernel, 'for (let i = 0; i < 50_000; i++) console.log(`${i} ${"x".repeat(90)}`);\n"y".repeat(2_000_000)');
    const lines = r.stdout.trimEnd().split("\n");
    assert.equal(lines.length, 50_000);
    assert.ok(lines.every((l, i) => l.startsWith(`${i} `)));
    assert.equal((r.displays[0].data["text/plain"] as string).length, 2_000_000);
  });

  it("interrupts a tight synchronous loop and keeps the kernel's state", async () => {
    await run(kernel, "let survivor = 'still here';");
    const pending = run(kernel, "let spins = 0;\nwhile (true) { spins++; }");
    await new Promise((r) => setTimeout(r, 400));
    kernel.interrupt();
    const r = await pending;
    assert.equal(r.status, "interrupted");
    assert.equal(r.error!.ename, "Interrupted");
    assert.match(r.error!.traceback[0], /^Interrupted: the cell was interrupted; the kernel's state is kept$/);
    assert.ok(r.error!.traceback.slice(1).every((l) => /at .*cell \d+, line \d+/.test(l)), r.error!.traceback.join("\n"));
    const after = await run(kernel, "survivor");
    assert.equal(after.displays[0].data["text/plain"], "still here");
  });

  it("interrupts a long multi-threaded k-means fit; the next fit runs on the same thread pool", async () => {
    await run(kernel, "const big = new ml.Random(1).normalMatrix(200_000, 32);");
    const pending = run(kernel, "new ml.KMeans({ k: 16, maxIter: 100_000, tol: 0, seed: 1 }).fit(big)");
    await new Promise((r) => setTimeout(r, 1500));
    kernel.interrupt();
    const r = await pending;
    assert.equal(r.status, "interrupted");
    const next = await run(kernel, "const again = new ml.KMeans({ k: 4, maxIter: 5, seed: 2 }).fit(big.selectRows([...Array(50_000).keys()]));\n`${again.nIter} ${ml.getThreads()}`");
    assert.equal(next.status, "ok", JSON.stringify(next.error));
    assert.match(String(next.displays[0].data["text/plain"]), /^'?5 \d+'?$/);
  });

  it("cells that write files into the notebook's folder leave the compiler working; a module written later imports", async () => {
    // Imports make the compiler watch files and folders on disk: a package's, and where a module was not found.
    assert.equal((await run(kernel, 'import { greet } from "greeter";\nimport { fail } from "./helper";\ngreet("files")')).status, "ok");
    const missing = await run(kernel, 'import { twice } from "./made-later";\ntwice(1)');
    assert.equal(missing.error?.ename, "TypeScript error");
    const wrote = await run(kernel, 'import * as fs from "node:fs";\nfor (const name of ["a.csv", "b.json", "c.js"]) fs.writeFileSync(name, "1\\n");\nfs.writeFileSync("made-later.ts", "export const twice = (x: number) => 2 * x;\\n");');
    assert.equal(wrote.status, "ok", wrote.error?.traceback.join("\n"));
    // The folder's watchers fire between cells.
    await new Promise((r) => setTimeout(r, 2500));
    const found = await run(kernel, 'import { twice } from "./made-later";\ntwice(21)');
    assert.equal(found.status, "ok", found.error?.traceback.join("\n"));
    assert.equal(found.displays[0].data["text/plain"], "42");
    assert.equal((await run(kernel, "1 + 1")).displays[0].data["text/plain"], "2");
  });

  it("an interrupt also stops the cell's MapReduce job: its promise rejects, its threads stop spinning, the next job runs", async () => {
    // A job whose mapper never returns, on the local runner's worker threads (outside the cell's own thread). The job
    // modules require ml-lab as a notebook's would, from a folder where none is installed.
    fs.writeFileSync(path.join(dir, "spin-job.js"), `const { mapreduce } = require("ml-lab");\nmodule.exports = mapreduce.defineJob({ name: "spin", steps: () => [{ mapper: (_k, line) => { while (line) {} return []; } }] });\n`);
    fs.writeFileSync(path.join(dir, "count-job.js"), `const { mapreduce } = require("ml-lab");\nmodule.exports = mapreduce.defineJob({ name: "count", steps: () => [{ mapper: (_k, line) => [[line, 1]], reducer: (k, vs) => [[k, vs.length]] }] });\n`);
    fs.writeFileSync(path.join(dir, "lines.txt"), "a\nb\na\n");
    const pending = run(kernel, 'const stopped = ml.mapreduce.run("spin-job.js", { runner: "local", input: ["lines.txt"], workers: 2 }).catch((e: Error) => e);\nawait stopped;');
    await new Promise((r) => setTimeout(r, 1500));
    kernel.interrupt();
    const interrupted = await pending;
    assert.equal(interrupted.status, "interrupted", JSON.stringify(interrupted));
    const outcome = await run(kernel, "const e = (await stopped) as Error;\n`${e.name}: ${e.message}`");
    assert.match(String(outcome.displays[0]?.data["text/plain"]), /MapReduceInterruptedError: job "spin" was stopped: the cell was interrupted/, JSON.stringify(outcome));
    // The kernel process idles: no worker thread is left spinning (read from /proc, not asked of the kernel).
    const cpuTicks = () => fs.readFileSync(`/proc/${kernel.pid}/stat`, "utf8").replace(/^.*\) /, "").split(" ").slice(11, 13).reduce((a, b) => a + Number(b), 0);
    const before = cpuTicks();
    await new Promise((r) => setTimeout(r, 2000));
    assert.ok(cpuTicks() - before < 50, `the kernel used ${cpuTicks() - before} ticks of CPU in 2 s while idle`);
    const next = await run(kernel, 'const counted = await ml.mapreduce.run("count-job.js", { runner: "local", input: ["lines.txt"], workers: 2 });\nJSON.stringify(counted.output.sort())');
    assert.equal(next.status, "ok", next.error?.traceback.join("\n"));
    assert.equal(next.displays[0].data["text/plain"], '[["a",2],["b",1]]');
  });

  it("an interrupted cell keeps the variables its statements declared before the interrupt, as in Jupyter", async () => {
    await run(kernel, 'let unchanged = "from an earlier cell";');
    const pending = run(kernel, 'const assignedBefore = [1, 2, 3];\nlet spun = 0;\nwhile (true) { spun++; }\nconst neverReached = 1;\nlet unchanged = 42;');
    await new Promise((r) => setTimeout(r, 400));
    kernel.interrupt();
    assert.equal((await pending).status, "interrupted");
    const kept = await run(kernel, "`${assignedBefore.length} ${spun > 0} ${unchanged.toUpperCase()}`");
    assert.equal(kept.status, "ok", kept.error?.traceback.join("\n"));
    assert.equal(kept.displays[0].data["text/plain"], "3 true FROM AN EARLIER CELL", "the statement redeclaring `unchanged` never ran: it is still a string");
    const missing = await run(kernel, "neverReached");
    assert.equal(missing.error?.ename, "TypeScript error");
    assert.match(missing.error!.evalue, /Cannot find name 'neverReached'/);
  });

  it("so does a cell that throws, and one interrupted after an await", async () => {
    const failed = await run(kernel, 'function helper() { return "hoisted"; }\nconst good = 41;\nthrow new Error("stop here");\nconst bad = 0;');
    assert.equal(failed.status, "error");
    const after = await run(kernel, "`${good + 1} ${helper()}`");
    assert.equal(after.displays[0].data["text/plain"], "42 hoisted", after.error?.traceback.join("\n"));
    assert.match((await run(kernel, "bad")).error!.evalue, /Cannot find name 'bad'/);
    const pending = run(kernel, "const fetched = await Promise.resolve('before the spin');\nwhile (true) {}");
    await new Promise((r) => setTimeout(r, 400));
    kernel.interrupt();
    assert.equal((await pending).status, "interrupted");
    assert.equal((await run(kernel, "fetched")).displays[0].data["text/plain"], "before the spin");
  });

  it("an interrupt that arrives while the cell is still being type-checked is not lost", async () => {
    const pending = run(kernel, "// a cell that takes a moment to check\nconst big: Record<string, number> = {};\nwhile (true) { big.x = (big.x ?? 0) + 1; }");
    kernel.interrupt(); // at once: the kernel is converting the cell, not yet running it
    const r = await pending;
    assert.equal(r.status, "interrupted");
    assert.equal((await run(kernel, "1 + 1")).status, "ok", "the next cell is not interrupted");
  });

  it("interrupts a cell that awaits forever", async () => {
    const pending = run(kernel, "await new Promise(() => {});");
    await new Promise((r) => setTimeout(r, 300));
    kernel.interrupt();
    const r = await pending;
    assert.equal(r.status, "interrupted", JSON.stringify(r.events));
    assert.equal((await run(kernel, "1 + 1")).status, "ok");
  });

  it("completes and inspects with the kernel's view of earlier cells", async () => {
    await run(kernel, "const trainingSetSize = 60_000;");
    const code = "trainingSe";
    const completion = await kernel.complete(code, code.length);
    assert.ok(completion.candidates.includes("trainingSetSize"), completion.candidates.slice(0, 10).join(", "));
    const members = "ml.KMe";
    assert.ok((await kernel.complete(members, members.length)).candidates.includes("KMeans"));
    const hover = await kernel.inspect("trainingSetSize", 3);
    assert.equal(hover.found, true);
    assert.match(hover.signature!, /trainingSetSize: 60000/);
  });

  it("shows Node's and the library's docs in hovers and signature help (their JSDoc is parsed when first asked for)", async () => {
    const timer = await kernel.inspect("setTimeout(() => {}, 10)", 3);
    assert.match(timer.signature!, /function setTimeout/);
    assert.match(timer.documentation!, /Schedules execution of a one-time `callback` after `delay` milliseconds/);
    const read = 'import * as fs from "node:fs";\nfs.readFileSync("x")';
    const file = await kernel.inspect(read, read.indexOf("readFileSync") + 2);
    assert.match(file.documentation!, /Returns the contents of the `path`/);
    assert.match(file.documentation!, /\*@param\* `path` — filename or file descriptor/);
    const call = "Buffer.from(";
    const help = await kernel.signatureHelp(call, call.length, "(");
    assert.ok(help.signatures!.some((s) => /Allocates a new `Buffer`/.test(s.documentation ?? "")), JSON.stringify(help.signatures).slice(0, 500));
    const kmeans = await kernel.inspect("new ml.KMeans({ k: 3 })", "new ml.KM".length);
    assert.match(kmeans.documentation!, /^Lloyd's k-means with scikit-learn's interface/);
    // Types never depended on those comments: a wrong argument is still an error.
    const wrong = await run(kernel, "setTimeout(() => {}, 'soon');");
    assert.equal(wrong.status, "error");
  });

  it("type-checks Node's less used modules (read when first imported) in cells, later cells and the notebook's modules", async () => {
    const heap = await run(kernel, 'import * as v8 from "node:v8";\nconst heap = v8.getHeapStatistics();\nheap.total_heap_size > 0');
    assert.equal(heap.status, "ok", heap.error?.traceback.join("\n"));
    assert.equal(heap.displays[0].data["text/plain"], "true");
    const later = await run(kernel, "const size: string = heap.total_heap_size;");
    assert.equal(later.status, "error");
    assert.match(later.error!.evalue, /Type 'number' is not assignable to type 'string'/);
    const status = await run(kernel, 'import { constants } from "http2";\nconst header: string = constants.HTTP2_HEADER_STATUS;\nheader');
    assert.equal(status.displays[0].data["text/plain"], ":status");
    assert.equal((await run(kernel, 'import * as https from "node:https";\nhttps.request(42);')).status, "error");
    fs.writeFileSync(path.join(dir, "tracing.ts"), 'import { getEnabledCategories } from "trace_events";\nexport const categories = (): string => getEnabledCategories() ?? "none";\n');
    const module = await run(kernel, 'import { categories } from "./tracing";\ncategories()');
    assert.equal(module.status, "ok", module.error?.traceback.join("\n"));
    assert.equal(module.displays[0].data["text/plain"], "none");
  });
});

describe("kernel lifecycle", () => {
  it("reports a crashed kernel process in the cell; a new kernel then works", async () => {
    const kernel = await BuiltKernelClient.start({ cwd: tempDir() });
    await run(kernel, "const lost = 1;");
    const r = await run(kernel, 'console.log("about to die");\nprocess.exit(3);');
    assert.equal(r.status, "crashed");
    assert.equal(r.stdout, "about to die\n");
    assert.equal(r.error!.ename, "KernelDied");
    assert.match(r.error!.evalue, /exited with code 3/);
    assert.equal(kernel.alive, false);
    const again = await run(kernel, "1");
    assert.equal(again.status, "crashed", "a dead kernel answers at once instead of hanging");
    const fresh = await BuiltKernelClient.start({ cwd: tempDir() });
    const r2 = await run(fresh, "typeof lost");
    assert.equal(r2.status, "error", "restart clears state: `lost` is gone");
    assert.match(r2.error!.evalue, /Cannot find name 'lost'/);
    await fresh.shutdown();
  });

  it("a kernel killed by a signal is reported too", async () => {
    const kernel = await BuiltKernelClient.start({ cwd: tempDir() });
    const r = await run(kernel, "process.kill(process.pid, 'SIGKILL');\nawait new Promise(() => {});");
    assert.equal(r.status, "crashed");
    assert.match(r.error!.evalue, /killed by SIGKILL/);
  });

  it("shutdown ends the process, even in the middle of a busy cell", async () => {
    const kernel = await BuiltKernelClient.start({ cwd: tempDir() });
    const pid = kernel.pid!;
    const pending = run(kernel, "while (true) {}");
    await new Promise((r) => setTimeout(r, 200));
    await kernel.shutdown();
    assert.equal((await pending).status, "crashed");
    assert.equal(isAlive(pid), false);
  });

  it("leaves no orphan when the host process dies without shutting the kernel down", async () => {
    const host = `
      const { KernelClient } = require(${JSON.stringify(path.resolve(__dirname, "../../extension/kernel/dist/index"))});
      KernelClient.start({ cwd: ${JSON.stringify(tempDir())} }).then((k) => { console.log(k.pid); process.exit(0); });
    `;
    const pid = Number(execFileSync(process.execPath, ["-e", host], { encoding: "utf8" }).trim());
    assert.ok(pid > 0);
    assert.ok(await waitFor(() => !isAlive(pid), 5000), `kernel ${pid} outlived its host`);
  });

  it("a busy kernel also exits when its host is killed", async () => {
    const host = spawn(process.execPath, ["-e", `
      const { KernelClient } = require(${JSON.stringify(path.resolve(__dirname, "../../extension/kernel/dist/index"))});
      KernelClient.start({ cwd: ${JSON.stringify(tempDir())} }).then((k) => { console.log(k.pid); k.execute("const t = Date.now() + 1500; while (Date.now() < t) {}"); });
    `], { stdio: ["ignore", "pipe", "inherit"] });
    const pid = await new Promise<number>((resolve) => host.stdout.once("data", (d) => resolve(Number(String(d).trim()))));
    await new Promise((r) => setTimeout(r, 300));
    host.kill("SIGKILL");
    assert.ok(await waitFor(() => !isAlive(pid), 6000), `kernel ${pid} outlived its killed host`);
  });
});
