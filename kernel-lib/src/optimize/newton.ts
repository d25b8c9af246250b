import { InvalidArgumentError, NonFiniteError } from "../errors";
import { describe } from "../linalg/matrix";
import { checkFinite, checkFunction, checkNonNegative, checkOptions, checkPositiveInt } from "../validate";
import { derivative, ScalarFunction } from "./derivative";

export interface NewtonStep {
  iteration: number;
  x: number;
  fx: number;
  dfx: number;
  /** x − f(x)/f′(x). */
  next: number;
}

export interface NewtonResult {
  root: number;
  converged: boolean;
  iterations: number;
  trace: NewtonStep[];
}

/**
 * Newton–Raphson for f(x) = 0: x_{t+1} = x_t − f(x_t)/f′(x_t), stopping when the step or |f| falls below tol.
 * From x = 1 on x³ + 2x − 4 the first step gives 1.2 (HW6.2).
 */
export function newtonRaphson(
  f: ScalarFunction,
  x0: number,
  options: { df?: ScalarFunction; tol?: number; maxIter?: number } = {},
): NewtonResult {
  checkFunction(f, "f");
  checkOptions(options, ["df", "tol", "maxIter"], "newtonRaphson", "{ df: (x) => 3 * x ** 2 + 2 }");
  checkFinite(x0, "x0");
  const df = options.df === undefined ? (x: number) => derivative(f, x) : checkFunction(options.df, "options.df");
  const tol = checkNonNegative(options.tol ?? 1e-12, "tol");
  const maxIter = checkPositiveInt(options.maxIter ?? 50, "maxIter");
  const trace: NewtonStep[] = [];
  let x = x0;
  for (let i = 1; i <= maxIter; i++) {
    const fx = f(x), dfx = df(x);
    if (typeof fx !== "number" || typeof dfx !== "number") throw new InvalidArgumentError(`f and f′ must return numbers; at x=${x} they returned ${describe(fx)} and ${describe(dfx)}`);
    if (!Number.isFinite(fx) || !Number.isFinite(dfx)) throw new NonFiniteError(`f or f′ is not finite at x=${x} (iteration ${i})`);
    if (dfx === 0) throw new InvalidArgumentError(`f′(${x}) = 0 at iteration ${i}: the tangent is flat, so Newton's step is undefined. Start from another x0.`);
    const next = x - fx / dfx;
    trace.push({ iteration: i, x, fx, dfx, next });
    if (Math.abs(next - x) <= tol * Math.max(1, Math.abs(x)) || fx === 0) return { root: next, converged: true, iterations: i, trace };
    x = next;
  }
  return { root: x, converged: false, iterations: maxIter, trace };
}
