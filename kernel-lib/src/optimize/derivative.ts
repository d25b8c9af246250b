import { DataTypeError, InvalidArgumentError, NonFiniteError } from "../errors";
import { describe } from "../linalg/matrix";
import { checkFinite, checkFunction } from "../validate";

export type ScalarFunction = (x: number) => number;

export interface DerivativeEstimate {
  value: number;
  /** Estimated absolute error (from the Richardson table). */
  error: number;
}

/**
 * f′(x) or f″(x) by central differences refined with Richardson extrapolation (Ridders' method): the step
 * shrinks by 1.4 each round and the table entry with the smallest error estimate wins. Accurate to ~1e-10
 * for smooth functions without choosing h by hand.
 *
 * Near the edge of f's domain (log or √ at 0.05) the first trial step can leave it: the step is then halved until
 * f is finite at x ± h, and halved once more, so the table starts at most half-way to the edge, where the Taylor
 * series it extrapolates still converges.
 */
export function derivativeWithError(f: ScalarFunction, x: number, order: 1 | 2 = 1, initialStep?: number): DerivativeEstimate {
  checkFunction(f, "f");
  checkFinite(x, "x");
  if (order !== 1 && order !== 2) throw new InvalidArgumentError(`order must be 1 or 2, got ${describe(order)}`);
  if (initialStep !== undefined && !(typeof initialStep === "number" && initialStep > 0 && Number.isFinite(initialStep))) {
    throw new InvalidArgumentError(`initialStep must be a finite number > 0, got ${describe(initialStep)}`);
  }
  const shrink = 1.4, shrink2 = shrink * shrink, size = 10, safe = 2;
  const at = (point: number): number => {
    const v = f(point);
    if (typeof v !== "number") throw new DataTypeError(`f(${point}) returned ${describe(v)}; f must return a number`);
    return v;
  };
  const fx = order === 2 ? at(x) : 0;
  if (!Number.isFinite(fx)) throw new NonFiniteError(`f(${x}) is ${fx}: x=${x} is outside f's domain, so f has no second derivative there`);
  // Each difference also carries a bound on its rounding: f's values are good to a few ulps, and dividing by a
  // small step magnifies that; Richardson's combinations carry the bounds along, so the error estimate covers
  // rounding (which the table's spread alone misses where f is huge, as exp near 700).
  let rounding = 0;
  const difference = (step: number): number => {
    const lo = at(x - step), hi = at(x + step);
    if (!Number.isFinite(lo) || !Number.isFinite(hi)) return NaN;
    const ulps = 4 * Number.EPSILON;
    if (order === 1) {
      rounding = (ulps * (Math.abs(hi) + Math.abs(lo))) / (2 * step);
      return (hi - lo) / (2 * step);
    }
    rounding = (ulps * (Math.abs(hi) + 2 * Math.abs(fx) + Math.abs(lo))) / (step * step);
    return (hi - 2 * fx + lo) / (step * step);
  };
  let h = initialStep ?? (order === 1 ? 0.1 : 0.5) * Math.max(1, Math.abs(x));
  let first = difference(h);
  if (!Number.isFinite(first)) {
    // A trial point fell outside f's domain (or overflowed): halve until both sides are finite, then once more.
    const smallest = Math.max(Math.abs(x), 1) * 1e-9;
    while (!Number.isFinite(first) && h > smallest) first = difference((h /= 2));
    if (!Number.isFinite(first)) {
      throw new NonFiniteError(
        `f is not finite near x=${x} however small the step (at h = ${h.toPrecision(2)}: f(x − h) = ${at(x - h)}, f(x + h) = ${at(x + h)}); ` +
          `x must lie inside f's domain, not on its edge`,
      );
    }
    if (Number.isFinite(difference(h / 2))) h /= 2;
  }
  first = difference(h); // (again, for its rounding bound)
  const table: number[][] = [[first]];
  const noise: number[][] = [[rounding]];
  let best = first, error = Infinity, bestNoise = rounding;
  for (let i = 1; i < size; i++) {
    h /= shrink;
    const next = difference(h);
    // Smaller steps stay inside an interval domain; a function with a hole nearer than h keeps what it has.
    if (!Number.isFinite(next)) break;
    table[i] = [next];
    noise[i] = [rounding];
    let factor = shrink2;
    for (let j = 1; j <= i; j++) {
      table[i][j] = (table[i][j - 1] * factor - table[i - 1][j - 1]) / (factor - 1);
      noise[i][j] = (noise[i][j - 1] * factor + noise[i - 1][j - 1]) / (factor - 1);
      factor *= shrink2;
      const err = Math.max(Math.abs(table[i][j] - table[i][j - 1]), Math.abs(table[i][j] - table[i - 1][j - 1]));
      if (err <= error) {
        error = err;
        best = table[i][j];
        bestNoise = noise[i][j];
      }
    }
    if (Math.abs(table[i][i] - table[i - 1][i - 1]) >= safe * error) break;
  }
  if (!Number.isFinite(best) || !Number.isFinite(error)) {
    throw new NonFiniteError(`the differences of f near x=${x} do not settle (f may not be differentiable there, or overflows); check f near ${x}`);
  }
  return { value: best, error: Math.max(error, bestNoise) };
}

export function derivative(f: ScalarFunction, x: number, order: 1 | 2 = 1): number {
  return derivativeWithError(f, x, order).value;
}

/** The function x ↦ f′(x) (or f″ with order 2), evaluated numerically. */
export function derivativeFunction(f: ScalarFunction, order: 1 | 2 = 1): ScalarFunction {
  checkFunction(f, "f");
  return (x) => derivative(f, x, order);
}
