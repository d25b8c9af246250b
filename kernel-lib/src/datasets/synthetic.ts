import { InvalidArgumentError, ShapeError } from "../errors";
import { describe, Matrix, MatrixLike, VectorLike } from "../linalg/matrix";
import { RandomSource, toRandom } from "../random/rng";
import { checkData, checkFinite, checkNonNegative, checkOptions, checkPositiveInt, checkProbabilities, checkVector } from "../validate";

/** One covariance per component, as an array. */
function checkCovarianceList(covariances: unknown, k: number, name: string): void {
  if (!Array.isArray(covariances)) throw new InvalidArgumentError(`${name} must be an array of ${k} d×d matrices, got ${describe(covariances)}`);
}

export interface LabelledData {
  X: Matrix;
  /** The generating component or cluster of each row. */
  labels: Int32Array;
}

/**
 * The Coursera EM assignment's `generate_MoG_data`: each point picks a component by `weights`, then draws from N(means[k], covariances[k]).
 */
export function generateMoGData(
  n: number,
  means: MatrixLike,
  covariances: ReadonlyArray<MatrixLike>,
  weights: VectorLike,
  seed?: RandomSource,
): LabelledData {
  const rng = toRandom(seed);
  const mu = checkData(means, "means");
  const w = checkProbabilities(weights, "weights", 1e-6);
  checkCovarianceList(covariances, mu.rows, "covariances");
  if (w.length !== mu.rows || covariances.length !== mu.rows) {
    throw new ShapeError(`weights (${w.length}), means (${mu.rows}) and covariances (${covariances.length}) must have one entry per component`);
  }
  const d = mu.cols;
  const X = Matrix.zeros(checkPositiveInt(n, "n"), d);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const k = rng.weightedIndex(w);
    labels[i] = k;
    X.data.set(rng.multivariateNormal(mu.row(k), covariances[k]).data, i * d);
  }
  return { X, labels };
}

/**
 * Fixed-size Gaussian blobs, shuffled: HW6's GMM data is `generateBlobs([1000, 1000, 1000], [[4, 0], [6, 6], [0, 4]])`
 * with identity covariances.
 */
export function generateBlobs(
  sizes: ArrayLike<number>,
  means: MatrixLike,
  covariances?: ReadonlyArray<MatrixLike>,
  seed?: RandomSource,
): LabelledData {
  const rng = toRandom(seed);
  const mu = checkData(means, "means");
  if (sizes == null || typeof sizes.length !== "number") throw new InvalidArgumentError(`sizes must be an array of positive integers, got ${describe(sizes)}`);
  if (sizes.length !== mu.rows) throw new ShapeError(`sizes has ${sizes.length} entries but means has ${mu.rows} rows`);
  if (covariances !== undefined) {
    checkCovarianceList(covariances, mu.rows, "covariances");
    if (covariances.length !== mu.rows) throw new ShapeError(`covariances has ${covariances.length} matrices but means has ${mu.rows} rows`);
  }
  const d = mu.cols;
  const total = Array.from(sizes).reduce((a, b) => a + checkPositiveInt(b, "sizes[i]"), 0);
  const X = Matrix.zeros(total, d);
  const labels = new Int32Array(total);
  let offset = 0;
  for (let k = 0; k < mu.rows; k++) {
    const cov = covariances?.[k] ?? Matrix.identity(d);
    const block = rng.multivariateNormal(mu.row(k), cov, sizes[k]);
    X.data.set(block.data, offset * d);
    labels.fill(k, offset, offset + sizes[k]);
    offset += sizes[k];
  }
  return shuffleRows({ X, labels }, rng.permutation(total));
}

/**
 * The k-means inits homework's gen1: two tight blobs at (0,0) and (2,2) (σ = 1/3) and a curved tail,
 * N points each (3N rows).
 */
export function gen1(N = 100, seed?: RandomSource): LabelledData {
  const rng = toRandom(seed);
  checkPositiveInt(N, "N");
  const X = Matrix.zeros(3 * N, 2);
  const labels = new Int32Array(3 * N);
  for (let i = 0; i < N; i++) {
    X.data[2 * i] = rng.normal() / 3;
    X.data[2 * i + 1] = rng.normal() / 3;
  }
  for (let i = 0; i < N; i++) {
    X.data[2 * (N + i)] = 2 + rng.normal() / 3;
    X.data[2 * (N + i) + 1] = 2 + rng.normal() / 3;
    labels[N + i] = 1;
  }
  for (let i = 0; i < N; i++) {
    const s0 = 1.5 + Math.abs(rng.normal()) * 3;
    const s1 = (rng.normal() - 3) / s0;
    X.data[2 * (2 * N + i)] = s0;
    X.data[2 * (2 * N + i) + 1] = s1;
    labels[2 * N + i] = 2;
  }
  return { X, labels };
}

/** The k-means inits homework's gen2: N points on a noisy ring of radius r (radial noise σ = std). */
export function gen2(N = 100, std = 1 / 3, r = 1, seed?: RandomSource): Matrix {
  checkNonNegative(std, "std");
  checkFinite(r, "r");
  const rng = toRandom(seed);
  const X = Matrix.zeros(checkPositiveInt(N, "N"), 2);
  for (let i = 0; i < N; i++) {
    const angle = rng.random() * 2 * Math.PI;
    const radius = r + rng.normal() * std;
    X.data[2 * i] = radius * Math.cos(angle);
    X.data[2 * i + 1] = radius * Math.sin(angle);
  }
  return X;
}

/**
 * The k-means inits homework's gen3: N points in `dims` dimensions in c groups; each point is standard normal noise plus one
 * scalar offset N(0, d²) added to every coordinate (so each group lies along the diagonal). Group 0 takes
 * the remainder N mod c.
 */
export function gen3(N = 1000, dims = 100, c = 10, d = 10, seed?: RandomSource): LabelledData {
  const rng = toRandom(seed);
  checkPositiveInt(N, "N");
  checkPositiveInt(dims, "dims");
  checkPositiveInt(c, "c");
  checkNonNegative(d, "d");
  const per = Math.floor(N / c), extra = N % c;
  const X = Matrix.zeros(N, dims);
  const labels = new Int32Array(N);
  let row = 0;
  for (let g = 0; g < c; g++) {
    const count = per + (g === 0 ? extra : 0);
    for (let i = 0; i < count; i++, row++) {
      const offset = rng.normal() * d;
      for (let j = 0; j < dims; j++) X.data[row * dims + j] = offset + rng.normal();
      labels[row] = g;
    }
  }
  return { X, labels };
}

export interface WeightedLinearData {
  x: Float64Array;
  y: Float64Array;
  /** |1/x|: HW6 weights each example by the inverse of its distance from 0. */
  w: Float64Array;
}

/**
 * HW6's regression data: x ~ U(low, high), y = slope·x + intercept + N(0, noiseStd²), w = |1/x|.
 * (The homework calls the noise "var = 0.5" but passes it to numpy as the standard deviation; so do we.)
 */
export function generateWeightedLinearData(
  n = 1_000_000,
  options: { slope?: number; intercept?: number; noiseStd?: number; low?: number; high?: number; seed?: RandomSource } = {},
): WeightedLinearData {
  checkOptions(options, ["slope", "intercept", "noiseStd", "low", "high", "seed"], "generateWeightedLinearData", "{ slope: 1, intercept: -4 }");
  const { slope = 1, intercept = -4, noiseStd = 0.5, low = -4, high = 4 } = options;
  checkFinite(slope, "slope");
  checkFinite(intercept, "intercept");
  checkNonNegative(noiseStd, "noiseStd");
  checkFinite(low, "low");
  checkFinite(high, "high");
  if (!(low < high)) throw new InvalidArgumentError(`low must be below high (x is drawn from [low, high)), got low=${low}, high=${high}`);
  const rng = toRandom(options.seed);
  checkPositiveInt(n, "n");
  const x = new Float64Array(n), y = new Float64Array(n), w = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let xi = rng.uniform(low, high);
    // x = 0 exactly would give an infinite weight; redraw (probability ~2^-53).
    while (xi === 0) xi = rng.uniform(low, high);
    x[i] = xi;
    y[i] = slope * xi + intercept + rng.normal(0, noiseStd);
    w[i] = Math.abs(1 / xi);
  }
  return { x, y, w };
}

/**
 * Lab 3's 1-D data: with probability `pi` a point comes from N(mu[1], sigma[1]²), otherwise from N(mu[0], sigma[0]²).
 */
export function generateTwoGaussians1D(
  n: number,
  params: { pi: number; mu: VectorLike; sigma: VectorLike },
  seed?: RandomSource,
): { x: Float64Array; labels: Int32Array } {
  checkOptions(params, ["pi", "mu", "sigma"], "generateTwoGaussians1D params", "{ pi: 0.3, mu: [0, 4], sigma: [1, 1] }");
  const rng = toRandom(seed);
  const mu = checkVector(params.mu, "mu", 2), sigma = checkVector(params.sigma, "sigma", 2);
  sigma.forEach((s, k) => checkNonNegative(s, `sigma[${k}]`));
  checkFinite(params.pi, "pi");
  checkProbabilities([params.pi, 1 - params.pi], "[pi, 1 - pi]");
  const x = new Float64Array(checkPositiveInt(n, "n"));
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const k = rng.random() < params.pi ? 1 : 0;
    labels[i] = k;
    x[i] = rng.normal(mu[k], sigma[k]);
  }
  return { x, labels };
}

/** Reorders rows (and their labels) by `order`. */
export function shuffleRows(data: LabelledData, order: ArrayLike<number>): LabelledData {
  return { X: data.X.selectRows(order), labels: Int32Array.from(order, (i) => data.labels[i]) };
}
