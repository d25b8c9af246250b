import { InvalidArgumentError, ShapeError } from "../errors";
import { rescaleExponent, timesPow2 } from "../float-range";
import { leastSquares } from "../linalg/least-squares";
import { describe, Matrix, MatrixLike, VectorLike } from "../linalg/matrix";
import { gradientDescent, GradientDescentStep } from "../optimize/gradient-descent";
import { checkData, checkOptions, checkSampleWeightsRange, checkVector } from "../validate";

export interface LinearModel {
  intercept: number;
  coef: Float64Array;
}

/** Accepts a design matrix, or a single feature as a flat array. */
export type FeaturesLike = MatrixLike | VectorLike;

function toDesign(X: FeaturesLike): Matrix {
  // A flat list (of numbers, or of what should have been numbers) is one feature; rows are arrays.
  const first = (X as ArrayLike<unknown>)?.[0];
  const isFlat = !(X instanceof Matrix) && (X as ArrayLike<unknown>)?.length > 0 && (first === null || typeof first !== "object");
  return isFlat ? checkData(Matrix.column(checkVector(X as VectorLike, "X")), "X") : checkData(X as MatrixLike, "X");
}

function checkTargets(x: Matrix, y: VectorLike, w?: VectorLike) {
  const target = checkVector(y, "y");
  if (target.length !== x.rows) throw new ShapeError(`y has ${target.length} values but X has ${x.rows} rows`);
  return { target, weights: normalisedWeights(w, x.rows) };
}

/**
 * Weights rescaled by an even power of two so the largest is near 1: the fit does not depend on the weights' scale,
 * √w stays exact, and √w·x cannot overflow where x does not (weights of 1e300 made the design Infinity).
 */
function normalisedWeights(w: VectorLike | undefined, n: number): Float64Array {
  if (w === undefined) return new Float64Array(n).fill(1);
  const { values, maxAbs } = checkSampleWeightsRange(w, n, "weights");
  const e = rescaleExponent(maxAbs, 0);
  const even = 2 * Math.floor(e / 2);
  return even === 0 ? values : Float64Array.from(values, (v) => timesPow2(v, -even));
}

/**
 * Weighted least squares in closed form: minimises ½ Σ w_i (ŷ_i − y_i)² over intercept and coefficients, by
 * QR on √w-scaled rows (scikit-learn's LinearRegression with sample_weight gives the same fit).
 */
export function weightedLeastSquares(X: FeaturesLike, y: VectorLike, weights?: VectorLike, options: { fitIntercept?: boolean } = {}): LinearModel {
  checkOptions(options, ["fitIntercept"], "weightedLeastSquares", "{ fitIntercept: false }");
  const x = toDesign(X);
  const { target, weights: w } = checkTargets(x, y, weights);
  const fitIntercept = options.fitIntercept ?? true;
  if (typeof fitIntercept !== "boolean") throw new InvalidArgumentError(`fitIntercept must be true or false, got ${describe(fitIntercept)}`);
  const cols = x.cols + (fitIntercept ? 1 : 0);
  const design = Matrix.zeros(x.rows, cols);
  const rhs = new Float64Array(x.rows);
  for (let i = 0; i < x.rows; i++) {
    const s = Math.sqrt(w[i]);
    if (fitIntercept) design.data[i * cols] = s;
    for (let j = 0; j < x.cols; j++) design.data[i * cols + j + (fitIntercept ? 1 : 0)] = s * x.data[i * x.cols + j];
    rhs[i] = s * target[i];
  }
  const beta = leastSquares(design, rhs);
  return fitIntercept ? { intercept: beta[0], coef: beta.slice(1) } : { intercept: 0, coef: beta };
}

export interface WeightedGDResult extends LinearModel {
  converged: boolean;
  nIter: number;
  /** Per iteration: [intercept, ...coef] after the step, the weighted loss before it, and the step size. */
  trace: GradientDescentStep[];
}

/**
 * The same objective by batch gradient descent (HW6.5). The gradient Σ w_i (ŷ_i − y_i)(1, x_i) is divided by
 * Σ w_i, so the learning rate does not depend on n or on the weights' scale.
 */
export function weightedLinearRegressionGD(
  X: FeaturesLike,
  y: VectorLike,
  weights?: VectorLike,
  options: { learningRate?: number; maxIter?: number; tol?: number; initial?: VectorLike; onIteration?: (step: GradientDescentStep) => void } = {},
): WeightedGDResult {
  checkOptions(options, ["learningRate", "maxIter", "tol", "initial", "onIteration"], "weightedLinearRegressionGD", "{ learningRate: 0.5 }");
  const x = toDesign(X);
  const { target, weights: w } = checkTargets(x, y, weights);
  const n = x.rows, d = x.cols;
  if (options.initial !== undefined && options.initial?.length !== d + 1) {
    throw new ShapeError(`initial must hold ${d + 1} values ([intercept, ...coef] for ${d} feature${d === 1 ? "" : "s"}), got ${describe(options.initial)}`);
  }
  const totalWeight = w.reduce((a, b) => a + b, 0);
  // One pass gives loss and gradient; gradientDescent asks for the objective, then the gradient, at the same params.
  let cachedGradient = new Float64Array(d + 1);
  const result = gradientDescent({
    initial: options.initial ?? new Float64Array(d + 1),
    learningRate: options.learningRate ?? 0.5,
    maxIter: options.maxIter ?? 100_000,
    tol: options.tol ?? 1e-20,
    objective: (params) => {
      cachedGradient = new Float64Array(d + 1);
      const loss = lossAndGradient(x.data, target, w, n, d, params, cachedGradient);
      for (let j = 0; j <= d; j++) cachedGradient[j] /= totalWeight;
      return (0.5 * loss) / totalWeight;
    },
    gradient: () => cachedGradient,
    onIteration: options.onIteration,
  });
  return { intercept: result.params[0], coef: result.params.slice(1), converged: result.converged, nIter: result.nIter, trace: result.trace };
}

/**
 * Σ w_i r_i² (r_i = params·[1, x_i] − y_i), with Σ w_i r_i·[1, x_i] added into `grad` (zeros on entry), in one pass in
 * row order. A function of its arguments, not a closure over the fit's: V8 then keeps one steady loop for every fit
 * (as a closure, fits after the first ran about 1.5 times slower). One feature, the homework's case, sums in locals.
 */
function lossAndGradient(data: ArrayLike<number>, target: ArrayLike<number>, w: ArrayLike<number>, n: number, d: number, params: Float64Array, grad: Float64Array): number {
  let loss = 0;
  if (d === 1) {
    const b = params[0], a = params[1];
    let g0 = 0, g1 = 0;
    for (let i = 0; i < n; i++) {
      const xi = data[i];
      const r = b + a * xi - target[i];
      const wi = w[i];
      loss += wi * r * r;
      const g = wi * r;
      g0 += g;
      g1 += g * xi;
    }
    grad[0] = g0;
    grad[1] = g1;
    return loss;
  }
  for (let i = 0; i < n; i++) {
    let pred = params[0];
    for (let j = 0; j < d; j++) pred += params[j + 1] * data[i * d + j];
    const r = pred - target[i];
    loss += w[i] * r * r;
    const g = w[i] * r;
    grad[0] += g;
    for (let j = 0; j < d; j++) grad[j + 1] += g * data[i * d + j];
  }
  return loss;
}
