import { FloatArray } from "../linalg/matrix";
import { Job, kmeansScratchBytes, RESULT_STRIDE, RESULTS_BYTE } from "../parallel/jobs";
import { runParallel, threadPool } from "../parallel/pool";
import { sharedMemory } from "../parallel/shared-memory";

export type Precision = "float64" | "float32";
/** "bounded" (default): Lloyd's iterates with Hamerly's bounds, so most rows skip the search; "lloyd": search every row. */
export type KMeansAlgorithm = "bounded" | "lloyd";

export interface AssignAndSum {
  /** Σ w_i ‖x_i − c_{label_i}‖², from exact differences. */
  inertia: number;
  changed: number;
  /** Rows whose nearest centroid was searched for (all of them under "lloyd"). */
  searched: number;
  /** Σ w_i x_i per cluster (k·d) and Σ w_i per cluster, for the labels just assigned. */
  sums: Float64Array;
  counts: Float64Array;
}

/**
 * A k-means fit's working set in the shared memory: the centred data (float64 or float32), weights, labels,
 * distances, centroids and per-thread partial sums. `assign()` is one fused Lloyd pass (nearest centroid by
 * SIMD kernels over row blocks on every core, then each thread's cluster sums) reduced on the calling thread.
 * Call `release()` when the fit ends; nothing here survives it.
 */
export class LloydWorkspace {
  readonly x: FloatArray;
  readonly weights: Float64Array;
  readonly labels: Int32Array;
  readonly closest: Float64Array;
  private readonly mark: number;
  private readonly ptr: { x: number; c: number; cNorms: number; weights: number; labels: number; dist: number; sums: number; scratch: number; lower: number; half: number };
  /** The centroids of the previous pass, to bound how far any centroid moved since (bounded algorithm). */
  private previous?: Float64Array;
  private readonly centresView: FloatArray;
  private readonly cNorms: Float64Array;
  private readonly parts: number;

  constructor(readonly n: number, readonly d: number, readonly k: number, readonly precision: Precision, readonly algorithm: KMeansAlgorithm = "bounded") {
    const { arena } = sharedMemory();
    this.mark = arena.mark();
    const bytes = precision === "float32" ? 4 : 8;
    // Every thread gets its own sums; the pool is sized on first use.
    this.parts = this.work < (1 << 19) ? 1 : threadPool().threads;
    this.ptr = {
      x: arena.alloc(n * d * bytes, { zero: false }), // every value is written before use
      c: arena.alloc(k * d * bytes),
      cNorms: arena.alloc(k * 8),
      weights: arena.alloc(n * 8),
      labels: arena.alloc(n * 4),
      dist: arena.alloc(n * 8),
      sums: arena.alloc(this.parts * (k * d + k) * 8),
      scratch: arena.alloc(this.parts * kmeansScratchBytes(k)),
      lower: algorithm === "bounded" ? arena.alloc(n * 8, { zero: false }) : 0,
      half: arena.alloc(k * 8),
    };
    this.x = precision === "float32" ? arena.f32(this.ptr.x, n * d) : arena.f64(this.ptr.x, n * d);
    this.centresView = precision === "float32" ? arena.f32(this.ptr.c, k * d) : arena.f64(this.ptr.c, k * d);
    this.cNorms = arena.f64(this.ptr.cNorms, k);
    this.weights = arena.f64(this.ptr.weights, n);
    this.labels = arena.i32(this.ptr.labels, n);
    this.closest = arena.f64(this.ptr.dist, n);
  }

  private get work(): number {
    return this.n * this.d * this.k;
  }

  /** Starts a run: every label unset (so the first pass searches every row). */
  resetLabels(): void {
    this.labels.fill(-1);
    this.previous = undefined;
  }

  assign(centres: Float64Array): AssignAndSum {
    const { n, d, k } = this;
    this.centresView.set(centres);
    for (let c = 0; c < k; c++) {
      let s = 0;
      // ‖c‖² at the precision the dot products use, so ‖c‖² − 2x·c compares like with like.
      for (let j = 0; j < d; j++) s += this.centresView[c * d + j] ** 2;
      this.cNorms[c] = s;
    }
    const p = this.ptr;
    const f32 = this.precision === "float32";
    const common = [p.x, d, n, p.c, k, p.cNorms, p.weights, p.labels, p.dist, p.sums, p.scratch];
    if (this.algorithm === "bounded") {
      const maxShift = this.writeBounds(centres);
      runParallel(f32 ? Job.BoundedF32 : Job.BoundedF64, [...common, p.lower, p.half, maxShift], this.parts === 1 ? 0 : this.work);
    } else {
      runParallel(f32 ? Job.LloydF32 : Job.LloydF64, common, this.parts === 1 ? 0 : this.work);
    }
    const { memory } = sharedMemory();
    const sums = new Float64Array(k * d), counts = new Float64Array(k);
    let inertia = 0, changed = 0, searched = 0;
    const parts = this.parts;
    for (let part = 0; part < parts; part++) {
      const result = RESULTS_BYTE + part * RESULT_STRIDE;
      inertia += new Float64Array(memory.buffer, result, 1)[0];
      changed += new Int32Array(memory.buffer, result + 8, 1)[0];
      searched += this.algorithm === "bounded" ? new Int32Array(memory.buffer, result + 12, 1)[0] : 0;
      const partial = new Float64Array(memory.buffer, p.sums + part * (k * d + k) * 8, k * d + k);
      for (let i = 0; i < k * d; i++) sums[i] += partial[i];
      for (let c = 0; c < k; c++) counts[c] += partial[k * d + c];
      partial.fill(0);
    }
    if (this.algorithm === "lloyd") searched = n;
    return { inertia, changed, searched, sums, counts };
  }

  /**
   * Half the distance from each centroid to its nearest other centroid, and the largest move of any centroid since
   * the previous pass: what the bounds need. Distances at the kernels' precision (the centroids as stored).
   */
  private writeBounds(centres: Float64Array): number {
    const { d, k } = this;
    const c = this.centresView;
    const half = sharedMemory().arena.f64(this.ptr.half, k);
    for (let a = 0; a < k; a++) {
      let nearest = Infinity;
      for (let b = 0; b < k; b++) {
        if (b === a) continue;
        let s = 0;
        for (let j = 0; j < d; j++) s += (c[a * d + j] - c[b * d + j]) ** 2;
        nearest = Math.min(nearest, s);
      }
      // Rounded down a little: the test "u ≤ half" must never pass when the true half-distance is smaller.
      half[a] = (0.5 * Math.sqrt(nearest)) * (1 - 1e-9);
    }
    let maxShift = 0;
    if (this.previous) {
      for (let a = 0; a < k; a++) {
        let s = 0;
        for (let j = 0; j < d; j++) s += (centres[a * d + j] - this.previous[a * d + j]) ** 2;
        maxShift = Math.max(maxShift, Math.sqrt(s));
      }
      maxShift *= 1 + 1e-9;
      if (this.precision === "float32") {
        // The kernels see the centroids rounded to float32: allow for that rounding in the move.
        let largest = 0;
        for (const v of centres) largest = Math.max(largest, Math.abs(v));
        maxShift += 2 ** -20 * largest * Math.sqrt(d);
      }
    }
    this.previous = Float64Array.from(centres);
    return maxShift;
  }

  release(): void {
    sharedMemory().arena.release(this.mark);
  }
}
