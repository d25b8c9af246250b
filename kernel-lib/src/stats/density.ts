import { InvalidArgumentError, NumericRangeError, ShapeError } from "../errors";
import { maxAbsolute, rescaleExponent, timesPow2 } from "../float-range";
import { cholesky, choleskyLogDet, forwardSubstitute } from "../linalg/cholesky";
import { describe, Matrix, MatrixLike, toMatrix, toVector, VectorLike } from "../linalg/matrix";
import { checkFinite, checkFiniteVector } from "../validate";

const LOG_2PI = Math.log(2 * Math.PI);

/**
 * log Σ exp(z_i) over z[start, end) without overflow or underflow; −Infinity for an empty range or when every entry is
 * −Infinity (log 0). NaN is refused; ±Infinity entries are allowed (they stand for log 0 and log ∞).
 */
export function logSumExp(z: ArrayLike<number>, start = 0, end?: number): number {
  const values = toVector(z, "z");
  const stop = end ?? values.length;
  if (!(Number.isInteger(start) && Number.isInteger(stop) && 0 <= start && start <= stop && stop <= values.length)) {
    throw new InvalidArgumentError(`logSumExp: [start, end) = [${describe(start)}, ${describe(stop)}) must lie within the ${values.length} values`);
  }
  for (let i = start; i < stop; i++) if (Number.isNaN(values[i])) throw new InvalidArgumentError(`logSumExp: z[${i}] is NaN`);
  return logSumExpOf(values, start, stop);
}

/** logSumExp without the checks, for the library's own loops over validated numbers. */
export function logSumExpOf(z: ArrayLike<number>, start: number, end: number): number {
  let max = -Infinity;
  for (let i = start; i < end; i++) if (z[i] > max) max = z[i];
  if (max === -Infinity) return -Infinity;
  if (max === Infinity) return Infinity;
  let s = 0;
  for (let i = start; i < end; i++) s += Math.exp(z[i] - max);
  return max + Math.log(s);
}

/** log N(x | mean, std²). Throws NumericRangeError when x is so many standard deviations out that it is below −1.8e308. */
export function normalLogPdf(x: number, mean = 0, std = 1): number {
  checkNormalArguments(x, mean, std);
  const value = normalLogDensity(x, mean, std);
  if (value === -Infinity) {
    throw new NumericRangeError(`normalLogPdf: x=${x} is so far from mean=${mean} (std ${std}) that log N(x) is below float64's range (−1.8e+308); use a wider std or a nearer x`);
  }
  return value;
}

/** The N(mean, std²) density (scipy.stats.norm.pdf); 0 where it underflows. */
export function normalPdf(x: number, mean = 0, std = 1): number {
  checkNormalArguments(x, mean, std);
  return Math.exp(normalLogDensity(x, mean, std));
}

/** log N(x | mean, std²) for checked arguments; −Infinity where it is below float64's range. */
export function normalLogDensity(x: number, mean: number, std: number): number {
  let z = (x - mean) / std;
  // x − mean can overflow where (x − mean)/std does not (std ~1e308): take the halves (exact) then.
  if (!Number.isFinite(z)) z = ((x / 2 - mean / 2) / std) * 2;
  // (0.5·z)·z rounds like 0.5·(z·z) but overflows only where the log-density itself does.
  return -0.5 * LOG_2PI - 0.5 * z * z - Math.log(std);
}

function checkNormalArguments(x: number, mean: number, std: number): void {
  checkFinite(x, "x");
  checkFinite(mean, "mean");
  if (!(typeof std === "number" && std > 0 && Number.isFinite(std))) throw new InvalidArgumentError(`std must be a finite number > 0, got ${describe(std)}`);
}

/**
 * log N(x | mean, cov) by Cholesky; throws NotPositiveDefiniteError for a singular covariance. Magnitudes whose squares
 * would leave float64's range are rescaled by a power of two first (exactly), so only a result truly below −1.8e308
 * is reported (as NumericRangeError).
 */
export function multivariateNormalLogPdf(x: VectorLike, mean: VectorLike, cov: MatrixLike): number {
  const mu = checkFiniteVector(mean, "mean");
  const point = checkFiniteVector(x, "x", mu.values.length);
  const c = toMatrix(cov, "cov");
  const d = mu.values.length;
  if (c.rows !== d || c.cols !== d) throw new ShapeError(`cov is ${c.rows}×${c.cols} but mean has length ${d}`);
  const covMax = maxAbsolute(c.data);
  const e = rescaleExponent(Math.max(point.maxAbs, mu.maxAbs, Number.isFinite(covMax) ? Math.sqrt(covMax) : 0), 200);
  const scaledCov = e === 0 ? c : new Matrix(d, d, Float64Array.from(c.data, (v) => timesPow2(v, -2 * e)));
  const factor = cholesky(scaledCov, { name: "cov" });
  const diff = Float64Array.from(point.values, (v, i) => timesPow2(v, -e) - timesPow2(mu.values[i], -e));
  forwardSubstitute(factor.L.data, d, diff);
  let mahalanobis = 0;
  for (let i = 0; i < d; i++) mahalanobis += diff[i] * diff[i];
  // log N(x | μ, Σ) = log N(x·2^-e | μ·2^-e, Σ·2^-2e) − d·e·ln 2.
  const value = -0.5 * (d * LOG_2PI + choleskyLogDet(factor)) - 0.5 * mahalanobis - d * e * Math.LN2;
  if (!Number.isFinite(value)) {
    throw new NumericRangeError(`multivariateNormalLogPdf: x is so far from mean (a squared Mahalanobis distance beyond float64's range) that log N(x) is below −1.8e+308`);
  }
  return value;
}

/** N(x | mean, cov) (scipy.stats.multivariate_normal.pdf); 0 where it underflows. */
export function multivariateNormalPdf(x: VectorLike, mean: VectorLike, cov: MatrixLike): number {
  try {
    return Math.exp(multivariateNormalLogPdf(x, mean, cov));
  } catch (e) {
    if (e instanceof NumericRangeError) return 0;
    throw e;
  }
}
