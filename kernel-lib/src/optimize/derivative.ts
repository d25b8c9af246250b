import { InvalidArgumentError, NonFiniteError } from "../errors";

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
 */
export function derivativeWithError(f: ScalarFunction, x: number, order: 1 | 2 = 1, initialStep?: number): DerivativeEstimate {
  if (typeof f !== "function") throw new InvalidArgumentError("f must be a function of one number");
  if (!Number.isFinite(x)) throw new NonFiniteError(`x must be finite, got ${x}`);
  if (order !== 1 && order !== 2) throw new InvalidArgumentError(`order must be 1 or 2, got ${order}`);
  const shrink = 1.4, shrink2 = shrink * shrink, size = 10, safe = 2;
  let h = initialStep ?? (order === 1 ? 0.1 : 0.5) * Math.max(1, Math.abs(x));
  const difference = (step: number) => {
    const value = order === 1 ? (f(x + step) - f(x - step)) / (2 * step) : (f(x + step) - 2 * f(x) + f(x - step)) / (step * step);
    if (!Number.isFinite(value)) throw new NonFiniteError(`f is not finite near x=${x} (a difference gave ${value}); is x inside f's domain?`);
    return value;
  };
  const table: number[][] = [[difference(h)]];
  let best = table[0][0], error = Infinity;
  for (let i = 1; i < size; i++) {
    h /= shrink;
    table[i] = [difference(h)];
    let factor = shrink2;
    for (let j = 1; j <= i; j++) {
      table[i][j] = (table[i][j - 1] * factor - table[i - 1][j - 1]) / (factor - 1);
      factor *= shrink2;
      const err = Math.max(Math.abs(table[i][j] - table[i][j - 1]), Math.abs(table[i][j] - table[i - 1][j - 1]));
      if (err <= error) {
        error = err;
        best = table[i][j];
      }
    }
    if (Math.abs(table[i][i] - table[i - 1][i - 1]) >= safe * error) break;
  }
  return { value: best, error };
}

export function derivative(f: ScalarFunction, x: number, order: 1 | 2 = 1): number {
  return derivativeWithError(f, x, order).value;
}

/** The function x ↦ f′(x) (or f″ with order 2), evaluated numerically. */
export function derivativeFunction(f: ScalarFunction, order: 1 | 2 = 1): ScalarFunction {
  return (x) => derivative(f, x, order);
}
