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
    for (const pkg of ["mllab-kernel/dist/kernel-main.js", "ml-lab/dist/ml-lab.d.ts", "ml-lab/data/wine.csv", "tslab/dist/executor.js", "vega/package.json", "@types/node/package.json"]) {
      assert.ok(fs.existsSync(path.join(ext, "node_modules", pkg)), pkg);
    }
    for (const unwanted of ["zeromq", "rollup", "typescript", "playwright-core", "@vscode/vsce"]) {
      assert.ok(!fs.existsSync(path.join(ext, "node_modules", unwanted)), `${unwanted} should not ship`);
    }
    const size = fs.statSync(vsix).size / 2 ** 20;
    assert.ok(size < 20, `VSIX is ${size.toFixed(1)} MiB`);
  });

  it("carries the user README, the icon and every picture the README and the walkthrough show (each a real PNG under 150 KB)", () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(ext, "package.json"), "utf8"));
    const readmeFile = fs.readdirSync(ext).find((f) => /^readme\.md$/i.test(f));
    assert.ok(readmeFile, "a README at the VSIX root");
    const readme = fs.readFileSync(path.join(ext, readmeFile), "utf8");
    assert.match(readme, /^# ML Lab Notebooks/);
    assert.doesNotMatch(readme, /npm (ci|run|test)|DESIGN\.md|\.\.\/shared|test-results/, "written for users, not developers");
    const pictures = [
      manifest.icon as string,
      ...[...readme.matchAll(/!\[[^\]]*\]\(([^)]+)\)/g)].map((m) => m[1]),
      ...manifest.contributes.walkthroughs.flatMap((w: { steps: { media: { image: string } }[] }) => w.steps.map((s) => s.media.image)),
    ];
    assert.ok(pictures.length >= 8, `the icon, the README's and the walkthrough's pictures: ${pictures.join(", ")}`);
    const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const seen = new Map<string, string>();
    for (const picture of pictures) {
      const file = path.join(ext, picture);
      assert.ok(fs.existsSync(file), `${picture} is in the VSIX`);
      const bytes = fs.readFileSync(file);
      assert.ok(bytes.subarray(0, 8).equals(PNG), `${picture} is a PNG`);
      assert.ok(bytes.length <= 150 * 1024, `${picture} is ${(bytes.length / 1024).toFixed(0)} KB`);
      // Placeholders were copies of one picture: every distinct name must be a distinct picture.
      const hash = bytes.toString("base64");
      assert.ok(!seen.has(hash) || seen.get(hash) === picture, `${picture} is the same picture as ${seen.get(hash)}`);
      seen.set(hash, picture);
    }
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
