import { ShapeError } from "../errors";
import { maxAbsolute, rescaleExponent, scaleBackOrThrow, timesPow2 } from "../float-range";
import { Matrix, MatrixLike, VectorLike } from "../linalg/matrix";
import { RandomSource, toRandom } from "../random/rng";
import { afterValues, checkClusterCount, checkFiniteData, checkFunction, checkNonNegative, checkOneOf, checkOptions, checkPositiveInt, checkSampleWeightsRange, checkShape, notFitted } from "../validate";
import { nearestCentroids } from "./distances";
import { checkInitMethod, explicitCentroids, initialCentroids, KMeansInit } from "./init";
import { KMeansAlgorithm, KMeansWorkspace, Precision, SAFE_BITS } from "./kmeans-workspace";
import { KMeansIteration, lloyd, RESCALE_HINT } from "./lloyd";

export interface KMeansOptions {
  /** Number of clusters. */
  k: number;
  /** "k-means++" (default), "random", "farthest", or explicit k×d starting centroids. */
  init?: KMeansInit;
  /** Independent runs; the one with the lowest inertia wins. Default 10 for "random", else 1. */
  nInit?: number;
  /** Most Lloyd iterations per run. Default 300. */
  maxIter?: number;
  /** Relative tolerance: stop when Σ‖Δc‖² ≤ tol · mean column variance (scikit-learn's rule). Default 1e-4. */
  tol?: number;
  /** Seed (a number) or a `Random` for the initialisation: the same seed, the same fit. */
  seed?: RandomSource;
  /** Keep a centroid snapshot per iteration in `trace` (for animations). Default false. */
  keepHistory?: boolean;
  /** Called after every iteration of every run, e.g. to stream a live trace. */
  onIteration?: (step: KMeansIteration & { run: number }) => void;
  /**
   * Arithmetic of the distance passes: "float64" (default) or "float32", which halves the data copy and doubles
   * the SIMD width; centroids and sums stay float64. (On wide data, "float64" already measures its bounds on a
   * float32 copy and reads the float64 rows only to decide near ties, so there "float32" gains ~5–30 % given float32
   * data. Given float64 data, its set-up reads the data twice, so that it never holds a float64 copy: it can take
   * longer than a "float64" fit.)
   */
  precision?: Precision;
  /**
   * "bounded" (default) keeps Hamerly's distance bounds so that most rows skip the search for their nearest
   * centroid after the first iterations: the same iterates and the same exact per-iteration distortion as "lloyd",
   * which searches every row every time.
   */
  algorithm?: KMeansAlgorithm;
}

export interface KMeansRun {
  run: number;
  init: string;
  inertia: number;
  nIter: number;
  converged: boolean;
  trace: KMeansIteration[];
}

export interface FittedKMeans {
  centroids: Matrix;
  labels: Int32Array;
  inertia: number;
  nIter: number;
  converged: boolean;
  trace: KMeansIteration[];
  runs: KMeansRun[];
  data?: Matrix;
  /** Largest |centroid value|: with new data's, it decides whether predict must rescale. */
  centroidMaxAbs: number;
}

const OPTIONS = ["k", "init", "nInit", "maxIter", "tol", "seed", "keepHistory", "onIteration", "precision", "algorithm"] as const;

/**
 * Lloyd's k-means with scikit-learn's interface and behaviour: k-means++ (greedy) starts, the tolerance scaled by
 * the data's variance, empty clusters moved to the farthest points, exact inertia. Distance bounds skip most rows
 * after the first iterations without changing the result. After `fit`: `centroids`, `labels`, `inertia`, `nIter`,
 * `converged`, the distortion per iteration in `trace`, `predict`; as a cell's value it draws its convergence
 * (and, for 2-D data, the clusters).
 * @example
 * const km = new ml.KMeans({ k: 3, init: "k-means++", seed: 0 }).fit(X);
 * km.labels; km.inertia; km.predict(newRows);
 */
export class KMeans {
  readonly k: number;
  readonly init: KMeansInit;
  readonly nInit: number;
  readonly maxIter: number;
  readonly tol: number;
  readonly precision: Precision;
  readonly algorithm: KMeansAlgorithm;
  private readonly options: KMeansOptions;
  private fitted?: FittedKMeans;

  /**
   * @param options `k` (required), `init`, `nInit`, `maxIter`, `tol`, `seed`, `keepHistory`, `onIteration`,
   * `precision`, `algorithm`; unknown options are refused with the list of known ones.
   */
  constructor(options: KMeansOptions) {
    this.options = checkOptions(options, OPTIONS, "KMeans", "new KMeans({ k: 3 })");
    this.k = checkPositiveInt(options.k, "k");
    this.init = options.init ?? "k-means++";
    checkInitMethod(this.init);
    if (options.onIteration !== undefined) checkFunction(options.onIteration, "onIteration");
    this.nInit = checkPositiveInt(options.nInit ?? (this.init === "random" ? 10 : 1), "nInit");
    this.maxIter = checkPositiveInt(options.maxIter ?? 300, "maxIter");
    this.tol = checkNonNegative(options.tol ?? 1e-4, "tol");
    this.precision = checkOneOf(options.precision ?? "float64", ["float64", "float32"], "precision") as Precision;
    this.algorithm = checkOneOf(options.algorithm ?? "bounded", ["bounded", "lloyd"], "algorithm") as KMeansAlgorithm;
  }

  fit(X: MatrixLike, sampleWeight?: VectorLike): this {
    // X's values are checked where the fit first reads them (the workspace's load): validation, column means and the
    // centred copy share the passes over the data.
    const x = checkShape(X);
    const n = x.rows, d = x.cols, k = this.k;
    const { given, explicit } = afterValues(x, () => {
      checkClusterCount(k, n);
      return {
        given: sampleWeight === undefined ? undefined : checkSampleWeightsRange(sampleWeight, n),
        explicit: typeof this.init === "string" ? undefined : explicitCentroids(this.init, k, d),
      };
    });
    const weightExponent = given ? rescaleExponent(given.maxAbs, SAFE_BITS.float64) : 0;
    const weights = given && (weightExponent === 0 ? given.values : Float64Array.from(given.values, (w) => timesPow2(w, -weightExponent)));
    // Unweighted fits keep no n-length array of ones (it would be half the data's size again for 2-D points).
    let ones: Float64Array | undefined;
    const initWeights = () => weights ?? (ones ??= new Float64Array(n).fill(1));
    const rng = toRandom(this.options.seed);
    const data = new KMeansWorkspace(n, d, k, this.precision, this.algorithm);
    let best: ReturnType<typeof lloyd> | undefined;
    const runs: KMeansRun[] = [];
    try {
      // scikit-learn centres a copy of the data; ours lives in the shared memory the parallel passes read. Magnitudes
      // whose squares would overflow (±1e200) or underflow (1e-200) float64 — or float32, in that mode — are brought
      // near 1 by a power of two, which is exact: the fit is the same, and results are scaled back at the end.
      const loaded = data.load(x, weights, explicit ? maxAbsolute(explicit) : 0);
      const { mean, exponent } = loaded;
      const inertiaOf = (raw: number, what: string) => scaleBackOrThrow(raw, 2 * exponent + weightExponent, what, RESCALE_HINT);
      const rows = exponent === 0 ? x : scaled(x, -exponent); // what the inits draw from
      const initName = typeof this.init === "string" ? this.init : "explicit";
      for (let run = 0; run < this.nInit; run++) {
        // (Loops, not Float64Array.from with a mapping function: that calls it per value, about 1 ms for k·d = 7850.)
        // k-means++ and farthest-first measure distances by the SIMD passes (data.seeding); random picks need none.
        const start = explicit
          ? Float64Array.from(explicit)
          : this.init === "random"
            ? initialCentroids(rows, k, this.init, initWeights(), rng)
            : data.seeding((distances) => initialCentroids(rows, k, this.init, initWeights(), rng, distances));
        if (explicit && exponent !== 0) for (let i = 0; i < start.length; i++) start[i] = timesPow2(start[i], -exponent);
        for (let c = 0; c < k; c++) for (let j = 0; j < d; j++) start[c * d + j] -= mean[j];
        // float32 passes see centroids on the float32 grid (as scikit-learn's float32 fits hold them): a start taken
        // from the rows is then exactly those rows, not a float64 value a rounding away from them.
        if (this.precision === "float32") for (let i = 0; i < start.length; i++) start[i] = Math.fround(start[i]);
        const result = lloyd(data, start, {
          maxIter: this.maxIter,
          tol: this.tol,
          keepHistory: this.options.keepHistory ?? false,
          offset: mean,
          exponent,
          weightExponent,
          onIteration: this.options.onIteration && ((step) => this.options.onIteration!({ ...step, run })),
        });
        runs.push({ run, init: initName, inertia: inertiaOf(result.inertia, `the inertia of run ${run + 1}`), nIter: result.nIter, converged: result.converged, trace: result.trace });
        if (!best || result.inertia < best.inertia) best = result;
      }
      const centroids = new Matrix(k, d, best!.centroids);
      for (let c = 0; c < k; c++) for (let j = 0; j < d; j++) centroids.data[c * d + j] = timesPow2(centroids.data[c * d + j] + mean[j], exponent);
      const winner = runs[runs.findIndex((r) => r.trace === best!.trace)];
      this.fitted = {
        centroids, labels: best!.labels, inertia: winner.inertia, nIter: best!.nIter, converged: best!.converged, trace: best!.trace, runs,
        centroidMaxAbs: maxAbsolute(centroids.data),
        // Only 2-D fits are drawn as points; wider data (images) is not kept alive by the model.
        data: d === 2 ? x : undefined,
      };
    } finally {
      data.release();
    }
    return this;
  }

  /** Nearest fitted centroid for each row. */
  predict(X: MatrixLike): Int32Array {
    return this.assign(X).labels;
  }

  fitPredict(X: MatrixLike, sampleWeight?: VectorLike): Int32Array {
    return this.fit(X, sampleWeight).labels;
  }

  /** Σ‖x − nearest centroid‖² of new data (the distortion, unweighted). */
  distortion(X: MatrixLike): number {
    const { inertia, exponent } = this.assign(X);
    return scaleBackOrThrow(inertia, 2 * exponent, "the distortion of X", RESCALE_HINT);
  }

  get centroids(): Matrix { return this.model.centroids; }
  get labels(): Int32Array { return this.model.labels; }
  get inertia(): number { return this.model.inertia; }
  get nIter(): number { return this.model.nIter; }
  get converged(): boolean { return this.model.converged; }
  /** The winning run's iterations. */
  get trace(): KMeansIteration[] { return this.model.trace; }
  /** Every run (one per nInit), for overlaid convergence plots. */
  get runs(): KMeansRun[] { return this.model.runs; }
  /** For 2-D data, the rows the model was fitted on (the caller's Matrix itself when X was one), for plots. */
  get data(): Matrix | undefined { return this.model.data; }
  get isFitted(): boolean { return this.fitted !== undefined; }

  toString(): string {
    if (!this.fitted) return `KMeans k=${this.k} (not fitted)`;
    const f = this.fitted;
    return `KMeans k=${this.k}: ${f.nIter} iterations, inertia ${f.inertia.toPrecision(4)}, ${f.converged ? "converged" : "not converged (raise maxIter)"}`;
  }

  private get model(): FittedKMeans {
    if (!this.fitted) throw notFitted("KMeans");
    return this.fitted;
  }

  /** Nearest centroids of X's rows, and their distortion as inertia·2^(2·exponent). */
  private assign(X: MatrixLike): { labels: Int32Array; inertia: number; exponent: number } {
    const { centroids, centroidMaxAbs } = this.model;
    const { x, maxAbs } = checkFiniteData(X);
    if (x.cols !== centroids.cols) throw new ShapeError(`X has ${x.cols} columns but the model was fitted on ${centroids.cols}`);
    const exponent = rescaleExponent(Math.max(maxAbs, centroidMaxAbs), SAFE_BITS.float64);
    return { ...nearestCentroids(x.data, x.rows, x.cols, centroids.data, this.k, exponent), exponent };
  }
}

/** X·2^e as a new matrix of X's element type (exact: a power of two only moves the exponent). */
function scaled(x: Matrix, e: number): Matrix {
  const data = x.data instanceof Float32Array ? new Float32Array(x.data.length) : new Float64Array(x.data.length);
  for (let i = 0; i < data.length; i++) data[i] = timesPow2(x.data[i], e);
  return new Matrix(x.rows, x.cols, data);
}
