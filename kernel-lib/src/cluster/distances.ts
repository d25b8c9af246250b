import { FloatArray } from "../linalg/matrix";

/** ‖x_i‖² for every row of a flat row-major n×d array. */
export function rowSquaredNorms(data: FloatArray, n: number, d: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    const base = i * d;
    for (let j = 0; j < d; j++) s += data[base + j] * data[base + j];
    out[i] = s;
  }
  return out;
}

export interface Assignment {
  /** Σ w_i ‖x_i − c_{label_i}‖², computed from exact differences (not the expansion). */
  inertia: number;
  /** How many labels differ from what `labels` held before. */
  changed: number;
}

/**
 * Nearest centroid for every row. The argmin uses ‖x‖² − 2x·c + ‖c‖², which turns the k·d inner work into
 * dot products; the winner's distance is then recomputed from differences so inertia stays exact.
 * Fills `labels` and `closestDistSq` in place.
 */
export function assignToNearest(
  x: FloatArray,
  n: number,
  d: number,
  centroids: Float64Array,
  k: number,
  weights: Float64Array,
  labels: Int32Array,
  closestDistSq: Float64Array,
): Assignment {
  const cNorms = rowSquaredNorms(centroids, k, d);
  let inertia = 0, changed = 0;
  for (let i = 0; i < n; i++) {
    const base = i * d;
    let best = 0, bestScore = Infinity;
    for (let c = 0; c < k; c++) {
      const cb = c * d;
      let dotp = 0;
      for (let j = 0; j < d; j++) dotp += x[base + j] * centroids[cb + j];
      const score = cNorms[c] - 2 * dotp;
      if (score < bestScore) {
        bestScore = score;
        best = c;
      }
    }
    let exact = 0;
    const cb = best * d;
    for (let j = 0; j < d; j++) {
      const diff = x[base + j] - centroids[cb + j];
      exact += diff * diff;
    }
    if (labels[i] !== best) changed++;
    labels[i] = best;
    closestDistSq[i] = exact;
    inertia += weights[i] * exact;
  }
  return { inertia, changed };
}
