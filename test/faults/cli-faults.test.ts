/**
 * `mllab run` under faults: runaway cells, a full disk, notebooks that are not ours or not well formed, outputs that
 * cannot be written, floods of output, memory exhaustion. Each run has a hard deadline; afterwards no process may be
 * left in the notebook's folder, and where the run must not touch the notebook its bytes are compared.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { canScanProcesses } from "../kernel/kernel-helpers";
import { assertNothingLeft, notebookFolder, notebookJson, readJson, runCli } from "./fault-helpers";

const skip = canScanProcesses ? false : "needs /proc to scan processes";
const errorsOf = (cell: any) => (cell.outputs ?? []).filter((o: any) => o.output_type === "error");
const textOf = (cell: any) => (cell.outputs ?? []).map((o: any) => (o.text ?? []).join("") + (o.traceback ?? []).join("\n") + (o.evalue ?? "")).join("\n");

describe("mllab run: every cell ends", { skip }, () => {
  it("--timeout escalates: a spin after an await, a blocked child process, and a child that ignores SIGINT all end; --allow-errors runs on", { timeout: 120_000 }, async () => {
    const dir = notebookFolder("mllab-fault-timeout-");
    const file = path.join(dir, "runaway.ipynb");
    fs.writeFileSync(path.join(dir, "stubborn.sh"), 'trap "" INT\nsleep 57\n');
    fs.writeFileSync(file, notebookJson([
      "const kept = 'state survives';\nawait null;\nwhile (true) {}",
      'require("child_process").execSync("sleep 58");',
      'require("child_process").execSync("sh stubborn.sh");',
      "console.log(typeof kept);",
    ]));
    const r = await runCli(dir, ["run", file, "--timeout", "2", "--allow-errors"], { deadlineMs: 90_000 });
    assert.equal(r.status, 1, r.stderr);
    const nb = readJson(file);
    const [spin, blocked, stubborn, after] = nb.cells;
    // The spin after the await is stopped without losing the kernel (the supervisor stops the main thread).
    assert.equal(errorsOf(spin)[0].ename, "Interrupted", textOf(spin));
    assert.match(textOf(spin), /Timeout: the cell ran longer than 2 s; interrupting it/);
    // SIGINT to the kernel's process group ends `sleep`, and execSync returns into the interrupted script.
    assert.equal(errorsOf(blocked)[0].ename, "Interrupted", textOf(blocked));
    // A child that ignores SIGINT: after the grace period the kernel and its process group are killed.
    assert.equal(errorsOf(stubborn)[0].ename, "KernelDied", textOf(stubborn));
    assert.match(errorsOf(stubborn)[0].evalue, /did not stop within 3 s of the interrupt; its state is lost, with any process the cell started/);
    // The next cell gets a fresh kernel (so `kept` is gone).
    assert.match(r.stderr, /\[4\/4\] starting a new kernel: the last one was stopped because the cell did not stop/);
    assert.deepEqual(errorsOf(after).map((e: any) => e.evalue), ["line 1: Cannot find name 'kept'."]);
    assert.match(r.stderr, /\[1\/4\] ran longer than 2 s; interrupting[\s\S]*\[1\/4\] interrupted \(timed out\)/);
    await assertNothingLeft(dir);
  });

  it("without --allow-errors the run stops at the timed-out cell, and cells it did not run keep their saved outputs", { timeout: 90_000 }, async () => {
    const dir = notebookFolder("mllab-fault-stop-");
    const file = path.join(dir, "stop.ipynb");
    const saved = [{ output_type: "stream", name: "stdout", text: ["from an earlier run\n"] }];
    fs.writeFileSync(file, notebookJson([
      "console.log('one');",
      "await new Promise((r) => setTimeout(r, 10));\nfor (;;) {}",
      { source: "console.log('three');", outputs: saved, execution_count: 7 },
    ]));
    const r = await runCli(dir, ["run", file, "--timeout", "2"], { deadlineMs: 60_000 });
    assert.equal(r.status, 1, r.stderr);
    const nb = readJson(file);
    assert.deepEqual(nb.cells[0].outputs[0].text, ["one\n"]);
    assert.equal(errorsOf(nb.cells[1])[0].ename, "Interrupted");
    assert.deepEqual(nb.cells[2].outputs, saved, "the cell after the failure keeps what it had");
    assert.equal(nb.cells[2].execution_count, 7);
    await assertNothingLeft(dir);
  });
});

describe("mllab run: the notebook is never destroyed", { skip }, () => {
  it("a disk that fills up while the notebook is written leaves the old file byte for byte, and no temporary file", { timeout: 90_000 }, async () => {
    const dir = notebookFolder("mllab-fault-disk-");
    const file = path.join(dir, "full.ipynb");
    fs.writeFileSync(file, notebookJson(['console.log("x".repeat(400_000));']));
    const before = fs.readFileSync(file);
    // 64 KiB may be written per file: the notebook with its 400 kB of output will not fit.
    const r = await runCli(dir, ["run", file], { deadlineMs: 60_000, fileSizeBlocks: 128 });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /mllab: could not write .*full\.ipynb: .*(EFBIG|ENOSPC|too large).*; the file was left as it was/);
    assert.deepEqual(fs.readFileSync(file), before);
    assert.deepEqual(fs.readdirSync(dir).filter((f) => f.endsWith(".tmp")), []);
    await assertNothingLeft(dir);
  });

  it("a Python notebook is refused untouched; --force runs it as TypeScript", { timeout: 90_000 }, async () => {
    const dir = notebookFolder("mllab-fault-python-");
    const file = path.join(dir, "py.ipynb");
    const saved = [{ output_type: "execute_result", execution_count: 1, data: { "text/plain": ["2"] }, metadata: {} }];
    fs.writeFileSync(file, notebookJson([{ source: "1 + 1", outputs: saved, execution_count: 1 }], {
      kernelspec: { name: "python3", display_name: "Python 3", language: "python" },
      language_info: { name: "python" },
    }));
    const before = fs.readFileSync(file);
    const refused = await runCli(dir, ["run", file], { deadlineMs: 30_000 });
    assert.equal(refused.status, 1);
    assert.match(refused.stderr, /py\.ipynb is a python notebook \(kernel "python3"\), and mllab runs TypeScript: it was left unchanged\. .*--force/);
    assert.deepEqual(fs.readFileSync(file), before);
    const forced = await runCli(dir, ["run", file, "--force"], { deadlineMs: 60_000 });
    assert.equal(forced.status, 0, forced.stderr);
    assert.equal(readJson(file).metadata.kernelspec.language, "typescript");
    await assertNothingLeft(dir);
  });

  it("malformed cells are named and nothing runs: a null cell, a missing source, a source that is not text", { timeout: 30_000 }, async () => {
    const dir = notebookFolder("mllab-fault-malformed-");
    const file = path.join(dir, "bad.ipynb");
    fs.writeFileSync(file, notebookJson(['require("fs").writeFileSync("ran", "")', null, { source: undefined }, { source: 42 }, { source: ["ok", 3] }]));
    const before = fs.readFileSync(file);
    const r = await runCli(dir, ["run", file], { deadlineMs: 20_000 });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /cell 2 is null, not a cell object; cell 3 \(id "c2"\) has no "source"; cell 4 \(id "c3"\) has a "source" that is neither text nor a list of lines; cell 5 \(id "c4"\) has a "source" that is neither/);
    assert.match(r.stderr, /Nothing was run and the file was left unchanged/);
    assert.deepEqual(fs.readFileSync(file), before);
    assert.equal(fs.existsSync(path.join(dir, "ran")), false);
    await assertNothingLeft(dir);
  });

  it("an --out that cannot be written fails before the first cell runs", { timeout: 30_000 }, async () => {
    const dir = notebookFolder("mllab-fault-out-");
    const file = path.join(dir, "nb.ipynb");
    fs.writeFileSync(file, notebookJson(['require("fs").writeFileSync("ran", "")']));
    for (const out of [path.join(dir, "no-such-folder", "out.ipynb"), path.join(dir, "nb.ipynb", "out.ipynb")]) {
      const r = await runCli(dir, ["run", file, "--out", out], { deadlineMs: 20_000 });
      assert.equal(r.status, 1);
      assert.match(r.stderr, /mllab: cannot write .*out\.ipynb: .*nothing was run/);
    }
    assert.equal(fs.existsSync(path.join(dir, "ran")), false, "no cell ran");
    await assertNothingLeft(dir);
  });
});

describe("mllab run: floods and exhaustion", { skip }, () => {
  it("a million printed lines finish in seconds; past the output limit they are cut with a note", { timeout: 120_000 }, async () => {
    const dir = notebookFolder("mllab-fault-flood-");
    const file = path.join(dir, "flood.ipynb");
    fs.writeFileSync(file, notebookJson(["for (let i = 0; i < 1_000_000; i++) console.log(`line ${i}`);", "console.log('next cell');"]));
    const r = await runCli(dir, ["run", file, "--output-limit", "2"], { deadlineMs: 100_000 });
    assert.equal(r.status, 0, r.stderr);
    const [flood, next] = readJson(file).cells;
    const text: string = flood.outputs.map((o: any) => o.text.join("")).join("");
    assert.ok(text.startsWith("line 0\nline 1\n"));
    assert.ok(text.length <= 2 * 1048576 + 1000, `${text.length} characters kept`);
    assert.match(text, /\[output truncated: this cell's output passed 2 MB; the rest is not shown \(raise it with --output-limit MB\)\]/);
    assert.deepEqual(next.outputs[0].text, ["next cell\n"]);
    process.stdout.write(`# 10^6 lines through mllab run (2 MB limit): ${(r.ms / 1000).toFixed(1)} s\n`);
    await assertNothingLeft(dir);
  });

  it("with no output limit, all million lines are saved, in seconds", { timeout: 150_000 }, async () => {
    const dir = notebookFolder("mllab-fault-million-");
    const file = path.join(dir, "million.ipynb");
    fs.writeFileSync(file, notebookJson(["for (let i = 0; i < 1_000_000; i++) console.log(i);"]));
    const r = await runCli(dir, ["run", file, "--output-limit", "0"], { deadlineMs: 120_000 });
    assert.equal(r.status, 0, r.stderr);
    const lines: string[] = readJson(file).cells[0].outputs[0].text;
    assert.equal(lines.length, 1_000_000);
    assert.equal(lines[999_999], "999999\n");
    process.stdout.write(`# 10^6 lines through mllab run, all kept: ${(r.ms / 1000).toFixed(1)} s\n`);
    await assertNothingLeft(dir);
  });

  it("--max-memory caps the kernel's heap: a runaway allocation fails fast with an out-of-memory error", { timeout: 90_000 }, async () => {
    const dir = notebookFolder("mllab-fault-oom-");
    const file = path.join(dir, "oom.ipynb");
    fs.writeFileSync(file, notebookJson(["const hoard: number[][] = [];\nwhile (true) hoard.push(new Array(100_000).fill(Math.random()));"]));
    const r = await runCli(dir, ["run", file, "--max-memory", "200"], { deadlineMs: 60_000 });
    assert.equal(r.status, 1);
    const [error] = errorsOf(readJson(file).cells[0]);
    assert.equal(error.ename, "OutOfMemory");
    assert.match(error.evalue, /the kernel process ran out of memory \(its JavaScript heap is capped at 200 MB\)/);
    await assertNothingLeft(dir);
  });
});
