/**
 * Seed 002's binary 1-D Gaussian mixture: p(x) = (1 − π)·N(x | μ₀, σ₀²) + π·N(x | μ₁, σ₁²), fitted by EM
 * initialised from k-means. `emStep1D` is the lab's EM_step, with one fix: the variances use the *new* means
 * (the lab's code used the previous ones, which is not the EM update).
 */
import { InvalidArgumentError, ShapeError } from "../errors";
import { Matrix, VectorLike } from "../linalg/matrix";
import { KMeans } from "../cluster/kmeans";
import { RandomSource } from "../random/rng";
import { logSumExp, normalLogPdf } from "../stats/density";
import { checkNonNegative, checkPositiveInt, checkVector } from "../validate";

export interface TwoGaussians1D {
  /** Prior of component 1. */
  pi: number;
  mu: [number, number];
  sigma: [number, number];
}

export interface TwoGaussiansFit extends TwoGaussians1D {
  nIter: number;
  converged: boolean;
  /** Total log-likelihood of the parameters at the start of each iteration, then of the final ones. */
  trace: number[];
  /** γ_i = p(component 1 | x_i) under the final parameters. */
  gamma: Float64Array;
}

function checkParams(p: TwoGaussians1D): void {
  if (!(p.pi > 0 && p.pi < 1)) throw new InvalidArgumentError(`pi must be strictly between 0 and 1, got ${p.pi}`);
  p.sigma.forEach((s, k) => {
    if (!(s > 0 && Number.isFinite(s))) throw new InvalidArgumentError(`sigma[${k}] must be > 0, got ${s}`);
  });
  p.mu.forEach((m, k) => {
    if (!Number.isFinite(m)) throw new InvalidArgumentError(`mu[${k}] must be finite, got ${m}`);
  });
}

/** Responsibilities of component 1 and the total log-likelihood, in log space. */
function expectation1D(x: Float64Array, p: TwoGaussians1D): { gamma: Float64Array; logLikelihood: number } {
  const gamma = new Float64Array(x.length);
  const lw0 = Math.log(1 - p.pi), lw1 = Math.log(p.pi);
  let ll = 0;
  const pair = new Float64Array(2);
  for (let i = 0; i < x.length; i++) {
    pair[0] = lw0 + normalLogPdf(x[i], p.mu[0], p.sigma[0]);
    pair[1] = lw1 + normalLogPdf(x[i], p.mu[1], p.sigma[1]);
    const norm = logSumExp(pair);
    gamma[i] = Math.exp(pair[1] - norm);
    ll += norm;
  }
  return { gamma, logLikelihood: ll };
}

/** One EM iteration from `params`: E-step γ_i, then the weighted means, standard deviations and prior. */
export function emStep1D(x: VectorLike, params: TwoGaussians1D): TwoGaussians1D {
  const data = checkVector(x, "x");
  checkParams(params);
  return maximization1D(data, expectation1D(data, params).gamma);
}

function maximization1D(x: Float64Array, gamma: Float64Array): TwoGaussians1D {
  let w0 = 0, w1 = 0, s0 = 0, s1 = 0;
  for (let i = 0; i < x.length; i++) {
    w0 += 1 - gamma[i];
    w1 += gamma[i];
    s0 += (1 - gamma[i]) * x[i];
    s1 += gamma[i] * x[i];
  }
  if (!(w0 > 0 && w1 > 0)) throw new ShapeError("one component has no responsibility left (it collapsed); start from different parameters");
  const mu: [number, number] = [s0 / w0, s1 / w1];
  let v0 = 0, v1 = 0;
  for (let i = 0; i < x.length; i++) {
    v0 += (1 - gamma[i]) * (x[i] - mu[0]) ** 2;
    v1 += gamma[i] * (x[i] - mu[1]) ** 2;
  }
  const sigma: [number, number] = [Math.sqrt(v0 / w0), Math.sqrt(v1 / w1)];
  if (!(sigma[0] > 0 && sigma[1] > 0)) throw new ShapeError("a component's variance became 0 (it sits on one repeated value); the 1-D mixture is degenerate");
  return { pi: w1 / x.length, mu, sigma };
}

/** Initial parameters from 2-means: each cluster's mean, standard deviation and share (component 1 = the second centroid). */
export function kmeansInit1D(x: VectorLike, seed?: RandomSource): TwoGaussians1D {
  const data = checkVector(x, "x");
  if (data.length < 4) throw new ShapeError(`need at least 4 points to initialise a 2-component mixture, got ${data.length}`);
  const km = new KMeans({ k: 2, nInit: 10, init: "random", seed }).fit(Matrix.column(data));
  const gamma = Float64Array.from(km.labels, (l) => (l === 1 ? 1 : 0));
  return maximization1D(data, gamma);
}

/** EM until the log-likelihood gains less than `tol`, starting from k-means (default) or `init`. */
export function fitTwoGaussians1D(
  x: VectorLike,
  options: { init?: TwoGaussians1D; tol?: number; maxIter?: number; seed?: RandomSource } = {},
): TwoGaussiansFit {
  const data = checkVector(x, "x");
  const tol = checkNonNegative(options.tol ?? 1e-8, "tol");
  const maxIter = checkPositiveInt(options.maxIter ?? 1000, "maxIter");
  let params = options.init ?? kmeansInit1D(data, options.seed);
  checkParams(params);
  let e = expectation1D(data, params);
  const trace = [e.logLikelihood];
  let converged = false, iter = 0;
  for (iter = 1; iter <= maxIter; iter++) {
    params = maximization1D(data, e.gamma);
    e = expectation1D(data, params);
    trace.push(e.logLikelihood);
    if (Math.abs(trace[trace.length - 1] - trace[trace.length - 2]) < tol * Math.max(1, Math.abs(e.logLikelihood))) {
      converged = true;
      break;
    }
  }
  return { ...params, nIter: Math.min(iter, maxIter), converged, trace, gamma: e.gamma };
}
