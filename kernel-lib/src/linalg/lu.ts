import { NumericRangeError, ShapeError, SingularMatrixError } from "../errors";
import { describeScaled, exponentOf, timesPow2 } from "../float-range";
import { Matrix, MatrixLike, toMatrix, toVector, VectorLike } from "./matrix";
import { checkSquare } from "./square";

interface LuFactor {
  lu: Float64Array;
  n: number;
  pivots: Int32Array;
  /** +1 or −1: the parity of the row swaps. */
  sign: number;
  /** True when some pivot is exactly zero (or negligible next to the matrix's scale). */
  singular: boolean;
}

/** LU with partial pivoting: P·A = L·U, L unit-lower and U upper, both stored in `lu`. */
function luFactor(a: Matrix): LuFactor {
  const n = a.rows;
  const lu = Float64Array.from(a.data);
  const pivots = new Int32Array(n);
  let sign = 1;
  let scale = 0;
  for (let i = 0; i < lu.length; i++) scale = Math.max(scale, Math.abs(lu[i]));
  const negligible = scale * n * Number.EPSILON;
  let singular = false;
  for (let k = 0; k < n; k++) {
    let p = k;
    for (let i = k + 1; i < n; i++) if (Math.abs(lu[i * n + k]) > Math.abs(lu[p * n + k])) p = i;
    pivots[k] = p;
    if (p !== k) {
      for (let j = 0; j < n; j++) {
        const t = lu[k * n + j];
        lu[k * n + j] = lu[p * n + j];
        lu[p * n + j] = t;
      }
      sign = -sign;
    }
    const pivot = lu[k * n + k];
    if (Math.abs(pivot) <= negligible) {
      singular = true;
      continue;
    }
    for (let i = k + 1; i < n; i++) {
      const f = (lu[i * n + k] /= pivot);
      if (f === 0) continue;
      for (let j = k + 1; j < n; j++) lu[i * n + j] -= f * lu[k * n + j];
    }
  }
  return { lu, n, pivots, sign, singular };
}

function luSolveInPlace(f: LuFactor, b: Float64Array): void {
  const { lu, n, pivots } = f;
  for (let k = 0; k < n; k++) {
    const p = pivots[k];
    if (p !== k) {
      const t = b[k];
      b[k] = b[p];
      b[p] = t;
    }
  }
  for (let i = 0; i < n; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= lu[i * n + k] * b[k];
    b[i] = s;
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = b[i];
    for (let k = i + 1; k < n; k++) s -= lu[i * n + k] * b[k];
    b[i] = s / lu[i * n + i];
  }
}

/** A solution that overflows float64 comes from a matrix too close to singular for its right-hand side. */
function checkSolution(values: ArrayLike<number>, name: string): void {
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) {
      throw new SingularMatrixError(`${name} is too close to singular: the solution overflows float64 (beyond ±1.8e+308) at entry ${i}. Check for nearly dependent rows or columns, or add regularisation.`);
    }
  }
}

function requireNonSingular(f: LuFactor, name: string): void {
  if (f.singular) throw new SingularMatrixError(`${name} is singular (or numerically so); it has no inverse. Check for linearly dependent rows or columns, or add regularisation.`);
}

/** Solves A·x = b (b a vector) or A·X = B (B a matrix). */
export function solve(a: MatrixLike, b: VectorLike): Float64Array;
export function solve(a: MatrixLike, b: Matrix): Matrix;
export function solve(a: MatrixLike, b: VectorLike | Matrix): Float64Array | Matrix {
  const m = checkSquare(a, "A");
  const f = luFactor(m);
  requireNonSingular(f, "A");
  if (b instanceof Matrix) {
    if (b.rows !== m.rows) throw new ShapeError(`solve: A is ${m.rows}×${m.cols} but B has ${b.rows} rows`);
    const out = Matrix.zeros(b.rows, b.cols);
    const col = new Float64Array(b.rows);
    for (let j = 0; j < b.cols; j++) {
      for (let i = 0; i < b.rows; i++) col[i] = b.data[i * b.cols + j];
      luSolveInPlace(f, col);
      checkSolution(col, "A");
      for (let i = 0; i < b.rows; i++) out.data[i * b.cols + j] = col[i];
    }
    return out;
  }
  const rhs = toVector(b, "b");
  if (rhs.length !== m.rows) throw new ShapeError(`solve: A is ${m.rows}×${m.cols} but b has length ${rhs.length}`);
  const x = Float64Array.from(rhs);
  luSolveInPlace(f, x);
  checkSolution(x, "A");
  return x;
}

export function inverse(a: MatrixLike): Matrix {
  const m = checkSquare(a, "A");
  return solve(m, Matrix.identity(m.rows));
}

/**
 * det A from the LU pivots. The product is kept as mantissa·2^exponent, so pivots like 1e200 · 1e200 · 1e-300 give the
 * right 1e100; a determinant truly beyond ±1.8e308 is a NumericRangeError (use logDeterminant for such matrices).
 */
export function determinant(a: MatrixLike): number {
  const m = checkSquare(a, "A");
  if (m.rows === 0) return 1;
  const f = luFactor(m);
  let mantissa = f.sign, exponent = 0;
  for (let i = 0; i < f.n; i++) {
    const u = f.lu[i * f.n + i];
    if (u === 0) return 0;
    const e = exponentOf(u);
    mantissa *= timesPow2(u, -e);
    exponent += e;
    const renormalise = exponentOf(mantissa);
    mantissa = timesPow2(mantissa, -renormalise);
    exponent += renormalise;
  }
  const det = timesPow2(mantissa, exponent);
  if (!Number.isFinite(det)) throw new NumericRangeError(`det A is about ${describeScaled(mantissa, exponent)}, beyond float64's range (±1.8e+308); use logDeterminant(A) for its logarithm`);
  return det;
}

/** sign and log|det A|, stable where det itself would under- or overflow (like numpy.linalg.slogdet). */
export function logDeterminant(a: MatrixLike): { sign: number; logAbsDet: number } {
  const m = checkSquare(toMatrix(a, "A"), "A");
  const f = luFactor(m);
  let sign = f.sign;
  let logAbsDet = 0;
  for (let i = 0; i < f.n; i++) {
    const u = f.lu[i * f.n + i];
    if (u === 0) return { sign: 0, logAbsDet: -Infinity };
    if (u < 0) sign = -sign;
    logAbsDet += Math.log(Math.abs(u));
  }
  return { sign, logAbsDet };
}
