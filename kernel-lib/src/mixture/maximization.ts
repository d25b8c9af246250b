import { FloatArray } from "../linalg/matrix";
import { Covariances, CovarianceType } from "./covariance";
import { MixtureParameters } from "./expectation";

/**
 * The M-step's sufficient statistics, taken around `centre` (k×d, per component): N_k = Σ_i r_ik,
 * S1_k = Σ_i r_ik (x_i − c_k) and S2_k = Σ_i r_ik (x_i − c_k)(x_i − c_k)ᵀ, kept as upper triangles of d×d (k·d·d
 * values) when `full`, else as diagonals (k·d). Statistics around a point near the means keep the covariances as
 * accurate as the two-pass (centred) form.
 */
export interface MixtureStatistics {
  k: number;
  d: number;
  full: boolean;
  centre: Float64Array;
  counts: Float64Array;
  s1: Float64Array;
  s2: Float64Array;
}

/** Whether a covariance type needs the full S2 (full, tied) or only its diagonal (diag, spherical). */
export function needsFullSums(type: CovarianceType): boolean {
  return type === "full" || type === "tied";
}

/**
 * The statistics of n rows of x under responsibilities `resp` (n×k), around `centre`, or, when none is given, around
 * each component's own weighted mean (so S1 is 0: the exact two-pass form).
 */
export function statisticsOf(x: FloatArray, n: number, d: number, resp: Float64Array, k: number, full: boolean, centre?: Float64Array): MixtureStatistics {
  const counts = softCounts(resp, n, k);
  // A component with no responsibility has no mean of its own: its (zero) sums are taken around 0.
  const around = centre ?? weightedMeans(x, n, d, resp, k, counts.map((v) => (v > 0 ? v : 1)));
  const s1 = new Float64Array(k * d), s2 = new Float64Array(full ? k * d * d : k * d);
  const diff = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < k; c++) {
      const r = resp[i * k + c];
      if (r === 0) continue;
      for (let j = 0; j < d; j++) diff[j] = x[i * d + j] - around[c * d + j];
      for (let a = 0; a < d; a++) {
        const ra = r * diff[a];
        if (centre) s1[c * d + a] += ra;
        if (full) for (let b = a; b < d; b++) s2[c * d * d + a * d + b] += ra * diff[b];
        else s2[c * d + a] += ra * diff[a];
      }
    }
  }
  return { k, d, full, centre: around, counts, s1, s2 };
}

/**
 * The M-step, the one every fit and every start takes (scikit-learn's `_estimate_gaussian_parameters`): weights,
 * means and covariances of the given type from the statistics, with `regCovar` added to every variance. scikit-learn's
 * 10·eps on every count keeps an emptied component from dividing by zero.
 */
export function maximize(stats: MixtureStatistics, type: CovarianceType, regCovar: number): MixtureParameters {
  const { d } = stats;
  const counts = stats.counts.map((v) => v + 10 * Number.EPSILON);
  const total = counts.reduce((a, b) => a + b, 0);
  // x − μ_new = (x − c) − δ, with δ = S1 / N the means' move from the centre.
  const delta = Float64Array.from(stats.s1, (v, i) => v / counts[Math.floor(i / d)]);
  const means = Float64Array.from(stats.centre, (v, i) => v + delta[i]);
  return { weights: counts.map((v) => v / total), means, covariances: covariancesOf(stats, counts, delta, type, regCovar) };
}

/**
 * Covariances of the given type from the statistics, around centre + δ, over `counts`:
 * Σ r (x − μ)(x − μ)ᵀ = S2 − S1δᵀ − δS1ᵀ + N δδᵀ. A variance is a sum of squares, so a negative one is the
 * cancellation of statistics taken far from the means (a component that collapsed far from where it started) and
 * counts as 0 before `reg` is added.
 */
function covariancesOf(stats: MixtureStatistics, counts: Float64Array, delta: Float64Array, type: CovarianceType, reg: number): Covariances {
  const { k, d, s1, s2, full } = stats;
  const raw = stats.counts;
  const spread = (c: number, a: number, b: number) => {
    const sa = s1[c * d + a], sb = s1[c * d + b], da = delta[c * d + a], db = delta[c * d + b];
    const sum = full ? s2[c * d * d + a * d + b] : s2[c * d + a];
    return sum - sa * db - da * sb + raw[c] * da * db;
  };
  switch (type) {
    case "full":
    case "tied": {
      const tied = type === "tied";
      const values = new Float64Array(tied ? d * d : k * d * d);
      for (let c = 0; c < k; c++) {
        const base = tied ? 0 : c * d * d;
        for (let a = 0; a < d; a++) {
          for (let b = a; b < d; b++) {
            const v = tied ? values[base + a * d + b] + spread(c, a, b) : spread(c, a, b) / counts[c];
            values[base + a * d + b] = v;
            values[base + b * d + a] = v;
          }
        }
      }
      const divisor = tied ? counts.reduce((x, y) => x + y, 0) : 1;
      for (let base = 0; base < values.length; base += d * d) {
        for (let a = 0; a < d; a++) {
          for (let b = a; b < d; b++) {
            const v = values[base + a * d + b] / divisor;
            values[base + a * d + b] = values[base + b * d + a] = a === b ? Math.max(v, 0) + reg : v;
          }
        }
      }
      return new Covariances(type, k, d, values);
    }
    case "diag":
    case "spherical": {
      const variances = new Float64Array(k * d);
      for (let c = 0; c < k; c++) for (let j = 0; j < d; j++) variances[c * d + j] = Math.max(spread(c, j, j) / counts[c], 0) + reg;
      if (type === "diag") return new Covariances(type, k, d, variances);
      const spherical = new Float64Array(k);
      for (let c = 0; c < k; c++) {
        let s = 0;
        for (let j = 0; j < d; j++) s += variances[c * d + j];
        spherical[c] = s / d;
      }
      return new Covariances(type, k, d, spherical);
    }
  }
}

/** Σ_i r_ik for each k (the Coursera EM assignment's soft counts). */
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
 * Covariances around the given means over the given counts (the Coursera EM assignment's step, for any covariance type), with `reg`
 * added to every variance: the M-step's covariances with the means held where they are.
 */
export function weightedCovariances(
  x: FloatArray, n: number, d: number, resp: Float64Array, k: number, counts: Float64Array, means: Float64Array,
  type: CovarianceType, reg: number,
): Covariances {
  const stats = statisticsOf(x, n, d, resp, k, needsFullSums(type), means);
  return covariancesOf(stats, counts, new Float64Array(k * d), type, reg);
}
