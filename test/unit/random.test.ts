import * as assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as ml from "../../kernel-lib/src";
import { assertClose } from "../helpers";

describe("Random", () => {
  it("same seed, same stream; different seeds differ", () => {
    const a = new ml.Random(123), b = new ml.Random(123), c = new ml.Random(124);
    const xs = Array.from({ length: 5 }, () => a.random());
    assert.deepEqual(xs, Array.from({ length: 5 }, () => b.random()));
    assert.notDeepEqual(xs, Array.from({ length: 5 }, () => c.random()));
    assert.notEqual(new ml.Random(2 ** 40).random(), new ml.Random(0).random());
  });

  it("uniform and normal moments", () => {
    const r = new ml.Random(1);
    const u = r.uniformArray(200_000, -4, 4);
    assert.ok(u.every((v) => v >= -4 && v < 4));
    assertClose(ml.mean(u), 0, 0.03);
    assertClose(ml.variance(u), 64 / 12, 0.05);
    const z = r.normalArray(200_000, 2, 3);
    assertClose(ml.mean(z), 2, 0.03);
    assertClose(ml.std(z), 3, 0.03);
  });

  it("int is unbiased over a range that is not a power of two", () => {
    const r = new ml.Random(5), counts = new Array(3).fill(0);
    for (let i = 0; i < 30_000; i++) counts[r.int(3)]++;
    counts.forEach((c) => assert.ok(Math.abs(c - 10_000) < 400, `${counts}`));
  });

  it("multivariate normal has the requested mean and covariance", () => {
    const r = new ml.Random(9);
    const X = r.multivariateNormal([1, -2], [[0.92, 0.38], [0.38, 0.91]], 100_000);
    assertClose(ml.columnMeans(X), [1, -2], 0.02);
    assertClose(ml.covariance(X), [[0.92, 0.38], [0.38, 0.91]], 0.02);
  });

  it("gamma and Dirichlet moments", () => {
    const r = new ml.Random(3);
    for (const shape of [0.5, 1, 4.5]) {
      const g = Array.from({ length: 50_000 }, () => r.gamma(shape));
      assertClose(ml.mean(g), shape, 0.05 * shape + 0.02);
    }
    const D = r.dirichlet([1, 2, 7], 20_000);
    D.toArray().forEach((row) => assertClose(row.reduce((a, b) => a + b, 0), 1, 1e-12));
    assertClose(ml.columnMeans(D), [0.1, 0.2, 0.7], 0.01);
  });

  it("choice, permutation and shuffle", () => {
    const r = new ml.Random(11);
    const picks = r.choice(10, 10, { replace: false });
    assert.deepEqual([...picks].sort((a, b) => a - b), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const big = r.choice(1e7, 4, { replace: false });
    assert.equal(new Set(big).size, 4);
    const weighted = r.choice(3, 30_000, { p: [0.2, 0, 0.8] });
    const counts = [0, 0, 0];
    weighted.forEach((i) => counts[i]++);
    assert.equal(counts[1], 0);
    assert.ok(Math.abs(counts[0] / 30_000 - 0.2) < 0.01);
    assert.deepEqual([...r.permutation(6)].sort(), [0, 1, 2, 3, 4, 5]);
    assert.throws(() => r.choice(3, 4, { replace: false }), /cannot choose 4 distinct items from 3/);
    assert.throws(() => r.choice(3, 1, { p: [0.5, 0.5, 0.5] }), /sums to 1.5/);
    assert.throws(() => r.choice(3, 2, { replace: false, p: [1, 0, 0] }), /only 1 have non-zero probability/);
    assert.throws(() => new ml.Random(NaN), ml.InvalidArgumentError);
  });
});

describe("data generators from the seeds", () => {
  it("generateMoGData (the Coursera EM assignment) draws components by weight", () => {
    const { X, labels } = ml.generateMoGData(20_000, [[5, 0], [1, 1], [0, 5]], [[[0.5, 0], [0, 0.5]], [[0.92, 0.38], [0.38, 0.91]], [[0.5, 0], [0, 0.5]]], [0.25, 0.5, 0.25], 4);
    assert.deepEqual(X.shape, [20_000, 2]);
    const share = [0, 0, 0];
    labels.forEach((l) => share[l]++);
    assertClose(share.map((s) => s / 20_000), [0.25, 0.5, 0.25], 0.015);
    const second = X.selectRows(Array.from(labels.keys()).filter((i) => labels[i] === 1));
    assertClose(ml.covariance(second), [[0.92, 0.38], [0.38, 0.91]], 0.05);
  });

  it("generateBlobs (HW6 GMM data) has the requested sizes and shuffles them", () => {
    const { X, labels } = ml.generateBlobs([1000, 1000, 1000], [[4, 0], [6, 6], [0, 4]], undefined, 1);
    assert.deepEqual(X.shape, [3000, 2]);
    assert.notDeepEqual(Array.from(labels.slice(0, 20)), new Array(20).fill(0));
    const first = X.selectRows(Array.from(labels.keys()).filter((i) => labels[i] === 1));
    assert.equal(first.rows, 1000);
    assertClose(ml.columnMeans(first), [6, 6], 0.1);
  });

  it("gen1, gen2, gen3 (the k-means inits homework) have the seed's shapes and geometry", () => {
    const g1 = ml.gen1(100, 1);
    assert.deepEqual(g1.X.shape, [300, 2]);
    assert.ok(g1.X.row(250)[0] >= 1.5, "the tail starts at x ≥ 1.5");
    const ring = ml.gen2(5000, 0.2, 2, 2);
    const radii = Array.from({ length: ring.rows }, (_, i) => Math.hypot(ring.get(i, 0), ring.get(i, 1)));
    assertClose(ml.mean(radii), 2, 0.02);
    assertClose(ml.std(radii), 0.2, 0.01);
    const g3 = ml.gen3(1003, 100, 10, 10, 3);
    assert.deepEqual(g3.X.shape, [1003, 100]);
    assert.equal(g3.labels.filter((l) => l === 0).length, 103, "group 0 takes the remainder");
  });

  it("generateWeightedLinearData (HW6) follows y = x − 4 + N(0, 0.5²) with w = |1/x|", () => {
    const { x, y, w } = ml.generateWeightedLinearData(100_000, { seed: 1 });
    assert.ok(x.every((v) => v >= -4 && v < 4 && v !== 0));
    const residuals = y.map((v, i) => v - (x[i] - 4));
    assertClose(ml.mean(residuals), 0, 0.01);
    assertClose(ml.std(residuals), 0.5, 0.01);
    w.forEach((v, i) => assert.equal(v, Math.abs(1 / x[i])));
  });
});
