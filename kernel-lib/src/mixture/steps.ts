/**
 * The Coursera EM assignment's EM, one function per step, with the homework's names and argument order, so a notebook can
 * mirror the assignment cell by cell. Covariances are full; no regularisation is added (as in the homework),
 * so a collapsing component raises NotPositiveDefiniteError instead of producing NaN.
 */
import { InvalidArgumentError, ShapeError } from "../errors";
import { describe, Matrix, MatrixLike, VectorLike } from "../linalg/matrix";
import { checkData, checkFiniteData, checkFunction, checkOptions, checkPositiveInt, checkProbabilities, checkNonNegative, checkVector } from "../validate";
import { Covariances } from "./covariance";
import { expectation, MixtureParameters } from "./expectation";
import { maximize, softCounts, statisticsOf, weightedCovariances, weightedMeans } from "./maximization";
import { checkLogLikelihoodInRange, checkParametersInRange } from "./range-checks";
import { reportProgress } from "../progress";

export type MeansLike = MatrixLike | ReadonlyArray<VectorLike>;

interface Checked {
  x: Matrix;
  /** Largest |value| in the data, for messages about results beyond float64's range. */
  maxAbs: number;
  params: MixtureParameters;
}

function checkParameters(data: MatrixLike, weights: VectorLike, means: MeansLike, covariances: ReadonlyArray<MatrixLike>): Checked {
  const { x, maxAbs } = checkFiniteData(data, "data");
  const mu = checkData(means instanceof Matrix ? means : Matrix.fromRows(means as ReadonlyArray<VectorLike>, "means"), "means");
  const w = checkProbabilities(weights, "weights", 1e-6);
  if (!Array.isArray(covariances)) throw new InvalidArgumentError(`covariances must be an array of d×d matrices, one per cluster; got ${describe(covariances)}`);
  const k = mu.rows, d = x.cols;
  if (mu.cols !== d) throw new ShapeError(`means have ${mu.cols} columns but data has ${d}`);
  if (w.length !== k || covariances.length !== k) {
    throw new ShapeError(`weights (${w.length}), means (${k}) and covariances (${covariances.length}) need one entry per cluster`);
  }
  const full = covariances.map((c, i) => checkData(c, `covariances[${i}]`));
  return { x, maxAbs, params: { weights: w, means: Float64Array.from(mu.data), covariances: Covariances.fromFull("full", full) } };
}

/** Σ_i log Σ_k π_k N(x_i | μ_k, Σ_k), by log-sum-exp. */
export function logLikelihood(data: MatrixLike, weights: VectorLike, means: MeansLike, covariances: ReadonlyArray<MatrixLike>): number {
  const { x, maxAbs, params } = checkParameters(data, weights, means, covariances);
  const total = expectation(x.data, x.rows, params).logLikelihood;
  checkLogLikelihoodInRange(total, maxAbs, "of data under these parameters");
  return total;
}

/** E-step: r_ik = π_k N(x_i | μ_k, Σ_k) / Σ_j π_j N(x_i | μ_j, Σ_j), as an n×k matrix. */
export function computeResponsibilities(data: MatrixLike, weights: VectorLike, means: MeansLike, covariances: ReadonlyArray<MatrixLike>): Matrix {
  const { x, maxAbs, params } = checkParameters(data, weights, means, covariances);
  const e = expectation(x.data, x.rows, params);
  checkLogLikelihoodInRange(e.logLikelihood, maxAbs, "of data under these parameters");
  return new Matrix(x.rows, params.weights.length, e.resp);
}

function checkResp(resp: MatrixLike): Matrix {
  const r = checkData(resp, "resp");
  for (let i = 0; i < r.data.length; i++) {
    if (r.data[i] < 0) throw new InvalidArgumentError(`resp has a negative entry (${r.data[i]}) at row ${Math.floor(i / r.cols)}; responsibilities are probabilities`);
  }
  return r;
}

/** N_k^soft = Σ_i r_ik. */
export function computeSoftCounts(resp: MatrixLike): Float64Array {
  const r = checkResp(resp);
  return softCounts(r.data as Float64Array, r.rows, r.cols);
}

/** π_k = N_k^soft / Σ_j N_j^soft. */
export function computeWeights(counts: VectorLike): Float64Array {
  const c = checkVector(counts, "counts");
  c.forEach((v, k) => checkNonNegative(v, `counts[${k}]`));
  const total = c.reduce((a, b) => a + b, 0);
  if (!(total > 0)) throw new InvalidArgumentError("counts sum to 0; there is no responsibility to turn into weights");
  return Float64Array.from(c, (v) => v / total);
}

/** μ_k = Σ_i r_ik x_i / N_k^soft, as a k×d matrix. */
export function computeMeans(data: MatrixLike, resp: MatrixLike, counts: VectorLike): Matrix {
  const x = checkData(data, "data"), r = checkResp(resp);
  const c = checkCounts(counts, r, x);
  return new Matrix(r.cols, x.cols, weightedMeans(x.data, x.rows, x.cols, r.data as Float64Array, r.cols, c));
}

/** Σ_k = Σ_i r_ik (x_i − μ_k)(x_i − μ_k)ᵀ / N_k^soft, one d×d matrix per cluster. */
export function computeCovariances(data: MatrixLike, resp: MatrixLike, counts: VectorLike, means: MeansLike): Matrix[] {
  const x = checkData(data, "data"), r = checkResp(resp);
  const c = checkCounts(counts, r, x);
  const mu = checkData(means instanceof Matrix ? means : Matrix.fromRows(means as ReadonlyArray<VectorLike>, "means"), "means");
  if (mu.rows !== r.cols || mu.cols !== x.cols) throw new ShapeError(`means are ${mu.rows}×${mu.cols}; expected ${r.cols}×${x.cols}`);
  return weightedCovariances(x.data, x.rows, x.cols, r.data as Float64Array, r.cols, c, Float64Array.from(mu.data), "full", 0).toFull();
}

function checkCounts(counts: VectorLike, r: Matrix, x: Matrix): Float64Array {
  if (r.rows !== x.rows) throw new ShapeError(`resp has ${r.rows} rows but data has ${x.rows}`);
  const c = checkVector(counts, "counts", r.cols);
  c.forEach((v, k) => {
    if (!(v > 0)) throw new InvalidArgumentError(`counts[${k}] is ${v}; cluster ${k} has no responsibility left (it collapsed). Re-initialise it.`);
  });
  return c;
}

export interface EMSnapshot {
  /** 0 is the initial parameters. */
  iteration: number;
  weights: number[];
  means: number[][];
  covariances: number[][][];
  logLikelihood: number;
}

export interface EMResult {
  weights: Float64Array;
  means: Matrix;
  covs: Matrix[];
  /** Log-likelihood of the initial parameters, then after every iteration. */
  loglik: number[];
  /** Responsibilities from the last E-step. */
  resp: Matrix;
  /** Iterations run (E and M steps). */
  nIter: number;
  converged: boolean;
  /** Parameters at initialisation and after every iteration, for plots at any iteration. */
  snapshots: EMSnapshot[];
}

export interface EMOptions {
  maxIter?: number;
  /** Stop when the log-likelihood rises by less than this. Default 1e-4 (the homework's). */
  thresh?: number;
  onIteration?: (snapshot: EMSnapshot) => void;
}

/**
 * The Coursera EM assignment's `EM`: alternate E and M steps from the given initial parameters until the log-likelihood gains
 * less than `thresh`. On the assignment's seed-4 data it stops after 23 iterations, as the homework expects.
 */
export function EM(
  data: MatrixLike, initMeans: MeansLike, initCovariances: ReadonlyArray<MatrixLike>, initWeights: VectorLike, options: EMOptions = {},
): EMResult {
  checkOptions(options, ["maxIter", "thresh", "onIteration"], "EM", "{ maxIter: 1000, thresh: 1e-4 }");
  const maxIter = checkPositiveInt(options.maxIter ?? 1000, "maxIter");
  const thresh = checkNonNegative(options.thresh ?? 1e-4, "thresh");
  if (options.onIteration !== undefined) checkFunction(options.onIteration, "options.onIteration");
  const { x, maxAbs, params: initial } = checkParameters(data, initWeights, initMeans, initCovariances);
  const n = x.rows, d = x.cols, k = initial.weights.length;
  let params = initial;
  let step = expectation(x.data, n, params);
  checkLogLikelihoodInRange(step.logLikelihood, maxAbs, "of the initial parameters");
  let ll = step.logLikelihood;
  const loglik = [ll];
  const snapshots = [snapshotOf(0, params, ll, d)];
  options.onIteration?.(snapshots[0]);
  let converged = false, iter = 0;
  let usedResp = step.resp;
  for (iter = 1; iter <= maxIter; iter++) {
    usedResp = step.resp;
    const statistics = statisticsOf(x.data, n, d, step.resp, k, true);
    statistics.counts.forEach((v, c) => {
      if (!(v > 0)) throw new InvalidArgumentError(`cluster ${c} lost all its responsibility at iteration ${iter}; start from other initial parameters`);
    });
    // The homework's M-step adds no regularisation.
    params = maximize(statistics, "full", 0);
    checkParametersInRange(params, maxAbs, `at iteration ${iter}`);
    step = expectation(x.data, n, params);
    checkLogLikelihoodInRange(step.logLikelihood, maxAbs, `at iteration ${iter}`);
    const latest = step.logLikelihood;
    loglik.push(latest);
    const snap = snapshotOf(iter, params, latest, d);
    snapshots.push(snap);
    options.onIteration?.(snap);
    reportProgress(loglik, "EM", iter, latest, "log-likelihood");
    if (latest - ll < thresh && latest > -Infinity) {
      converged = true;
      break;
    }
    ll = latest;
  }
  // The homework returns the responsibilities of its last E-step, computed from the parameters before the last M-step.
  return {
    weights: params.weights,
    means: new Matrix(k, d, params.means),
    covs: params.covariances.toFull(),
    loglik,
    resp: new Matrix(n, k, usedResp),
    nIter: Math.min(iter, maxIter),
    converged,
    snapshots,
  };
}

export function snapshotOf(iteration: number, params: MixtureParameters, logLikelihood: number, d: number): EMSnapshot {
  const k = params.weights.length;
  return {
    iteration,
    weights: Array.from(params.weights),
    means: Array.from({ length: k }, (_, c) => Array.from(params.means.subarray(c * d, (c + 1) * d))),
    covariances: params.covariances.toFull().map((m) => m.toArray()),
    logLikelihood,
  };
}
