import * as assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as ml from "../../kernel-lib/src";
import { KMeansWorkspace } from "../../kernel-lib/src/cluster/kmeans-workspace";

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
    // X's values are checked before the arguments that depend on it (k ≤ n, weights, init), as before the check moved
    // into the pass that copies X in.
    rejects(() => new ml.KMeans({ k: 5 }).fit(withNaN), ml.NonFiniteError, /X contains NaN at row 1, column 1/);
    rejects(() => new ml.KMeans({ k: 2, init: [[0, 0]] }).fit(withNaN), ml.NonFiniteError, /X contains NaN at row 1, column 1/);
    rejects(() => new ml.GaussianMixture({ k: 5 }).fit(withNaN), ml.NonFiniteError, /X contains NaN at row 1, column 1/);
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

  it("non-numeric data is rejected by type, naming where it is (not coerced, not reported as NaN)", () => {
    rejects(() => new ml.KMeans({ k: 2 }).fit([["1", 2], [3, 4], [5, 6]] as never), ml.DataTypeError, /X\[0\]\[0\] is the string "1", not a number; convert such values with Number\(value\) first/);
    rejects(() => new ml.KMeans({ k: 2 }).fit([[1, 2], [3, true], [5, 6]] as never), ml.DataTypeError, /X\[1\]\[1\] is the boolean true, not a number/);
    rejects(() => new ml.KMeans({ k: 2 }).fit([["a", 2], [3, 4]] as never), ml.DataTypeError, /X\[0\]\[0\] is the string "a"/);
    rejects(() => new ml.GaussianMixture({ k: 2 }).fit([[1, 2], [3, null], [5, 6]] as never), ml.DataTypeError, /X\[1\]\[1\] is null/);
    rejects(() => new ml.KMeans({ k: 2 }).fit(good, ["1", 1, 1, 1] as never), ml.DataTypeError, /sampleWeight\[0\] is the string "1"/);
    rejects(() => ml.mean(["1", 2] as never), ml.DataTypeError, /values\[0\] is the string "1"/);
    rejects(() => ml.sum([1, "2"] as never), ml.DataTypeError, /values\[1\] is the string "2"/);
    rejects(() => ml.weightedLeastSquares(["1", "2", "3"] as never, [1, 2, 3]), ml.DataTypeError, /X\[0\] is the string "1"/);
    rejects(() => new ml.KMeans({ k: 2 }).fit("1,2;3,4" as never), ml.DataTypeError, /X must be a Matrix or an array of rows, got the string/);
    rejects(() => new ml.KMeans({ k: 2 }).fit([[1, 2], 3, [4, 5]] as never), ml.DataTypeError, /X\[1\] must be an array of numbers \(a row\), got 3/);
    rejects(() => ml.tableToMatrix({ header: ["a"], rows: [["0x1F"]] }), ml.DataFileError, /row 2, column "a" is "0x1F", not a finite number/);
  });

  it("a Matrix over a plain array, or whose fields were changed, is refused before it is read", () => {
    rejects(() => new ml.Matrix(2, 2, [1, 2, 3, 4] as never), ml.DataTypeError, /Matrix data must be a Float64Array or Float32Array, got an array of length 4; use Matrix.fromRows/);
    rejects(() => ml.Matrix.zeros(-1, 2), ml.ShapeError, /dimensions must be non-negative integers, got -1×2/);
    const m = ml.Matrix.fromRows([[1, 2], [3, 4], [5, 6]]);
    (m as { rows: number }).rows = 5;
    rejects(() => new ml.KMeans({ k: 2 }).fit(m), ml.ShapeError, /X is a Matrix whose fields no longer agree \(rows 5, cols 2, data a Float64Array of 6 values\)/);
    const n = ml.Matrix.fromRows([[1, 2], [3, 4]]);
    rejects(() => n.get(0, 2), ml.InvalidArgumentError, /index \(0, 2\) is outside this 2×2 matrix/);
    rejects(() => n.row(2), ml.InvalidArgumentError, /row 2 is outside this 2×2 matrix/);
  });

  it("estimators refuse a missing or misspelt options object, and callbacks that are not functions", () => {
    rejects(() => new (ml.KMeans as new () => unknown)(), ml.InvalidArgumentError, /KMeans needs an options object, e\.g\. new KMeans\(\{ k: 3 \}\); got undefined/);
    rejects(() => new (ml.GaussianMixture as new () => unknown)(), ml.InvalidArgumentError, /GaussianMixture needs an options object/);
    rejects(() => new ml.KMeans({ k: 2, maxIters: 10 } as never), ml.InvalidArgumentError, /KMeans has no option "maxIters"; its options are k, init, nInit, maxIter/);
    rejects(() => new ml.KMeans({ k: "3" } as never), ml.InvalidArgumentError, /k must be an integer ≥ 1, got the string "3"/);
    rejects(() => new ml.KMeans({ k: 2, onIteration: "log" } as never), ml.DataTypeError, /onIteration must be a function, got the string "log"/);
    rejects(() => ml.EM(good, [[0, 0], [5, 5]], "cov" as never, [0.5, 0.5]), ml.InvalidArgumentError, /covariances must be an array of d×d matrices/);
  });

  it("threads and working memory: InvalidArgumentError / ShapeError, not RangeError", () => {
    rejects(() => ml.setThreads(0), ml.InvalidArgumentError, /threads must be an integer from 1 to 64, got 0/);
    rejects(() => ml.setThreads(2.5), ml.InvalidArgumentError, /threads must be an integer/);
    // 2^27 rows × 8 columns of float64 is 8 GiB: refused before any memory is grown.
    rejects(() => new KMeansWorkspace(2 ** 27, 8, 2, "float64"), ml.ShapeError, /GiB of working memory, over WebAssembly's 4 GiB; fit on fewer rows.*float32/);
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
