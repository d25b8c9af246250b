import { InvalidArgumentError, ShapeError } from "../errors";
import { rescaleExponent, timesPow2 } from "../float-range";
import { describe, Matrix, MatrixLike, VectorLike } from "../linalg/matrix";
import { KMeans } from "../cluster/kmeans";
import { RandomSource, Random, toRandom } from "../random/rng";
import { covariance as sampleCovariance } from "../stats/summary";
import { afterValues, checkClusterCount, checkData, checkFiniteData, checkFunction, checkNonNegative, checkOneOf, checkOptions, checkPositiveInt, checkProbabilities, checkShape, notFitted } from "../validate";
import { COVARIANCE_TYPES, Covariances, CovarianceType } from "./covariance";
import { EMPass } from "./em-pass";
import { expectation, MixtureParameters } from "./expectation";
import { maximize, needsFullSums, statisticsOf } from "./maximization";
import { checkLogLikelihoodInRange, checkParametersInRange } from "./range-checks";
import { EMSnapshot, snapshotOf } from "./steps";
import { reportProgress } from "../progress";

/** Explicit starting parameters; covariances default to the data covariance and weights to uniform. */
export interface GaussianMixtureStart {
  means: MatrixLike;
  weights?: VectorLike;
  /** Full d×d matrices, one per component (reduced to the covariance type). */
  covariances?: MatrixLike[];
}

export interface GaussianMixtureOptions {
  /** Number of mixture components. */
  k: number;
  /** "full" (default): one d×d covariance per component; "diag", "spherical" (one variance), or "tied" (one shared). */
  covarianceType?: CovarianceType;
  /** Stop when the mean per-sample log-likelihood changes by less than tol. Default 1e-3 (scikit-learn). */
  tol?: number;
  /** Added to every variance so covariances stay positive definite. Default 1e-6 (scikit-learn). */
  regCovar?: number;
  /** Most EM iterations per run. Default 100. */
  maxIter?: number;
  /** Independent runs from different starts; the one with the highest log-likelihood wins. Default 1. */
  nInit?: number;
  /** "kmeans" (default): responsibilities from a k-means labelling; "random": random responsibilities; or explicit parameters. */
  init?: "kmeans" | "random" | GaussianMixtureStart;
  /** Seed (a number) or a `Random` for the starts: the same seed, the same fit. */
  seed?: RandomSource;
  /**
   * Keep parameters after every iteration (for contour plots at any iteration), each with its own mean
   * log-likelihood. Default: when d ≤ 10.
   */
  keepSnapshots?: boolean;
  /** Called after every EM iteration of every run, e.g. to stream a live log-likelihood trace. */
  onIteration?: (step: GaussianMixtureIteration) => void;
}

export interface GaussianMixtureIteration {
  run: number;
  iteration: number;
  /** Mean per-sample log-likelihood of the parameters this iteration's E-step used (scikit-learn's lower bound). */
  logLikelihood: number;
  /** logLikelihood minus the previous iteration's; absent at iteration 1, which has none (scikit-learn's +∞). */
  change?: number;
}

const OPTIONS = ["k", "covarianceType", "tol", "regCovar", "maxIter", "nInit", "init", "seed", "keepSnapshots", "onIteration"] as const;

interface FittedMixture {
  params: MixtureParameters;
  d: number;
  nIter: number;
  converged: boolean;
  lowerBound: number;
  trace: GaussianMixtureIteration[];
  snapshots: EMSnapshot[];
  runs: { run: number; lowerBound: number; nIter: number; converged: boolean; trace: GaussianMixtureIteration[] }[];
}

/**
 * A Gaussian mixture fitted by expectation–maximisation, with scikit-learn's `GaussianMixture` semantics: k-means
 * starts, `regCovar` added to every variance, convergence on the mean per-sample log-likelihood. After `fit`:
 * `means`, `covariances`, `weights`, `predict`, `predictProba`, `scoreSamples`, `bic`, `aic`, and per-iteration
 * `snapshots`. As a cell's value it shows its log-likelihood trace.
 * @example
 * const gm = new ml.GaussianMixture({ k: 3, covarianceType: "full", seed: 0 }).fit(X);
 * gm.predict(X); gm.bic(X);
 */
export class GaussianMixture {
  readonly k: number;
  readonly covarianceType: CovarianceType;
  readonly tol: number;
  readonly regCovar: number;
  readonly maxIter: number;
  readonly nInit: number;
  private readonly options: GaussianMixtureOptions;
  private fitted?: FittedMixture;

  /**
   * @param options `k` (required), `covarianceType`, `tol`, `regCovar`, `maxIter`, `nInit`, `init`, `seed`,
   * `keepSnapshots`, `onIteration`; unknown options are refused with the list of known ones.
   */
  constructor(options: GaussianMixtureOptions) {
    this.options = checkOptions(options, OPTIONS, "GaussianMixture", "new GaussianMixture({ k: 3 })");
    this.k = checkPositiveInt(options.k, "k");
    this.covarianceType = checkOneOf(options.covarianceType ?? "full", COVARIANCE_TYPES, "covarianceType");
    this.tol = checkNonNegative(options.tol ?? 1e-3, "tol");
    this.regCovar = checkNonNegative(options.regCovar ?? 1e-6, "regCovar");
    this.maxIter = checkPositiveInt(options.maxIter ?? 100, "maxIter");
    this.nInit = checkPositiveInt(options.nInit ?? 1, "nInit");
    const init = options.init ?? "kmeans";
    if (typeof init === "string") checkOneOf(init, ["kmeans", "random"], "init");
    else checkOptions(init, ["means", "weights", "covariances"], "init", "{ means: [[0, 0], [5, 5]] }");
    if (options.onIteration !== undefined) checkFunction(options.onIteration, "onIteration");
  }

  /**
   * EM as scikit-learn runs it (`sklearn/mixture/_base.py`): each iteration one E-step, the EM pass over the data
   * (em-pass.ts), then the one M-step (`maximize`); the start is itself an M-step, from responsibilities, unless
   * explicit.
   */
  fit(X: MatrixLike): this {
    const x = checkShape(X);
    const n = x.rows, d = x.cols, k = this.k;
    afterValues(x, () => checkClusterCount(k, n));
    const rng = toRandom(this.options.seed);
    const keep = this.options.keepSnapshots ?? d <= 10;
    let best: FittedMixture | undefined;
    const runs: FittedMixture["runs"] = [];
    // Copying X in is the one check of its values (every one finite) the fit makes.
    const pass = new EMPass(x, k, this.covarianceType);
    const { maxAbs } = pass;
    try {
      for (let run = 0; run < this.nInit; run++) {
        let params = this.initialParameters(x, maxAbs, rng);
        checkParametersInRange(params, maxAbs, "at the start");
        const trace: GaussianMixtureIteration[] = [];
        const snapshots: EMSnapshot[] = keep ? [snapshotOf(0, params, NaN, d)] : [];
        let lowerBound = -Infinity, converged = false, iter = 0;
        for (iter = 1; iter <= this.maxIter; iter++) {
          const previous = lowerBound;
          const { logLikelihood, statistics } = pass.run(params);
          checkLogLikelihoodInRange(logLikelihood, maxAbs, `at iteration ${iter}`);
          params = maximize(statistics, this.covarianceType, this.regCovar);
          checkParametersInRange(params, maxAbs, `at iteration ${iter}`);
          lowerBound = logLikelihood / n;
          // This E-step scored the parameters of the previous snapshot.
          if (keep) snapshots[iter - 1].logLikelihood = lowerBound;
          const record: GaussianMixtureIteration = { run, iteration: iter, logLikelihood: lowerBound };
          if (iter > 1) record.change = lowerBound - previous;
          trace.push(record);
          if (keep) snapshots.push(snapshotOf(iter, params, NaN, d));
          this.options.onIteration?.(record);
          reportProgress(runs, "GaussianMixture", iter, lowerBound, "mean log-likelihood");
          if (record.change !== undefined && Math.abs(record.change) < this.tol) {
            converged = true;
            break;
          }
        }
        const nIter = Math.min(iter, this.maxIter);
        if (keep) {
          const final = pass.run(params).logLikelihood;
          checkLogLikelihoodInRange(final, maxAbs, "of the fitted parameters");
          snapshots[snapshots.length - 1].logLikelihood = final / n;
        }
        runs.push({ run, lowerBound, nIter, converged, trace });
        if (!best || lowerBound > best.lowerBound) best = { params, d, nIter, converged, lowerBound, trace, snapshots, runs };
      }
    } finally {
      pass.release();
    }
    this.fitted = best!;
    return this;
  }

  /** Component with the highest posterior probability for each row. */
  predict(X: MatrixLike): Int32Array {
    const p = this.predictProba(X);
    const labels = new Int32Array(p.rows);
    for (let i = 0; i < p.rows; i++) {
      let best = 0;
      for (let c = 1; c < p.cols; c++) if (p.data[i * p.cols + c] > p.data[i * p.cols + best]) best = c;
      labels[i] = best;
    }
    return labels;
  }

  /** Posterior responsibilities p(component | x), n×k. */
  predictProba(X: MatrixLike): Matrix {
    const { x, e } = this.evaluate(X);
    return new Matrix(x.rows, this.k, e.resp);
  }

  /** log p(x) for each row. */
  scoreSamples(X: MatrixLike): Float64Array {
    return this.evaluate(X).e.sampleLogLikelihood;
  }

  /** Mean per-sample log-likelihood. */
  score(X: MatrixLike): number {
    const { x, e } = this.evaluate(X);
    return e.logLikelihood / x.rows;
  }

  /** Bayesian information criterion: −2·log L + p·ln n (lower is better). */
  bic(X: MatrixLike): number {
    const { x, e } = this.evaluate(X);
    return -2 * e.logLikelihood + this.parameterCount() * Math.log(x.rows);
  }

  /** Akaike information criterion: −2·log L + 2p. */
  aic(X: MatrixLike): number {
    return -2 * this.evaluate(X).e.logLikelihood + 2 * this.parameterCount();
  }

  parameterCount(): number {
    const { params, d } = this.model;
    return params.covariances.parameterCount() + this.k * d + this.k - 1;
  }

  get weights(): Float64Array { return this.model.params.weights; }
  get means(): Matrix { return new Matrix(this.k, this.model.d, this.model.params.means); }
  /** Each component's covariance as a full d×d matrix, whatever the covariance type. */
  get covariances(): Matrix[] { return this.model.params.covariances.toFull(); }
  get nIter(): number { return this.model.nIter; }
  get converged(): boolean { return this.model.converged; }
  /** scikit-learn's lower_bound_: mean log-likelihood at the last iteration's E-step. */
  get lowerBound(): number { return this.model.lowerBound; }
  get trace(): GaussianMixtureIteration[] { return this.model.trace; }
  get snapshots(): EMSnapshot[] { return this.model.snapshots; }
  get runs(): FittedMixture["runs"] { return this.model.runs; }
  get isFitted(): boolean { return this.fitted !== undefined; }

  toString(): string {
    if (!this.fitted) return `GaussianMixture k=${this.k} (${this.covarianceType}, not fitted)`;
    const f = this.fitted;
    return `GaussianMixture k=${this.k} (${this.covarianceType}): ${f.nIter} iterations, mean log-likelihood ${f.lowerBound.toPrecision(6)}, ${f.converged ? "converged" : "not converged (raise maxIter)"}`;
  }

  private get model(): FittedMixture {
    if (!this.fitted) throw notFitted("GaussianMixture");
    return this.fitted;
  }

  private evaluate(X: MatrixLike) {
    const { params, d } = this.model;
    const { x, maxAbs } = checkFiniteData(X);
    if (x.cols !== d) throw new ShapeError(`X has ${x.cols} columns but the model was fitted on ${d}`);
    const e = expectation(x.data, x.rows, params);
    checkLogLikelihoodInRange(e.logLikelihood, maxAbs, "of X under the fitted mixture");
    return { x, e };
  }

  private initialParameters(x: Matrix, maxAbs: number, rng: Random): MixtureParameters {
    const init = this.options.init ?? "kmeans";
    const n = x.rows, k = this.k;
    if (typeof init === "object") return this.explicitParameters(x, init);
    const resp = new Float64Array(n * k);
    if (init === "kmeans") {
      // Only the labels are used, and they do not change when X is scaled by a power of two: scaled near 1 (as KMeans
      // would itself), huge values give the same start without the k-means inertia overflowing along the way.
      const e = rescaleExponent(maxAbs, 200);
      const start = e === 0 ? x : new Matrix(n, x.cols, Float64Array.from(x.data, (v) => timesPow2(v, -e)));
      const labels = new KMeans({ k, nInit: 1, seed: rng }).fit(start).labels;
      for (let i = 0; i < n; i++) resp[i * k + labels[i]] = 1;
    } else {
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let c = 0; c < k; c++) s += resp[i * k + c] = rng.random();
        for (let c = 0; c < k; c++) resp[i * k + c] /= s;
      }
    }
    return maximize(statisticsOf(x.data, n, x.cols, resp, k, needsFullSums(this.covarianceType)), this.covarianceType, this.regCovar);
  }

  private explicitParameters(x: Matrix, start: GaussianMixtureStart): MixtureParameters {
    const d = x.cols, k = this.k;
    const means = checkData(start.means, "init.means");
    if (means.rows !== k || means.cols !== d) throw new ShapeError(`init.means is ${means.rows}×${means.cols}; expected ${k}×${d}`);
    const weights = start.weights ? checkProbabilities(start.weights, "init.weights", 1e-6) : new Float64Array(k).fill(1 / k);
    if (weights.length !== k) throw new ShapeError(`init.weights has ${weights.length} entries; expected ${k}`);
    let full: Matrix[];
    if (start.covariances !== undefined) {
      if (!Array.isArray(start.covariances)) throw new InvalidArgumentError(`init.covariances must be an array of ${k} matrices, got ${describe(start.covariances)}`);
      if (start.covariances.length !== k) throw new ShapeError(`init.covariances has ${start.covariances.length} matrices; expected ${k}`);
      full = start.covariances.map((c, i) => checkData(c, `init.covariances[${i}]`));
    } else {
      if (x.rows < 2) throw new InvalidArgumentError("the default initial covariance needs at least 2 samples; pass init.covariances");
      const cov = sampleCovariance(x, 0);
      for (let j = 0; j < d; j++) cov.data[j * d + j] += this.regCovar;
      full = Array.from({ length: k }, () => cov);
    }
    const covariances = Covariances.fromFull(this.covarianceType, full);
    return { weights, means: Float64Array.from(means.data), covariances };
  }
}
