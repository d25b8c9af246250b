import { ShapeError } from "../errors";
import { Matrix, MatrixLike, toMatrix, toVector, VectorLike } from "./matrix";

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
    out[i] = s;
  }
  return out;
}

export function dot(a: VectorLike, b: VectorLike): number {
  if (a.length !== b.length) throw new ShapeError(`dot: lengths ${a.length} and ${b.length} differ`);
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/** The outer product u·vᵀ. */
export function outer(u: VectorLike, v: VectorLike): Matrix {
  const out = Matrix.zeros(u.length, v.length);
  for (let i = 0; i < u.length; i++) for (let j = 0; j < v.length; j++) out.data[i * v.length + j] = u[i] * v[j];
  return out;
}

export function squaredDistance(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) {
    const d = a[i] - b[i];
    s += d * d;
  }
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
  return new Matrix(x.rows, x.cols, Float64Array.from(x.data, (v) => v * factor));
}

function zipWith(a: MatrixLike, b: MatrixLike, op: string, f: (x: number, y: number) => number): Matrix {
  const x = toMatrix(a, "a"), y = toMatrix(b, "b");
  if (x.rows !== y.rows || x.cols !== y.cols) throw new ShapeError(`${op}: shapes ${x.rows}×${x.cols} and ${y.rows}×${y.cols} differ`);
  const out = Matrix.zeros(x.rows, x.cols);
  for (let i = 0; i < out.data.length; i++) out.data[i] = f(x.data[i], y.data[i]);
  return out;
}
