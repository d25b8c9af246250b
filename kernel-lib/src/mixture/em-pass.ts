import { NotPositiveDefiniteError } from "../errors";
import { cholesky, forwardSubstitute } from "../linalg/cholesky";
import { Matrix } from "../linalg/matrix";
import { copyIn } from "../parallel/data-in";
import { MixtureArg, Pass, Result } from "../parallel/memory-layout";
import { mixtureScratchBytes, runPass, sumOfResults } from "../parallel/passes";
import { partsFor } from "../parallel/pool";
import { sharedMemory } from "../parallel/shared-memory";
import { CovarianceType, singular } from "./covariance";
import { MixtureParameters } from "./expectation";
import { MixtureStatistics, needsFullSums } from "./maximization";

const LOG_2PI = Math.log(2 * Math.PI);

/**
 * A fit's E-step, as one WebAssembly pass over the data per iteration (wasm/gmm.ts): the data sits in the shared
 * memory once, every thread runs the pass over its rows (the E-step's responsibilities folded at once into the
 * M-step's statistics, never stored), and the calling thread adds up the shares' statistics. Tied and spherical
 * mixtures run as full and diagonal ones whose components share a covariance. Call `release()` when the fit ends.
 */
export class EMPass {
  readonly n: number;
  readonly d: number;
  /** X's largest magnitude (the copy in checks that every value is finite). */
  readonly maxAbs: number;
  private readonly full: boolean;
  private readonly mark: number;
  private readonly ptr: { x: number; means: number; factors: number; logConst: number; stats: number; scratch: number };
  private readonly parts: number;
  private readonly statsLength: number;

  constructor(x: Matrix, readonly k: number, readonly type: CovarianceType) {
    const n = (this.n = x.rows), d = (this.d = x.cols);
    this.full = needsFullSums(type);
    const { arena } = sharedMemory();
    this.mark = arena.mark();
    this.parts = partsFor(n * k * (d * d + 8)); // rows × components × (d² + a few)
    this.statsLength = k + k * d + (this.full ? k * d * d : k * d);
    this.ptr = {
      x: arena.alloc(n * d * 8, { zero: false }),
      means: arena.alloc(k * d * 8),
      factors: arena.alloc((this.full ? k * d * d : k * d) * 8),
      logConst: arena.alloc(k * 8),
      stats: arena.alloc(this.parts * this.statsLength * 8),
      scratch: arena.alloc(this.parts * mixtureScratchBytes(k, d)),
    };
    try {
      const sums = arena.alloc(d * 8); // column sums, which a mixture does not need: freed below
      this.maxAbs = copyIn(x, this.ptr.x, false, sums);
      arena.release(sums);
    } catch (e) {
      this.release();
      throw e;
    }
  }

  /** The E-step under `params`: Σ log p(x_i), and the M-step's statistics around params' means. */
  run(params: MixtureParameters): { logLikelihood: number; statistics: MixtureStatistics } {
    const { n, d, k, full } = this;
    const { arena } = sharedMemory();
    arena.f64(this.ptr.means, k * d).set(params.means);
    this.writeFactors(params, arena.f64(this.ptr.factors, full ? k * d * d : k * d), arena.f64(this.ptr.logConst, k));
    const p = this.ptr;
    runPass(Pass.mixture, MixtureArg, {
      x: p.x, d, n, k, means: p.means, factors: p.factors, logConst: p.logConst, full: full ? 1 : 0,
      stats: p.stats, statsStride: this.statsLength * 8, scratch: p.scratch, scratchStride: mixtureScratchBytes(k, d),
    }, this.parts);
    const stats = new Float64Array(this.statsLength);
    for (let part = 0; part < this.parts; part++) {
      const partial = arena.f64(p.stats + part * this.statsLength * 8, this.statsLength);
      for (let i = 0; i < stats.length; i++) stats[i] += partial[i];
    }
    return {
      logLikelihood: sumOfResults(Result.value, this.parts),
      statistics: {
        k, d, full, centre: Float64Array.from(params.means),
        counts: stats.slice(0, k), s1: stats.slice(k, k + k * d), s2: stats.slice(k + k * d),
      },
    };
  }

  release(): void {
    sharedMemory().arena.release(this.mark);
  }

  /**
   * Per component, the inverse of its covariance's Cholesky factor (full, tied) or 1/σ per feature (diag,
   * spherical), and log π_k − ½(d log 2π + log|Σ_k|).
   */
  private writeFactors(params: MixtureParameters, factors: Float64Array, logConst: Float64Array): void {
    const { d, k, type } = this;
    const cov = params.covariances;
    let inverse: Float64Array | undefined, sharedLogDet = 0; // tied: one factor for every component
    for (let c = 0; c < k; c++) {
      let logDet = 0;
      if (this.full) {
        if (!inverse || type === "full") ({ inverse, logDet: sharedLogDet } = inverseCholesky(cov.component(c), c, type));
        factors.set(inverse, c * d * d);
        logDet = sharedLogDet;
      } else {
        for (let j = 0; j < d; j++) {
          const variance = type === "diag" ? cov.values[c * d + j] : cov.values[c];
          if (!(variance > 0)) throw singular(c, type);
          logDet += Math.log(variance);
          factors[c * d + j] = 1 / Math.sqrt(variance);
        }
      }
      logConst[c] = Math.log(params.weights[c]) - 0.5 * (d * LOG_2PI + logDet);
    }
  }
}

/** L⁻¹ (row-major, lower-triangular) of a covariance Σ = LLᵀ, and log|Σ|. */
function inverseCholesky(covariance: Matrix, c: number, type: CovarianceType): { inverse: Float64Array; logDet: number } {
  const d = covariance.rows;
  let L: Float64Array;
  try {
    L = cholesky(covariance, { name: `covariance of component ${c}` }).L.data as Float64Array;
  } catch (e) {
    if (e instanceof NotPositiveDefiniteError) throw singular(c, type);
    throw e;
  }
  const inverse = new Float64Array(d * d), column = new Float64Array(d);
  let logDet = 0;
  for (let j = 0; j < d; j++) {
    logDet += 2 * Math.log(L[j * d + j]);
    column.fill(0);
    column[j] = 1;
    forwardSubstitute(L, d, column); // column j of L⁻¹
    for (let r = 0; r < d; r++) inverse[r * d + j] = column[r];
  }
  return { inverse, logDet };
}
