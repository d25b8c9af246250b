import { rescaleExponent, timesPow2 } from "../float-range";
import { FloatArray, Matrix } from "../linalg/matrix";
import { addColumnSums, copyIn, finiteOrThrow } from "../parallel/data-in";
import { CentreArg, KMeansArg, MAX_PARTS, Pass, Result } from "../parallel/memory-layout";
import { countOfResults, kmeansScratchBytes, PassArgs, runPass, runPassClaimed, sumOfResults } from "../parallel/passes";
import { partsFor } from "../parallel/pool";
import { sharedMemory } from "../parallel/shared-memory";
import type { SeedDistances } from "./init";
import { withSharedSeedDistances } from "./seed-distances";

export type Precision = "float64" | "float32";
/** "bounded" (default): Lloyd's iterates with Hamerly's bounds, so most rows skip the search; "lloyd": search every row. */
export type KMeansAlgorithm = "bounded" | "lloyd";

export interface AssignAndSum {
  /**
   * Σ w_i ‖x_i − c_{label_i}‖² for the new labels and the centroids they were assigned to: from exact differences
   * under "lloyd" or when asked for (`exact`), else from the cluster sums (see KMeansWorkspace).
   */
  inertia: number;
  changed: number;
  /** Rows whose nearest centroid was searched for (all of them under "lloyd"). */
  searched: number;
  /** Σ w_i x_i per cluster (k·d) and Σ w_i per cluster, for the labels just assigned (copies: yours to change). */
  sums: Float64Array;
  counts: Float64Array;
}

/** Magnitudes (powers of two) the passes' sums stay finite and precise within; data beyond is rescaled exactly. */
export const SAFE_BITS = { float64: 200, float32: 40 } as const;

/** What loading the data found: the exponent it was rescaled by, and the column means taken off. */
export interface LoadedData {
  /** The workspace holds (X·2^-exponent − mean), once centred; 0 unless X's magnitudes needed rescaling. */
  exponent: number;
  mean: Float64Array;
}

/** Rows per chunk when a float32 fit centres float64 data through a small buffer (about 4 MiB of it). */
const STAGE_BYTES = 1 << 22;

/**
 * A k-means fit's working set in the shared memory: the centred data (float64 or float32), labels, distance bounds
 * (bounded), weights (only when not all 1), centroids and per-thread partial sums. `load()` copies the data in and
 * takes its column sums with the finite check; centring it (with the float32 plane and row norms) is the set-up's
 * last pass, which on wide data (Elkan's bounds) is the first `assign()` itself: each block of rows is centred just
 * before it is measured, so the set-up and the first iteration make three passes over the data, not four.
 * `assign()` is one Lloyd pass by SIMD passes over row blocks on every core, reduced on the calling thread. Call
 * `release()` when the fit ends; nothing here survives it.
 *
 * The cluster sums are kept up to date by the rows that move, under both algorithms and in the same order, so
 * "bounded" and "lloyd" hold bit-identical sums, hence the same centroids and the same iterates. Under "bounded",
 * settled rows are not read at all, and a pass's inertia comes from the sums: Σ w‖x − c_a‖² = Σ w‖x‖² − 2 Σ_c c·S_c
 * + Σ_c W_c ‖c‖² (its error is ~1e-16 of Σ w‖x‖², so tiny next to the data's spread for tight clusters far from
 * the mean); "lloyd" sums exact differences, and a fit's final inertia is always exact (`inertia()`).
 */
export class KMeansWorkspace {
  readonly x: FloatArray;
  readonly labels: Int32Array;
  private weights?: Float64Array;
  private readonly mark: number;
  private readonly ptr: {
    x: number; c: number; cNorms: number; weights: number; labels: number; upper: number; lower: number; norms: number;
    plane: number; planeSlack: number; planeCentres: number; centreSlack: number; planeCentreNorms: number;
    shift: number; half: number; halfPairs: number; sums: number; scratch: number; mean: number;
    centres64: number; previous: number; running: number; delta: number;
  };
  private readonly centres64?: Float64Array;
  /** Bounded passes on wide data keep Elkan's k lower bounds per row; on narrow data, Hamerly's one. */
  private readonly elkan: boolean;
  private readonly centresView: FloatArray;
  private readonly cNorms: Float64Array;
  /** Threads that run a pass, and the shares of the rows (chunks) they claim in turn. */
  private readonly parts: number;
  private readonly shares: number;
  /** The centroids the last pass assigned to (bounded: how far each moved since). */
  private previous?: Float64Array;
  /** Running cluster sums and weights. */
  private readonly sums: Float64Array;
  private readonly counts: Float64Array;
  private weightedSquares = 0;
  /** Σ ‖x − mean‖² of the stored rows, unweighted; NaN until the data is centred. */
  private squares = NaN;

  constructor(readonly n: number, readonly d: number, readonly k: number, readonly precision: Precision, readonly algorithm: KMeansAlgorithm = "bounded") {
    const { arena } = sharedMemory();
    this.mark = arena.mark();
    const f32 = precision === "float32";
    const bytes = f32 ? 4 : 8;
    const bounded = algorithm === "bounded";
    // k float32 bounds per row when they take at most half the row's own size (images: yes; 2-D points: no).
    this.elkan = bounded && k * 4 <= (d * bytes) / 2;
    // Rows of up to 32 bytes (2-D points) keep no upper bound: measuring that one distance costs about what loading
    // and storing a bound does, and the fit needs a quarter of the data's size less (4 bytes a row).
    const upperBound = bounded && (this.elkan || d * bytes > 32);
    this.parts = partsFor(n * d * k);
    const sumsBytes = (k * d + k) * 8;
    this.shares = shareCount(n, sumsBytes, this.parts);
    this.ptr = {
      x: arena.alloc(n * d * bytes, { zero: false }), // every value is written before use
      c: arena.alloc(k * d * bytes),
      cNorms: arena.alloc(k * 8),
      weights: 0,
      labels: arena.alloc(n * 4, { zero: false }),
      upper: upperBound ? arena.alloc(n * 4, { zero: false }) : 0,
      lower: bounded ? arena.alloc(n * 4 * (this.elkan ? k : 1), { zero: false }) : 0,
      // ‖x‖² per row of what Elkan's passes measure (the float32 row, or the float64 row's plane), written with the copy.
      norms: this.elkan ? arena.alloc(n * 8, { zero: false }) : 0,
      // Float64 Elkan: a float32 copy of the rows that bounds are measured on (half the bytes to read; see
      // wasm/kmeans.ts), and per row how far it is from the float64 row. Half the data's size again.
      plane: this.elkan && !f32 ? arena.alloc(n * d * 4, { zero: false }) : 0,
      planeSlack: this.elkan && !f32 ? arena.alloc(n * 8, { zero: false }) : 0,
      planeCentres: this.elkan && !f32 ? arena.alloc(k * d * 4) : 0,
      centreSlack: this.elkan && !f32 ? arena.alloc(k * 8) : 0,
      planeCentreNorms: this.elkan && !f32 ? arena.alloc(k * 8) : 0,
      shift: arena.alloc((k + 3) * 8),
      half: arena.alloc(k * 8),
      halfPairs: arena.alloc(k * k * 8),
      sums: arena.alloc(this.shares * sumsBytes, { zero: false }), // each pass zeroes its shares'
      scratch: arena.alloc(this.shares * kmeansScratchBytes(k)),
      mean: arena.alloc(d * 12), // d f64, then (float32 data in a float32 fit) the same values as f32
      // Bounded fits: the centroids in f64 (float32: the passes' own are rounded; float64: they are those) and the
      // previous pass's, from which kmeansBounds takes how far they moved.
      centres64: bounded && f32 ? arena.alloc(k * d * 8) : 0,
      previous: bounded ? arena.alloc(k * d * 8) : 0,
      running: arena.alloc(sumsBytes),
      delta: arena.alloc(sumsBytes),
    };
    this.x = precision === "float32" ? arena.f32(this.ptr.x, n * d) : arena.f64(this.ptr.x, n * d);
    this.centresView = precision === "float32" ? arena.f32(this.ptr.c, k * d) : arena.f64(this.ptr.c, k * d);
    this.cNorms = arena.f64(this.ptr.cNorms, k);
    if (this.ptr.centres64) this.centres64 = arena.f64(this.ptr.centres64, k * d);
    this.labels = arena.i32(this.ptr.labels, n);
    // The running sums live in the shared memory, where the passes' changes are added to them (kmeansSums).
    this.sums = arena.f64(this.ptr.running, k * d);
    this.counts = arena.f64(this.ptr.running + k * d * 8, k);
  }

  /**
   * Loads X (validated only for shape and type): copied in, its column sums taken with the check that every value is
   * finite (NonFiniteError naming the first that is not, the one check of X's values a fit makes). Centring at the
   * passes' precision, with what the passes keep per row, follows in `centre()` or in the first `assign()` (a float32
   * fit of float64 data centres here, from the chunks it stages). Magnitudes whose squares would leave the range the
   * sums stay precise in (with `otherMaxAbs`, the largest of anything else in X's units, e.g. explicit centroids) are
   * first brought near 1 by a power of two, which is exact. `weights` are kept only when some differ from 1.
   */
  load(x: Matrix, weights?: Float64Array, otherMaxAbs = 0): LoadedData {
    const { n, d } = this;
    const { arena } = sharedMemory();
    if (weights?.some((w) => w !== 1)) {
      this.ptr.weights = arena.alloc(n * 8, { zero: false });
      this.weights = arena.f64(this.ptr.weights, n);
      this.weights.set(weights);
    }
    const f32 = this.precision === "float32";
    const sums = arena.f64(this.ptr.mean, d);
    this.squares = NaN;
    // A float32 fit of float64 data centres each value before rounding it, so X goes through a small buffer twice
    // (sums, then centring) rather than into a float64 copy the size of the data.
    const staged = f32 && !(x.data instanceof Float32Array);
    const mark = arena.mark();
    const stageRows = Math.max(2, 2 * Math.floor(STAGE_BYTES / (16 * d)));
    const stage = staged ? arena.alloc(Math.min(n, stageRows) * d * 8, { zero: false }) : 0;
    const chunks = (each: (from: number, rows: number) => void) => {
      for (let from = 0; from < n; from += stageRows) {
        const rows = Math.min(stageRows, n - from);
        arena.f64(stage, rows * d).set(x.data.subarray(from * d, (from + rows) * d));
        each(from, rows);
      }
    };
    try {
      let maxAbs = 0;
      if (staged) chunks((_, rows) => (maxAbs = Math.max(maxAbs, addColumnSums(stage, rows, d, false, this.ptr.mean))));
      else maxAbs = copyIn(x, this.ptr.x, f32, this.ptr.mean);
      finiteOrThrow(x, maxAbs);
      const exponent = rescaleExponent(Math.max(maxAbs, otherMaxAbs), SAFE_BITS[this.precision]);
      if (exponent !== 0) {
        // Rare: X·2^-exponent, exactly, and its sums again. A staged fit scales each chunk as it arrives.
        sums.fill(0);
        if (staged) chunks((_, rows) => addColumnSums(this.scaleInPlace(arena.f64(stage, rows * d), exponent), rows, d, false, this.ptr.mean));
        else addColumnSums(this.scaleInPlace(this.x, exponent), n, d, f32, this.ptr.mean);
      }
      for (let j = 0; j < d; j++) sums[j] /= n;
      if (f32 && !staged) {
        // Float32 data in a float32 fit is centred by the mean rounded to float32 (as scikit-learn's is), so that
        // centring is one float32 subtraction (wasm/prepare.ts); any shift serves, the same one for data and centroids.
        for (let j = 0; j < d; j++) sums[j] = Math.fround(sums[j]);
        arena.f32(this.ptr.mean + d * 8, d).set(sums);
      }
      const mean = Float64Array.from(sums);
      if (!staged) return { exponent, mean };
      const p = this.ptr;
      let weightedSquares = 0, sumSquares = 0;
      chunks((from, rows) => {
        if (exponent !== 0) this.scaleInPlace(arena.f64(stage, rows * d), exponent);
        const [weighted, total] = this.centreRows(stage, false, p.x + from * d * 4, rows, from);
        weightedSquares += weighted;
        sumSquares += total;
      });
      this.setSquares(weightedSquares, sumSquares);
      return { exponent, mean };
    } finally {
      arena.release(mark);
    }
  }

  /**
   * Runs a start (`initialCentroids`) with its distances measured by SIMD passes on the loaded rows, on every core
   * (see withSharedSeedDistances); call after `load`.
   */
  seeding<T>(start: (distances: SeedDistances) => T): T {
    const rows = { x: this.ptr.x, float32: this.precision === "float32", n: this.n, d: this.d, weights: this.ptr.weights, shares: this.shares, threads: this.parts };
    return withSharedSeedDistances(rows, start);
  }

  /** Centres the loaded rows in place, unless that is done (as a first Elkan pass does it, by the way). */
  centre(): void {
    if (!Number.isNaN(this.squares)) return;
    const x = this.ptr.x;
    this.setSquares(...this.centreRows(x, this.precision === "float32", x, this.n, 0));
  }

  /**
   * The centre pass over `rows` rows at `source` (f32 when `sourceFloat32`), fit rows `first`…, into `target` at the
   * fit's precision; returns their Σ w‖x − mean‖² and Σ ‖x − mean‖². Over all the rows, it takes the k-means passes'
   * shares, so its sums are those of a first Elkan pass that centres as it goes, bit for bit.
   */
  private centreRows(source: number, sourceFloat32: boolean, target: number, rows: number, first: number): [number, number] {
    const p = this.ptr, d = this.d;
    const args = {
      float32: this.precision === "float32" ? 1 : 0, sourceFloat32: sourceFloat32 ? 1 : 0, source, target, n: rows, d, first, mean: p.mean,
      weights: p.weights, plane: p.plane, planeSlack: p.planeSlack, norms: p.norms,
    };
    const shares = rows === this.n ? this.shares : partsFor(rows * d);
    if (rows === this.n) runPassClaimed(Pass.centre, CentreArg, args, shares, this.parts);
    else runPass(Pass.centre, CentreArg, args, shares);
    return [sumOfResults(Result.value, shares), sumOfResults(Result.second, shares)];
  }

  /** Σ ‖x − mean‖² over the stored rows, unweighted (scikit-learn's tolerance is a mean variance); centres first. */
  get sumSquares(): number {
    this.centre();
    return this.squares;
  }

  private setSquares(weightedSquares: number, sumSquares: number): void {
    this.weightedSquares = weightedSquares;
    this.squares = sumSquares;
  }

  /** values·2^-exponent in place (exact: a power of two only moves the exponent); returns their offset. */
  private scaleInPlace(values: FloatArray, exponent: number): number {
    for (let i = 0; i < values.length; i++) values[i] = timesPow2(values[i], -exponent);
    return values.byteOffset;
  }

  weight(i: number): number {
    return this.weights ? this.weights[i] : 1;
  }

  /** Starts a run: every label unset (so the first pass searches every row). */
  resetLabels(): void {
    this.labels.fill(-1);
    this.previous = undefined;
    this.sums.fill(0);
    this.counts.fill(0);
  }

  /**
   * One Lloyd pass: every row to its nearest of `centres`, and the cluster sums updated. With `exact`, the inertia
   * returned is the exact one of `inertia()` (the same value, bit for bit), taken by the same pass as it goes: a
   * fit's last pass, which then needs no read of the data of its own for it.
   */
  assign(centres: Float64Array, exact = false): AssignAndSum {
    const { d, k } = this;
    // Elkan's first pass centres the rows as it goes; the other passes need them centred first.
    const centring = this.elkan && Number.isNaN(this.squares);
    if (!centring) this.centre();
    this.centresView.set(centres);
    this.writeNorms(centres);
    // (centres64 exists only for bounded float32 fits: their serial step, kmeansBounds, takes the bounds' geometry from
    // the float32 centroids and these.)
    if (this.centres64) this.centres64.set(centres);
    if (this.ptr.planeCentres) {
      const { arena } = sharedMemory();
      const plane = arena.f32(this.ptr.planeCentres, k * d), norms = arena.f64(this.ptr.planeCentreNorms, k);
      toFloat32Plane(centres, k, d, plane, arena.f64(this.ptr.centreSlack, k));
      for (let c = 0; c < k; c++) {
        let s = 0;
        for (let j = c * d; j < (c + 1) * d; j++) s += plane[j] * plane[j];
        norms[c] = s;
      }
    }
    const p = this.ptr;
    let exactInertia: number | undefined;
    if (this.algorithm === "bounded") {
      // (A centring pass reports its squares in the result field the exact inertia would take.)
      const fused = exact && !centring;
      const args = { ...this.args(), moved: this.previous ? 1 : 0, mean: centring ? p.mean : 0, exact: fused ? 1 : 0 };
      this.run(this.elkan ? Pass.elkan : Pass.bounded, args, Pass.kmeansBounds);
      this.previous = Float64Array.from(centres);
      if (fused) exactInertia = sumOfResults(Result.value, this.shares);
      if (centring) this.setSquares(sumOfResults(Result.value, this.shares), sumOfResults(Result.second, this.shares));
    } else {
      this.run(Pass.lloyd, this.args());
      exactInertia = sumOfResults(Result.value, this.shares);
      this.previous = Float64Array.from(centres);
    }
    const changed = countOfResults(Result.changed, this.shares), searched = countOfResults(Result.searched, this.shares);
    if (this.weights) this.settleEmptied();
    // (slice: a plain copy of the shared memory's values, as fast as a copy of plain memory.)
    const sums = this.sums.slice(), counts = this.counts.slice();
    if (exactInertia !== undefined) return { inertia: exactInertia, changed, searched, sums, counts };
    return { inertia: exact ? this.inertia(centres) : this.inertiaFromSums(centres), changed, searched, sums, counts };
  }

  /** Σ w‖x − c_label‖² of the current labels and `centres`, from exact differences (one read of every row). */
  inertia(centres: Float64Array): number {
    this.centre();
    this.centresView.set(centres);
    runPassClaimed(Pass.inertia, KMeansArg, this.args(), this.shares, this.parts);
    return sumOfResults(Result.value, this.shares);
  }

  /**
   * An assignment pass: its shares claimed in turn by the threads, so a thread slowed down hands its rows to the
   * others; `before` it, on this thread, an optional serial step, and after it the one that adds the shares' changes
   * to the cluster sums in share order (both algorithms' passes leave them so, and are applied in the same order).
   */
  private run(pass: Pass, args: PassArgs<typeof KMeansArg>, before?: Pass): void {
    runPassClaimed(pass, KMeansArg, args, this.shares, this.parts, { before, after: Pass.kmeansSums });
  }

  /**
   * ‖c‖² per centroid at the precision the dot products use (rounded to float32 in that mode), so ‖c‖² − 2x·c compares
   * like with like: the one place every pass (Lloyd's, the bounded ones) gets them, so both rank rows alike.
   */
  private writeNorms(centres: Float64Array): void {
    const { d, k } = this;
    for (let c = 0; c < k; c++) {
      let s = 0;
      if (this.precision === "float32") {
        for (let j = c * d; j < (c + 1) * d; j++) s += Math.fround(centres[j]) * Math.fround(centres[j]);
      } else for (let j = c * d; j < (c + 1) * d; j++) s += centres[j] * centres[j];
      this.cNorms[c] = s;
    }
  }

  /** Every k-means pass's arguments (memory-layout.ts's KMeansArg); the bounded passes add how far centroids moved. */
  private args(): PassArgs<typeof KMeansArg> {
    const { d, n, k } = this;
    const p = this.ptr;
    return {
      float32: this.precision === "float32" ? 1 : 0, x: p.x, d, n, c: p.c, k, cNorms: p.cNorms, weights: p.weights,
      labels: p.labels, upper: p.upper, lower: p.lower, norms: p.norms, plane: p.plane, planeSlack: p.planeSlack,
      planeCentres: p.planeCentres, centreSlack: p.centreSlack, planeCentreNorms: p.planeCentreNorms, shift: p.shift, half: p.half, halfPairs: p.halfPairs,
      centres: p.centres64 || p.c, previous: p.previous, moved: 0, sums: p.sums, sumsStride: (k * d + k) * 8, scratch: p.scratch,
      scratchStride: kmeansScratchBytes(k), shares: this.shares, running: p.running, delta: p.delta, mean: 0, exact: 0,
    };
  }

  /**
   * Running weights drift: with weights other than 1, adding and later subtracting a row's weight need not return a
   * cluster's total exactly to 0, and "empty" must mean weight 0 exactly (scikit-learn's test for relocation). So a
   * cluster whose running weight has become negligible is summed afresh from its rows (rare: it is emptying).
   */
  private settleEmptied(): void {
    const { n, d, k } = this;
    const total = this.counts.reduce((a, b) => a + Math.max(b, 0), 0);
    const suspect = new Uint8Array(k);
    let any = false;
    for (let c = 0; c < k; c++) {
      if (this.counts[c] > 1e-9 * total) continue;
      suspect[c] = 1;
      any = true;
      this.counts[c] = 0;
      this.sums.fill(0, c * d, (c + 1) * d);
    }
    if (!any) return;
    const weights = this.weights!;
    for (let i = 0; i < n; i++) {
      const c = this.labels[i];
      if (!suspect[c]) continue;
      const w = weights[i];
      this.counts[c] += w;
      for (let j = 0; j < d; j++) this.sums[c * d + j] += w * this.x[i * d + j];
    }
  }

  /**
   * ‖x_i − c_{label_i}‖² for every row, to the centroids of the last pass: what relocating an emptied cluster needs
   * (rare), so computed on demand rather than kept by every pass.
   */
  distancesToAssigned(): Float64Array {
    const { n, d } = this;
    const c = this.previous!;
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const a = this.labels[i];
      let s = 0;
      for (let j = 0; j < d; j++) s += (this.x[i * d + j] - c[a * d + j]) ** 2;
      out[i] = s;
    }
    return out;
  }

  release(): void {
    sharedMemory().arena.release(this.mark);
  }

  private inertiaFromSums(centres: Float64Array): number {
    const { d, k } = this;
    let cross = 0, norms = 0;
    for (let c = 0; c < k; c++) {
      let dot = 0, cc = 0;
      for (let j = 0; j < d; j++) {
        dot += centres[c * d + j] * this.sums[c * d + j];
        cc += centres[c * d + j] ** 2;
      }
      cross += dot;
      norms += this.counts[c] * cc;
    }
    // The three terms cancel: a result within their rounding (~1e-12 of their size, as documented) is 0 to the
    // formula's resolution, and reported as 0 rather than as rounding noise (which, scaled back from rescaled data,
    // could even look like a value beyond float64's range).
    const value = this.weightedSquares - 2 * cross + norms;
    return value > 1e-12 * (this.weightedSquares + 2 * Math.abs(cross) + norms) ? value : 0;
  }
}

/**
 * Rounds `rows` float64 rows of `d` values into `plane` (float32) and writes, per row, how far the rounded row is from
 * the original, ‖x − plane‖ (widened for that sum's own rounding): what the float64 Elkan pass's error intervals need.
 */
function toFloat32Plane(source: FloatArray, rows: number, d: number, plane: Float32Array, slack: Float64Array): void {
  for (let i = 0; i < rows; i++) {
    let s = 0;
    for (let j = i * d; j < (i + 1) * d; j++) {
      plane[j] = source[j];
      s += (source[j] - plane[j]) ** 2; // exact differences: float32 rounding keeps 24 of 53 bits
    }
    slack[i] = Math.sqrt(s) * (1 + 1e-12);
  }
}

/**
 * How many shares the k-means passes cut the rows into, for the threads to claim in turn: several per thread (16 at
 * least, up to the results' 64 slots), so that a thread slowed by other work, or by harder rows, leaves more to the
 * others; blocks of 64 rows at least; and no more than keep the shares' sums (`sumsBytes` each) within 32 MiB, or one
 * per thread. (Each share adds its rows' moves to its own sums, added up in share order after the pass: the same
 * sums whichever thread ran which share.)
 */
function shareCount(n: number, sumsBytes: number, parts: number): number {
  const wanted = Math.min(MAX_PARTS, Math.max(16, 4 * parts), Math.max(parts, Math.floor(2 ** 25 / sumsBytes)));
  return Math.max(1, Math.min(wanted, Math.floor(n / 64)));
}
