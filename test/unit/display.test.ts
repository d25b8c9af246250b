import * as assert from "node:assert/strict";
import { describe, it } from "node:test";
import { PNG } from "pngjs";
import * as ml from "../../kernel-lib/src";
import { assertClose } from "../helpers";

describe("kernel-side display builders", () => {
  it("imageGrid: versioned JSON with scaled bytes, a PNG contact sheet and a text list", () => {
    const images = ml.Matrix.fromRows([[0, 0.5, 1, 0.25], [1, 1, 0, 0]]);
    const bundle = ml.imageGrid(images, { captions: ["a", "b"], title: "two" });
    const data = bundle[ml.MIME.images] as { version: number; shape: number[]; count: number; pixels: string; captions: string[] };
    assert.deepEqual([data.version, data.shape, data.count, data.captions], [1, [2, 2], 2, ["a", "b"]]);
    assert.deepEqual(Array.from(Buffer.from(data.pixels, "base64")), [0, 128, 255, 64, 255, 255, 0, 0]);
    const png = PNG.sync.read(Buffer.from(bundle[ml.MIME.png] as string, "base64"));
    assert.deepEqual([png.width, png.height], [2 * 3 + 1, 1 * 3 + 1]);
    assert.deepEqual(Array.from(png.data.subarray(((1 * png.width) + 1) * 4, ((1 * png.width) + 1) * 4 + 3)), [255, 255, 255], "value 0 is paper");
    assert.match(bundle[ml.MIME.text] as string, /two — 2 images of 2×2: a, b/);
    assert.throws(() => ml.imageGrid([[1, 2, 3]]), /not a square image; pass shape/);
    assert.throws(() => ml.imageGrid(images, { captions: ["only one"] }), /captions has 1 entries for 2 images/);
  });

  it("centroidImages captions each centroid with label, size and purity", () => {
    const bundle = ml.centroidImages([[0, 1, 1, 0]], ["7"], [812], [0.943]);
    assert.deepEqual((bundle[ml.MIME.images] as { captions: string[] }).captions, ["7 (n=812, 94%)"]);
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

  it("mixtureView: every snapshot, a sampled point set, and a vega-lite picture of the last iteration", () => {
    const { X } = ml.generateBlobs([3000, 3000, 3000], [[4, 0], [6, 6], [0, 4]], undefined, 1);
    const gm = new ml.GaussianMixture({ k: 3, seed: 0 }).fit(X);
    const bundle = ml.mixtureView(X, gm, { maxPoints: 2000 });
    const data = bundle[ml.MIME.mixture] as { version: number; kind: string; points: number[]; totalPoints: number; snapshots: unknown[] };
    assert.deepEqual([data.version, data.kind, data.points.length, data.totalPoints, data.snapshots.length], [1, "2d", 4000, 9000, gm.nIter + 1]);
    const spec = bundle[ml.MIME.vegaLite] as { layer: { data: { values: unknown[] } }[] };
    assert.equal(spec.layer[1].data.values.length, 3 * 3 * 73, "3 components × 3 ellipses × 73 points");
    assert.match(bundle[ml.MIME.text] as string, /^Gaussian mixture, k=3, \d+ iterations, log-likelihood -?\d/);
    assert.throws(() => ml.mixtureView(X, []), /no parameter snapshots/);
  });

  it("functionPlot and parameterTraceChart build the seed 000 charts", () => {
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
      handle.update("bye");
      assert.equal(seen.length, 2);
      assert.equal(seen[1].displayId, seen[0].displayId);
      assert.equal(seen[1].update, true);
      assert.ok(ml.isDisplayHandle(handle));
      assert.throws(() => ml.display.mime({}), /at least one MIME type/);
    } finally {
      ml.setDisplaySink(undefined);
    }
  });
});
