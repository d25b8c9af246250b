/**
 * The kernel's startup snapshot is built by a child of a kernel (snapshot/snapshot-builder.ts): that child must end
 * with its kernel however the kernel ends, and what it leaves half done must not stop the next build. Processes are
 * found by scanning /proc, not by asking the code under test.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import type { KernelClient } from "../../extension/kernel/src/index";
import { BuiltKernelClient, canScanProcesses, run, tempDir, waitFor } from "../kernel/kernel-helpers";
import { assertNothingLeft, notebookFolder } from "./fault-helpers";

const skip = canScanProcesses ? false : "needs /proc to scan processes";

/** Processes building a snapshot into `cacheDir` (their command line names it), found by scanning /proc. */
function buildersFor(cacheDir: string): number[] {
  const found: number[] = [];
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const command = fs.readFileSync(`/proc/${entry}/cmdline`).toString();
      const state = fs.readFileSync(`/proc/${entry}/stat`, "utf8").replace(/^.*\) /, "")[0];
      if (state !== "Z" && command.includes("--build-snapshot") && command.includes(cacheDir)) found.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

function snapshotFiles(cacheDir: string): string[] {
  const dir = path.join(cacheDir, "snapshot");
  return fs.existsSync(dir) ? fs.readdirSync(dir).sort() : [];
}

/** A kernel whose first cell has run and whose snapshot build has started. */
async function kernelBuildingSnapshot(dir: string, cacheDir: string): Promise<KernelClient> {
  const kernel = await BuiltKernelClient.start({ cwd: dir, codeCacheDir: cacheDir });
  assert.equal((await run(kernel, "1 + 1")).status, "ok");
  assert.ok(await waitFor(() => buildersFor(cacheDir).length > 0, 10_000), "no snapshot build started after the first cell");
  return kernel;
}

describe("the startup snapshot's build ends with its kernel", { skip }, () => {
  it("a kernel shut down while it builds: no process, temporary blob or lock is left", { timeout: 60_000 }, async () => {
    const dir = notebookFolder("mllab-fault-snapshot-");
    const cacheDir = tempDir("mllab-cache-");
    const kernel = await kernelBuildingSnapshot(dir, cacheDir);
    await kernel.shutdown();
    assert.ok(await waitFor(() => buildersFor(cacheDir).length === 0, 10_000), `builders left: ${buildersFor(cacheDir).join(", ")}`);
    assert.deepEqual(snapshotFiles(cacheDir), []);
    await assertNothingLeft(dir);
  });

  it("a kernel killed with its process group while it builds: nothing is left running, and the next kernel's build takes over", { timeout: 170_000 }, async () => {
    const dir = notebookFolder("mllab-fault-snapshot-");
    const cacheDir = tempDir("mllab-cache-");
    const killed = await kernelBuildingSnapshot(dir, cacheDir);
    await killed.kill();
    assert.ok(await waitFor(() => buildersFor(cacheDir).length === 0, 10_000), `builders left: ${buildersFor(cacheDir).join(", ")}`);
    await assertNothingLeft(dir);
    // The lock (and perhaps a half-written blob) of the killed build are still there; they must not block the next.
    const next = await kernelBuildingSnapshot(dir, cacheDir);
    try {
      assert.ok(await waitFor(() => snapshotFiles(cacheDir).some((f) => f.endsWith(".json")), 120_000), snapshotFiles(cacheDir).join(", "));
      assert.ok(await waitFor(() => snapshotFiles(cacheDir).length === 2, 5_000), snapshotFiles(cacheDir).join(", "));
    } finally {
      await next.shutdown();
    }
    const restarted = await BuiltKernelClient.start({ cwd: dir, codeCacheDir: cacheDir });
    try {
      assert.equal((await run(restarted, "const v = 1 + 1;\nv")).status, "ok");
      assert.ok(fs.readFileSync(`/proc/${restarted.pid}/cmdline`).toString().includes("--snapshot-blob"), "the next kernel did not start from the blob");
    } finally {
      await restarted.shutdown();
    }
    await assertNothingLeft(dir);
  });
});
