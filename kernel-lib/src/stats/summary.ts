import { InvalidArgumentError, ShapeError } from "../errors";
import { Matrix, MatrixLike, VectorLike } from "../linalg/matrix";
import { checkData, checkVector } from "../validate";

export function sum(values: VectorLike): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i];
  return s;
}

export function mean(values: VectorLike): number {
  const v = checkVector(values, "values");
  if (v.length === 0) throw new ShapeError("mean of an empty array is undefined");
  return sum(v) / v.length;
}

/** Variance by Welford's update (stable for data far from 0); ddof=0 is numpy's default, 1 the sample variance. */
export function variance(values: VectorLike, ddof = 0): number {
  const v = checkVector(values, "values");
  if (v.length - ddof <= 0) throw new InvalidArgumentError(`variance needs more than ddof=${ddof} values, got ${v.length}`);
  let m = 0, m2 = 0;
  for (let i = 0; i < v.length; i++) {
    const delta = v[i] - m;
    m += delta / (i + 1);
    m2 += delta * (v[i] - m);
  }
  return m2 / (v.length - ddof);
}

export function std(values: VectorLike, ddof = 0): number {
  return Math.sqrt(variance(values, ddof));
}

export function columnMeans(x: MatrixLike): Float64Array {
  return meansOfColumns(checkData(x));
}

/** Column means of an already validated matrix (no second pass to check it). */
export function meansOfColumns(m: Matrix): Float64Array {
  const out = new Float64Array(m.cols);
  for (let i = 0; i < m.rows; i++) for (let j = 0; j < m.cols; j++) out[j] += m.data[i * m.cols + j];
  for (let j = 0; j < m.cols; j++) out[j] /= m.rows;
  return out;
}

/** Per-column variance from centred sums (two passes), so offset data keeps its precision. */
export function columnVariances(x: MatrixLike, ddof = 0): Float64Array {
  const m = checkData(x);
  if (m.rows - ddof <= 0) throw new InvalidArgumentError(`columnVariances needs more than ddof=${ddof} rows, got ${m.rows}`);
  const mu = columnMeans(m);
  const out = new Float64Array(m.cols);
  for (let i = 0; i < m.rows; i++) {
    for (let j = 0; j < m.cols; j++) {
      const d = m.data[i * m.cols + j] - mu[j];
      out[j] += d * d;
    }
  }
  for (let j = 0; j < m.cols; j++) out[j] /= m.rows - ddof;
  return out;
}

/** The d×d covariance of the rows of X (numpy.cov(X, rowvar=False) with ddof=1 by default). */
export function covariance(x: MatrixLike, ddof = 1): Matrix {
  const m = checkData(x);
  if (m.rows - ddof <= 0) throw new InvalidArgumentError(`covariance needs more than ddof=${ddof} rows, got ${m.rows}`);
  const d = m.cols;
  const mu = columnMeans(m);
  const out = Matrix.zeros(d, d);
  const centred = new Float64Array(d);
  for (let i = 0; i < m.rows; i++) {
    for (let j = 0; j < d; j++) centred[j] = m.data[i * d + j] - mu[j];
    for (let a = 0; a < d; a++) for (let b = a; b < d; b++) out.data[a * d + b] += centred[a] * centred[b];
  }
  for (let a = 0; a < d; a++) {
    for (let b = a; b < d; b++) {
      const v = out.data[a * d + b] / (m.rows - ddof);
      out.data[a * d + b] = v;
      out.data[b * d + a] = v;
    }
  }
  return out;
}

export interface Standardized {
  X: Matrix;
  mean: Float64Array;
  std: Float64Array;
}

/**
 * Z-scores each column: (x − mean) / std with the population std (ddof 0), as seed 002's `normalize`.
 * A constant column has std 0 and is left centred (not divided), instead of turning into NaN.
 */
export function standardize(x: MatrixLike): Standardized {
  const m = checkData(x);
  const mu = columnMeans(m);
  const sd = columnVariances(m).map(Math.sqrt);
  const out = Matrix.zeros(m.rows, m.cols);
  for (let i = 0; i < m.rows; i++) {
    for (let j = 0; j < m.cols; j++) {
      const c = m.data[i * m.cols + j] - mu[j];
      out.data[i * m.cols + j] = sd[j] > 0 ? c / sd[j] : c;
    }
  }
  return { X: out, mean: mu, std: sd };
}
