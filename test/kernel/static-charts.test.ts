import * as assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as ml from "../../kernel-lib/src";
import { vegaLiteToSvg, withStaticFallback } from "../../extension/kernel/src/process/static-charts";

describe("static SVG fallbacks rendered in the kernel (vega, no browser)", () => {
  it("the mixture picture: one circle per point, ellipse paths, and axis titles", async () => {
    const { X } = ml.generateBlobs([40, 40], [[0, 0], [5, 5]], undefined, 2);
    const gm = new ml.GaussianMixture({ k: 2, seed: 0 }).fit(X);
    const bundle = ml.mixtureView(X, gm, { features: ["height", "weight"] });
    const svg = await vegaLiteToSvg(bundle[ml.MIME.vegaLite]);
    assert.match(svg, /^<svg[^>]+width="\d+"/);
    assert.equal((svg.match(/<path[^>]*aria-roledescription="circle"/g) ?? []).length, 80, "80 points");
    assert.ok((svg.match(/aria-roledescription="line mark"/g) ?? []).length >= 6, "3 ellipses per component");
    assert.match(svg, />height</);
    assert.match(svg, />weight</);
  });

  it("adds SVG only where a vega-lite spec has no static picture yet", async () => {
    const chart = { [ml.MIME.vegaLite]: ml.lineChart({ series: [{ name: "a", values: [1, 2, 3] }] }), [ml.MIME.text]: "a line" };
    const full = await withStaticFallback(chart);
    assert.match(String(full?.[ml.MIME.svg]), /<svg/);
    assert.equal(await withStaticFallback({ [ml.MIME.text]: "plain" }), undefined);
    assert.equal(await withStaticFallback(ml.imageGrid([[0, 1, 1, 0]])), undefined, "image grids already carry a PNG");
  });
});
