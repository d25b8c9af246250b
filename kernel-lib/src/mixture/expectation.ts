import { FloatArray } from "../linalg/matrix";
import { logSumExpOf } from "../stats/density";
import { Covariances } from "./covariance";

/** Mixture parameters in flat form: weights (k), means (k·d), covariances. */
export interface MixtureParameters {
  weights: Float64Array;
  means: Float64Array;
  covariances: Covariances;
}

export interface EStep {
  /** Responsibilities r_ik, n·k row-major. */
  resp: Float64Array;
  /** Σ_i log p(x_i): the data log-likelihood under the parameters the E-step used. */
  logLikelihood: number;
  /** log p(x_i) per sample. */
  sampleLogLikelihood: Float64Array;
}

/**
 * The E-step with every responsibility kept (n×k), for predictProba, scoreSamples and the Coursera EM assignment's step functions; a
 * fit's own E-step is the EM pass (em-pass.ts), which folds them into the M-step's statistics instead. In log space: log r_ik = log π_k + log N(x_i | θ_k) − log Σ_j π_j N(x_i | θ_j), so distant points
 * never underflow to 0/0.
 */
export function expectation(x: FloatArray, n: number, params: MixtureParameters): EStep {
  const k = params.weights.length;
  const logProb = new Float64Array(n * k);
  params.covariances.logDensities(x, n, params.means, logProb);
  const logWeights = Float64Array.from(params.weights, Math.log);
  const sampleLogLikelihood = new Float64Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < k; c++) logProb[i * k + c] += logWeights[c];
    const norm = logSumExpOf(logProb, i * k, (i + 1) * k);
    sampleLogLikelihood[i] = norm;
    total += norm;
    for (let c = 0; c < k; c++) logProb[i * k + c] = Math.exp(logProb[i * k + c] - norm);
  }
  return { resp: logProb, logLikelihood: total, sampleLogLikelihood };
}
