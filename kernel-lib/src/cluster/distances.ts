import { pow2Pair } from "../float-range";
import { FloatArray } from "../linalg/matrix";

export interface Assignment {
  /** Nearest centroid of each row (the lower index on an exact tie). */
  labels: Int32Array;
  /** Σ ‖x_i − c_{label_i}‖² of the rescaled rows (multiply by 2^(2·exponent) for the data's units). */
  inertia: number;
}

/**
 * Nearest centroid for every row of a flat n×d array, by exact differences (no ‖x‖² − 2x·c + ‖c‖² expansion, whose
 * cancellation misranks near ties far from the origin), each row's search cut short once a partial sum reaches the
 * best so far. Rows and centroids are multiplied by 2^-exponent on the way, so huge or tiny magnitudes neither overflow
 * nor underflow (pick it with rescaleExponent over both).
 */
export function nearestCentroids(x: FloatArray, n: number, d: number, centroids: ArrayLike<number>, k: number, exponent = 0): Assignment {
  // 2^-exponent in two factors, each inside float64's range even when the product is not.
  const [s1, s2] = pow2Pair(-exponent);
  const c = Float64Array.from(centroids, (v) => v * s1 * s2);
  const row = new Float64Array(d);
  const labels = new Int32Array(n);
  let inertia = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) row[j] = x[i * d + j] * s1 * s2;
    let best = 0, bestDistance = Infinity;
    for (let q = 0; q < k; q++) {
      let s = 0;
      for (let j = 0; j < d && s < bestDistance; j++) {
        const diff = row[j] - c[q * d + j];
        s += diff * diff;
      }
      if (s < bestDistance) {
        bestDistance = s;
        best = q;
      }
    }
    labels[i] = best;
    inertia += bestDistance;
  }
  return { labels, inertia };
}
