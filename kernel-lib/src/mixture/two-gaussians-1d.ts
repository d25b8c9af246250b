/**
 * Lab 3's binary 1-D Gaussian mixture: p(x) = (1 − π)·N(x | μ₀, σ₀²) + π·N(x | μ₁, σ₁²), fitted by EM
 * initialised from k-means. `emStep1D` is the lab's EM_step, with one fix: the variances use the *new* means
 * (the lab's code used the previous ones, which is not the EM update).
 */
import { InvalidArgumentError, NumericRangeError, ShapeError } from "../errors";
import { describe, Matrix, VectorLike } from "../linalg/matrix";
import { KMeans } from "../cluster/kmeans";
import { RandomSource } from "../random/rng";
import { logSumExpOf, normalLogDensity } from "../stats/density";
import { maxAbsolute, pow2Pair, rescaleExponent, timesPow2 } from "../float-range";
import { checkFiniteVector, checkNonNegative, checkOptions, checkPositiveInt } from "../validate";

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

function checkParams(p: TwoGaussians1D, name = "params"): void {
  if (p === null || typeof p !== "object") throw new InvalidArgumentError(`${name} must be { pi, mu: [μ₀, μ₁], sigma: [σ₀, σ₁] }, got ${describe(p)}`);
  for (const key of ["mu", "sigma"] as const) {
    const v = p[key] as unknown;
    if (!Array.isArray(v) && !ArrayBuffer.isView(v)) throw new InvalidArgumentError(`${name}.${key} must be two numbers, got ${describe(v)}`);
    if ((v as ArrayLike<number>).length !== 2) throw new ShapeError(`${name}.${key} must hold 2 values (one per component), got ${(v as ArrayLike<number>).length}`);
  }
  if (!(typeof p.pi === "number" && p.pi > 0 && p.pi < 1)) throw new InvalidArgumentError(`pi must be strictly between 0 and 1, got ${p.pi}`);
  p.sigma.forEach((s, k) => {
    if (!(typeof s === "number" && s > 0 && Number.isFinite(s))) throw new InvalidArgumentError(`sigma[${k}] must be a finite number > 0, got ${describe(s)}`);
  });
  p.mu.forEach((m, k) => {
    if (!(typeof m === "number" && Number.isFinite(m))) throw new InvalidArgumentError(`mu[${k}] must be a finite number, got ${describe(m)}`);
  });
}

/** Responsibilities of component 1 and the total log-likelihood, in log space. */
function expectation1D(x: Float64Array, p: TwoGaussians1D): { gamma: Float64Array; logLikelihood: number } {
  const gamma = new Float64Array(x.length);
  const lw0 = Math.log(1 - p.pi), lw1 = Math.log(p.pi);
  let ll = 0;
  const pair = new Float64Array(2);
  for (let i = 0; i < x.length; i++) {
    pair[0] = lw0 + normalLogDensity(x[i], p.mu[0], p.sigma[0]);
    pair[1] = lw1 + normalLogDensity(x[i], p.mu[1], p.sigma[1]);
    const norm = logSumExpOf(pair, 0, 2);
    if (!Number.isFinite(norm)) {
      throw new NumericRangeError(
        `x[${i}] = ${x[i]} is so far from both components (μ = ${p.mu.join(", ")}, σ = ${p.sigma.join(", ")}) that its log-density is below float64's range; rescale x or start from wider components`,
      );
    }
    gamma[i] = Math.exp(pair[1] - norm);
    ll += norm;
  }
  return { gamma, logLikelihood: ll };
}

/** One EM iteration from `params`: E-step γ_i, then the weighted means, standard deviations and prior. */
export function emStep1D(x: VectorLike, params: TwoGaussians1D): TwoGaussians1D {
  const { values: data, maxAbs } = checkFiniteVector(x, "x");
  checkParams(params);
  return maximization1D(data, expectation1D(data, params).gamma, rescaleExponent(maxAbs, 200));
}

/**
 * The M-step. Sums run over x·2^-exponent (exact; `exponent` 0 unless x's magnitudes are extreme), so squared
 * deviations of values near ±1e200 (or 1e-200) neither overflow nor underflow; μ and σ are scaled back.
 */
function maximization1D(x: Float64Array, gamma: Float64Array, exponent: number): TwoGaussians1D {
  const [a, b] = pow2Pair(-exponent);
  let w0 = 0, w1 = 0, s0 = 0, s1 = 0;
  for (let i = 0; i < x.length; i++) {
    const v = x[i] * a * b;
    w0 += 1 - gamma[i];
    w1 += gamma[i];
    s0 += (1 - gamma[i]) * v;
    s1 += gamma[i] * v;
  }
  if (!(w0 > 0 && w1 > 0)) throw new InvalidArgumentError("one component has no responsibility left (it collapsed); start from different parameters");
  const mu: [number, number] = [s0 / w0, s1 / w1];
  let v0 = 0, v1 = 0;
  for (let i = 0; i < x.length; i++) {
    const v = x[i] * a * b;
    v0 += (1 - gamma[i]) * (v - mu[0]) ** 2;
    v1 += gamma[i] * (v - mu[1]) ** 2;
  }
  const sigma: [number, number] = [timesPow2(Math.sqrt(v0 / w0), exponent), timesPow2(Math.sqrt(v1 / w1), exponent)];
  if (!(sigma[0] > 0 && sigma[1] > 0)) throw new InvalidArgumentError("a component's variance became 0 (it sits on one repeated value); the 1-D mixture is degenerate");
  return { pi: w1 / x.length, mu: [timesPow2(mu[0], exponent), timesPow2(mu[1], exponent)], sigma };
}

/** Initial parameters from 2-means: each cluster's mean, standard deviation and share (component 1 = the second centroid). */
export function kmeansInit1D(x: VectorLike, seed?: RandomSource): TwoGaussians1D {
  const data = checkFiniteVector(x, "x").values;
  if (data.length < 4) throw new ShapeError(`need at least 4 points to initialise a 2-component mixture, got ${data.length}`);
  const km = new KMeans({ k: 2, nInit: 10, init: "random", seed }).fit(Matrix.column(data));
  const gamma = Float64Array.from(km.labels, (l) => (l === 1 ? 1 : 0));
  return maximization1D(data, gamma, rescaleExponent(maxAbsolute(data), 200));
}

/** EM until the log-likelihood gains less than `tol`, starting from k-means (default) or `init`. */
export function fitTwoGaussians1D(
  x: VectorLike,
  options: { init?: TwoGaussians1D; tol?: number; maxIter?: number; seed?: RandomSource } = {},
): TwoGaussiansFit {
  checkOptions(options, ["init", "tol", "maxIter", "seed"], "fitTwoGaussians1D", "{ tol: 1e-8 }");
  const { values: data, maxAbs } = checkFiniteVector(x, "x");
  const exponent = rescaleExponent(maxAbs, 200);
  const tol = checkNonNegative(options.tol ?? 1e-8, "tol");
  const maxIter = checkPositiveInt(options.maxIter ?? 1000, "maxIter");
  let params = options.init ?? kmeansInit1D(data, options.seed);
  checkParams(params, options.init ? "init" : "params");
  let e = expectation1D(data, params);
  const trace = [e.logLikelihood];
  let converged = false, iter: number;
  for (iter = 1; iter <= maxIter; iter++) {
    params = maximization1D(data, e.gamma, exponent);
    e = expectation1D(data, params);
    trace.push(e.logLikelihood);
    if (Math.abs(trace[trace.length - 1] - trace[trace.length - 2]) < tol * Math.max(1, Math.abs(e.logLikelihood))) {
      converged = true;
      break;
    }
  }
  return { ...params, nIter: Math.min(iter, maxIter), converged, trace, gamma: e.gamma };
}
