import * as assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as ml from "../../kernel-lib/src";

/**
 * The library's promise for finite, valid input: every number it returns is finite, or it throws an MlLabError that
 * says why. Checked on random data — shapes, magnitudes from 1e-300 to 1e300, offsets, duplicate rows, columns of
 * different scales, weights with zeros — for every estimator and numeric helper.
 */

/** Every number reachable from `value` (matrices, typed arrays, arrays, plain objects) is finite. */
function allFinite(value: unknown, seen = new Set<unknown>()): boolean {
  if (typeof value === "number") return Number.isFinite(value);
  if (value === null || typeof value !== "object" || seen.has(value)) return true;
  seen.add(value);
  if (value instanceof ml.Matrix) return allFinite(value.data, seen);
  if (ArrayBuffer.isView(value)) return Array.from(value as unknown as ArrayLike<number>).every((v) => Number.isFinite(v));
  return Object.values(value).every((v) => allFinite(v, seen));
}

interface Outcome {
  finite: number;
  reported: Map<string, number>;
}

/** Runs fn; a finite result or an MlLabError passes (and is counted), anything else fails the test with the case. */
function expectFiniteOrMlLabError(what: string, describeCase: () => string, fn: () => unknown, outcome: Outcome): void {
  let result: unknown;
  try {
    result = fn();
  } catch (e) {
    if (!(e instanceof ml.MlLabError)) assert.fail(`${what} threw ${(e as Error)?.constructor?.name}: ${(e as Error)?.message}\n${describeCase()}`);
    outcome.reported.set(e.name, (outcome.reported.get(e.name) ?? 0) + 1);
    return;
  }
  if (!allFinite(result)) assert.fail(`${what} returned a non-finite number\n${describeCase()}`);
  outcome.finite++;
}

interface Case {
  X: ml.Matrix;
  weights: Float64Array;
  k: number;
  describe(): string;
}

function randomCase(rng: ml.Random): Case {
  const n = 1 + rng.int(40), d = 1 + rng.int(5);
  const magnitude = 10 ** rng.uniform(-300, 300);
  // Some columns at their own scale, some data far from the origin, some rows repeated.
  const columnScale = Float64Array.from({ length: d }, () => (rng.random() < 0.3 ? 10 ** rng.uniform(-300, 300) : magnitude));
  const offset = rng.random() < 0.3 ? rng.uniform(-10, 10) : 0;
  const X = ml.Matrix.zeros(n, d);
  const distinct = rng.random() < 0.3 ? 1 + rng.int(3) : n;
  for (let i = 0; i < n; i++) {
    const source = i < distinct ? i : rng.int(distinct);
    for (let j = 0; j < d; j++) X.data[i * d + j] = source === i ? columnScale[j] * (offset + rng.normal()) : X.data[source * d + j];
  }
  const weights = Float64Array.from({ length: n }, () => (rng.random() < 0.25 ? 0 : 10 ** rng.uniform(-5, 5)));
  weights[rng.int(n)] = 1;
  const k = 1 + rng.int(Math.min(n, 5));
  return { X, weights, k, describe: () => `n=${n} d=${d} k=${k} magnitude=${magnitude.toExponential(2)} offset=${offset} distinct=${distinct} X=${JSON.stringify(X.toArray().slice(0, 4))}…` };
}

describe("finite, valid input gives finite results or an MlLabError (random data, magnitudes 1e-300 … 1e300)", () => {
  it("k-means (both algorithms, float64 and float32, every init, weights with zeros), predict and distortion", () => {
    const rng = new ml.Random(2024);
    const outcome: Outcome = { finite: 0, reported: new Map() };
    for (let trial = 0; trial < 120; trial++) {
      const c = randomCase(rng);
      const algorithm = rng.random() < 0.5 ? "bounded" : "lloyd";
      const precision = rng.random() < 0.5 ? "float64" : "float32";
      const init = (["random", "k-means++", "farthest"] as const)[rng.int(3)];
      const weighted = rng.random() < 0.5;
      const what = `KMeans ${algorithm} ${precision} ${init}${weighted ? " weighted" : ""}`;
      expectFiniteOrMlLabError(what, c.describe, () => {
        const km = new ml.KMeans({ k: c.k, algorithm, precision, init, seed: trial, maxIter: 30 }).fit(c.X, weighted ? c.weights : undefined);
        return { centroids: km.centroids, labels: km.labels, inertia: km.inertia, trace: km.trace, runs: km.runs };
      }, outcome);
      expectFiniteOrMlLabError(`${what}, predict/distortion`, c.describe, () => {
        const km = new ml.KMeans({ k: c.k, algorithm, precision, init, seed: trial, maxIter: 30 }).fit(c.X);
        return { labels: km.predict(c.X), distortion: km.distortion(c.X) };
      }, outcome);
    }
    assert.ok(outcome.finite > 150, `finite results ${outcome.finite}; reported ${JSON.stringify([...outcome.reported])}`);
  });

  it("Gaussian mixtures (every covariance type) and their scores", () => {
    const rng = new ml.Random(7);
    const outcome: Outcome = { finite: 0, reported: new Map() };
    for (let trial = 0; trial < 80; trial++) {
      const c = randomCase(rng);
      const covarianceType = ml.COVARIANCE_TYPES[rng.int(4)];
      expectFiniteOrMlLabError(`GaussianMixture ${covarianceType}`, c.describe, () => {
        const gm = new ml.GaussianMixture({ k: c.k, covarianceType, seed: trial, maxIter: 20 }).fit(c.X);
        return { weights: gm.weights, means: gm.means, covariances: gm.covariances, lowerBound: gm.lowerBound, trace: gm.trace, snapshots: gm.snapshots, proba: gm.predictProba(c.X), score: gm.score(c.X), bic: gm.bic(c.X) };
      }, outcome);
    }
    assert.ok(outcome.finite > 30, `finite results ${outcome.finite}; reported ${JSON.stringify([...outcome.reported])}`);
  });

  it("statistics, linear algebra, regression and densities", () => {
    const rng = new ml.Random(99);
    const outcome: Outcome = { finite: 0, reported: new Map() };
    for (let trial = 0; trial < 150; trial++) {
      const c = randomCase(rng);
      const column = c.X.column(0);
      const run = (what: string, fn: () => unknown) => expectFiniteOrMlLabError(what, c.describe, fn, outcome);
      run("sum/mean/variance/std", () => [ml.sum(column), ml.mean(column), ml.variance(column), ml.std(column)]);
      run("standardize", () => ml.standardize(c.X));
      run("columnMeans/columnVariances", () => [ml.columnMeans(c.X), ml.columnVariances(c.X)]);
      if (c.X.rows > 1) run("covariance", () => ml.covariance(c.X));
      if (c.X.rows > 1) run("symmetricEigen of the covariance", () => ml.symmetricEigen(ml.covariance(c.X)));
      run("determinant/logDeterminant of XᵀX", () => {
        const gram = ml.matmul(ml.transpose(c.X), c.X);
        return [ml.determinant(gram), ml.logDeterminant(gram).sign];
      });
      run("leastSquares", () => ml.leastSquares(c.X, Float64Array.from(column, (v) => 2 * v + 1)));
      run("weightedLeastSquares", () => ml.weightedLeastSquares(c.X, Float64Array.from(column, (v, i) => v - i), c.weights));
      run("normalLogPdf", () => ml.normalLogPdf(column[0], ml.mean(column), Math.max(ml.std(column), 1e-300)));
      run("multivariateNormalLogPdf", () => ml.multivariateNormalLogPdf(c.X.row(0), ml.columnMeans(c.X), ml.Matrix.identity(c.X.cols)));
      run("logSumExp", () => ml.logSumExp(column));
    }
    assert.ok(outcome.finite > 900, `finite results ${outcome.finite}; reported ${JSON.stringify([...outcome.reported])}`);
  });
});
