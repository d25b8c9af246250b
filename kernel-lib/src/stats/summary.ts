import { InvalidArgumentError, ShapeError } from "../errors";
import { pow2, pow2Pair, rescaleExponent, scaleBackOrThrow, timesPow2 } from "../float-range";
import { Matrix, MatrixLike, VectorLike } from "../linalg/matrix";
import { checkFiniteData, checkFiniteVector, checkPositiveInt } from "../validate";

/**
 * Values beyond 2^±200 are rescaled by a power of two (exact) before squares are summed, so variances of ±1e200 or
 * 1e-200 are right; a result that itself lies beyond float64's range is reported, not returned as Infinity. Columns
 * are rescaled each by its own power (column statistics do not mix columns), so a column of 1e-300 next to one of
 * 1e300 keeps its precision.
 */
const SAFE_BITS = 200;
const HINT = "scale the values down first (e.g. values·1e-100); the result scales by the factor (squared for variances)";

/** Σ values. Partial sums that overflow are avoided; a total beyond ±1.8e308 is a NumericRangeError. */
export function sum(values: VectorLike): number {
  const { value, exponent } = scaledSum(checkFiniteVector(values, "values").values);
  return scaleBackOrThrow(value, exponent, "the sum of values", HINT);
}

export function mean(values: VectorLike): number {
  const v = checkFiniteVector(values, "values").values;
  if (v.length === 0) throw new ShapeError("mean of an empty array is undefined");
  const { value, exponent } = scaledSum(v);
  return timesPow2(value / v.length, exponent);
}

/** Variance by Welford's update (stable for data far from 0); ddof=0 is numpy's default, 1 the sample variance. */
export function variance(values: VectorLike, ddof = 0): number {
  const { value, exponent } = scaledVariance(values, ddof);
  return scaleBackOrThrow(value, 2 * exponent, "the variance of values", HINT);
}

/** The standard deviation (in range whenever the values are, but for ddof > 0 on values near ±1.8e308). */
export function std(values: VectorLike, ddof = 0): number {
  const { value, exponent } = scaledVariance(values, ddof);
  return scaleBackOrThrow(Math.sqrt(value), exponent, "the standard deviation of values", HINT);
}

export function columnMeans(x: MatrixLike): Float64Array {
  const { x: m, maxAbs } = checkFiniteData(x);
  // A mean is never more extreme than the values: only sums near float64's limit need rescaling.
  if (maxAbs <= 2 ** SAFE_BITS) return meansOfColumns(m);
  const scale = columnScales(m);
  return meansOfColumns(m, scale).map((v, j) => timesPow2(v, scale.exponents[j]));
}

/** Per column, the power of two that brings its magnitudes near 1 when they are extreme (else 0), as factor pairs. */
interface ColumnScales {
  exponents: Int32Array;
  /** x·first[j]·second[j] = x·2^-exponents[j], each factor inside float64's range. */
  first: Float64Array;
  second: Float64Array;
}

function columnScales(m: Matrix): ColumnScales {
  const max = new Float64Array(m.cols);
  for (let i = 0; i < m.rows; i++) {
    for (let j = 0; j < m.cols; j++) {
      const a = Math.abs(m.data[i * m.cols + j]);
      if (a > max[j]) max[j] = a;
    }
  }
  const exponents = Int32Array.from(max, (v) => rescaleExponent(v, SAFE_BITS));
  const pairs = Array.from(exponents, (e) => pow2Pair(-e));
  return { exponents, first: Float64Array.from(pairs, (p) => p[0]), second: Float64Array.from(pairs, (p) => p[1]) };
}

/**
 * Column means of an already validated matrix (no second pass to check it), of each column rescaled by `scale` when
 * given. With no rescaling it is the plain sum over rows divided by n.
 */
export function meansOfColumns(m: Matrix, scale?: ColumnScales): Float64Array {
  const out = new Float64Array(m.cols);
  if (scale) {
    const { first: a, second: b } = scale;
    for (let i = 0; i < m.rows; i++) for (let j = 0; j < m.cols; j++) out[j] += m.data[i * m.cols + j] * a[j] * b[j];
  } else for (let i = 0; i < m.rows; i++) for (let j = 0; j < m.cols; j++) out[j] += m.data[i * m.cols + j];
  for (let j = 0; j < m.cols; j++) out[j] /= m.rows;
  return out;
}

/** Per-column variance from centred sums (two passes), so offset data keeps its precision. */
export function columnVariances(x: MatrixLike, ddof = 0): Float64Array {
  const m = checkFiniteData(x).x;
  checkDdof(ddof, m.rows, "columnVariances", "rows");
  const scale = columnScales(m);
  return centredSquares(m, scale, ddof).map((v, j) => scaleBackOrThrow(v, 2 * scale.exponents[j], `the variance of column ${j}`, HINT));
}

/** The d×d covariance of the rows of X (numpy.cov(X, rowvar=False) with ddof=1 by default). */
export function covariance(x: MatrixLike, ddof = 1): Matrix {
  const m = checkFiniteData(x).x;
  checkDdof(ddof, m.rows, "covariance", "rows");
  const d = m.cols;
  const scale = columnScales(m);
  const { first: a, second: b, exponents: e } = scale;
  const mu = meansOfColumns(m, scale);
  const out = Matrix.zeros(d, d);
  const centred = new Float64Array(d);
  for (let i = 0; i < m.rows; i++) {
    for (let j = 0; j < d; j++) centred[j] = m.data[i * d + j] * a[j] * b[j] - mu[j];
    for (let p = 0; p < d; p++) for (let q = p; q < d; q++) out.data[p * d + q] += centred[p] * centred[q];
  }
  for (let p = 0; p < d; p++) {
    for (let q = p; q < d; q++) {
      const v = scaleBackOrThrow(out.data[p * d + q] / (m.rows - ddof), e[p] + e[q], `covariance[${p}][${q}]`, HINT);
      out.data[p * d + q] = v;
      out.data[q * d + p] = v;
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
 * Z-scores each column: (x − mean) / std with the population std (ddof 0), as Lab 3's `normalize`.
 * A constant column has std 0 and is left centred (not divided), instead of turning into NaN. Z-scores do not
 * depend on the data's scale, so values of any finite magnitude standardize.
 */
export function standardize(x: MatrixLike): Standardized {
  const m = checkFiniteData(x).x;
  const scale = columnScales(m);
  const { first: a, second: b, exponents: e } = scale;
  const mu = meansOfColumns(m, scale);
  const sd = centredSquares(m, scale, 0).map(Math.sqrt);
  const out = Matrix.zeros(m.rows, m.cols);
  for (let i = 0; i < m.rows; i++) {
    for (let j = 0; j < m.cols; j++) {
      const c = m.data[i * m.cols + j] * a[j] * b[j] - mu[j];
      out.data[i * m.cols + j] = sd[j] > 0 ? c / sd[j] : timesPow2(c, e[j]);
    }
  }
  return { X: out, mean: mu.map((v, j) => timesPow2(v, e[j])), std: sd.map((v, j) => timesPow2(v, e[j])) };
}

/** Σ (x − mean)² / (n − ddof) per column, each rescaled by `scale`. */
function centredSquares(m: Matrix, scale: ColumnScales, ddof: number): Float64Array {
  const { first: a, second: b } = scale;
  const mu = meansOfColumns(m, scale);
  const out = new Float64Array(m.cols);
  for (let i = 0; i < m.rows; i++) {
    for (let j = 0; j < m.cols; j++) {
      const d = m.data[i * m.cols + j] * a[j] * b[j] - mu[j];
      out[j] += d * d;
    }
  }
  for (let j = 0; j < m.cols; j++) out[j] /= m.rows - ddof;
  return out;
}

/** Σ v as value·2^exponent: the plain sum (exponent 0) unless a partial sum overflows, then the sum of v·2^-exponent. */
function scaledSum(v: Float64Array): { value: number; exponent: number } {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i];
  if (Number.isFinite(s)) return { value: s, exponent: 0 };
  // With every value below 2^1024 / 2^exponent and n ≤ 2^(exponent − 1) terms, no partial sum can overflow.
  const exponent = Math.ceil(Math.log2(v.length)) + 1;
  const f = pow2(-exponent);
  let t = 0;
  for (let i = 0; i < v.length; i++) t += v[i] * f;
  return { value: t, exponent };
}

/** Welford's variance of values·2^-exponent (exponent 0 unless their magnitudes are extreme). */
function scaledVariance(values: VectorLike, ddof: number): { value: number; exponent: number } {
  const { values: v, maxAbs } = checkFiniteVector(values, "values");
  checkDdof(ddof, v.length, "variance", "values");
  const exponent = rescaleExponent(maxAbs, SAFE_BITS);
  const [a, b] = pow2Pair(-exponent);
  let m = 0, m2 = 0;
  for (let i = 0; i < v.length; i++) {
    const x = v[i] * a * b;
    const delta = x - m;
    m += delta / (i + 1);
    m2 += delta * (x - m);
  }
  return { value: m2 / (v.length - ddof), exponent };
}

function checkDdof(ddof: number, count: number, what: string, of: string): void {
  checkPositiveInt(ddof, "ddof", 0);
  if (count - ddof <= 0) throw new InvalidArgumentError(`${what} needs more than ddof=${ddof} ${of}, got ${count}`);
}
