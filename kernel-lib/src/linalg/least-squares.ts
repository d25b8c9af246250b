import { ShapeError, SingularMatrixError } from "../errors";
import { Matrix, MatrixLike, toMatrix, toVector, VectorLike } from "./matrix";

/**
 * Minimises ‖A·x − b‖² by Householder QR, which keeps the conditioning of A rather than squaring it
 * as the normal equations AᵀA·x = Aᵀb would.
 */
export function leastSquares(a: MatrixLike, b: VectorLike): Float64Array {
  const m = toMatrix(a, "A").toFloat64();
  const rows = m.rows, cols = m.cols;
  if (b.length !== rows) throw new ShapeError(`leastSquares: A has ${rows} rows but b has length ${b.length}`);
  if (rows < cols) throw new ShapeError(`leastSquares: A is ${rows}×${cols}; it needs at least as many rows as columns`);
  const r = Float64Array.from(m.data);
  const y = Float64Array.from(toVector(b, "b"));
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
  return x;
}
