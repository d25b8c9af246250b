import { NonFiniteError, NumericRangeError, ShapeError } from "../errors";
import { checkFinite } from "../validate";
import { Matrix, MatrixLike, toMatrix, toVector, VectorLike } from "./matrix";

/**
 * Products and sums of finite matrices can still overflow float64 (1e200 · 1e200). Each function checks its result as
 * it writes it (no extra pass) and reports an overflow as a NumericRangeError instead of returning ±Infinity or NaN.
 */
function overflow(op: string, where: string): NumericRangeError {
  return new NumericRangeError(`${op}: the result overflows float64 at ${where} (beyond ±1.8e+308); scale the inputs down first (e.g. by 1e-100)`);
}

export function transpose(a: MatrixLike): Matrix {
  const m = toMatrix(a, "a");
  const out = Matrix.zeros(m.cols, m.rows);
  for (let i = 0; i < m.rows; i++) for (let j = 0; j < m.cols; j++) out.data[j * m.rows + i] = m.data[i * m.cols + j];
  return out;
}

/** a·b, with the i-k-j loop order so the inner loop walks both operands contiguously. */
export function matmul(a: MatrixLike, b: MatrixLike): Matrix {
  const x = toMatrix(a, "a"), y = toMatrix(b, "b");
  if (x.cols !== y.rows) throw new ShapeError(`matmul: a is ${x.rows}×${x.cols} and b is ${y.rows}×${y.cols}; a.cols must equal b.rows`);
  const n = x.rows, m = y.cols, p = x.cols;
  const out = Matrix.zeros(n, m);
  const o = out.data, xd = x.data, yd = y.data;
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < p; k++) {
      const aik = xd[i * p + k];
      if (aik === 0) continue;
      const yRow = k * m, oRow = i * m;
      for (let j = 0; j < m; j++) o[oRow + j] += aik * yd[yRow + j];
    }
    for (let j = 0; j < m; j++) if (!Number.isFinite(o[i * m + j])) throw nonFinite("matmul", x, y, `[${i}][${j}]`);
  }
  return out;
}

/** a·v for a vector v. */
export function matvec(a: MatrixLike, v: VectorLike): Float64Array {
  const x = toMatrix(a, "a"), y = toVector(v, "v");
  if (x.cols !== y.length) throw new ShapeError(`matvec: a is ${x.rows}×${x.cols} but v has length ${y.length}`);
  const out = new Float64Array(x.rows);
  for (let i = 0; i < x.rows; i++) {
    let s = 0;
    for (let j = 0; j < x.cols; j++) s += x.data[i * x.cols + j] * y[j];
    if (!Number.isFinite(s)) throw nonFinite("matvec", x, y, `[${i}]`);
    out[i] = s;
  }
  return out;
}

export function dot(a: VectorLike, b: VectorLike): number {
  const u = toVector(a, "a"), v = toVector(b, "b");
  if (u.length !== v.length) throw new ShapeError(`dot: lengths ${u.length} and ${v.length} differ`);
  let s = 0;
  for (let i = 0; i < u.length; i++) s += u[i] * v[i];
  if (!Number.isFinite(s)) throw nonFinite("dot", u, v, "the sum");
  return s;
}

/** The outer product u·vᵀ. */
export function outer(u: VectorLike, v: VectorLike): Matrix {
  const a = toVector(u, "u"), b = toVector(v, "v");
  const out = Matrix.zeros(a.length, b.length);
  for (let i = 0; i < a.length; i++) {
    for (let j = 0; j < b.length; j++) {
      const value = a[i] * b[j];
      if (!Number.isFinite(value)) throw nonFinite("outer", a, b, `[${i}][${j}]`);
      out.data[i * b.length + j] = value;
    }
  }
  return out;
}

export function squaredDistance(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const u = toVector(a, "a"), v = toVector(b, "b");
  if (u.length !== v.length) throw new ShapeError(`squaredDistance: lengths ${u.length} and ${v.length} differ`);
  let s = 0;
  for (let i = 0; i < u.length; i++) {
    const d = u[i] - v[i];
    s += d * d;
  }
  if (!Number.isFinite(s)) throw nonFinite("squaredDistance", u, v, "the sum");
  return s;
}

export function add(a: MatrixLike, b: MatrixLike): Matrix {
  return zipWith(a, b, "add", (x, y) => x + y);
}

export function subtract(a: MatrixLike, b: MatrixLike): Matrix {
  return zipWith(a, b, "subtract", (x, y) => x - y);
}

export function scale(a: MatrixLike, factor: number): Matrix {
  const x = toMatrix(a, "a");
  checkFinite(factor, "factor");
  const out = new Matrix(x.rows, x.cols, Float64Array.from(x.data, (v) => v * factor));
  const at = out.data.findIndex((v, i) => !Number.isFinite(v) && Number.isFinite(x.data[i]));
  if (at >= 0) throw overflow("scale", `[${Math.floor(at / x.cols)}][${at % x.cols}]`);
  return out;
}

function zipWith(a: MatrixLike, b: MatrixLike, op: string, f: (x: number, y: number) => number): Matrix {
  const x = toMatrix(a, "a"), y = toMatrix(b, "b");
  if (x.rows !== y.rows || x.cols !== y.cols) throw new ShapeError(`${op}: shapes ${x.rows}×${x.cols} and ${y.rows}×${y.cols} differ`);
  const out = Matrix.zeros(x.rows, x.cols);
  for (let i = 0; i < out.data.length; i++) {
    const v = f(x.data[i], y.data[i]);
    if (!Number.isFinite(v) && Number.isFinite(x.data[i]) && Number.isFinite(y.data[i])) throw overflow(op, `[${Math.floor(i / x.cols)}][${i % x.cols}]`);
    out.data[i] = v;
  }
  return out;
}

/** A non-finite result: an overflow when the inputs are finite, else the inputs' own NaN/Infinity passed through. */
function nonFinite(op: string, x: Matrix | ArrayLike<number>, y: Matrix | ArrayLike<number>, where: string): Error {
  const values = (m: Matrix | ArrayLike<number>) => (m instanceof Matrix ? m.data : m);
  const finite = (v: ArrayLike<number>) => { for (let i = 0; i < v.length; i++) if (!Number.isFinite(v[i])) return false; return true; };
  if (finite(values(x)) && finite(values(y))) return overflow(op, where);
  return new NonFiniteError(`${op}: an input holds NaN or ±Infinity, so the result at ${where} is not finite; remove or impute non-finite values first`);
}
