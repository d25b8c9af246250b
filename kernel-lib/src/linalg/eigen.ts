import { InvalidArgumentError } from "../errors";
import { maxAbsolute, rescaleExponent, scaleBackOrThrow, timesPow2 } from "../float-range";
import { checkPositiveInt } from "../validate";
import { Matrix, MatrixLike } from "./matrix";
import { checkSquare, checkSymmetric } from "./square";

export interface SymmetricEigen {
  /** Eigenvalues in ascending order (as numpy.linalg.eigh). */
  values: Float64Array;
  /** Column j is the unit eigenvector for values[j]. */
  vectors: Matrix;
}

/**
 * Eigen-decomposition of a real symmetric matrix: closed form for 2×2, cyclic Jacobi otherwise. The matrix is first
 * rescaled by a power of two to entries near 1 (exact): Jacobi's squared entries neither overflow (entries of 1e200,
 * which made it stop at once with the diagonal) nor underflow (entries of 1e-200); the eigenvalues are scaled back.
 */
export function symmetricEigen(a: MatrixLike, options: { maxSweeps?: number } = {}): SymmetricEigen {
  const m = checkSquare(a, "A");
  checkSymmetric(m, "A");
  const maxSweeps = checkPositiveInt(options.maxSweeps ?? 100, "maxSweeps");
  const e = rescaleExponent(maxAbsolute(m.data), 0);
  const scaled = e === 0 ? m : new Matrix(m.rows, m.cols, Float64Array.from(m.data, (v) => timesPow2(v, -e)));
  const result = scaled.rows === 2 ? eigen2x2(scaled) : jacobiEigen(scaled, maxSweeps);
  if (e !== 0) result.values = result.values.map((v, i) => scaleBackOrThrow(v, e, `eigenvalue ${i}`, "scale A down first"));
  return result;
}

function eigen2x2(m: Matrix): SymmetricEigen {
  const [a, b, , d] = m.data;
  const mean = (a + d) / 2;
  const radius = Math.hypot((a - d) / 2, b);
  const values = Float64Array.of(mean - radius, mean + radius);
  // Rotation angle that diagonalises [[a, b], [b, d]]; stable for b = 0.
  const theta = 0.5 * Math.atan2(2 * b, a - d);
  const c = Math.cos(theta), s = Math.sin(theta);
  // (c, s) belongs to the larger eigenvalue, (−s, c) to the smaller.
  const vectors = Matrix.fromRows([
    [-s, c],
    [c, s],
  ]);
  return { values, vectors };
}

function jacobiEigen(m: Matrix, maxSweeps: number): SymmetricEigen {
  const n = m.rows;
  const a = Float64Array.from(m.data);
  const v = Float64Array.from(Matrix.identity(n).data);
  for (let sweep = 0; sweep < maxSweeps; sweep++) {
    let off = 0, total = 0;
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
      const x = a[i * n + j] * a[i * n + j];
      total += x;
      if (i !== j) off += x;
    }
    if (off <= total * 1e-30 || off === 0) return sortedEigen(a, v, n);
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q];
        if (apq === 0) continue;
        const tau = (a[q * n + q] - a[p * n + p]) / (2 * apq);
        const t = Math.sign(tau || 1) / (Math.abs(tau) + Math.sqrt(1 + tau * tau));
        const c = 1 / Math.sqrt(1 + t * t), s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k * n + p], akq = a[k * n + q];
          a[k * n + p] = c * akp - s * akq;
          a[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p * n + k], aqk = a[q * n + k];
          a[p * n + k] = c * apk - s * aqk;
          a[q * n + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p], vkq = v[k * n + q];
          v[k * n + p] = c * vkp - s * vkq;
          v[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  throw new InvalidArgumentError(`symmetricEigen did not converge in ${maxSweeps} sweeps; the matrix may be badly scaled`);
}

function sortedEigen(a: Float64Array, v: Float64Array, n: number): SymmetricEigen {
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => a[i * n + i] - a[j * n + j]);
  const values = Float64Array.from(order, (i) => a[i * n + i]);
  const vectors = Matrix.zeros(n, n);
  order.forEach((src, dst) => {
    for (let k = 0; k < n; k++) vectors.data[k * n + dst] = v[k * n + src];
  });
  return { values, vectors };
}
