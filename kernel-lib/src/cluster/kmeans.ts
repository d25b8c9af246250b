import { ShapeError } from "../errors";
import { Matrix, MatrixLike, VectorLike } from "../linalg/matrix";
import { RandomSource, toRandom } from "../random/rng";
import { columnMeans } from "../stats/summary";
import { checkClusterCount, checkData, checkNonNegative, checkOneOf, checkPositiveInt, checkSampleWeights } from "../validate";
import { assignToNearest } from "./distances";
import { initialCentroids, KMeansInit } from "./init";
import { KMeansIteration, lloyd } from "./lloyd";
import { KMeansAlgorithm, LloydWorkspace, Precision } from "./lloyd-kernel";

export interface KMeansOptions {
  k: number;
  /** "k-means++" (default), "random", "farthest", or explicit k×d starting centroids. */
  init?: KMeansInit;
  /** Independent runs; the one with the lowest inertia wins. Default 10 for "random", else 1. */
  nInit?: number;
  maxIter?: number;
  /** Relative tolerance: stop when Σ‖Δc‖² ≤ tol · mean column variance (scikit-learn's rule). Default 1e-4. */
  tol?: number;
  seed?: RandomSource;
  /** Keep a centroid snapshot per iteration in `trace` (for animations). Default false. */
  keepHistory?: boolean;
  /** Called after every iteration of every run, e.g. to stream a live trace. */
  onIteration?: (step: KMeansIteration & { run: number }) => void;
  /**
   * Arithmetic of the distance kernels: "float64" (default) or "float32", which halves the data copy and doubles
   * the SIMD width; centroids and sums stay float64. (On wide data, "float64" already measures its bounds on a
   * float32 copy and reads the float64 rows only to decide near ties, so there "float32" gains ~5–30 %.)
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
  data: Matrix;
}

/** Lloyd's k-means with scikit-learn's interface and behaviour (see DESIGN.md). */
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

  constructor(options: KMeansOptions) {
    this.options = options;
    this.k = checkPositiveInt(options.k, "k");
    this.init = options.init ?? "k-means++";
    this.nInit = checkPositiveInt(options.nInit ?? (this.init === "random" ? 10 : 1), "nInit");
    this.maxIter = checkPositiveInt(options.maxIter ?? 300, "maxIter");
    this.tol = checkNonNegative(options.tol ?? 1e-4, "tol");
    this.precision = checkOneOf(options.precision ?? "float64", ["float64", "float32"], "precision") as Precision;
    this.algorithm = checkOneOf(options.algorithm ?? "bounded", ["bounded", "lloyd"], "algorithm") as KMeansAlgorithm;
  }

  fit(X: MatrixLike, sampleWeight?: VectorLike): this {
    const x = checkData(X);
    checkClusterCount(this.k, x.rows);
    // Unweighted fits keep no n-length array of ones (it would be half the data's size again for 2-D points).
    const weights = sampleWeight === undefined ? undefined : checkSampleWeights(sampleWeight, x.rows);
    let ones: Float64Array | undefined;
    const initWeights = () => weights ?? (ones ??= new Float64Array(x.rows).fill(1));
    const rng = toRandom(this.options.seed);
    const mean = columnMeans(x);
    const data = new LloydWorkspace(x.rows, x.cols, this.k, this.precision, this.algorithm);
    let best: ReturnType<typeof lloyd> | undefined;
    const runs: KMeansRun[] = [];
    try {
      // scikit-learn centres a copy of the data; ours lives in the shared memory the parallel kernels read.
      data.load(x, mean, weights);
      // scikit-learn's tolerance: tol × the mean column variance, read off the centred copy (Σ centred² / (n·d)).
      let sumSquares = 0;
      for (let i = 0; i < data.x.length; i++) sumSquares += data.x[i] * data.x[i];
      const tol = this.tol * (sumSquares / data.x.length);
      const initName = typeof this.init === "string" ? this.init : "explicit";
      for (let run = 0; run < this.nInit; run++) {
        const start = typeof this.init === "string" ? initialCentroids(x, this.k, this.init, initWeights(), rng) : initialCentroids(x, this.k, this.init, new Float64Array(0), rng);
        for (let c = 0; c < this.k; c++) for (let j = 0; j < x.cols; j++) start[c * x.cols + j] -= mean[j];
        const result = lloyd(data, start, {
          maxIter: this.maxIter,
          tol,
          keepHistory: this.options.keepHistory ?? false,
          offset: mean,
          onIteration: this.options.onIteration && ((step) => this.options.onIteration!({ ...step, run })),
        });
        runs.push({ run, init: initName, inertia: result.inertia, nIter: result.nIter, converged: result.converged, trace: result.trace });
        if (!best || result.inertia < best.inertia) best = result;
      }
    } finally {
      data.release();
    }
    const centroids = new Matrix(this.k, x.cols, best!.centroids);
    for (let c = 0; c < this.k; c++) for (let j = 0; j < x.cols; j++) centroids.data[c * x.cols + j] += mean[j];
    this.fitted = { centroids, labels: best!.labels, inertia: best!.inertia, nIter: best!.nIter, converged: best!.converged, trace: best!.trace, runs, data: x };
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
    return this.assign(X).inertia;
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
  /** The rows the model was fitted on (the caller's Matrix itself, not a copy, when X was one), for plots. */
  get data(): Matrix { return this.model.data; }
  get isFitted(): boolean { return this.fitted !== undefined; }

  toString(): string {
    if (!this.fitted) return `KMeans k=${this.k} (not fitted)`;
    const f = this.fitted;
    return `KMeans k=${this.k}: ${f.nIter} iterations, inertia ${f.inertia.toPrecision(4)}, ${f.converged ? "converged" : "not converged (raise maxIter)"}`;
  }

  private get model(): FittedKMeans {
    if (!this.fitted) throw new ShapeError("This KMeans is not fitted yet; call fit(X) first");
    return this.fitted;
  }

  private assign(X: MatrixLike): { labels: Int32Array; inertia: number } {
    const { centroids } = this.model;
    const x = checkData(X);
    if (x.cols !== centroids.cols) throw new ShapeError(`X has ${x.cols} columns but the model was fitted on ${centroids.cols}`);
    const labels = new Int32Array(x.rows);
    const { inertia } = assignToNearest(
      x.data, x.rows, x.cols, Float64Array.from(centroids.data), this.k,
      new Float64Array(x.rows).fill(1), labels, new Float64Array(x.rows),
    );
    return { labels, inertia };
  }
}

/** X − mean, keeping X's element type (float32 data stays float32). */

