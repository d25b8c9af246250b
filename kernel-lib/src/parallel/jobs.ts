/**
 * The work one thread does on its share of the rows. The same functions run on the main thread (share 0) and in
 * every worker, on views of the shared memory; arguments are f64 slots in the control block.
 */
export const enum Job {
  Stop = 0,
  LloydF64 = 1,
  LloydF32 = 2,
  GmmFull = 3,
  GmmDiag = 4,
  BoundedF64 = 5,
  BoundedF32 = 6,
  ElkanF64 = 7,
  ElkanF32 = 8,
  InertiaF64 = 9,
  InertiaF32 = 10,
}

export interface KernelExports {
  lloydF64(x: number, d: number, start: number, end: number, c: number, k: number, cNorms: number, weights: number, labels: number, sums: number, counts: number, changed: number, scratch: number): number;
  lloydF32(x: number, d: number, start: number, end: number, c: number, k: number, cNorms: number, weights: number, labels: number, sums: number, counts: number, changed: number, scratch: number): number;
  boundedF64(x: number, d: number, start: number, end: number, c: number, k: number, cNorms: number, weights: number, labels: number, upper: number, lower: number, shift: number, half: number, maxShift: number, farthest: number, secondShift: number, dsums: number, dcounts: number, changed: number, searched: number, scratch: number): void;
  elkanF64(x: number, d: number, start: number, end: number, c: number, k: number, cNorms: number, weights: number, labels: number, upper: number, lowers: number, norms: number, plane: number, planeSlack: number, planeCentres: number, centreSlack: number, shift: number, half: number, halfPairs: number, dsums: number, dcounts: number, changed: number, searched: number, scratch: number): void;
  elkanF32(x: number, d: number, start: number, end: number, c: number, k: number, cNorms: number, weights: number, labels: number, upper: number, lowers: number, norms: number, plane: number, planeSlack: number, planeCentres: number, centreSlack: number, shift: number, half: number, halfPairs: number, dsums: number, dcounts: number, changed: number, searched: number, scratch: number): void;
  inertiaF64(x: number, d: number, start: number, end: number, c: number, weights: number, labels: number): number;
  inertiaF32(x: number, d: number, start: number, end: number, c: number, weights: number, labels: number): number;
  gmmPass2DF64(x: number, start: number, end: number, k: number, means: number, factors: number, logConst: number, full: boolean, stats: number, scratch: number): number;
  boundedF32(x: number, d: number, start: number, end: number, c: number, k: number, cNorms: number, weights: number, labels: number, upper: number, lower: number, shift: number, half: number, maxShift: number, farthest: number, secondShift: number, dsums: number, dcounts: number, changed: number, searched: number, scratch: number): void;
}

// Control block layout (byte offsets into the shared memory's first page).
export const CTRL = { generation: 0, done: 1, ready: 2, job: 3, parts: 4, failed: 5 } as const; // Int32 indices
export const ARGS_BYTE = 64; // 64 f64 arguments
export const RESULTS_BYTE = 1024; // per share: f64 value at +0, i32 counts at +8 and +12; 32 bytes each
export const RESULT_STRIDE = 32;
export const MAX_PARTS = 64;

/**
 * Per-thread scratch of the 2-D EM kernel: packed factors (3k f64), then 7k vectors, padded to whole 256-byte
 * blocks so no two threads' accumulators share a cache line (they are written for every pair of rows).
 */
export function gmmScratchBytes(k: number): number {
  return Math.ceil((3 * k * 8 + 7 * k * 16) / 256) * 256 + 256;
}

/** Per-thread scratch of the k-means kernels: 2k f64 of dot products, then a block's worth (64) of row indices, padded apart. */
export function kmeansScratchBytes(k: number): number {
  return Math.ceil((2 * k * 8 + 64 * 4) / 256) * 256 + 256;
}

/** Rows [start, end) of share `part` out of `parts`, splitting n rows evenly (even starts, for the 2-row kernels). */
export function shareOf(n: number, part: number, parts: number): [number, number] {
  const cut = (p: number) => Math.min(n, 2 * Math.floor((n * p) / parts / 2));
  return [cut(part), part === parts - 1 ? n : cut(part + 1)];
}

export function runJob(job: Job, part: number, parts: number, buffer: ArrayBufferLike, kernels: KernelExports): void {
  const args = new Float64Array(buffer, ARGS_BYTE, 64);
  const result = RESULTS_BYTE + part * RESULT_STRIDE;
  const out = new Float64Array(buffer, result, 1);
  switch (job) {
    case Job.LloydF64:
    case Job.LloydF32: {
      const [x, d, n, c, k, cNorms, weights, labels, sumsBase, scratchBase] = args;
      const [start, end] = shareOf(n, part, parts);
      const sums = sumsBase + part * (k * d + k) * 8;
      new Int32Array(buffer, result + 8, 1)[0] = 0;
      const kernel = job === Job.LloydF64 ? kernels.lloydF64 : kernels.lloydF32;
      out[0] = kernel(x, d, start, end, c, k, cNorms, weights, labels, sums, sums + k * d * 8, result + 8, scratchBase + part * kmeansScratchBytes(k));
      return;
    }
    case Job.BoundedF64:
    case Job.BoundedF32: {
      const [x, d, n, c, k, cNorms, weights, labels, upper, lower, shift, half, maxShift, farthest, secondShift, sumsBase, scratchBase] = args;
      const [start, end] = shareOf(n, part, parts);
      const sums = sumsBase + part * (k * d + k) * 8;
      new Int32Array(buffer, result + 8, 2).fill(0);
      const kernel = job === Job.BoundedF64 ? kernels.boundedF64 : kernels.boundedF32;
      kernel(x, d, start, end, c, k, cNorms, weights, labels, upper, lower, shift, half, maxShift, farthest, secondShift, sums, sums + k * d * 8, result + 8, result + 12, scratchBase + part * kmeansScratchBytes(k));
      return;
    }
    case Job.ElkanF64:
    case Job.ElkanF32: {
      const [x, d, n, c, k, cNorms, weights, labels, upper, lowers, norms, plane, planeSlack, planeCentres, centreSlack, shift, half, halfPairs, sumsBase, scratchBase] = args;
      const [start, end] = shareOf(n, part, parts);
      const sums = sumsBase + part * (k * d + k) * 8;
      new Int32Array(buffer, result + 8, 2).fill(0);
      const kernel = job === Job.ElkanF64 ? kernels.elkanF64 : kernels.elkanF32;
      kernel(x, d, start, end, c, k, cNorms, weights, labels, upper, lowers, norms, plane, planeSlack, planeCentres, centreSlack, shift, half, halfPairs, sums, sums + k * d * 8, result + 8, result + 12, scratchBase + part * kmeansScratchBytes(k));
      return;
    }
    case Job.InertiaF64:
    case Job.InertiaF32: {
      const [x, d, n, c, weights, labels] = args;
      const [start, end] = shareOf(n, part, parts);
      out[0] = (job === Job.InertiaF64 ? kernels.inertiaF64 : kernels.inertiaF32)(x, d, start, end, c, weights, labels);
      return;
    }
    case Job.GmmFull:
    case Job.GmmDiag: {
      const [x, d, n, k, means, factors, logConst, statsBase, scratchBase] = args;
      const [start, end] = shareOf(n, part, parts);
      const full = job === Job.GmmFull;
      const statsLength = k + k * d + (full ? k * d * d : k * d);
      const statsPtr = statsBase + part * statsLength * 8;
      const stats = new Float64Array(buffer, statsPtr, statsLength);
      stats.fill(0);
      const factorView = new Float64Array(buffer, factors, full ? k * d * d : k * d);
      const meanView = new Float64Array(buffer, means, k * d), constView = new Float64Array(buffer, logConst, k);
      if (d !== 2) {
        out[0] = gmmPass(new Float64Array(buffer, x, n * d), d, start, end, k, meanView, factorView, constView, full, stats);
        return;
      }
      // 2-D: the SIMD kernel takes pairs of rows; its factors are packed as [a, b, c] per component.
      const scratch = scratchBase + part * gmmScratchBytes(k);
      const packed = new Float64Array(buffer, scratch, 3 * k);
      for (let q = 0; q < k; q++) {
        if (full) packed.set([factorView[4 * q], factorView[4 * q + 2], factorView[4 * q + 3]], 3 * q);
        else packed.set([factorView[2 * q], 0, factorView[2 * q + 1]], 3 * q);
      }
      const pairsEnd = start + 2 * Math.floor((end - start) / 2);
      let total = kernels.gmmPass2DF64(x, start, pairsEnd, k, means, scratch, logConst, full, statsPtr, scratch + 3 * k * 8);
      if (pairsEnd < end) total += gmmPass(new Float64Array(buffer, x, n * d), d, pairsEnd, end, k, meanView, factorView, constView, full, stats);
      out[0] = total;
      return;
    }
    default:
      throw new Error(`unknown job ${job}`);
  }
}

/**
 * A fused EM pass over rows [start, end) of a full- or diagonal-covariance mixture: the E-step's log-densities and
 * responsibilities (log-sum-exp per row), immediately folded into the M-step's sufficient statistics, so the n×k
 * responsibilities are never stored. Statistics are taken around the current means (shifted sums), which keeps the
 * covariance update as accurate as the centred two-pass form. `factors` holds, per component, the inverse of the
 * covariance's Cholesky factor (lower triangle, d×d) for full, or 1/σ per feature for diag; `logConst` holds
 * log π_k − ½(d log 2π + log|Σ_k|). Writes [N_k | S1_k = Σ r(x−μ_k) | S2_k = Σ r(x−μ_k)(x−μ_k)ᵀ (upper triangle)
 * or its diagonal] into `stats` and returns Σ_i log p(x_i).
 */
export function gmmPass(
  x: Float64Array, d: number, start: number, end: number, k: number,
  means: Float64Array, factors: Float64Array, logConst: Float64Array, full: boolean, stats: Float64Array,
): number {
  const diff = new Float64Array(k * d);
  const e = new Float64Array(k);
  let total = 0;
  for (let i = start; i < end; i++) {
    const xi = i * d;
    let max = -Infinity;
    for (let c = 0; c < k; c++) {
      const dc = c * d;
      for (let j = 0; j < d; j++) diff[dc + j] = x[xi + j] - means[dc + j];
      const lp = logConst[c] - 0.5 * (full ? mahalanobisFull(diff, dc, factors, c * d * d, d) : mahalanobisDiag(diff, dc, factors, d));
      e[c] = lp;
      if (lp > max) max = lp;
    }
    let sum = 0;
    for (let c = 0; c < k; c++) {
      const v = Math.exp(e[c] - max);
      e[c] = v;
      sum += v;
    }
    total += max + Math.log(sum);
    const inv = 1 / sum;
    for (let c = 0; c < k; c++) {
      const r = e[c] * inv;
      if (full) accumulateFull(stats, c, k, d, r, diff);
      else accumulateDiag(stats, c, k, d, r, diff);
    }
  }
  return total;
}

/** ‖L⁻¹(x − μ)‖² with L⁻¹ lower-triangular at factors[f…]. */
function mahalanobisFull(diff: Float64Array, dc: number, factors: Float64Array, f: number, d: number): number {
  let q = 0;
  for (let r = 0; r < d; r++) {
    let s = 0;
    const row = f + r * d;
    for (let m = 0; m <= r; m++) s += factors[row + m] * diff[dc + m];
    q += s * s;
  }
  return q;
}

function mahalanobisDiag(diff: Float64Array, dc: number, factors: Float64Array, d: number): number {
  let q = 0;
  for (let j = 0; j < d; j++) {
    const s = diff[dc + j] * factors[dc + j];
    q += s * s;
  }
  return q;
}

function accumulateFull(stats: Float64Array, c: number, k: number, d: number, r: number, diff: Float64Array): void {
  stats[c] += r;
  const dc = c * d, s1 = k + dc, s2 = k + k * d + c * d * d;
  for (let a = 0; a < d; a++) {
    const ra = r * diff[dc + a];
    stats[s1 + a] += ra;
    for (let b = a; b < d; b++) stats[s2 + a * d + b] += ra * diff[dc + b];
  }
}

function accumulateDiag(stats: Float64Array, c: number, k: number, d: number, r: number, diff: Float64Array): void {
  stats[c] += r;
  const dc = c * d, s1 = k + dc, s2 = k + k * d + dc;
  for (let j = 0; j < d; j++) {
    const rj = r * diff[dc + j];
    stats[s1 + j] += rj;
    stats[s2 + j] += rj * diff[dc + j];
  }
}
