/**
 * The w261 HW6 homework's EM for a Gaussian mixture as a MapReduce job: each mapper holds the current parameters,
 * accumulates per-mapper partial sums of the responsibilities (soft counts, Σ r x, Σ r x xᵀ and the log-likelihood)
 * over its lines ("x1,x2,…") and emits them once; a combiner and one reducer add them. `gmmMStep` turns the totals
 * into the next parameters (the driver's M-step).
 */
import { logSumExp, multivariateNormalLogPdf } from "../../stats/density";
import { MapReduceError } from "../errors";
import { defineJob } from "../job";

export interface GmmParams {
  weights: number[];
  means: number[][];
  covariances: number[][][];
}

/** Sums over the data: soft counts, Σ r x, Σ r x xᵀ per component, Σ log p(x), and n. */
export interface GmmStats {
  counts: number[];
  sums: number[][];
  outer: number[][][];
  logLikelihood: number;
  n: number;
}

function zeroStats(k: number, d: number): GmmStats {
  return {
    counts: Array(k).fill(0),
    sums: Array.from({ length: k }, () => Array(d).fill(0)),
    outer: Array.from({ length: k }, () => Array.from({ length: d }, () => Array(d).fill(0))),
    logLikelihood: 0,
    n: 0,
  };
}

function addStats(values: unknown[]): GmmStats {
  const all = values as GmmStats[];
  const k = all[0].counts.length, d = all[0].sums[0].length;
  const total = zeroStats(k, d);
  for (const s of all) {
    total.logLikelihood += s.logLikelihood;
    total.n += s.n;
    for (let c = 0; c < k; c++) {
      total.counts[c] += s.counts[c];
      for (let a = 0; a < d; a++) {
        total.sums[c][a] += s.sums[c][a];
        for (let b = 0; b < d; b++) total.outer[c][a][b] += s.outer[c][a][b];
      }
    }
  }
  return total;
}

export default defineJob<GmmParams>({
  name: "gmm-em-statistics",
  steps: (params) => {
    const k = params?.weights?.length, d = params?.means?.[0]?.length;
    if (!k || !d || params.means.length !== k || params.covariances?.length !== k) {
      throw new MapReduceError(`the gmm-em job needs params { weights, means, covariances } for the same number of components, got ${JSON.stringify(params)?.slice(0, 200)}`);
    }
    const stats = zeroStats(k, d);
    const logWeights = params.weights.map(Math.log);
    const logp = new Float64Array(k);
    return [
      {
        mapper(_key, line) {
          const x = String(line).split(",").map(Number);
          if (x.length !== d || !x.every(Number.isFinite)) throw new Error(`expected ${d} comma-separated finite numbers`);
          for (let c = 0; c < k; c++) logp[c] = logWeights[c] + multivariateNormalLogPdf(x, params.means[c], params.covariances[c]);
          const norm = logSumExp(logp);
          stats.logLikelihood += norm;
          stats.n += 1;
          for (let c = 0; c < k; c++) {
            const r = Math.exp(logp[c] - norm);
            stats.counts[c] += r;
            for (let a = 0; a < d; a++) {
              stats.sums[c][a] += r * x[a];
              for (let b = 0; b < d; b++) stats.outer[c][a][b] += r * x[a] * x[b];
            }
          }
        },
        mapperFinal: () => [[null, stats]],
        combiner: (key, values) => [[key, addStats(values)]],
        reducer: (_key, values) => [["stats", addStats(values)]],
      },
    ];
  },
});

/** The M-step from the job's totals: π_k = N_k / n, μ_k = Σ r x / N_k, Σ_k = Σ r x xᵀ / N_k − μ_k μ_kᵀ. */
export function gmmMStep(stats: GmmStats): GmmParams {
  const total = stats.counts.reduce((a, b) => a + b, 0);
  const means = stats.sums.map((s, c) => s.map((v) => v / stats.counts[c]));
  const covariances = stats.outer.map((o, c) => o.map((row, a) => row.map((v, b) => v / stats.counts[c] - means[c][a] * means[c][b])));
  return { weights: stats.counts.map((n) => n / total), means, covariances };
}
