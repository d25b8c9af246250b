import { NonFiniteError, ShapeError } from "../errors";
import { assertFiniteMatrix, Matrix, MatrixLike, toMatrix } from "./matrix";

/** A square, finite matrix (copied to float64 only when it is not already). */
export function checkSquare(a: MatrixLike, name: string): Matrix {
  const m = toMatrix(a, name).toFloat64();
  if (m.rows !== m.cols) throw new ShapeError(`${name} must be square, got ${m.rows}×${m.cols}`);
  assertFiniteMatrix(m, name);
  return m;
}

/** Symmetric within a tolerance relative to the largest entry (so a matrix of tiny entries is held to the same standard). */
export function checkSymmetric(m: Matrix, name: string, relTol = 1e-8): void {
  const n = m.rows;
  let maxAbs = 0;
  for (let i = 0; i < m.data.length; i++) maxAbs = Math.max(maxAbs, Math.abs(m.data[i]));
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      if (Math.abs(m.data[i * n + j] - m.data[j * n + i]) > relTol * maxAbs) {
        throw new ShapeError(`${name} must be symmetric, but [${i}][${j}]=${m.data[i * n + j]} and [${j}][${i}]=${m.data[j * n + i]}`);
      }
    }
  }
}

export function assertFiniteResult(value: number, what: string): number {
  if (!Number.isFinite(value)) throw new NonFiniteError(`${what} is ${value}; the input is too badly scaled to compute it`);
  return value;
}
