import { DataTypeError, NonFiniteError, ShapeError } from "../errors";
import { checkFunction, checkNonNegative, checkOptions, checkPositive, checkPositiveInt, checkVector } from "../validate";
import { describe, VectorLike } from "../linalg/matrix";
import { reportProgress } from "../progress";

export interface GradientDescentStep {
  iteration: number;
  /** Parameters after this step. */
  params: number[];
  /** Objective at the parameters before this step, when an objective was given. */
  objective?: number;
  gradientNorm: number;
  /** Σ(Δparams)²: HW6's stopping quantity. */
  squaredChange: number;
}

export interface GradientDescentResult {
  params: Float64Array;
  converged: boolean;
  nIter: number;
  trace: GradientDescentStep[];
}

export interface GradientDescentOptions {
  gradient: (params: Float64Array) => ArrayLike<number>;
  objective?: (params: Float64Array) => number;
  initial: VectorLike;
  learningRate?: number;
  maxIter?: number;
  /** Stop when Σ(Δparams)² < tol (the homework's rule). Default 1e-12. */
  tol?: number;
  onIteration?: (step: GradientDescentStep) => void;
}

/** Batch gradient descent: params ← params − η·∇f(params), with a trace of every step. */
export function gradientDescent(options: GradientDescentOptions): GradientDescentResult {
  checkOptions(options, ["gradient", "objective", "initial", "learningRate", "maxIter", "tol", "onIteration"], "gradientDescent", "{ gradient: (p) => [2 * p[0]], initial: [1] }");
  checkFunction(options.gradient, "options.gradient");
  if (options.objective !== undefined) checkFunction(options.objective, "options.objective");
  if (options.onIteration !== undefined) checkFunction(options.onIteration, "options.onIteration");
  const params = Float64Array.from(checkVector(options.initial, "initial"));
  const eta = checkPositive(options.learningRate ?? 0.1, "learningRate");
  const maxIter = checkPositiveInt(options.maxIter ?? 10_000, "maxIter");
  const tol = checkNonNegative(options.tol ?? 1e-12, "tol");
  const trace: GradientDescentStep[] = [];
  for (let it = 1; it <= maxIter; it++) {
    const objective = options.objective?.(params);
    if (objective !== undefined && typeof objective !== "number") throw new DataTypeError(`objective must return a number, got ${describe(objective)}`);
    const grad = options.gradient(params);
    if (grad == null || typeof grad.length !== "number") throw new DataTypeError(`gradient must return an array of ${params.length} numbers, got ${describe(grad)}`);
    if (grad.length !== params.length) throw new ShapeError(`gradient returned ${grad.length} values for ${params.length} parameters`);
    let norm = 0, change = 0;
    for (let j = 0; j < params.length; j++) {
      if (typeof grad[j] !== "number") throw new DataTypeError(`gradient returned ${describe(grad[j])} at index ${j}; it must return numbers`);
      if (!Number.isFinite(grad[j])) throw new NonFiniteError(`the gradient is ${grad[j]} at iteration ${it}; lower the learning rate (${eta}) or check the data`);
      norm += grad[j] * grad[j];
      const step = eta * grad[j];
      params[j] -= step;
      change += step * step;
    }
    if (!(change < Infinity)) throw new NonFiniteError(`the parameters diverged at iteration ${it}; lower the learning rate (${eta})`);
    const record: GradientDescentStep = { iteration: it, params: Array.from(params), gradientNorm: Math.sqrt(norm), squaredChange: change };
    if (objective !== undefined) record.objective = objective;
    trace.push(record);
    options.onIteration?.(record);
    reportProgress(trace, "gradient descent", it, objective ?? record.gradientNorm, objective === undefined ? "gradient norm" : "objective");
    if (change < tol) return { params, converged: true, nIter: it, trace };
  }
  return { params, converged: false, nIter: maxIter, trace };
}
