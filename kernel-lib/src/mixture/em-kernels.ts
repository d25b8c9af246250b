import { FloatArray } from "../linalg/matrix";
import { logSumExpOf } from "../stats/density";
import { Covariances, CovarianceType } from "./covariance";

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
 * E-step in log space: log r_ik = log π_k + log N(x_i | θ_k) − log Σ_j π_j N(x_i | θ_j), so distant points
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

/** Σ_i r_ik for each k (seed 001's soft counts). */
export function softCounts(resp: Float64Array, n: number, k: number): Float64Array {
  const counts = new Float64Array(k);
  for (let i = 0; i < n; i++) for (let c = 0; c < k; c++) counts[c] += resp[i * k + c];
  return counts;
}

/** μ_k = Σ_i r_ik x_i / N_k. */
export function weightedMeans(x: FloatArray, n: number, d: number, resp: Float64Array, k: number, counts: Float64Array): Float64Array {
  const means = new Float64Array(k * d);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < k; c++) {
      const r = resp[i * k + c];
      if (r === 0) continue;
      for (let j = 0; j < d; j++) means[c * d + j] += r * x[i * d + j];
    }
  }
  for (let c = 0; c < k; c++) for (let j = 0; j < d; j++) means[c * d + j] /= counts[c];
  return means;
}

/**
 * Covariances from centred, responsibility-weighted sums (more accurate than scikit-learn's E[x²] − μ² for diag),
 * with `reg` added to every variance.
 */
export function weightedCovariances(
  x: FloatArray, n: number, d: number, resp: Float64Array, k: number, counts: Float64Array, means: Float64Array,
  type: CovarianceType, reg: number,
): Covariances {
  const fullSums = type === "full" || type === "tied";
  const perComponent = new Float64Array(fullSums ? k * d * d : k * d);
  const diff = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < k; c++) {
      const r = resp[i * k + c];
      if (r === 0) continue;
      for (let j = 0; j < d; j++) diff[j] = x[i * d + j] - means[c * d + j];
      if (fullSums) {
        const base = c * d * d;
        for (let a = 0; a < d; a++) {
          const ra = r * diff[a];
          for (let b = a; b < d; b++) perComponent[base + a * d + b] += ra * diff[b];
        }
      } else {
        for (let j = 0; j < d; j++) perComponent[c * d + j] += r * diff[j] * diff[j];
      }
    }
  }
  switch (type) {
    case "full": {
      for (let c = 0; c < k; c++) symmetrise(perComponent, c * d * d, d, counts[c], reg);
      return new Covariances(type, k, d, perComponent);
    }
    case "tied": {
      const tied = new Float64Array(d * d);
      for (let c = 0; c < k; c++) for (let t = 0; t < d * d; t++) tied[t] += perComponent[c * d * d + t];
      symmetrise(tied, 0, d, counts.reduce((a, b) => a + b, 0), reg);
      return new Covariances(type, k, d, tied);
    }
    case "diag": {
      for (let c = 0; c < k; c++) for (let j = 0; j < d; j++) perComponent[c * d + j] = perComponent[c * d + j] / counts[c] + reg;
      return new Covariances(type, k, d, perComponent);
    }
    case "spherical": {
      const spherical = new Float64Array(k);
      for (let c = 0; c < k; c++) {
        let s = 0;
        for (let j = 0; j < d; j++) s += perComponent[c * d + j] / counts[c] + reg;
        spherical[c] = s / d;
      }
      return new Covariances(type, k, d, spherical);
    }
  }
}

/** Divides the upper triangle by `count`, mirrors it, and adds `reg` on the diagonal. */
function symmetrise(m: Float64Array, base: number, d: number, count: number, reg: number): void {
  for (let a = 0; a < d; a++) {
    for (let b = a; b < d; b++) {
      const v = m[base + a * d + b] / count;
      m[base + a * d + b] = v;
      m[base + b * d + a] = v;
    }
    m[base + a * d + a] += reg;
  }
}
