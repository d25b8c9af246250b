import { ShapeError } from "../errors";
import { cholesky, choleskyLogDet, forwardSubstitute } from "../linalg/cholesky";
import { MatrixLike, toMatrix, VectorLike } from "../linalg/matrix";
import { checkVector } from "../validate";

const LOG_2PI = Math.log(2 * Math.PI);

/** log Σ exp(z_i) without overflow or underflow; −Infinity for an empty or all −Infinity input. */
export function logSumExp(z: ArrayLike<number>, start = 0, end = z.length): number {
  let max = -Infinity;
  for (let i = start; i < end; i++) if (z[i] > max) max = z[i];
  if (max === -Infinity) return -Infinity;
  if (max === Infinity) return Infinity;
  let s = 0;
  for (let i = start; i < end; i++) s += Math.exp(z[i] - max);
  return max + Math.log(s);
}

export function normalLogPdf(x: number, mean = 0, std = 1): number {
  const z = (x - mean) / std;
  return -0.5 * (LOG_2PI + z * z) - Math.log(std);
}

/** The N(mean, std²) density (scipy.stats.norm.pdf). */
export function normalPdf(x: number, mean = 0, std = 1): number {
  return Math.exp(normalLogPdf(x, mean, std));
}

/** log N(x | mean, cov) by Cholesky; throws NotPositiveDefiniteError for a singular covariance. */
export function multivariateNormalLogPdf(x: VectorLike, mean: VectorLike, cov: MatrixLike): number {
  const mu = checkVector(mean, "mean");
  const point = checkVector(x, "x", mu.length);
  const c = toMatrix(cov, "cov");
  if (c.rows !== mu.length) throw new ShapeError(`cov is ${c.rows}×${c.cols} but mean has length ${mu.length}`);
  const factor = cholesky(c, { name: "cov" });
  const diff = Float64Array.from(point, (v, i) => v - mu[i]);
  forwardSubstitute(factor.L.data, mu.length, diff);
  let mahalanobis = 0;
  for (let i = 0; i < diff.length; i++) mahalanobis += diff[i] * diff[i];
  return -0.5 * (mu.length * LOG_2PI + choleskyLogDet(factor) + mahalanobis);
}

/** N(x | mean, cov) (scipy.stats.multivariate_normal.pdf). */
export function multivariateNormalPdf(x: VectorLike, mean: VectorLike, cov: MatrixLike): number {
  return Math.exp(multivariateNormalLogPdf(x, mean, cov));
}
