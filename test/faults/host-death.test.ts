/**
 * A kernel never outlives its host: whatever signal ends the host (SIGKILL included), the kernel and the processes
 * its cell started are gone within 2 s, even while the cell spins. `mllab run` also stops its kernel itself on
 * SIGTERM, SIGHUP and SIGINT, and leaves the notebook as it was.
 */
import * as assert from "node:assert/strict";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { canScanProcesses, processesIn, tempDir, waitFor } from "../kernel/kernel-helpers";
import { assertNothingLeft, notebookFolder, notebookJson, root, runCli } from "./fault-helpers";

const skip = canScanProcesses ? false : "needs /proc to scan processes";
/** A cell that starts a child process and then spins the kernel's main thread. */
const SPINNING_CELL = "require('child_process').spawn('sleep', ['55']);\nawait null;\nwhile (true) {}";

/** Resolves when the cell's child runs (so the cell is spinning), or rejects after `ms`. */
async function cellSpinning(dir: string, ms = 60_000): Promise<void> {
  assert.ok(await waitFor(() => processesIn(dir).some((p) => p.command === "sleep 55"), ms), "the cell never started its child");
  await new Promise((r) => setTimeout(r, 300));
}

/** How long after the host's death everything in `dir` was gone, or fails if it took over `limitMs`. */
async function goneWithin(dir: string, limitMs: number): Promise<number> {
  const t0 = performance.now();
  const gone = await waitFor(() => processesIn(dir).length === 0, limitMs);
  const ms = performance.now() - t0;
  assert.ok(gone, `still running ${limitMs} ms after the host died: ${JSON.stringify(processesIn(dir))}`);
  return ms;
}

describe("a kernel never outlives its host", { skip }, () => {
  it("a host killed with SIGKILL while a cell spins: kernel and the cell's child are gone within 2 s", { timeout: 90_000 }, async () => {
    const dir = notebookFolder("mllab-fault-host-");
    const client = path.join(root, "extension", "kernel", "dist", "index.js");
    const host = spawn(process.execPath, ["-e", `
      const { KernelClient } = require(${JSON.stringify(client)});
      KernelClient.start({ cwd: ${JSON.stringify(dir)} }).then((k) => k.execute(${JSON.stringify(SPINNING_CELL)}));
    `], { cwd: tempDir("mllab-fault-hostcwd-"), stdio: "ignore" });
    await cellSpinning(dir);
    const exited = new Promise((r) => host.once("exit", r));
    host.kill("SIGKILL");
    await exited;
    const ms = await goneWithin(dir, 2000);
    process.stdout.write(`# kernel gone ${ms.toFixed(0)} ms after its host's SIGKILL\n`);
    await assertNothingLeft(dir);
  });

  for (const signal of ["SIGTERM", "SIGHUP", "SIGINT", "SIGKILL"] as const) {
    it(`mllab run stopped by ${signal} while a cell spins: kernel and child gone, notebook unchanged`, { timeout: 90_000 }, async () => {
      const dir = notebookFolder("mllab-fault-signal-");
      const file = path.join(dir, "spin.ipynb");
      fs.writeFileSync(file, notebookJson([SPINNING_CELL]));
      const before = fs.readFileSync(file);
      let cliPid = 0;
      const running = runCli(dir, ["run", file], { deadlineMs: 80_000, onSpawn: (pid) => (cliPid = pid) });
      await cellSpinning(dir);
      process.kill(cliPid, signal);
      const r = await running;
      if (signal === "SIGKILL") assert.equal(r.signal, "SIGKILL");
      else {
        assert.equal(r.status, 128 + { SIGTERM: 15, SIGHUP: 1, SIGINT: 2 }[signal]);
        assert.match(r.stderr, new RegExp(`mllab: stopped by ${signal}; .*spin\\.ipynb was left unchanged`));
      }
      await goneWithin(dir, 2000);
      assert.deepEqual(fs.readFileSync(file), before);
      await assertNothingLeft(dir);
    });
  }
});
