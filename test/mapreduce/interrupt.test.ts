/**
 * Nothing hangs and nothing keeps running: the local runner's task timeout, a job's AbortSignal, interruptAll() (what
 * a kernel calls on interrupt) and SIGINT stop the job's worker threads, remove its work folder, and leave the pool
 * usable for the next job. Checked from outside: by the clock, the process's CPU time, the temp folder and `ps`.
 */
import * as assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { mr, scratch, workFolders } from "./helpers";

const s = scratch("mllab-mr-interrupt-");
process.env.TMPDIR = s.dir; // the runners' work folders go here, apart from other test runs'
after(() => s.cleanup());

const within = async <T>(ms: number, promise: Promise<T>, what: string): Promise<T> => {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms)));
  try {
    return await Promise.race([promise, limit]);
  } finally {
    clearTimeout(timer);
  }
};

/** CPU seconds this process uses over `ms` of wall time while it should be idle (a spinning thread would show). */
async function idleCpu(ms: number): Promise<number> {
  const start = process.cpuUsage();
  await new Promise((r) => setTimeout(r, ms));
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1e6;
}

describe("stopping local jobs", () => {
  let spin: string, count: string, input: string, words: string;
  before(() => {
    // The mapper never returns on the line "spin" (a bug in a notebook's job).
    spin = s.job(`() => [{ mapper: (_k, line) => { while (line === "spin") {} return [[line, 1]]; } }]`, "spin");
    count = s.job(`() => [{ mapper: (_k, line) => [[line, 1]], reducer: (k, vs) => [[k, vs.length]] }]`, "count");
    input = s.write("spin.txt", Array.from({ length: 200 }, (_, i) => (i === 150 ? "spin" : `line ${i % 7}`)).join("\n") + "\n");
    words = s.write("words.txt", "a\nb\na\n");
  });

  const nextJobWorks = async () => {
    const result = await within(15_000, mr.runLocal(count, { input: [words], workers: 2 }), "the next job");
    assert.deepEqual(result.output.sort(), [["a", 2], ["b", 1]]);
  };

  it("taskTimeoutMs stops a task that never returns, names it, and the next job runs", async () => {
    const started = Date.now();
    await within(15_000, assert.rejects(mr.runLocal(spin, { input: [input], workers: 2, taskTimeoutMs: 500 }), (e: Error) => {
      assert.ok(e instanceof mr.MapReduceTimeoutError, e.message);
      assert.match(e.message, /map task \d of step 0 \(.*spin\.txt bytes \d+–\d+\) ran past taskTimeoutMs = 500 ms; its thread was stopped/);
      return true;
    }), "the timed-out job");
    assert.ok(Date.now() - started < 10_000);
    assert.ok((await idleCpu(2000)) < 0.15, "no thread keeps spinning");
    await nextJobWorks();
    assert.deepEqual(workFolders(s.dir), []);
  });

  it("an aborted signal stops the job's threads; the promise rejects as interrupted", async () => {
    const controller = new AbortController();
    const job = mr.runLocal(spin, { input: [input], workers: 2, signal: controller.signal });
    setTimeout(() => controller.abort(new Error("user pressed stop")), 300);
    await within(10_000, assert.rejects(job, (e: Error) => e instanceof mr.MapReduceInterruptedError && /job "spin" was stopped: its signal aborted \(user pressed stop\)/.test(e.message)), "the aborted job");
    assert.ok((await idleCpu(2000)) < 0.15, "no thread keeps spinning");
    await nextJobWorks();
    assert.deepEqual(workFolders(s.dir), []);
    // Already aborted: fails at once, nothing starts.
    await assert.rejects(mr.runLocal(count, { input: [words], signal: AbortSignal.abort() }), mr.MapReduceInterruptedError);
  });

  it("interruptAll() stops a job nobody awaits any more (a kernel's interrupted cell), and the next job does not wait behind it", async () => {
    const abandoned = mr.runLocal(spin, { input: [input], workers: 2 });
    const outcome = abandoned.then(() => "finished", (e: Error) => e);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(mr.interruptAll("the cell was interrupted"), 1);
    const e = await within(10_000, outcome, "the interrupted job");
    assert.ok(e instanceof mr.MapReduceInterruptedError && /was stopped: the cell was interrupted/.test(e.message), String(e));
    assert.equal(mr.interruptAll(), 0, "nothing left running");
    await nextJobWorks();
    assert.deepEqual(workFolders(s.dir), []);
  });

  it("inline: the signal is checked between tasks and steps", async () => {
    const controller = new AbortController();
    (globalThis as { stopInlineJob?: () => void }).stopInlineJob = () => controller.abort();
    const twoSteps = s.job(`() => [{ mapper: (_k, line) => [[line, 1]], mapperFinal() { globalThis.stopInlineJob(); } }, { reducer: (k, vs) => [[k, vs.length]] }]`, "stops");
    await assert.rejects(mr.runInline(twoSteps, { input: [words], signal: controller.signal }), /job "stops" was stopped: its signal aborted/);
    assert.deepEqual(workFolders(s.dir), []);
  });

  it("SIGINT with interruptOnSigint() stops the running job; the process runs the next job and exits by itself", async () => {
    const script = s.write("sigint.js", `
      const mr = require(${JSON.stringify(path.resolve(__dirname, "../../kernel-lib/src/mapreduce/index.ts"))});
      mr.interruptOnSigint();
      mr.runLocal(${JSON.stringify(spin)}, { input: [${JSON.stringify(input)}], workers: 2 }).then(
        () => console.log("finished?"),
        async (e) => {
          console.log(e.constructor.name + ": " + e.message);
          const next = await mr.runLocal(${JSON.stringify(count)}, { input: [${JSON.stringify(words)}], workers: 2 });
          console.log("next job: " + JSON.stringify(next.output.sort()));
        });
      setTimeout(() => console.log("running"), 500);`);
    const child = spawn(process.execPath, ["--import", "tsx", script], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d) => {
      out += d;
      if (String(d).includes("running")) child.kill("SIGINT");
    });
    child.stderr.on("data", (d) => (out += d));
    const code = await within(30_000, new Promise((r) => child.on("exit", r)), `the child (output so far: ${out})`).finally(() => child.kill("SIGKILL"));
    assert.equal(code, 0, out);
    assert.match(out, /MapReduceInterruptedError: job "spin" was stopped: SIGINT/);
    assert.match(out, /next job: \[\["a",2\],\["b",1\]\]/);
    const ps = spawnSync("ps", ["-eo", "pid="], { encoding: "utf8" }).stdout.split("\n").map((l) => Number(l.trim()));
    assert.ok(!ps.includes(child.pid!), "the child process is gone");
    assert.deepEqual(workFolders(s.dir), []);
  });
});
