import { NotPositiveDefiniteError } from "../errors";
import { cholesky, forwardSubstitute } from "../linalg/cholesky";
import { Matrix } from "../linalg/matrix";
import { gmmScratchBytes, Job, RESULT_STRIDE, RESULTS_BYTE } from "../parallel/jobs";
import { partsFor, runParallel } from "../parallel/pool";
import { sharedMemory } from "../parallel/shared-memory";
import { Covariances, singular } from "./covariance";
import { MixtureParameters } from "./em-kernels";

const LOG_2PI = Math.log(2 * Math.PI);

export type FusedCovarianceType = "full" | "diag";

/**
 * EM for full or diagonal covariances as one pass per iteration: the data sits in the shared memory once, every
 * thread runs the fused E+M pass (jobs.ts `gmmPass`) over its rows, and the calling thread reduces the partial
 * statistics into the next parameters. Same iterates as expectation() followed by the M-step, without the n×k
 * responsibility matrix. Call `release()` when the fit ends.
 */
export class FusedEM {
  private readonly mark: number;
  private readonly ptr: { x: number; means: number; factors: number; logConst: number; stats: number; scratch: number };
  private readonly parts: number;
  private readonly statsLength: number;

  constructor(x: Matrix, readonly k: number, readonly type: FusedCovarianceType) {
    const n = x.rows, d = x.cols;
    const { arena } = sharedMemory();
    this.mark = arena.mark();
    this.parts = partsFor(n * k * (d * d + 8)); // rows × components × (d² + a few)
    this.statsLength = k + k * d + (type === "full" ? k * d * d : k * d);
    this.ptr = {
      x: arena.alloc(n * d * 8, { zero: false }),
      means: arena.alloc(k * d * 8),
      factors: arena.alloc((type === "full" ? k * d * d : k * d) * 8),
      logConst: arena.alloc(k * 8),
      stats: arena.alloc(this.parts * this.statsLength * 8),
      scratch: arena.alloc(this.parts * gmmScratchBytes(k)),
    };
    arena.f64(this.ptr.x, n * d).set(x.data);
    this.n = n;
    this.d = d;
  }

  readonly n: number;
  readonly d: number;

  /** One EM iteration from `params`: Σ log p(x_i) under them, and the parameters the M-step makes of it. */
  step(params: MixtureParameters, regCovar: number): { logLikelihood: number; next: MixtureParameters } {
    const { n, d, k, type } = this;
    const { arena, memory } = sharedMemory();
    arena.f64(this.ptr.means, k * d).set(params.means);
    this.writeFactors(params, arena.f64(this.ptr.factors, type === "full" ? k * d * d : k * d), arena.f64(this.ptr.logConst, k));
    const p = this.ptr;
    runParallel(type === "full" ? Job.GmmFull : Job.GmmDiag, [p.x, d, n, k, p.means, p.factors, p.logConst, p.stats, p.scratch], this.parts);
    let logLikelihood = 0;
    const stats = new Float64Array(this.statsLength);
    for (let part = 0; part < this.parts; part++) {
      logLikelihood += new Float64Array(memory.buffer, RESULTS_BYTE + part * RESULT_STRIDE, 1)[0];
      const partial = arena.f64(p.stats + part * this.statsLength * 8, this.statsLength);
      for (let i = 0; i < stats.length; i++) stats[i] += partial[i];
    }
    return { logLikelihood, next: this.maximize(params.means, stats, regCovar) };
  }

  release(): void {
    sharedMemory().arena.release(this.mark);
  }

  /** Inverse Cholesky factors (full) or 1/σ (diag), and log π_k − ½(d log 2π + log|Σ_k|). */
  private writeFactors(params: MixtureParameters, factors: Float64Array, logConst: Float64Array): void {
    const { d, k, type } = this;
    const cov = params.covariances;
    for (let c = 0; c < k; c++) {
      let logDet = 0;
      if (type === "full") {
        let L: Float64Array;
        try {
          L = cholesky(cov.component(c), { name: `covariance of component ${c}` }).L.data as Float64Array;
        } catch (e) {
          if (e instanceof NotPositiveDefiniteError) throw singular(c, type);
          throw e;
        }
        const column = new Float64Array(d);
        for (let j = 0; j < d; j++) {
          logDet += 2 * Math.log(L[j * d + j]);
          column.fill(0);
          column[j] = 1;
          forwardSubstitute(L, d, column); // column j of L⁻¹
          for (let r = 0; r < d; r++) factors[c * d * d + r * d + j] = column[r];
        }
      } else {
        for (let j = 0; j < d; j++) {
          const variance = cov.values[c * d + j];
          if (!(variance > 0)) throw singular(c, type);
          logDet += Math.log(variance);
          factors[c * d + j] = 1 / Math.sqrt(variance);
        }
      }
      logConst[c] = Math.log(params.weights[c]) - 0.5 * (d * LOG_2PI + logDet);
    }
  }

  /** The M-step from the shifted sums: N_k, μ_k = μ_old + S1/N_k, Σ_k = Σ r(x−μ_k)(x−μ_k)ᵀ / N_k + reg·I. */
  private maximize(oldMeans: Float64Array, stats: Float64Array, regCovar: number): MixtureParameters {
    const { d, k, type } = this;
    const s1 = k, s2 = k + k * d;
    // scikit-learn's 10·eps keeps an emptied component from dividing by zero.
    const counts = Float64Array.from({ length: k }, (_, c) => stats[c] + 10 * Number.EPSILON);
    const total = counts.reduce((a, b) => a + b, 0);
    const means = new Float64Array(k * d);
    const values = new Float64Array(type === "full" ? k * d * d : k * d);
    const delta = new Float64Array(d);
    for (let c = 0; c < k; c++) {
      const raw = stats[c], nk = counts[c];
      for (let j = 0; j < d; j++) {
        delta[j] = stats[s1 + c * d + j] / nk;
        means[c * d + j] = oldMeans[c * d + j] + delta[j];
      }
      // Σ r (x − μ_new)(x − μ_new)ᵀ = S2 − S1 δᵀ − δ S1ᵀ + N δδᵀ, with x − μ_new = (x − μ_old) − δ.
      if (type === "full") {
        const base = s2 + c * d * d;
        for (let a = 0; a < d; a++) {
          for (let b = a; b < d; b++) {
            const sa = stats[s1 + c * d + a], sb = stats[s1 + c * d + b];
            const spread = (stats[base + a * d + b] - sa * delta[b] - delta[a] * sb + raw * delta[a] * delta[b]) / nk;
            // A variance is a sum of squares: a negative one is the shifted sums' cancellation (a component that
            // collapsed far from where it started), and counts as 0 before regCovar is added.
            const v = a === b ? Math.max(spread, 0) + regCovar : spread;
            values[c * d * d + a * d + b] = v;
            values[c * d * d + b * d + a] = v;
          }
        }
      } else {
        for (let j = 0; j < d; j++) {
          const sj = stats[s1 + c * d + j];
          values[c * d + j] = Math.max((stats[s2 + c * d + j] - 2 * sj * delta[j] + raw * delta[j] * delta[j]) / nk, 0) + regCovar; // (as above)
        }
      }
    }
    return { weights: counts.map((v) => v / total), means, covariances: new Covariances(type, k, d, values) };
  }
}
