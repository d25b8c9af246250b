import * as assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as ml from "../../kernel-lib/src";
import { assertClose } from "../helpers";

describe("stats", () => {
  it("variance is accurate on data far from zero (Welford / centred sums)", () => {
    const offset = 1e9;
    const values = [4, 7, 13, 16].map((v) => v + offset);
    assert.equal(ml.variance(values), 22.5);
    assert.equal(ml.variance(values, 1), 30);
    assertClose(ml.columnVariances(values.map((v) => [v])), [22.5], 1e-9);
    assertClose(ml.covariance(values.map((v) => [v, -v])), [[30, -30], [-30, 30]], 1e-6);
  });

  it("standardize z-scores columns with the population std, and leaves constant columns centred", () => {
    const { X, mean, std } = ml.standardize([[1, 5], [2, 5], [3, 5]]);
    assertClose(mean, [2, 5], 0);
    assertClose(std, [Math.sqrt(2 / 3), 0], 1e-15);
    assertClose(X, [[-1.224744871391589, 0], [0, 0], [1.224744871391589, 0]], 1e-12);
  });

  it("logSumExp does not overflow or underflow", () => {
    assertClose(ml.logSumExp([1000, 1000]), 1000 + Math.log(2), 1e-12);
    assertClose(ml.logSumExp([-1000, -1000]), -1000 + Math.log(2), 1e-12);
    assert.equal(ml.logSumExp([-Infinity, -Infinity]), -Infinity);
  });

  it("densities match closed forms", () => {
    assertClose(ml.normalPdf(0), 1 / Math.sqrt(2 * Math.PI), 1e-15);
    assertClose(ml.normalPdf(1.3, 1.3, 0.7), 1 / (0.7 * Math.sqrt(2 * Math.PI)), 1e-14);
    // Independent: for a diagonal covariance the MVN density is a product of 1-D ones.
    assertClose(ml.multivariateNormalPdf([1, 2], [0, 1], [[2, 0], [0, 0.5]]), ml.normalPdf(1, 0, Math.SQRT2) * ml.normalPdf(2, 1, Math.sqrt(0.5)), 1e-15);
    assert.throws(() => ml.multivariateNormalPdf([1, 2], [0, 1], [[1, 1], [1, 1]]), ml.NotPositiveDefiniteError);
  });
});
