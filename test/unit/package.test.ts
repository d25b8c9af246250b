import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, it } from "node:test";

const root = path.resolve(__dirname, "..", "..");

describe("the published package shape", () => {
  it("plain Node (no TypeScript loader) can require('ml-lab') from the build and fit a model", () => {
    const script = `
      const ml = require("ml-lab");
      const data = ml.generateBlobs([40, 40], [[0, 0], [6, 6]], undefined, 3);
      const km = new ml.KMeans({ k: 2, seed: 1 }).fit(data.X);
      const gm = new ml.GaussianMixture({ k: 2, seed: 1 }).fit(data.X);
      process.stdout.write(JSON.stringify({ km: String(km), gm: gm.converged, wine: ml.loadWine().X.rows, vscode: Object.keys(require.cache).some((k) => /vscode/.test(k)) }));
    `;
    const out = JSON.parse(execFileSync(process.execPath, ["-e", script], { cwd: root, encoding: "utf8" }));
    assert.match(out.km, /^KMeans k=2: \d+ iterations/);
    assert.equal(out.gm, true);
    assert.equal(out.wine, 178);
    assert.equal(out.vscode, false);
  });

  it("require('ml-lab') leaves the libraries it needs only for PNG, CSV and contact sheets to their first use", () => {
    // The kernel preloads ml-lab, so its start waits for everything ml-lab loads with it.
    const script = `
      const lazy = () => Object.keys(require.cache).map((k) => /node_modules[\\/\\\\](pngjs|csv-parse|pureimage)[\\/\\\\]/.exec(k)?.[1]).filter(Boolean);
      const ml = require("ml-lab");
      const atLoad = [...new Set(lazy())];
      const table = ml.parseCsv("a,b\\n1,2");
      process.stdout.write(JSON.stringify({ atLoad, rows: table.rows, afterCsv: [...new Set(lazy())] }));
    `;
    const out = JSON.parse(execFileSync(process.execPath, ["-e", script], { cwd: root, encoding: "utf8" }));
    assert.deepEqual(out.atLoad, []);
    assert.deepEqual(out.rows, [["1", "2"]]);
    assert.deepEqual(out.afterCsv, ["csv-parse"]);
  });

  it("kernel-lib imports nothing from vscode or the DOM", () => {
    const forbidden = /from "vscode"|require\("vscode"\)|\bdocument\.|\bwindow\./;
    const files = fs.readdirSync(path.join(root, "kernel-lib", "src"), { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".ts"));
    assert.ok(files.length > 20);
    const hits = files.filter((f) => forbidden.test(fs.readFileSync(path.join(root, "kernel-lib", "src", f), "utf8")));
    assert.deepEqual(hits, []);
  });
});

describe("the sample notebooks in the repository", () => {
  it("hold the cells of their sources in samples/src (run `npm run main` after editing one)", () => {
    const fresh = fs.mkdtempSync(path.join(os.tmpdir(), "mllab-samples-"));
    try {
      execFileSync(process.execPath, [path.join(root, "scripts", "build-samples.js"), "--out", fresh], { stdio: "ignore" });
      const cellsOf = (file: string) =>
        JSON.parse(fs.readFileSync(file, "utf8")).cells.map((c: { cell_type: string; source: string | string[] }) => ({ cell_type: c.cell_type, source: [c.source].flat().join("") }));
      const names = fs.readdirSync(fresh);
      assert.ok(names.length >= 5, "five sample sources");
      for (const name of names) {
        assert.deepEqual(cellsOf(path.join(root, "samples", name)), cellsOf(path.join(fresh, name)), `samples/${name} is out of date with its source in samples/src`);
      }
    } finally {
      fs.rmSync(fresh, { recursive: true, force: true });
    }
  });
});
