import { NumericRangeError, ShapeError, SingularMatrixError } from "../errors";
import { maxAbsolute, pow2Pair, rescaleExponent, timesPow2 } from "../float-range";
import { assertFiniteMatrix, assertFiniteVector, MatrixLike, toMatrix, toVector, VectorLike } from "./matrix";

/**
 * Minimises ‖A·x − b‖² by Householder QR, which keeps the conditioning of A rather than squaring it
 * as the normal equations AᵀA·x = Aᵀb would.
 *
 * Each column of A, and b, is first rescaled by a power of two to magnitudes near 1 (exact, and QR is equivariant
 * under it, so the answer is unchanged where nothing over- or underflows): columns of 1e200 do not overflow, a column
 * of 1e-20 next to one of 1e5 is not mistaken for a dependent one, and the rank test is relative to each column.
 */
export function leastSquares(a: MatrixLike, b: VectorLike): Float64Array {
  const m = toMatrix(a, "A");
  const rhs = toVector(b, "b");
  const rows = m.rows, cols = m.cols;
  if (rhs.length !== rows) throw new ShapeError(`leastSquares: A has ${rows} rows but b has length ${rhs.length}`);
  if (rows < cols) throw new ShapeError(`leastSquares: A is ${rows}×${cols}; it needs at least as many rows as columns`);
  assertFiniteMatrix(m, "A");
  assertFiniteVector(rhs, "b");
  const columnExponent = new Int32Array(cols);
  for (let k = 0; k < cols; k++) {
    let max = 0;
    for (let i = 0; i < rows; i++) max = Math.max(max, Math.abs(m.data[i * cols + k]));
    columnExponent[k] = rescaleExponent(max, 0);
  }
  const bExponent = rescaleExponent(maxAbsolute(rhs), 0);
  const r = new Float64Array(rows * cols);
  for (let k = 0; k < cols; k++) {
    const [p, q] = pow2Pair(-columnExponent[k]);
    for (let i = 0; i < rows; i++) r[i * cols + k] = m.data[i * cols + k] * p * q;
  }
  const [p, q] = pow2Pair(-bExponent);
  const y = Float64Array.from(rhs, (v) => v * p * q);
  const diag = new Float64Array(cols);
  let scale = 0;
  for (let i = 0; i < r.length; i++) scale = Math.max(scale, Math.abs(r[i]));
  for (let k = 0; k < cols; k++) {
    let norm = 0;
    for (let i = k; i < rows; i++) norm = Math.hypot(norm, r[i * cols + k]);
    if (norm <= scale * rows * Number.EPSILON) {
      throw new SingularMatrixError(`leastSquares: column ${k} of A is linearly dependent on the others (rank-deficient design); drop it or add regularisation`);
    }
    if (r[k * cols + k] > 0) norm = -norm;
    // Householder vector v = x − norm·e1, stored in place below the diagonal; v_k kept in r[k,k].
    for (let i = k; i < rows; i++) r[i * cols + k] /= -norm;
    r[k * cols + k] += 1;
    for (let j = k + 1; j < cols; j++) {
      let s = 0;
      for (let i = k; i < rows; i++) s += r[i * cols + k] * r[i * cols + j];
      s = -s / r[k * cols + k];
      for (let i = k; i < rows; i++) r[i * cols + j] += s * r[i * cols + k];
    }
    let s = 0;
    for (let i = k; i < rows; i++) s += r[i * cols + k] * y[i];
    s = -s / r[k * cols + k];
    for (let i = k; i < rows; i++) y[i] += s * r[i * cols + k];
    diag[k] = norm;
  }
  const x = new Float64Array(cols);
  for (let k = cols - 1; k >= 0; k--) {
    let s = y[k];
    for (let j = k + 1; j < cols; j++) s -= r[k * cols + j] * x[j];
    x[k] = s / diag[k];
  }
  // A·diag(2^-e)·z = b·2^-f  ⇒  x = z·2^(f − e).
  return x.map((v, k) => {
    const out = timesPow2(v, bExponent - columnExponent[k]);
    if (!Number.isFinite(out)) throw new NumericRangeError(`leastSquares: coefficient ${k} is beyond float64's range (±1.8e+308); rescale column ${k} of A (or b)`);
    return out;
  });
}
