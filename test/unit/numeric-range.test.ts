import * as assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as ml from "../../kernel-lib/src";
import { assertClose, assertRelClose, fixture } from "../helpers";

/** fn throws an MlLabError of `type` whose message matches `pattern`. */
function rejects(fn: () => unknown, type: new (...args: any[]) => ml.MlLabError, pattern: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof type, `expected ${type.name}, got ${(e as Error)?.constructor?.name}: ${(e as Error)?.message}`);
    assert.match((e as Error).message, pattern);
    return true;
  });
}

const extremes = fixture("stats-extremes.json");

describe("statistics of values from 1e-300 to 1.7e308, against exact rational arithmetic (Python fractions)", () => {
  for (const c of extremes.cases) {
    const label = `values near ${Math.max(...c.values.map(Math.abs)).toExponential(0)}`;
    it(label, () => {
      const check = (value: () => number, expected: number | null, what: string) => {
        if (expected === null) rejects(value, ml.NumericRangeError, /beyond float64's range/);
        else assertRelClose(value(), expected, 1e-13, `${label}: ${what}`);
      };
      check(() => ml.sum(c.values), c.sum, "sum");
      check(() => ml.mean(c.values), c.mean, "mean");
      check(() => ml.std(c.values), c.pstdev, "population std");
      check(() => ml.std(c.values, 1), c.stdev, "sample std");
      const column = c.values.map((v: number) => [v, 1]);
      assertRelClose(ml.standardize(column).std[0], c.pstdev, 1e-13, "standardize std");
      assertRelClose(ml.columnMeans(column)[0], c.mean, 1e-13, "column mean");
    });
  }

  it("a variance beyond float64's range is reported with its size; the std of the same values is returned", () => {
    rejects(() => ml.variance([1e200, -1e200]), ml.NumericRangeError, /variance of values is about 1\.0e\+400/);
    assert.equal(ml.std([1e200, -1e200]), 1e200);
    rejects(() => ml.covariance([[1e200, 1], [-1e200, 2]]), ml.NumericRangeError, /covariance\[0\]\[0\] is about 2\.0e\+400/);
  });

  it("z-scores do not depend on the scale: columns of 1e-300 and 1.7e308 standardize like columns near 1", () => {
    const near1 = ml.standardize([[1, 3], [2, 5], [4, 6]]);
    const extreme = ml.standardize([[1e-300, 3 * 2 ** 1020], [2e-300, 5 * 2 ** 1020], [4e-300, 6 * 2 ** 1020]]);
    assertClose(extreme.X, near1.X, 1e-15);
    assertRelClose(extreme.std[1], near1.std[1] * 2 ** 1020, 1e-15);
  });
});

describe("linear algebra: exact rescaling where the result fits, a NumericRangeError where it does not", () => {
  it("products that overflow are reported, naming the entry", () => {
    rejects(() => ml.matmul([[1e200]], [[1e200]]), ml.NumericRangeError, /matmul: the result overflows float64 at \[0\]\[0\]/);
    rejects(() => ml.dot([1e200, 1], [1e200, 1]), ml.NumericRangeError, /dot/);
    rejects(() => ml.squaredDistance([1e200], [-1e200]), ml.NumericRangeError, /squaredDistance/);
    rejects(() => ml.add([[1.7e308]], [[1.7e308]]), ml.NumericRangeError, /add: the result overflows float64 at \[0\]\[0\]/);
    rejects(() => ml.scale([[1e300]], 1e10), ml.NumericRangeError, /scale/);
    assertRelClose(ml.matmul([[1e150]], [[1e150]]).get(0, 0), 1e300, 1e-15);
  });

  it("determinant: pivots 1e200 · 1e200 · 1e-300 give 1e100; one beyond float64 points to logDeterminant", () => {
    assertRelClose(ml.determinant([[1e200, 0, 0], [0, 1e200, 0], [0, 0, 1e-300]]), 1e100, 1e-15);
    rejects(() => ml.determinant(ml.scale(ml.Matrix.identity(3), 1e120)), ml.NumericRangeError, /det A is about 1\.0e\+360.*logDeterminant/);
    assertRelClose(ml.logDeterminant(ml.scale(ml.Matrix.identity(3), 1e120)).logAbsDet, 360 * Math.LN10, 1e-15);
  });

  it("symmetricEigen of s·A has eigenvalues s·λ for s = 2^±660 (Jacobi's squares neither overflow nor underflow)", () => {
    // [[2, 1, 0], [1, 2, 0], [0, 0, 1]] has eigenvalues 1, 1, 3 (analytically).
    const A = [[2, 1, 0], [1, 2, 0], [0, 0, 1]];
    for (const s of [2 ** 660, 2 ** -660, 1]) {
      const { values, vectors } = ml.symmetricEigen(A.map((r) => r.map((v) => v * s)));
      assertClose(values, [s, s, 3 * s], 1e-14 * s);
      // A v = λ v for every column.
      for (let j = 0; j < 3; j++) {
        const v = vectors.column(j);
        assertClose(ml.matvec(A, v), v.map((x) => (values[j] / s) * x), 1e-13);
      }
    }
  });

  it("leastSquares: a column of 1e-20 beside one of 1e5 is not 'dependent', and columns of 1e200 do not overflow", () => {
    const x = [1, 2, 3, 4, 5, 6];
    const A = x.map((v) => [1e5, v * 1e-20]);
    const b = x.map((v) => 3 + 2 * v);
    assertClose(ml.leastSquares(A, b), [3e-5, 2e20], 0, 1e-12);
    assertClose(ml.leastSquares(x.map((v) => [1e200, v * 1e200]), b), [3e-200, 2e-200], 0, 1e-12);
    rejects(() => ml.leastSquares([[1, 1], [2, 2], [3, 3]], [1, 2, 3]), ml.SingularMatrixError, /column 1 of A is linearly dependent/);
  });

  it("weighted least squares: weights of 1e300 give the fit weights near 1 give", () => {
    const x = [0.5, 1, 2, 3, 5], y = [1, 2.2, 3.9, 6.1, 10.2], w = [1, 2, 1, 3, 1];
    const plain = ml.weightedLeastSquares(x, y, w);
    const huge = ml.weightedLeastSquares(x, y, w.map((v) => v * 1e300));
    assertRelClose(huge.intercept, plain.intercept, 1e-12);
    assertRelClose(huge.coef[0], plain.coef[0], 1e-12);
  });
});

describe("densities: no NaN or ±Infinity for finite arguments", () => {
  it("normal log-density far out: finite while it fits, else reported; the pdf underflows to 0", () => {
    // log N(1e150 | 0, 1) = −0.5·(log 2π + 1e300): representable.
    assertRelClose(ml.normalLogPdf(1e150), -0.5e300, 1e-15);
    assertRelClose(ml.normalLogPdf(1.7e308, -1.7e308, 1e308), -0.5 * Math.log(2 * Math.PI) - 0.5 * 3.4 ** 2 - Math.log(1e308), 1e-14);
    rejects(() => ml.normalLogPdf(1e200), ml.NumericRangeError, /below float64's range/);
    assert.equal(ml.normalPdf(1e200), 0);
    rejects(() => ml.normalPdf(0, 0, 0), ml.InvalidArgumentError, /std must be a finite number > 0, got 0/);
  });

  it("multivariate normal at 1e150 scale: log N(x·s | μ·s, Σ·s²) = log N(x | μ, Σ) − d·log s", () => {
    const x = [0.3, -1.2], mean = [0, 0.5], cov = [[1.5, 0.4], [0.4, 0.8]];
    const s = 2 ** 500; // Σ·s² reaches 1.6e301
    const scaled = ml.multivariateNormalLogPdf(x.map((v) => v * s), mean.map((v) => v * s), cov.map((r) => r.map((v) => v * s * s)));
    assertRelClose(scaled, ml.multivariateNormalLogPdf(x, mean, cov) - 2 * 500 * Math.LN2, 1e-13);
  });

  it("logSumExp of finite extremes, and NaN refused", () => {
    assertRelClose(ml.logSumExp([1e308, 1e308]), 1e308, 1e-15);
    assert.equal(ml.logSumExp([-Infinity, -Infinity]), -Infinity); // log 0: the input says so
    rejects(() => ml.logSumExp([1, NaN]), ml.InvalidArgumentError, /z\[1\] is NaN/);
  });
});

describe("Gaussian mixtures: results beyond float64 are reported with the data's size", () => {
  it("rows of ±1e200: covariances of ~1e400 cannot be held, and the error says so (not 'contains Infinity')", () => {
    const X = [[1e200, 1e200], [-1e200, -1e200], [1.1e200, 1e200], [-1e200, -1.1e200]];
    rejects(() => new ml.GaussianMixture({ k: 2, seed: 0 }).fit(X), ml.NumericRangeError, /covariance of component \d overflows float64 at the start: X's values reach 1\.1e\+200.*divide X by a constant/);
  });

  it("rows near 1e150 (covariances near 1e300) fit, and match the fit of the rows at scale 1", () => {
    const base = ml.generateBlobs([60, 60], [[0, 0], [4, 4]], undefined, 2).X;
    const s = 2 ** 498;
    const big = new ml.Matrix(base.rows, 2, Float64Array.from(base.data, (v) => v * s));
    const start = { means: [[0, 0], [4, 4]] };
    const plain = new ml.GaussianMixture({ k: 2, regCovar: 0, init: start }).fit(base);
    const scaled = new ml.GaussianMixture({ k: 2, regCovar: 0, init: { means: [[0, 0], [4 * s, 4 * s]] } }).fit(big);
    assert.equal(scaled.nIter, plain.nIter);
    assertClose(scaled.means, plain.means.toArray().map((r) => r.map((v) => v * s)), 0, 1e-12);
    assertClose(scaled.covariances[0], plain.covariances[0].toArray().map((r) => r.map((v) => v * s * s)), 0, 1e-10);
    assertRelClose(scaled.lowerBound, plain.lowerBound - 2 * 498 * Math.LN2, 1e-12);
  });

  it("fitTwoGaussians1D on x·2^±700: μ and σ scale exactly with the data", () => {
    const { x } = ml.generateTwoGaussians1D(300, { pi: 0.4, mu: [0, 5], sigma: [1, 1.5] }, 3);
    // tol 0 and a fixed count: the stopping rule is relative to |log-likelihood|, which shifts with the scale.
    const init = { pi: 0.5, mu: [-1, 6] as [number, number], sigma: [2, 2] as [number, number] };
    const plain = ml.fitTwoGaussians1D(x, { init, tol: 0, maxIter: 30 });
    for (const e of [700, -700]) {
      const scaledInit = { pi: 0.5, mu: [-(2 ** e), 6 * 2 ** e] as [number, number], sigma: [2 * 2 ** e, 2 * 2 ** e] as [number, number] };
      const fit = ml.fitTwoGaussians1D(x.map((v) => v * 2 ** e), { init: scaledInit, tol: 0, maxIter: 30 });
      assertClose(fit.mu, plain.mu.map((v) => v * 2 ** e), 0, 1e-9);
      assertClose(fit.sigma, plain.sigma.map((v) => v * 2 ** e), 0, 1e-9);
    }
  });
});
