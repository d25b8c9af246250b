import { scaleBackOrThrow, timesPow2 } from "../float-range";
import { reportProgress } from "../progress";
import { KMeansWorkspace } from "./kmeans-workspace";

export interface KMeansIteration {
  /** 1-based. */
  iteration: number;
  /** Distortion Σ w‖x − c‖² of this iteration's assignment (to the centroids it started from). */
  inertia: number;
  /** Σ‖c_new − c_old‖² of the update that followed. */
  centerShift: number;
  /** Labels that changed in this iteration's assignment. */
  changed: number;
  /** Rows whose nearest centroid had to be searched for; the others were settled by distance bounds. */
  searched: number;
  /** Centroid snapshot after the update (only when history is kept). */
  centroids?: number[][];
}

export interface LloydResult {
  /** Final centroids, in the workspace's (centred, rescaled) coordinates. */
  centroids: Float64Array;
  labels: Int32Array;
  /** Σ w‖x − c‖² of the final labels and centroids, exact (from differences), in the workspace's units. */
  inertia: number;
  nIter: number;
  converged: boolean;
  /** Per iteration, in the data's own units. */
  trace: KMeansIteration[];
  /** Clusters that were empty at some iteration and were moved to far-away points. */
  relocations: number;
}

export interface LloydOptions {
  maxIter: number;
  /**
   * scikit-learn's tolerance: the fit stops when Σ‖Δc‖² ≤ tol × the mean column variance of the centred data
   * (Σ centred² / (n·d)), read off the workspace after the first pass (which may be the one that centres it).
   */
  tol: number;
  keepHistory: boolean;
  /** Added back to centroids in history snapshots (the data is centred). */
  offset: Float64Array;
  /**
   * The workspace holds X·2^-exponent (weights·2^-weightExponent) when X's magnitudes needed rescaling to stay in
   * float64's range; the trace reports values scaled back (0 and 0 when nothing was rescaled).
   */
  exponent?: number;
  weightExponent?: number;
  onIteration?: (step: KMeansIteration) => void;
}

/** What to do when a per-iteration value is beyond float64's range: say how to rescale. */
export const RESCALE_HINT = "divide X by a constant first (e.g. X·1e-100): k-means finds the same clusters on scaled data, and its inertia scales by the constant squared";

/**
 * Lloyd's algorithm on centred data, following scikit-learn's loop: assign, update, stop when labels repeat
 * (strict convergence) or the centre shift falls under tol, and finish with an assignment to the final centres
 * so that labels and centroids agree. Each iteration is one fused pass of `data` (assign and sum).
 */
export function lloyd(data: KMeansWorkspace, init: Float64Array, options: LloydOptions): LloydResult {
  const { k, d } = data;
  let centres = Float64Array.from(init);
  let next = new Float64Array(k * d);
  data.resetLabels();
  const trace: KMeansIteration[] = [];
  let converged = false, strict = false, relocations = 0, iter: number;
  const exponent = options.exponent ?? 0, weightExponent = options.weightExponent ?? 0;
  const squared = 2 * exponent;
  let tol = NaN;

  for (iter = 1; iter <= options.maxIter; iter++) {
    const step = data.assign(centres);
    if (iter === 1) tol = options.tol * (data.sumSquares / (data.n * d));
    relocations += updateCentres(data, step.sums, step.counts, next);
    let shift = 0;
    for (let i = 0; i < k * d; i++) shift += (next[i] - centres[i]) ** 2;
    [centres, next] = [next, centres];
    const record: KMeansIteration = {
      iteration: iter,
      inertia: scaleBackOrThrow(step.inertia, squared + weightExponent, `the inertia at iteration ${iter}`, RESCALE_HINT),
      centerShift: scaleBackOrThrow(shift, squared, `the centre shift at iteration ${iter}`, RESCALE_HINT),
      changed: step.changed,
      searched: step.searched,
    };
    if (options.keepHistory) record.centroids = snapshot(centres, k, d, options.offset, exponent);
    trace.push(record);
    options.onIteration?.(record);
    reportProgress(data, "KMeans", iter, record.inertia, "distortion");
    // scikit-learn's order: labels that did not change stop the fit (strict convergence) before tol is looked at.
    if (iter > 1 && step.changed === 0) {
      converged = strict = true;
      break;
    }
    if (shift <= tol) {
      converged = true;
      break;
    }
  }
  const nIter = Math.min(iter, options.maxIter);
  // Labels that agree with the final centres (scikit-learn's last E-step), unless strict convergence says they do; the
  // exact inertia comes with that pass, or else from one of its own.
  const inertia = strict ? data.inertia(centres) : data.assign(centres, true).inertia;
  return { centroids: centres, labels: Int32Array.from(data.labels), inertia, nIter, converged, trace, relocations };
}

/**
 * Cluster means from the pass's weighted sums into `out`. A cluster with no weight takes a far point, by scikit-learn's
 * rule (1.2.2, `_relocate_empty_clusters_dense`): the n_empty rows farthest from their centres, whatever their weight,
 * in turn; the row's weighted values leave its old cluster's sum and become the new cluster's, so a zero-weight row
 * leaves its new cluster weightless, and then at 0 (the data's mean), as scikit-learn's does. Returns how many moved.
 */
function updateCentres(data: KMeansWorkspace, sums: Float64Array, clusterWeight: Float64Array, out: Float64Array): number {
  const { d, k, x, labels } = data;
  out.set(sums);
  const empty: number[] = [];
  for (let c = 0; c < k; c++) if (clusterWeight[c] === 0) empty.push(c);
  if (empty.length > 0) {
    const far = farthestRows(data.distancesToAssigned(), empty.length);
    empty.forEach((c, e) => {
      const i = far[e], old = labels[i], w = data.weight(i), base = i * d;
      for (let j = 0; j < d; j++) {
        out[old * d + j] -= x[base + j] * w;
        out[c * d + j] = x[base + j] * w;
      }
      clusterWeight[c] = w;
      clusterWeight[old] -= w;
    });
  }
  for (let c = 0; c < k; c++) {
    const cw = clusterWeight[c];
    if (cw > 0) for (let j = 0; j < d; j++) out[c * d + j] /= cw;
    else for (let j = 0; j < d; j++) out[c * d + j] = 0;
  }
  return empty.length;
}

/**
 * The `count` rows farthest from their centres, farthest first. scikit-learn takes them from numpy.argpartition, which
 * for one empty cluster returns the last row at the largest distance; among several chosen rows (and among equal
 * distances) its order is unspecified, and this takes later rows first. One scan, keeping the `count` best so far
 * (count < k, so this is O(n·k) at worst and O(n) for the usual single empty cluster).
 */
function farthestRows(distances: Float64Array, count: number): number[] {
  const best: number[] = [];
  for (let i = 0; i < distances.length; i++) {
    const v = distances[i];
    if (best.length === count && v < distances[best[count - 1]]) continue;
    // Later rows win ties, so i goes before every kept row at its distance.
    let at = best.length;
    while (at > 0 && distances[best[at - 1]] <= v) at--;
    best.splice(at, 0, i);
    if (best.length > count) best.pop();
  }
  return best;
}

function snapshot(centres: Float64Array, k: number, d: number, offset: Float64Array, exponent: number): number[][] {
  const out: number[][] = [];
  for (let c = 0; c < k; c++) out.push(Array.from({ length: d }, (_, j) => timesPow2(centres[c * d + j] + offset[j], exponent)));
  return out;
}
