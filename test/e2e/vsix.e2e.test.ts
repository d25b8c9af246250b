import * as assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { tempDir } from "../kernel/kernel-helpers";

const root = path.resolve(__dirname, "..", "..");
const vsix = path.join(root, "ml-lab-notebooks.vsix");

describe("the VSIX on its own (no repository, no global installs)", () => {
  const dir = tempDir("mllab-vsix-");
  execFileSync("python3", ["-m", "zipfile", "-e", vsix, dir]);
  const ext = path.join(dir, "extension");

  it("holds what runs and nothing it does not need", () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(ext, "package.json"), "utf8"));
    assert.ok(fs.existsSync(path.join(ext, manifest.main)), "the extension entry point");
    assert.ok(fs.existsSync(path.join(ext, "renderer", "dist", "index.js")), "the renderer bundle");
    for (const pkg of ["mllab-kernel/dist/kernel-main.js", "ml-lab/dist/index.d.ts", "ml-lab/data/wine.csv", "tslab/dist/executor.js", "vega/package.json", "@types/node/package.json"]) {
      assert.ok(fs.existsSync(path.join(ext, "node_modules", pkg)), pkg);
    }
    for (const unwanted of ["zeromq", "rollup", "typescript", "playwright-core", "@vscode/vsce"]) {
      assert.ok(!fs.existsSync(path.join(ext, "node_modules", unwanted)), `${unwanted} should not ship`);
    }
    const size = fs.statSync(vsix).size / 2 ** 20;
    assert.ok(size < 20, `VSIX is ${size.toFixed(1)} MiB`);
  });

  it("its own kernel runs a notebook in a folder with no node_modules (Node types and ml-lab forwarded)", () => {
    const work = tempDir("mllab-vsix-nb-");
    const nb = path.join(work, "nb.ipynb");
    const cells = ["console.log('types ok', typeof process.pid);", "const km = new ml.KMeans({ k: 2, seed: 1 }).fit([[0], [1], [9], [10]]);\nkm.inertia", 'import { GaussianMixture } from "ml-lab";\ntypeof GaussianMixture'];
    fs.writeFileSync(nb, JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells: cells.map((source, i) => ({ id: `c${i}`, cell_type: "code", metadata: {}, source, outputs: [], execution_count: null })) }));
    const env = { ...process.env, NODE_PATH: "", npm_config_prefix: path.join(work, "no-global") };
    const r = spawnSync(process.execPath, [path.join(ext, "node_modules", "mllab-kernel", "bin", "mllab.js"), "run", nb], { encoding: "utf8", cwd: work, env, timeout: 120_000 });
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(fs.readFileSync(nb, "utf8"));
    assert.deepEqual(out.cells[0].outputs[0].text, ["types ok number\n"]);
    assert.deepEqual(out.cells[1].outputs[0].data["text/plain"], ["1"]);
    assert.deepEqual(out.cells[2].outputs[0].data["text/plain"], ["function"]);
  });
});
