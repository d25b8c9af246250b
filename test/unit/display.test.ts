import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { PNG } from "pngjs";
import * as ml from "../../kernel-lib/src";
import { MIME, RENDERER_MIME_TYPES } from "../../kernel-lib/src/output-contract";
import { vegaLiteToSvg } from "../../extension/kernel/src/process/static-charts";
import { assertClose } from "../helpers";

const root = path.resolve(__dirname, "..", "..");

describe("kernel-side display builders", () => {
  it("imageGrid: versioned JSON with scaled bytes, a PNG contact sheet and a text list", () => {
    const images = ml.Matrix.fromRows([[0, 0.5, 1, 0.25], [1, 1, 0, 0]]);
    const bundle = ml.imageGrid(images, { captions: ["a", "b"], title: "two" });
    const data = bundle[ml.MIME.images] as { version: number; shape: number[]; count: number; pixels: string; captions: string[] };
    assert.deepEqual([data.version, data.shape, data.count, data.captions], [1, [2, 2], 2, ["a", "b"]]);
    assert.deepEqual(Array.from(Buffer.from(data.pixels, "base64")), [0, 128, 255, 64, 255, 255, 0, 0]);
    const png = PNG.sync.read(Buffer.from(bundle[ml.MIME.png] as string, "base64"));
    assert.ok(png.width >= 2 * 28 && png.height > 28, `2×2 images drawn at scale 28 with room for captions (${png.width}×${png.height})`);
    assert.match(bundle[ml.MIME.text] as string, /two — 2 images of 2×2: a, b/);
    assert.throws(() => ml.imageGrid([[1, 2, 3]]), /not a square image; pass shape/);
    assert.throws(() => ml.imageGrid(images, { captions: ["only one"] }), /captions has 1 entries for 2 images/);
  });

  it("centroidImages captions each centroid with its label over its size and purity (a headline and a detail line)", () => {
    const bundle = ml.centroidImages([[0, 1, 1, 0], [1, 0, 0, 1]], ["7", null], [812, 0], [0.943, 0]);
    assert.deepEqual((bundle[ml.MIME.images] as { captions: string[] }).captions, ["label 7\nn=812 · 94%", "no label\nn=0 · 0%"]);
    assert.match(bundle[ml.MIME.text] as string, /label 7 · n=812 · 94%/);
  });

  it("the image grid's PNG carries its captions and title: ink under every image where the caption goes", () => {
    const images = Array.from({ length: 3 }, () => Array.from({ length: 16 }, () => 0));
    const bare = PNG.sync.read(Buffer.from(ml.imageGrid(images)[ml.MIME.png] as string, "base64"));
    const captioned = PNG.sync.read(Buffer.from(ml.imageGrid(images, { captions: ["label 7\nn=812 · 94%", "label 1\nn=5 · 80%", "label 2\nn=9 · 50%"], title: "three centroids" })[ml.MIME.png] as string, "base64"));
    assert.ok(captioned.height > bare.height + 30, `room for a title and two caption lines (${bare.height} → ${captioned.height} px)`);
    assert.ok(captioned.width > bare.width, "tiles as wide as their captions");
    const dark = (png: PNG, y0: number, y1: number) => {
      let n = 0;
      for (let y = y0; y < y1; y++) for (let x = 0; x < png.width; x++) if (png.data[(y * png.width + x) * 4] < 100) n++;
      return n;
    };
    assert.equal(dark(bare, 0, bare.height), 0, "blank images on white, no text");
    assert.ok(dark(captioned, 0, 24) > 50, "the title is drawn");
    assert.ok(dark(captioned, captioned.height - 34, captioned.height) > 100, "the captions are drawn under the images");
  });

  it("the output contract: package.json's renderer declares exactly the MIME types the renderer draws, and no ML Lab type nobody produces", () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
    const declared = manifest.contributes.notebookRenderer.flatMap((r: { mimeTypes: string[] }) => r.mimeTypes);
    assert.deepEqual([...declared].sort(), [...RENDERER_MIME_TYPES].sort());
    const renderer = fs.readFileSync(path.join(root, "renderer", "src", "index.ts"), "utf8");
    for (const key of ["images", "mixture", "vegaLite", "progress"]) assert.match(renderer, new RegExp(`MIME\\.${key}\\b`), `the renderer dispatches ${key}`);
    assert.doesNotMatch(renderer, /application\/vnd\./, "the renderer names no MIME string of its own");
    const ours = Object.values(MIME).filter((m) => m.includes("mllab"));
    assert.deepEqual(ours.filter((m) => !(RENDERER_MIME_TYPES as readonly string[]).includes(m)), [], "every ML Lab MIME type is rendered");
    const contract = fs.readFileSync(path.join(root, "kernel-lib", "src", "output-contract.ts"), "utf8");
    assert.doesNotMatch(contract, /^import /m, "the contract imports nothing (browser, extension host and kernel load it)");
  });

  it("display depends on models, never the reverse: no estimator imports the display layer", () => {
    const src = path.join(root, "kernel-lib", "src");
    const files = fs.readdirSync(src, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".ts") && !f.startsWith("display") && f !== "index.ts");
    const offenders = files.filter((f) => /from "\.\.?\/(\.\.\/)?display\b|toMimeBundle/.test(fs.readFileSync(path.join(src, f), "utf8")));
    assert.deepEqual(offenders, []);
  });

  it("mimeBundleOf: the type table shows models and results (k-means on 2-D data with its clusters), tables as HTML", () => {
    const { X } = ml.generateBlobs([50, 50, 50], [[0, 0], [5, 0], [0, 5]], undefined, 3);
    const km = new ml.KMeans({ k: 3, seed: 0 }).fit(X);
    const bundle = ml.mimeBundleOf(km);
    const spec = bundle[MIME.vegaLite] as { hconcat: { title: string; layer: { data: { values: unknown[] } }[] }[] };
    assert.equal(spec.hconcat.length, 2, "clusters beside the distortion trace");
    assert.equal(spec.hconcat[0].layer[0].data.values.length, 150);
    assert.equal(spec.hconcat[0].layer[1].data.values.length, 3, "a cross per centroid");
    assert.match(bundle[MIME.text] as string, /^KMeans k=3: \d+ iterations[\s\S]*centroids: \(/);
    const wide = ml.mimeBundleOf(new ml.KMeans({ k: 2, seed: 0 }).fit([[0, 0, 0], [1, 1, 1], [9, 9, 9], [10, 10, 10]]));
    assert.equal((wide[MIME.vegaLite] as { name: string }).name, "mllab-trace", "other data: the distortion trace alone");
    assert.equal(ml.mimeBundleOf(new ml.KMeans({ k: 2 }))[MIME.text], "KMeans k=2 (not fitted)");
    const em = ml.EM(X, X.selectRows([0, 60, 120]), [ml.covariance(X), ml.covariance(X), ml.covariance(X)], [1 / 3, 1 / 3, 1 / 3]);
    const trace = ml.mimeBundleOf(em)[MIME.vegaLite] as { usermeta: { mllab: { logToggle: string; goal: string } } };
    assert.deepEqual(trace.usermeta.mllab, { logToggle: "gap", goal: "max" }, "negative log-likelihoods: log of the distance to the best");
    const table = ml.mimeBundleOf(ml.contingencyTable([0, 0, 1], ["a", "b", "b"]));
    assert.match(table[MIME.html] as string, /<table[\s\S]*<th scope="col"[^>]*>cluster<\/th>[\s\S]*<td[^>]*>1<\/td>/);
    assert.match(table[MIME.text] as string, /cluster\s+a\s+b/);
    const t = ml.table({ columns: ["", "true", "estimated"], rows: [["pi", 0.3, 0.2912], ["mu_0", 1.3, 1.2875]], digits: 2 });
    assert.match(t[MIME.html] as string, /<th scope="row"[^>]*>pi<\/th><td[^>]*text-align:right[^>]*>0\.30<\/td><td[^>]*>0\.29<\/td>/);
    assert.equal(t[MIME.text], "      true  estimated\npi    0.30       0.29\nmu_0  1.30       1.29");
    assert.throws(() => ml.table({ columns: ["a"], rows: [[1, 2]] }), /row 0 has 2 cells for 1 columns/);
    assert.match(String(ml.table({ columns: ["x"], rows: [["<b>"]] })[MIME.html]), /&lt;b&gt;/, "cells are escaped");
  });

  it("convergenceChart: the best run heads the legend and is drawn last; the log toggle knows negative traces", () => {
    const spec = ml.convergenceChart({ series: [{ name: "run 1", values: [5, 4] }, { name: "run 2 (best)", values: [4, 3] }, { name: "run 10", values: [6, 5] }], best: 1, yTitle: "distortion" }) as { layer: { encoding: { color: { scale: { domain: string[] } } }; transform?: unknown[] }[]; usermeta: unknown };
    assert.deepEqual(spec.layer[0].encoding.color.scale.domain, ["run 2 (best)", "run 1", "run 10"]);
    assert.deepEqual(spec.layer[1].transform, [{ filter: { field: "series", equal: "run 2 (best)" } }], "the best run's layer comes after the others");
    assert.deepEqual(spec.usermeta, { mllab: { logToggle: "value", goal: "min" } });
  });

  it("CentroidClassifier reports cluster purity", () => {
    const km = new ml.KMeans({ k: 2, init: [[0], [10]] }).fit([[0], [1], [10], [11]]);
    const clf = ml.CentroidClassifier.fromKMeans(km, ["a", "b", "c", "c"]);
    assert.deepEqual(Array.from(clf.clusterPurity), [0.5, 1]);
  });

  it("ellipsePoints: the 1σ ellipse of an identity covariance is the unit circle; of a stretched one, its axes", () => {
    for (const [x, y] of ml.ellipsePoints([2, 3], [[1, 0], [0, 1]], 1)) assertClose(Math.hypot(x - 2, y - 3), 1, 1e-12);
    const pts = ml.ellipsePoints([0, 0], [[4, 0], [0, 1]], 2);
    assertClose(Math.max(...pts.map((p) => p[0])), 4, 1e-9);
    assertClose(Math.max(...pts.map((p) => p[1])), 2, 1e-3);
  });

  it("mixtureView: every snapshot, a sampled point set, and a vega-lite picture of the last iteration with its legend", () => {
    const { X } = ml.generateBlobs([3000, 3000, 3000], [[4, 0], [6, 6], [0, 4]], undefined, 1);
    const gm = new ml.GaussianMixture({ k: 3, seed: 0 }).fit(X);
    const bundle = ml.mixtureView(X, gm, { maxPoints: 2000 });
    const data = bundle[ml.MIME.mixture] as ml.Mixture2DPayload;
    assert.deepEqual([data.version, data.kind, data.points.length, data.totalPoints, data.snapshots.length, data.logLikelihoodTitle], [1, "2d", 4000, 9000, gm.nIter + 1, "mean log-likelihood"]);
    const spec = bundle[ml.MIME.vegaLite] as { title: { text: string }; layer: { data: { values: unknown[] }; mark: { clip?: boolean }; encoding: { color?: { legend?: unknown; scale?: { domain: string[] } } } }[] };
    assert.equal(spec.layer[1].data.values.length, 3 * 3 * 73, "3 components × 3 ellipses × 73 points");
    assert.ok(spec.layer.every((l) => l.mark.clip), "every layer clipped to the plot");
    assert.deepEqual(spec.layer[1].encoding.color!.scale!.domain.map((d) => d.replace(/ \(.*/, "")), ["component 1", "component 2", "component 3"], "the legend names the components");
    assert.match((spec.title as unknown as { subtitle: string }).subtitle, /^the last iteration, \d+ · ellipses: 1σ, 2σ, 3σ · crosses: means$/);
    assert.match(bundle[ml.MIME.text] as string, /^Gaussian mixture, k=3, \d+ iterations, log-likelihood -?\d/);
    assert.throws(() => ml.mixtureView(X, []), /no parameter snapshots/);
  });

  it("mixtureView panels: small multiples of chosen iterations, titled, side by side in the static picture too", () => {
    const { X } = ml.generateBlobs([100, 100], [[0, 0], [5, 5]], undefined, 1);
    const em = ml.EM(X, X.selectRows([0, 150]), [ml.covariance(X), ml.covariance(X)], [0.5, 0.5]);
    const bundle = ml.mixtureView(X, em, { panels: [0, 1, em.nIter], equalAspect: true });
    const data = bundle[ml.MIME.mixture] as ml.Mixture2DPayload;
    assert.deepEqual(data.panels, [0, 1, em.snapshots.length - 1]);
    assert.equal(data.equalAspect, true);
    const spec = bundle[ml.MIME.vegaLite] as { hconcat: { title: { text: string } }[] };
    assert.deepEqual(spec.hconcat.map((p) => p.title.text), ["iteration 0", "iteration 1", `iteration ${em.nIter}`]);
    assert.throws(() => ml.mixtureView(X, em, { panels: [999] }), /recorded no iteration 999; it has iterations 0…/);
  });

  it("static SVGs (what Jupyter, nbconvert and GitHub show) carry the titles and legends of the interactive views", async () => {
    const { X } = ml.generateBlobs([40, 40], [[0, 0], [5, 5]], undefined, 2);
    const gm = new ml.GaussianMixture({ k: 2, seed: 0 }).fit(X);
    const mixture = await vegaLiteToSvg(ml.mixtureView(X, gm, { title: "two blobs" })[ml.MIME.vegaLite]);
    assert.match(mixture, />two blobs</);
    assert.match(mixture, />component 1 \(weight 0\.\d\d\)</);
    assert.match(mixture, />component 2 \(weight 0\.\d\d\)</);
    assert.match(mixture, /the last iteration, \d+ · ellipses: 1σ, 2σ, 3σ · crosses: means/);
    assert.ok(Number(/width="(\d+)"/.exec(mixture)![1]) < 700, "a picture about as wide as the notebook's column");
    const multiples = await vegaLiteToSvg(ml.mixtureView(X, gm, { panels: [0, gm.nIter] })[ml.MIME.vegaLite]);
    assert.match(multiples, />iteration 0</);
    assert.match(multiples, new RegExp(`>iteration ${gm.nIter}<`));
    const oneD = await vegaLiteToSvg(ml.mixtureView1D([0, 1, 1, 2, 5, 6, 6, 7], [{ weight: 0.5, mean: 1, std: 0.7 }, { weight: 0.5, mean: 6, std: 0.7 }], { truth: [{ weight: 0.5, mean: 1, std: 0.7 }, { weight: 0.5, mean: 6, std: 0.7 }], title: "EM against the truth (dashed)" })[ml.MIME.vegaLite]);
    for (const text of ["EM against the truth (dashed)", "component 0 (weight 0.50)", "mixture", "estimated mean", "true mean"]) assert.ok(oneD.includes(`>${text}<`), text);
  });

  it("mixtureView1D: the static picture has its title and a legend for components, mixture and means", () => {
    const bundle = ml.mixtureView1D([0, 1, 2, 3], [{ weight: 0.5, mean: 1, std: 1 }, { weight: 0.5, mean: 2, std: 1 }], { truth: [{ weight: 0.5, mean: 1.1, std: 1 }, { weight: 0.5, mean: 2.1, std: 1 }], title: "t" });
    const spec = bundle[ml.MIME.vegaLite] as { title: string; layer: { encoding: { color?: { legend?: unknown; scale: { domain: string[] } }; strokeDash?: { legend?: unknown } } }[] };
    assert.equal(spec.title, "t");
    assert.deepEqual(spec.layer[1].encoding.color!.scale.domain, ["component 0 (weight 0.50)", "component 1 (weight 0.50)", "mixture"]);
    assert.notEqual(spec.layer[1].encoding.color!.legend, null);
    assert.notEqual(spec.layer[2].encoding.strokeDash!.legend, null, "estimated (solid) and true (dashed) means in the legend");
  });

  it("functionPlot and parameterTraceChart build the HW6 charts", () => {
    const f = (x: number) => x ** 3 - 12 * x ** 2 - 6;
    const spec = ml.functionPlot({ functions: [{ name: "f", f }, { name: "f′", f: (x) => 3 * x * x - 24 * x }], interval: [-6, 6], points: [{ x: 0, y: -6, label: "max" }] }) as { data: { values: { x: number; y: number; series: string }[] } };
    assert.equal(spec.data.values.length, 2 * 241);
    assert.deepEqual(spec.data.values[0], { series: "f", x: -6, y: -654 });
    const trace = ml.parameterTraceChart({ trace: [[0, 0], [-1, 0.5], [-2, 0.8]], names: ["intercept", "slope"], truth: [-4, 1] }) as { layer: unknown[] };
    assert.equal(trace.layer.length, 2);
  });

  it("display() in plain Node prints the text form; a sink receives bundles and in-place updates", () => {
    const seen: ml.DisplayMessage[] = [];
    ml.setDisplaySink((m) => seen.push(m));
    try {
      const handle = ml.display.markdown("**hi**");
      handle.update("**bye**");
      assert.equal(seen.length, 2);
      assert.equal(seen[1].displayId, seen[0].displayId);
      assert.equal(seen[1].update, true);
      assert.equal(seen[1].data[MIME.markdown], "**bye**", "a markdown display updates with markdown");
      const chart = ml.display.vegaLite({ mark: "point", title: "one" });
      chart.update({ mark: "line", title: "two" });
      assert.deepEqual(seen[3].data, { [MIME.vegaLite]: { mark: "line", title: "two" }, [MIME.text]: "[vega-lite: two]" }, "a chart updates with a chart");
      const any = ml.display(3);
      any.update(new ml.KMeans({ k: 2 }));
      assert.equal(seen[5].data[MIME.text], "KMeans k=2 (not fitted)", "display(value) updates with any value");
      assert.ok(ml.isDisplayHandle(handle));
      assert.throws(() => ml.display.mime({}), /at least one MIME type/);
    } finally {
      ml.setDisplaySink(undefined);
    }
  });
});
