import { InvalidArgumentError, ShapeError } from "./errors";
import { assertFiniteMatrix, assertFiniteVector, Matrix, MatrixLike, toMatrix, toVector, VectorLike } from "./linalg/matrix";

/** The boundary check every estimator runs on its data: 2-D, non-empty, all finite. */
export function checkData(x: MatrixLike, name = "X"): Matrix {
  const m = toMatrix(x, name);
  if (m.rows === 0 || m.cols === 0) throw new ShapeError(`${name} is empty (${m.rows}×${m.cols}); it needs at least one row and one column`);
  assertFiniteMatrix(m, name);
  return m;
}

export function checkVector(v: VectorLike, name: string, length?: number): Float64Array {
  const out = toVector(v, name);
  if (length !== undefined && out.length !== length) {
    throw new ShapeError(`${name} has length ${out.length} but ${length} was expected`);
  }
  assertFiniteVector(out, name);
  return out;
}

/** Sample weights: one finite, non-negative value per row with a positive total. */
export function checkSampleWeights(w: VectorLike | undefined, n: number, name = "sampleWeight"): Float64Array {
  if (w === undefined) return new Float64Array(n).fill(1);
  const out = checkVector(w, name, n);
  for (let i = 0; i < n; i++) {
    if (out[i] < 0) throw new InvalidArgumentError(`${name}[${i}] is ${out[i]}; sample weights must be non-negative`);
  }
  if (out.reduce((a, b) => a + b, 0) <= 0) throw new InvalidArgumentError(`${name} sums to 0; at least one sample needs a positive weight`);
  return out;
}

export function checkPositiveInt(value: number, name: string, min = 1): number {
  if (!Number.isInteger(value) || value < min) {
    throw new InvalidArgumentError(`${name} must be an integer ≥ ${min}, got ${value}`);
  }
  return value;
}

export function checkClusterCount(k: number, n: number, name = "k"): number {
  checkPositiveInt(k, name);
  if (k > n) throw new InvalidArgumentError(`${name}=${k} is larger than the number of samples (${n}); choose ${name} ≤ ${n}`);
  return k;
}

export function checkNonNegative(value: number, name: string): number {
  if (!(Number.isFinite(value) && value >= 0)) throw new InvalidArgumentError(`${name} must be a finite number ≥ 0, got ${value}`);
  return value;
}

export function checkPositive(value: number, name: string): number {
  if (!(Number.isFinite(value) && value > 0)) throw new InvalidArgumentError(`${name} must be a finite number > 0, got ${value}`);
  return value;
}

export function checkOneOf<T extends string>(value: T, allowed: readonly T[], name: string): T {
  if (!allowed.includes(value)) {
    throw new InvalidArgumentError(`${name} must be one of ${allowed.map((a) => `"${a}"`).join(", ")}, got ${JSON.stringify(value)}`);
  }
  return value;
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
