import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import type { KernelClient } from "../../extension/kernel/src/index";
import { BuiltKernelClient, run, tempDir, waitFor } from "./kernel-helpers";

// The kernel's startup snapshot (extension/kernel/src/snapshot/): built by a kernel after its first cell, used by the
// next. Each test has a cache folder of its own, so that what it finds there is what it made.

/** The snapshot files in `cacheDir` (blob, manifest, markers), by name. */
function snapshotFiles(cacheDir: string): string[] {
  const dir = path.join(cacheDir, "snapshot");
  return fs.existsSync(dir) ? fs.readdirSync(dir).sort() : [];
}

function startedFromSnapshot(kernel: KernelClient): boolean {
  return fs.readFileSync(`/proc/${kernel.pid}/cmdline`).toString().split("\0").includes("--snapshot-blob");
}

/** Starts a kernel, runs one cell, and waits (at most 2 min: a build takes seconds of idle-priority CPU) for the blob. */
async function buildSnapshot(cwd: string, cacheDir: string): Promise<void> {
  const kernel = await BuiltKernelClient.start({ cwd, codeCacheDir: cacheDir });
  try {
    assert.equal(startedFromSnapshot(kernel), false);
    assert.equal((await run(kernel, "1 + 1")).status, "ok");
    const built = await waitFor(() => snapshotFiles(cacheDir).some((f) => f.endsWith(".json")), 120_000);
    assert.ok(built, `no snapshot was built: ${snapshotFiles(cacheDir).join(", ")}`);
  } finally {
    await kernel.shutdown();
  }
}

describe("a kernel started from the startup snapshot", { skip: process.platform !== "linux" && "reads /proc" }, () => {
  const cwd = tempDir();
  const cacheDir = tempDir("mllab-cache-");
  let kernel: KernelClient;

  before(async () => {
    await buildSnapshot(cwd, cacheDir);
    kernel = await BuiltKernelClient.start({ cwd, codeCacheDir: cacheDir });
  });
  after(() => kernel?.shutdown());

  it("was started from the blob the previous kernel built (one blob and its manifest, no temporary file or lock left)", () => {
    assert.equal(startedFromSnapshot(kernel), true);
    const files = snapshotFiles(cacheDir);
    assert.equal(files.length, 2, files.join(", "));
    assert.deepEqual(files.map((f) => path.extname(f)).sort(), [".blob", ".json"]);
  });

  it("checks and runs cells as a kernel started without it: Node's globals, ml-lab, type errors, runtime errors with their line", async () => {
    const value = await run(kernel, 'const v: number = 1 + 1;\n[v, typeof require("node:path").join, typeof process.pid, Buffer.from("ab").length, typeof setTimeout, typeof console.log].join(" ")');
    assert.equal(value.status, "ok", JSON.stringify(value.events));
    assert.match(JSON.stringify(value.displays[0]?.data), /2 function number 2 function function/);
    const fit = await run(kernel, "const km = new ml.KMeans({ k: 2, seed: 0 }).fit([[0, 0], [0, 1], [9, 9], [9, 8]]);\nkm.labels.length");
    assert.equal(fit.status, "ok", JSON.stringify(fit.events).slice(0, 500));
    const typeError = await run(kernel, "const s: string = v;");
    assert.equal(typeError.status, "error");
    assert.match(typeError.error!.evalue, /Type 'number' is not assignable to type 'string'/);
    const thrown = await run(kernel, 'const y = 1;\nthrow new Error("boom");');
    assert.equal(thrown.status, "error");
    assert.match(thrown.error!.traceback.join("\n"), /boom[\s\S]*line 2/);
  });

  it("shows Node's and ml-lab's docs in hovers (their JSDoc is parsed from the files, not kept in the blob)", async () => {
    const timer = await kernel.inspect("setTimeout(() => {}, 10)", 3);
    assert.match(timer.documentation!, /Schedules execution of a one-time `callback` after `delay` milliseconds/);
    const kmeans = await kernel.inspect("new ml.KMeans({ k: 3 })", "new ml.KM".length);
    assert.match(kmeans.documentation!, /^Lloyd's k-means with scikit-learn's interface/);
  });

  it("survives its supervisor stopping a timer that spins between cells (Node's async-hooks checks stay off)", async () => {
    await run(kernel, "setTimeout(() => { while (true) {} }, 50);");
    await new Promise((r) => setTimeout(r, 300));
    const pending = run(kernel, "'after the spin'");
    await new Promise((r) => setTimeout(r, 500));
    kernel.interrupt();
    const r = await pending;
    assert.ok(r.status === "ok" || r.status === "interrupted", r.status);
    const next = await run(kernel, "'still alive'");
    assert.equal(next.status, "ok");
    assert.equal(next.displays[0].data["text/plain"], "still alive");
  });

  it("types an import of a Node module whose types are read on first use (http2)", async () => {
    const r = await run(kernel, 'import * as http2 from "node:http2";\ntypeof http2.connect');
    assert.equal(r.status, "ok", JSON.stringify(r.events));
  });
});

describe("a damaged startup snapshot", { skip: process.platform !== "linux" && "reads /proc" }, () => {
  it("costs one retry: the kernel starts without it, and the blob is dropped and not built again", { timeout: 240_000 }, async () => {
    const cwd = tempDir();
    const cacheDir = tempDir("mllab-cache-");
    await buildSnapshot(cwd, cacheDir);
    const blob = path.join(cacheDir, "snapshot", snapshotFiles(cacheDir).find((f) => f.endsWith(".blob"))!);
    // Same size (so its manifest still matches), other bytes: Node aborts on it.
    const size = fs.statSync(blob).size;
    fs.writeFileSync(blob, Buffer.alloc(size, 7));
    const kernel = await BuiltKernelClient.start({ cwd, codeCacheDir: cacheDir });
    try {
      assert.equal(startedFromSnapshot(kernel), false);
      assert.equal((await run(kernel, "const v = 1 + 1;\nv")).status, "ok");
      const files = snapshotFiles(cacheDir);
      assert.equal(files.length, 1, files.join(", "));
      assert.match(files[0], /\.rejected$/);
      // A kernel that starts without a snapshot builds one after its first cell, but not for a key that failed.
      await new Promise((resolve) => setTimeout(resolve, 1000));
      assert.deepEqual(snapshotFiles(cacheDir), files);
    } finally {
      await kernel.shutdown();
    }
  });
});
