import { DataTypeError, InvalidArgumentError, NotFittedError, ShapeError } from "./errors";
import { assertFiniteMatrix, assertFiniteVector, describe, Matrix, MatrixLike, toMatrix, toVector, VectorLike } from "./linalg/matrix";

/** The error every estimator gives when used before `fit`, with one message (scikit-learn's check_is_fitted). */
export function notFitted(estimator: string): NotFittedError {
  return new NotFittedError(`This ${estimator} is not fitted yet; call fit(X) first`);
}

/** Validated data and its largest magnitude (what decides whether a computation must rescale to stay finite). */
export interface CheckedData {
  x: Matrix;
  maxAbs: number;
}

/** The boundary check every estimator runs on its data: 2-D, numeric, non-empty, all finite; one pass over the values. */
export function checkFiniteData(x: MatrixLike, name = "X"): CheckedData {
  const m = checkShape(x, name);
  return { x: m, maxAbs: assertFiniteMatrix(m, name) };
}

/**
 * The first half of checkFiniteData, for a fit that checks the values in the same pass that copies them in
 * (KMeans: parallel/data-in.ts): 2-D, numeric and non-empty.
 */
export function checkShape(x: MatrixLike, name = "X"): Matrix {
  const m = toMatrix(x, name);
  if (m.rows === 0 || m.cols === 0) throw new ShapeError(`${name} is empty (${m.rows}×${m.cols}); it needs at least one row and one column`);
  return m;
}

/**
 * Argument checks that come after the check of X's values, for a fit that checks the values in the pass that copies
 * them in: when one of them fails, X's values are checked first, so a NaN in X is still the error reported before,
 * say, k > n (on that error path only).
 */
export function afterValues<T>(x: Matrix, checks: () => T, name = "X"): T {
  try {
    return checks();
  } catch (e) {
    assertFiniteMatrix(x, name);
    throw e;
  }
}

/** checkFiniteData without the magnitude. */
export function checkData(x: MatrixLike, name = "X"): Matrix {
  return checkFiniteData(x, name).x;
}

export function checkVector(v: VectorLike, name: string, length?: number): Float64Array {
  return checkFiniteVector(v, name, length).values;
}

/** A finite numeric vector (of `length` when given) and its largest magnitude. */
export function checkFiniteVector(v: VectorLike, name: string, length?: number): { values: Float64Array; maxAbs: number } {
  const out = toVector(v, name);
  if (length !== undefined && out.length !== length) {
    throw new ShapeError(`${name} has length ${out.length} but ${length} was expected`);
  }
  return { values: out, maxAbs: assertFiniteVector(out, name) };
}

/** Sample weights: one finite, non-negative value per row, at least one of them positive. */
export function checkSampleWeights(w: VectorLike | undefined, n: number, name = "sampleWeight"): Float64Array {
  if (w === undefined) return new Float64Array(n).fill(1);
  return checkSampleWeightsRange(w, n, name).values;
}

/** checkSampleWeights, with the largest weight (for rescaling). */
export function checkSampleWeightsRange(w: VectorLike, n: number, name = "sampleWeight"): { values: Float64Array; maxAbs: number } {
  const checked = checkFiniteVector(w, name, n);
  const out = checked.values;
  for (let i = 0; i < n; i++) {
    if (out[i] < 0) throw new InvalidArgumentError(`${name}[${i}] is ${out[i]}; sample weights must be non-negative`);
  }
  if (checked.maxAbs === 0) throw new InvalidArgumentError(`${name} sums to 0; at least one sample needs a positive weight`);
  return checked;
}

export function checkPositiveInt(value: number, name: string, min = 1): number {
  if (!Number.isInteger(value) || value < min) {
    throw new InvalidArgumentError(`${name} must be an integer ≥ ${min}, got ${describe(value)}`);
  }
  return value;
}

export function checkClusterCount(k: number, n: number, name = "k"): number {
  checkPositiveInt(k, name);
  if (k > n) throw new InvalidArgumentError(`${name}=${k} is larger than the number of samples (${n}); choose ${name} ≤ ${n}`);
  return k;
}

export function checkNonNegative(value: number, name: string): number {
  if (!(typeof value === "number" && Number.isFinite(value) && value >= 0)) throw new InvalidArgumentError(`${name} must be a finite number ≥ 0, got ${describe(value)}`);
  return value;
}

export function checkPositive(value: number, name: string): number {
  if (!(typeof value === "number" && Number.isFinite(value) && value > 0)) throw new InvalidArgumentError(`${name} must be a finite number > 0, got ${describe(value)}`);
  return value;
}

/** A finite number (any sign). */
export function checkFinite(value: number, name: string): number {
  if (typeof value !== "number") throw new DataTypeError(`${name} must be a number, got ${describe(value)}`);
  if (!Number.isFinite(value)) throw new InvalidArgumentError(`${name} must be finite, got ${value}`);
  return value;
}

export function checkOneOf<T extends string>(value: T, allowed: readonly T[], name: string): T {
  if (!allowed.includes(value)) {
    throw new InvalidArgumentError(`${name} must be one of ${allowed.map((a) => `"${a}"`).join(", ")}, got ${JSON.stringify(value) ?? describe(value)}`);
  }
  return value;
}

/** A function argument (a callback such as onIteration, or the f of an optimiser). */
export function checkFunction<F>(value: F, name: string): F {
  if (typeof value !== "function") throw new DataTypeError(`${name} must be a function, got ${describe(value)}`);
  return value;
}

/** The options object of an estimator: an object, whose keys are all known (a misspelt option is an error, not ignored). */
export function checkOptions<T extends object>(options: T | undefined, allowed: readonly string[], what: string, example: string): T {
  if (options === null || typeof options !== "object" || Array.isArray(options)) {
    throw new InvalidArgumentError(`${what} needs an options object, e.g. ${example}; got ${describe(options)}`);
  }
  for (const key of Object.keys(options)) {
    if (!allowed.includes(key)) {
      throw new InvalidArgumentError(`${what} has no option "${key}"; its options are ${allowed.join(", ")}`);
    }
  }
  return options;
}

/** A probability vector: non-negative, finite, summing to 1 within `tol`. */
export function checkProbabilities(p: VectorLike, name: string, tol = 1e-8): Float64Array {
  const out = checkVector(p, name);
  let sum = 0;
  for (let i = 0; i < out.length; i++) {
    if (out[i] < 0) throw new InvalidArgumentError(`${name}[${i}] is ${out[i]}; probabilities must be ≥ 0`);
    sum += out[i];
  }
  if (Math.abs(sum - 1) > tol) throw new InvalidArgumentError(`${name} sums to ${sum}; probabilities must sum to 1`);
  return out;
}
