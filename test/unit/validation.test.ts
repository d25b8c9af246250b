import * as assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as ml from "../../kernel-lib/src";

const good = [[0, 0], [1, 1], [5, 5], [6, 6]];
const withNaN = [[0, 0], [1, NaN], [5, 5]];
const withInf = [[0, 0], [1, 1], [Infinity, 5]];

/** Every public entry point rejects bad input with an MlLabError whose message names the problem. */
function rejects(fn: () => unknown, type: new (...args: any[]) => ml.MlLabError, pattern: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof type, `expected ${type.name}, got ${(e as Error)?.constructor?.name}: ${(e as Error)?.message}`);
    assert.match((e as Error).message, pattern);
    return true;
  });
}

describe("bad input gets a clear MlLabError", () => {
  it("NaN / Infinity in data, naming row and column", () => {
    rejects(() => new ml.KMeans({ k: 2 }).fit(withNaN), ml.NonFiniteError, /X contains NaN at row 1, column 1/);
    rejects(() => new ml.GaussianMixture({ k: 2 }).fit(withInf), ml.NonFiniteError, /Infinity at row 2, column 0/);
    rejects(() => ml.EM(withNaN, [[0, 0], [5, 5]], [[[1, 0], [0, 1]], [[1, 0], [0, 1]]], [0.5, 0.5]), ml.NonFiniteError, /data contains NaN/);
    rejects(() => ml.weightedLeastSquares([1, 2, NaN], [1, 2, 3]), ml.NonFiniteError, /X contains NaN/);
    rejects(() => ml.weightedLeastSquares([1, 2, 3], [1, Infinity, 3]), ml.NonFiniteError, /y contains Infinity at index 1/);
    rejects(() => new ml.KMeans({ k: 2 }).fit(good, [1, NaN, 1, 1]), ml.NonFiniteError, /sampleWeight contains NaN/);
  });

  it("k > n and invalid k", () => {
    rejects(() => new ml.KMeans({ k: 5 }).fit(good), ml.InvalidArgumentError, /k=5 is larger than the number of samples \(4\)/);
    rejects(() => new ml.GaussianMixture({ k: 9 }).fit(good), ml.InvalidArgumentError, /k=9 is larger/);
    rejects(() => new ml.KMeans({ k: 0 }), ml.InvalidArgumentError, /k must be an integer ≥ 1, got 0/);
    rejects(() => new ml.KMeans({ k: 2.5 }), ml.InvalidArgumentError, /k must be an integer/);
  });

  it("wrong shapes", () => {
    rejects(() => new ml.KMeans({ k: 2 }).fit([[1, 2], [3]]), ml.ShapeError, /ragged/);
    rejects(() => new ml.KMeans({ k: 2 }).fit([]), ml.ShapeError, /X is empty/);
    rejects(() => new ml.KMeans({ k: 2 }).fit([1, 2, 3] as never), ml.ShapeError, /2-D/);
    rejects(() => new ml.KMeans({ k: 2, init: [[0, 0, 0], [1, 1, 1]] }).fit(good), ml.ShapeError, /init centroids are 2×3 but k=2 and the data has 2 columns/);
    const km = new ml.KMeans({ k: 2, seed: 0 }).fit(good);
    rejects(() => km.predict([[1, 2, 3]]), ml.ShapeError, /X has 3 columns but the model was fitted on 2/);
    const gm = new ml.GaussianMixture({ k: 2, seed: 0 }).fit(good);
    rejects(() => gm.predictProba([[1]]), ml.ShapeError, /X has 1 columns but the model was fitted on 2/);
    rejects(() => ml.computeResponsibilities(good, [0.5, 0.5], [[0, 0]], [[[1, 0], [0, 1]]]), ml.ShapeError, /one entry per cluster/);
    rejects(() => new ml.KMeans({ k: 2 }).fit(good, [1, 1]), ml.ShapeError, /sampleWeight has length 2 but 4 was expected/);
  });

  it("using a model before fit: NotFittedError, one message for every estimator (scikit-learn's check_is_fitted)", () => {
    rejects(() => new ml.KMeans({ k: 2 }).predict(good), ml.NotFittedError, /^This KMeans is not fitted yet; call fit\(X\) first$/);
    rejects(() => new ml.KMeans({ k: 2 }).inertia, ml.NotFittedError, /^This KMeans is not fitted yet; call fit\(X\) first$/);
    rejects(() => new ml.GaussianMixture({ k: 2 }).means, ml.NotFittedError, /^This GaussianMixture is not fitted yet; call fit\(X\) first$/);
    rejects(() => new ml.GaussianMixture({ k: 2 }).predict(good), ml.NotFittedError, /^This GaussianMixture is not fitted yet; call fit\(X\) first$/);
    rejects(() => ml.CentroidClassifier.fromKMeans(new ml.KMeans({ k: 2 }), [0, 1]), ml.NotFittedError, /^This KMeans is not fitted yet; call fit\(X\) first$/);
  });

  it("invalid options", () => {
    rejects(() => new ml.KMeans({ k: 2, init: "kmeans+" as never }).fit(good), ml.InvalidArgumentError, /init must be one of "random", "k-means\+\+", "farthest"/);
    rejects(() => new ml.GaussianMixture({ k: 2, covarianceType: "ful" as never }), ml.InvalidArgumentError, /covarianceType must be one of "full", "diag", "spherical", "tied", got "ful"/);
    rejects(() => new ml.GaussianMixture({ k: 2, regCovar: -1 }), ml.InvalidArgumentError, /regCovar must be a finite number ≥ 0/);
    rejects(() => new ml.KMeans({ k: 2 }).fit(good, [-1, 1, 1, 1]), ml.InvalidArgumentError, /sampleWeight\[0\] is -1/);
    rejects(() => ml.computeResponsibilities(good, [0.5, 0.6], [[0, 0], [5, 5]], [[[1, 0], [0, 1]], [[1, 0], [0, 1]]]), ml.InvalidArgumentError, /weights sums to 1.1/);
    rejects(() => ml.fitTwoGaussians1D([1, 2, 3, 4, 5], { init: { pi: 1.2, mu: [0, 1], sigma: [1, 1] } }), ml.InvalidArgumentError, /pi must be strictly between 0 and 1/);
  });

  it("singular covariances", () => {
    rejects(() => ml.multivariateNormalLogPdf([0, 0], [0, 0], [[1, 1], [1, 1]]), ml.NotPositiveDefiniteError, /not positive definite/);
    rejects(() => ml.logLikelihood(good, [0.5, 0.5], [[0, 0], [5, 5]], [[[1, 1], [1, 1]], [[1, 0], [0, 1]]]), ml.NotPositiveDefiniteError, /component 0/);
  });

  it("every error is an MlLabError with its class name", () => {
    try {
      new ml.KMeans({ k: 3 }).fit([[1]]);
      assert.fail("should throw");
    } catch (e) {
      assert.ok(e instanceof ml.MlLabError);
      assert.equal((e as Error).name, "InvalidArgumentError");
    }
  });
});
