import { InvalidArgumentError, NotPositiveDefiniteError, ShapeError } from "../errors";
import { checkNonNegative } from "../validate";
import { Matrix, MatrixLike, toVector, VectorLike } from "./matrix";
import { checkSquare, checkSymmetric } from "./square";

export interface CholeskyOptions {
  /** Added to the diagonal before factorising (scikit-learn's reg_covar). Default 0. */
  regularization?: number;
  /**
   * If factorising fails, retry with this much added to the diagonal, growing ×10 each time up to `maxJitter`.
   * Default 0: no retries, a non-positive-definite matrix throws.
   */
  jitter?: number;
  maxJitter?: number;
  name?: string;
}

export interface CholeskyFactor {
  /** Lower-triangular L with A + (regularization + jitterUsed)·I = L·Lᵀ. */
  L: Matrix;
  /** Extra diagonal jitter that was needed beyond `regularization` (0 when none). */
  jitterUsed: number;
}

/** Cholesky factorisation of a symmetric positive-definite matrix, with optional regularisation and jitter. */
export function cholesky(a: MatrixLike, options: CholeskyOptions = {}): CholeskyFactor {
  const name = options.name ?? "matrix";
  const m = checkSquare(a, name);
  checkSymmetric(m, name);
  const reg = checkNonNegative(options.regularization ?? 0, "regularization");
  if (options.jitter !== undefined) checkNonNegative(options.jitter, "jitter");
  let jitter = 0;
  const maxJitter = checkNonNegative(options.maxJitter ?? (options.jitter ? options.jitter * 1e6 : 0), "maxJitter");
  for (;;) {
    const L = tryCholesky(m, reg + jitter);
    if (L) return { L, jitterUsed: jitter };
    const next = jitter === 0 ? options.jitter ?? 0 : jitter * 10;
    if (next <= 0 || next > maxJitter) {
      const tried = reg + jitter > 0 ? ` even with ${reg + jitter} added to the diagonal` : "";
      throw new NotPositiveDefiniteError(
        `${name} is not positive definite${tried}; it may be singular (collapsed or duplicate data). ` +
          `Add regularisation (e.g. regularization/regCovar of 1e-6 or more) or remove redundant features.`,
      );
    }
    jitter = next;
  }
}

/** Returns L, or null when a pivot is not positive. */
function tryCholesky(m: Matrix, diagonalShift: number): Matrix | null {
  const n = m.rows;
  const a = m.data;
  const L = Matrix.zeros(n, n);
  const l = L.data;
  for (let j = 0; j < n; j++) {
    let diag = a[j * n + j] + diagonalShift;
    for (let k = 0; k < j; k++) diag -= l[j * n + k] * l[j * n + k];
    if (!(diag > 0) || !Number.isFinite(diag)) return null;
    const ljj = Math.sqrt(diag);
    l[j * n + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      let s = a[i * n + j];
      for (let k = 0; k < j; k++) s -= l[i * n + k] * l[j * n + k];
      l[i * n + j] = s / ljj;
    }
  }
  return L;
}

/** Solves L·y = b in place (L lower-triangular, n×n, flat). */
export function forwardSubstitute(L: Float64Array | Float32Array, n: number, b: Float64Array): Float64Array {
  checkTriangularSystem(L, n, b, "forwardSubstitute");
  for (let i = 0; i < n; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= L[i * n + k] * b[k];
    b[i] = s / L[i * n + i];
  }
  return b;
}

/** Solves Lᵀ·x = y in place. */
export function backSubstituteTransposed(L: Float64Array | Float32Array, n: number, y: Float64Array): Float64Array {
  checkTriangularSystem(L, n, y, "backSubstituteTransposed");
  for (let i = n - 1; i >= 0; i--) {
    let s = y[i];
    for (let k = i + 1; k < n; k++) s -= L[k * n + i] * y[k];
    y[i] = s / L[i * n + i];
  }
  return y;
}

/** O(1) checks of the low-level triangular solves' arguments (they run inside per-row loops). */
function checkTriangularSystem(L: ArrayLike<number>, n: number, b: ArrayLike<number>, what: string): void {
  if (!(Number.isInteger(n) && n >= 0 && L != null && b != null && L.length >= n * n && b.length >= n)) {
    throw new ShapeError(`${what}: L must hold n×n = ${n}×${n} values and b at least ${n}; got ${L?.length} and ${b?.length}`);
  }
}

/** Solves A·x = b given A's Cholesky factor. */
export function choleskySolve(factor: CholeskyFactor | Matrix, b: VectorLike): Float64Array {
  if (!(factor instanceof Matrix) && !(factor?.L instanceof Matrix)) throw new InvalidArgumentError("choleskySolve needs a factor from cholesky(A) (or its L)");
  const L = factor instanceof Matrix ? factor : factor.L;
  const n = L.rows;
  const rhs = toVector(b, "b");
  if (rhs.length !== n) throw new ShapeError(`choleskySolve: b has length ${rhs.length} but the matrix is ${n}×${n}`);
  const x = Float64Array.from(rhs);
  forwardSubstitute(L.data, n, x);
  return backSubstituteTransposed(L.data, n, x);
}

/** log det A = 2·Σ log L_ii. */
export function choleskyLogDet(factor: CholeskyFactor | Matrix): number {
  if (!(factor instanceof Matrix) && !(factor?.L instanceof Matrix)) throw new InvalidArgumentError("choleskyLogDet needs a factor from cholesky(A) (or its L)");
  const L = factor instanceof Matrix ? factor : factor.L;
  let s = 0;
  for (let i = 0; i < L.rows; i++) s += Math.log(L.data[i * L.rows + i]);
  return 2 * s;
}
