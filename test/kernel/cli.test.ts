import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import Ajv from "ajv-draft-04";
import { tempDir } from "./kernel-helpers";

const root = path.resolve(__dirname, "..", "..");
const cli = path.join(root, "extension", "kernel", "bin", "mllab.js");
const schema = JSON.parse(fs.readFileSync(path.join(root, "test", "schemas", "nbformat.v4.5.schema.json"), "utf8"));
const compiled = new Ajv({ allErrors: true, strict: false }).compile(schema);
/** A plain boolean (not a type guard), so asserting it does not narrow the notebook to `unknown`. */
const validate = Object.assign((nb: unknown): boolean => compiled(nb), { get errors() { return compiled.errors; } });

function notebook(cells: { type?: "code" | "markdown"; source: string }[]) {
  return {
    nbformat: 4,
    nbformat_minor: 4,
    metadata: {},
    cells: cells.map((c) => ({ cell_type: c.type ?? "code", metadata: {}, source: c.source, ...(c.type === "markdown" ? {} : { outputs: [], execution_count: null }) })),
  };
}

function mllab(...args: string[]) {
  return spawnSync(process.execPath, [cli, ...args], { encoding: "utf8", timeout: 120_000 });
}

describe("mllab run (headless CLI)", () => {
  it("executes every cell and writes a valid nbformat 4.5 notebook with outputs", () => {
    const dir = tempDir("mllab-cli-");
    const input = path.join(dir, "in.ipynb"), output = path.join(dir, "out.ipynb");
    fs.writeFileSync(input, JSON.stringify(notebook([
      { type: "markdown", source: "# A title" },
      { source: "const k = 3;\nconsole.log(`k = ${k}`);\nk * 2" },
      { source: 'display.html("<b>bold</b>");\nconsole.error("a warning");' },
      { source: "new ml.KMeans({ k, seed: 0 }).fit(ml.generateBlobs([60, 60, 60], [[0, 0], [5, 0], [0, 5]], undefined, 1).X)" },
    ])));
    const r = mllab("run", input, "--out", output);
    assert.equal(r.status, 0, r.stderr);
    const nb: any = JSON.parse(fs.readFileSync(output, "utf8"));
    assert.ok(validate(nb), JSON.stringify(validate.errors, null, 1));
    const [, c1, c2, c3] = nb.cells;
    assert.deepEqual([c1.execution_count, c2.execution_count, c3.execution_count], [1, 2, 3]);
    assert.deepEqual(c1.outputs.map((o: any) => o.output_type), ["stream", "execute_result"]);
    assert.deepEqual(c1.outputs[0].text, ["k = 3\n"]);
    assert.deepEqual(c1.outputs[1].data["text/plain"], ["6"]);
    assert.equal(c1.outputs[1].execution_count, 1);
    assert.deepEqual(c2.outputs.map((o: any) => o.output_type + (o.name ? `:${o.name}` : "")), ["display_data", "stream:stderr"]);
    const chart = c3.outputs[0];
    assert.equal(chart.output_type, "execute_result");
    const spec = chart.data["application/vnd.vegalite.v5+json"];
    assert.ok(spec.layer ?? spec.hconcat, "the vega-lite spec stays a JSON object (a fitted 2-D KMeans: clusters beside its trace)");
    assert.match(chart.data["image/svg+xml"].join(""), /^<svg[\s\S]*<\/svg>$/, "static SVG fallback for Jupyter and GitHub");
    assert.match(chart.data["text/plain"].join(""), /^KMeans k=3: \d+ iterations/);
    assert.equal(nb.metadata.kernelspec.language, "typescript");
    assert.ok(nb.cells.every((c: any) => typeof c.id === "string"));
    assert.equal(JSON.parse(fs.readFileSync(input, "utf8")).cells[1].outputs.length, 0, "--out leaves the input alone");
  });

  it("stops at a failing cell with exit code 1, prints the error and saves it; --allow-errors runs on", () => {
    const dir = tempDir("mllab-cli-");
    const file = path.join(dir, "fails.ipynb");
    fs.writeFileSync(file, JSON.stringify(notebook([
      { source: "const a = 1;" },
      { source: "const b: number = a;\nthrow new Error(`bad value ${b}`);" },
      { source: "console.log('after');" },
    ])));
    const r = mllab("run", file);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /\[2\/3\] error: cell 2, line 2:[\s\S]*Error: bad value 1/);
    const nb: any = JSON.parse(fs.readFileSync(file, "utf8"));
    assert.ok(validate(nb), JSON.stringify(validate.errors));
    assert.equal(nb.cells[1].outputs[0].output_type, "error");
    assert.equal(nb.cells[1].outputs[0].evalue, "bad value 1");
    assert.deepEqual(nb.cells[2].outputs, [], "cells after the failure are not run");
    const again = mllab("run", file, "--allow-errors");
    assert.equal(again.status, 1);
    assert.deepEqual(JSON.parse(fs.readFileSync(file, "utf8")).cells[2].outputs[0].text, ["after\n"]);
  });

  it("a type error fails the run with its line", () => {
    const dir = tempDir("mllab-cli-");
    const file = path.join(dir, "types.ipynb");
    fs.writeFileSync(file, JSON.stringify(notebook([{ source: "let n: number = 1;\nn = 'one';" }])));
    const r = mllab("run", file);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /line 2, column 1: Type 'string' is not assignable to type 'number'/);
  });

  it("explains bad usage and missing or malformed notebooks", () => {
    const usage = mllab("frobnicate");
    assert.equal(usage.status, 2);
    assert.match(usage.stderr, /unknown command "frobnicate"[\s\S]*usage: mllab run/);
    const missing = mllab("run", "/nonexistent/x.ipynb");
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /notebook not found: \/nonexistent\/x\.ipynb/);
    const dir = tempDir("mllab-cli-");
    fs.writeFileSync(path.join(dir, "v3.ipynb"), JSON.stringify({ nbformat: 3, worksheets: [] }));
    assert.match(mllab("run", path.join(dir, "v3.ipynb")).stderr, /not an nbformat 4 notebook/);
  });

  it("--timeout interrupts a runaway notebook instead of hanging", () => {
    const dir = tempDir("mllab-cli-");
    const file = path.join(dir, "loop.ipynb");
    fs.writeFileSync(file, JSON.stringify(notebook([{ source: "while (true) {}" }])));
    const started = Date.now();
    const r = mllab("run", file, "--timeout", "2");
    assert.equal(r.status, 1);
    assert.ok(Date.now() - started < 20_000);
    assert.match(r.stderr, /ran longer than 2 s; interrupting[\s\S]*interrupted/);
  });
});
