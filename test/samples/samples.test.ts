import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { tempDir } from "../kernel/kernel-helpers";

const root = path.resolve(__dirname, "..", "..");
const cli = path.join(root, "extension", "kernel", "bin", "mllab.js");

interface Output { output_type: string; text?: string[]; data?: Record<string, unknown>; traceback?: string[] }

/** Runs a sample from a copy of samples/ (as "Open Sample" would place it) and returns its outputs as text and MIME lists. */
function runSample(name: string, budgetSeconds: number) {
  const dir = tempDir("mllab-sample-");
  fs.cpSync(path.join(root, "samples"), dir, { recursive: true });
  const file = path.join(dir, `${name}.ipynb`);
  const started = Date.now();
  const r = spawnSync(process.execPath, [cli, "run", file, "--timeout", String(budgetSeconds)], { encoding: "utf8", timeout: (budgetSeconds + 60) * 1000 });
  const seconds = (Date.now() - started) / 1000;
  assert.equal(r.status, 0, `${name} failed:\n${r.stderr}`);
  const nb = JSON.parse(fs.readFileSync(file, "utf8"));
  const outputs: Output[] = nb.cells.flatMap((c: { outputs?: Output[] }) => c.outputs ?? []);
  const text = outputs.map((o) => (o.text ?? (o.data?.["text/plain"] as string[] | undefined) ?? []).join("")).join("\n");
  const mimes = new Set(outputs.flatMap((o) => Object.keys(o.data ?? {})));
  assert.ok(!outputs.some((o) => o.output_type === "error"), "no cell errored");
  assert.ok(!outputs.some((o) => o.data && Object.keys(o.data).length === 0), "no empty output (a finished progress is removed)");
  return { text, mimes, seconds };
}

const number = (text: string, pattern: RegExp) => {
  const m = pattern.exec(text);
  assert.ok(m, `no match for ${pattern}`);
  return Number(m![1]);
};

describe("sample notebooks run top to bottom headless, with the expected results", () => {
  it("em-gmm (the Coursera EM assignment): every checkpoint passes, EM stops after 23 iterations, mixture views and charts", () => {
    const { text, mimes } = runSample("em-gmm", 120);
    assert.equal((text.match(/checkpoint passed/g) ?? []).length, 6);
    assert.doesNotMatch(text, /CHECK FAILED/);
    assert.match(text, /weight of component 1: 0\.30\d\d/);
    // The image part: 688 photo tiles by mean colour, responsibilities after 1 and 20 iterations, top tiles.
    assert.match(text, /eight tiles from each photo — 32 images of 20×20/);
    assert.match(text, /at iteration 1, log-likelihood[\s\S]*at iteration 20, log-likelihood/);
    assert.match(text, /cluster\s+rocket\s+deep field\s+coffee\s+cat/);
    assert.ok(number(text, /purity (\d\.\d+)/) > 0.8);
    assert.equal((text.match(/component \d: its top 5 of \d+ tiles/g) ?? []).length, 4);
    for (const m of ["application/vnd.mllab.mixture+json", "application/vnd.mllab.images+json", "application/vnd.vegalite.v5+json", "image/svg+xml", "image/png", "text/plain"]) assert.ok(mimes.has(m), m);
  });

  it("lab3-kmeans-em (Lab 3): olive-oil clusters against the regions; EM beats k-means on μ₁", () => {
    const { text, mimes } = runSample("lab3-kmeans-em", 120);
    assert.match(text, /572 oils × 8 features/);
    assert.match(text, /cluster\s+Northern Italy\s+Sardinia\s+Southern Italy/);
    const purity = number(text, /purity (\d\.\d+)/);
    assert.ok(purity > 0.7 && purity < 1, `purity ${purity}`);
    const kmeansMu1 = number(text, /k-means centres: [-\d.]+, (-[\d.]+)/);
    const emMu1 = number(text, /mu_1\s+-1\.80\s+(-[\d.]+)/);
    assert.ok(Math.abs(emMu1 + 1.8) < Math.abs(kmeansMu1 + 1.8), `EM ${emMu1} vs k-means ${kmeansMu1}`);
    assert.ok(number(text, /pi\s+0\.30\s+([\d.]+)/) > 0.25);
    assert.ok(mimes.has("application/vnd.mllab.mixture+json"));
  });

  it("mnist-kmeans (the MNIST k-means homework): error rate falls with k; 16 centroids as labelled images", () => {
    const { text, mimes } = runSample("mnist-kmeans", 240);
    const at5 = number(text, /k=5: ([\d.]+)%/), at25 = number(text, /k=25: ([\d.]+)%/);
    assert.ok(at25 < at5, `k=25 ${at25}% vs k=5 ${at5}%`);
    assert.ok(number(text, /validation error with 16 centroids: ([\d.]+)%/) < 45);
    assert.match(text, /16 centroids with their inferred labels — 16 images of 28×28/);
    for (const m of ["application/vnd.mllab.images+json", "image/png"]) assert.ok(mimes.has(m), m);
  });

  it("hw6-optimization (the w261 HW6 homework): extrema by FOC/SOC, Newton gives 1.2, GD reaches the closed form, MapReduce jobs match", () => {
    const { text, mimes } = runSample("hw6-optimization", 120);
    assert.match(text, /x =\s+0\.0000\s+f\(x\) =\s+-6\.00\s+local maximum/);
    assert.match(text, /x =\s+-6\.0000\s+f\(x\) =\s+-654\.00\s+local minimum/);
    assert.match(text, /second approximation x₂ = 1\.2;/);
    assert.ok(number(text, /largest difference from the closed form ([\d.e+-]+)/) < 1e-6);
    // MapReduce: inline and local agree, the driver matches in-memory GD and EM step for step.
    assert.match(text, /points counted by the mappers: 1,000,000/);
    assert.ok(number(text, /gradients differ by ([\d.e+-]+)/) < 1e-9);
    assert.ok(number(text, /MapReduce vs in-memory: largest difference ([\d.e+-]+)/) < 1e-9);
    assert.ok(number(text, /largest difference in a mean ([\d.e+-]+)/) < 1e-9);
    assert.ok(mimes.has("application/vnd.mllab.mixture+json") && mimes.has("application/vnd.vegalite.v5+json"));
  });

  it("kmeans-inits-scaling (the k-means inits homework): losses per init, linear scaling chart, a many-cluster classifier", () => {
    const { text } = runSample("kmeans-inits-scaling", 240);
    const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    for (const init of ["random", "k-means++", "farthest"]) assert.match(text, new RegExp(`${escape(`blobs and tail (gen1), ${init}`)}\\s+mean loss [\\d.]+`));
    assert.match(text, /100-D\s+n=\s+\d+/);
    assert.ok(number(text, /test accuracy ([\d.]+)%/) > 80);
  });
});
