/**
 * A Gaussian mixture on finite data can still leave float64's range: covariances of values beyond ~1e154 overflow,
 * and a row far (in Mahalanobis terms) from every component has a log-density below −1.8e308. Both are reported
 * with the data's own magnitude and the fix, never passed on as NaN or ±Infinity.
 */
import { NumericRangeError } from "../errors";
import { describeScaled } from "../float-range";
import { MixtureParameters } from "./expectation";

const RESCALE = "divide X by a constant first (e.g. X·1e-100): the means scale by it, the covariances by its square";

/** Throws unless every weight, mean and covariance value is finite. O(k·d²): cheap next to an E-step. */
export function checkParametersInRange(params: MixtureParameters, dataMaxAbs: number, when: string): void {
  const k = params.weights.length, d = params.means.length / k;
  for (let i = 0; i < params.means.length; i++) {
    if (!Number.isFinite(params.means[i])) {
      throw new NumericRangeError(`computing the mean of component ${Math.floor(i / d)} overflows float64 ${when}: its sums over X, whose values reach ${describeScaled(dataMaxAbs, 0)}, exceed ±1.8e+308; ${RESCALE}`);
    }
  }
  const values = params.covariances.values;
  const per = values.length / k; // values per component (tied: one matrix, reported as such below)
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) {
      const which = params.covariances.type === "tied" ? "the tied covariance" : `the covariance of component ${Math.floor(i / per)}`;
      throw new NumericRangeError(
        `${which} overflows float64 ${when}: X's values reach ${describeScaled(dataMaxAbs, 0)}, and squared deviations that large exceed ±1.8e+308; ${RESCALE}`,
      );
    }
  }
}

/** Throws unless Σ log p(x_i) is finite (NaN arises from a row whose log-density is −∞ under every component). */
export function checkLogLikelihoodInRange(total: number, dataMaxAbs: number, when: string): void {
  if (Number.isFinite(total)) return;
  throw new NumericRangeError(
    `the log-likelihood ${when} is ${total}: some row of X is so far from every component (a squared Mahalanobis distance beyond ` +
      `float64's range) that its log-density falls below −1.8e+308. X's values reach ${describeScaled(dataMaxAbs, 0)}; ` +
      `rescale X (e.g. standardize it), raise regCovar, or start from parameters that cover every row`,
  );
}
