import { LloydWorkspace } from "./lloyd-kernel";

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
  centroids: Float64Array;
  labels: Int32Array;
  inertia: number;
  nIter: number;
  converged: boolean;
  trace: KMeansIteration[];
  /** Clusters that were empty at some iteration and were moved to far-away points. */
  relocations: number;
}

export interface LloydOptions {
  maxIter: number;
  /** Absolute threshold on Σ‖Δc‖² (already scaled by the data's variance). */
  tol: number;
  keepHistory: boolean;
  /** Added back to centroids in history snapshots (the data is centred). */
  offset: Float64Array;
  onIteration?: (step: KMeansIteration) => void;
}

/**
 * Lloyd's algorithm on centred data, following scikit-learn's loop: assign, update, stop when labels repeat
 * (strict convergence) or the centre shift falls under tol, and finish with an assignment to the final centres
 * so that labels and centroids agree. Each iteration is one fused pass of `data` (assign and sum).
 */
export function lloyd(data: LloydWorkspace, init: Float64Array, options: LloydOptions): LloydResult {
  const { n, d, k } = data;
  let centres = Float64Array.from(init);
  let next = new Float64Array(k * d);
  data.resetLabels();
  const trace: KMeansIteration[] = [];
  let converged = false, strict = false, relocations = 0, iter = 0;
  let inertia = Infinity;

  for (iter = 1; iter <= options.maxIter; iter++) {
    const step = data.assign(centres);
    inertia = step.inertia;
    relocations += updateCentres(data, step.sums, step.counts, next);
    let shift = 0;
    for (let i = 0; i < k * d; i++) shift += (next[i] - centres[i]) ** 2;
    [centres, next] = [next, centres];
    const record: KMeansIteration = { iteration: iter, inertia, centerShift: shift, changed: step.changed, searched: step.searched };
    if (options.keepHistory) record.centroids = snapshot(centres, k, d, options.offset);
    trace.push(record);
    options.onIteration?.(record);
    if (iter > 1 && step.changed === 0) {
      converged = strict = true;
      break;
    }
    if (shift <= options.tol) {
      converged = true;
      break;
    }
  }
  const nIter = Math.min(iter, options.maxIter);
  if (!strict) inertia = data.assign(centres).inertia;
  return { centroids: centres, labels: Int32Array.from(data.labels), inertia, nIter, converged, trace, relocations };
}

/**
 * Cluster means from the pass's weighted sums into `out`. A cluster left empty takes the point farthest from its
 * own centre (scikit-learn's rule), which is taken out of its old cluster's sum. Returns how many were relocated.
 */
function updateCentres(data: LloydWorkspace, sums: Float64Array, clusterWeight: Float64Array, out: Float64Array): number {
  const { d, k, x, labels } = data;
  out.set(sums);
  const empty: number[] = [];
  for (let c = 0; c < k; c++) if (clusterWeight[c] === 0) empty.push(c);
  if (empty.length > 0) {
    const far = farthestPoints(data.distancesToAssigned(), data, empty.length);
    empty.forEach((c, e) => {
      const i = far[e];
      if (i === undefined) return; // fewer distinct far points than empty clusters: leave it at 0 weight
      const old = labels[i], w = data.weight(i), base = i * d;
      for (let j = 0; j < d; j++) {
        out[old * d + j] -= w * x[base + j];
        out[c * d + j] = w * x[base + j];
      }
      clusterWeight[old] -= w;
      clusterWeight[c] = w;
    });
  }
  for (let c = 0; c < k; c++) {
    const cw = clusterWeight[c];
    if (cw > 0) for (let j = 0; j < d; j++) out[c * d + j] /= cw;
    else for (let j = 0; j < d; j++) out[c * d + j] = 0;
  }
  return empty.length;
}

/** Indices of the `count` points (with positive weight) farthest from their centre, farthest first. */
function farthestPoints(closest: Float64Array, data: LloydWorkspace, count: number): number[] {
  const order: number[] = [];
  for (let i = 0; i < closest.length; i++) if (data.weight(i) > 0) order.push(i);
  order.sort((a, b) => closest[b] - closest[a] || a - b);
  return order.slice(0, count);
}

function snapshot(centres: Float64Array, k: number, d: number, offset: Float64Array): number[][] {
  const out: number[][] = [];
  for (let c = 0; c < k; c++) out.push(Array.from({ length: d }, (_, j) => centres[c * d + j] + offset[j]));
  return out;
}
