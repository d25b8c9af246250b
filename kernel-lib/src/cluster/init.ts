import { InvalidArgumentError, ShapeError } from "../errors";
import { assertFiniteMatrix, describe, FloatArray, Matrix, MatrixLike, toMatrix } from "../linalg/matrix";
import { Random } from "../random/rng";

export type KMeansInitMethod = "random" | "k-means++" | "farthest";
/** An init method, or explicit starting centroids (k×d). */
export type KMeansInit = KMeansInitMethod | MatrixLike;

export const KMEANS_INIT_METHODS: readonly KMeansInitMethod[] = ["random", "k-means++", "farthest"];

/**
 * How a start measures the data: squared distances from chosen centres, and from candidates for the next one, to
 * every row. `rowDistances` does it here, row by row; a k-means fit passes its workspace's (SIMD passes over the
 * shared copy of the data, on every core), whose sums may differ from these in the last bits.
 */
export interface SeedDistances {
  /** Per row, the squared distance to its nearest centre so far (+Infinity before the first). */
  readonly closest: Float64Array;
  /** Adds row `centre` as a centre (closest_i = min(closest_i, ‖x_i − x_centre‖²)); returns Σ w_i closest_i. */
  add(centre: number): number;
  /** Per candidate row, Σ w_i min(closest_i, ‖x_i − x_candidate‖²): the potential were it the next centre. */
  potentials(candidates: readonly number[]): Float64Array;
}

/** Starting centroids (k×d, float64) for data `x` (n×d) by `method`; `distances` measures x's rows (see SeedDistances). */
export function initialCentroids(
  x: Matrix, k: number, init: KMeansInit, weights: Float64Array, rng: Random, distances?: SeedDistances,
): Float64Array {
  if (typeof init !== "string") return explicitCentroids(init, k, x.cols);
  checkInitMethod(init);
  switch (init) {
    case "random":
      return randomCentroids(x, k, weights, rng);
    case "k-means++":
      return kmeansPlusPlus(x, k, weights, rng, distances ?? rowDistances(x, weights));
    case "farthest":
      return farthestFirst(x, k, weights, rng, distances ?? rowDistances(x, weights));
  }
}

/** A known init method, or a k×d matrix (checked against the data at fit). */
export function checkInitMethod(init: KMeansInit): void {
  if (typeof init === "string" ? !KMEANS_INIT_METHODS.includes(init) : init == null || typeof init !== "object") {
    throw new InvalidArgumentError(`init must be one of ${KMEANS_INIT_METHODS.map((m) => `"${m}"`).join(", ")} or a k×d matrix of centroids, got ${JSON.stringify(init) ?? describe(init)}`);
  }
}

/** Explicit starting centroids: k×d and finite. */
export function explicitCentroids(init: MatrixLike, k: number, d: number): Float64Array {
  const c = toMatrix(init, "init");
  if (c.rows !== k || c.cols !== d) throw new ShapeError(`init centroids are ${c.rows}×${c.cols} but k=${k} and the data has ${d} columns`);
  assertFiniteMatrix(c, "init");
  return Float64Array.from(c.data);
}

/** k distinct rows, uniformly (or in proportion to the sample weights when they differ). */
function randomCentroids(x: Matrix, k: number, weights: Float64Array, rng: Random): Float64Array {
  const uniform = weights.every((w) => w === weights[0]);
  const positive = uniform ? x.rows : weights.reduce((count, w) => count + (w > 0 ? 1 : 0), 0);
  if (positive < k) {
    throw new InvalidArgumentError(`init "random" draws k=${k} distinct rows with positive weight, but only ${positive} rows of sampleWeight are positive; lower k or use init "k-means++"`);
  }
  const picks = uniform ? rng.choice(x.rows, k, { replace: false }) : rng.choice(x.rows, k, { replace: false, p: normalise(weights) });
  return copyRows(x.data, x.cols, picks);
}

/**
 * Greedy k-means++ (Arthur & Vassilvitskii; scikit-learn's variant): each new centre is the best of
 * 2 + ⌊ln k⌋ candidates drawn in proportion to w·D², the one that lowers the total potential most.
 */
function kmeansPlusPlus(x: Matrix, k: number, weights: Float64Array, rng: Random, distances: SeedDistances): Float64Array {
  const n = x.rows, d = x.cols;
  const trials = 2 + Math.floor(Math.log(k));
  const centres = new Float64Array(k * d);
  const first = rng.weightedIndex(weights);
  centres.set(x.row(first), 0);
  let potential = distances.add(first);
  const weighted = new Float64Array(n);
  for (let c = 1; c < k; c++) {
    const { closest } = distances;
    for (let i = 0; i < n; i++) weighted[i] = closest[i] * weights[i];
    // All remaining points coincide with a centre: any pick is as good (duplicates get relocated later).
    const candidates = Array.from({ length: trials }, () => (potential > 0 ? rng.weightedIndex(weighted) : rng.weightedIndex(weights)));
    const potentials = distances.potentials(candidates);
    let best = 0;
    for (let t = 1; t < trials; t++) if (potentials[t] < potentials[best]) best = t;
    centres.set(x.row(candidates[best]), c * d);
    potential = distances.add(candidates[best]);
  }
  return centres;
}

/** Farthest-first traversal (Gonzalez): a random first centre, then always the point farthest from all chosen. */
function farthestFirst(x: Matrix, k: number, weights: Float64Array, rng: Random, distances: SeedDistances): Float64Array {
  const d = x.cols;
  const centres = new Float64Array(k * d);
  let centre = rng.weightedIndex(weights);
  for (let c = 0; c < k; c++) {
    if (c > 0) {
      const { closest } = distances;
      centre = 0;
      for (let i = 1; i < x.rows; i++) if (closest[i] > closest[centre]) centre = i;
    }
    centres.set(x.row(centre), c * d);
    if (c < k - 1) distances.add(centre);
  }
  return centres;
}

/** SeedDistances measured here, on x's own rows, one row at a time. */
export function rowDistances(x: Matrix, weights: Float64Array): SeedDistances {
  const n = x.rows, d = x.cols;
  const closest = new Float64Array(n).fill(Infinity);
  const potential = (candidate: number, into?: Float64Array) => {
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const dist = Math.min(closest[i], squaredDistanceBelow(x.data, i * d, candidate * d, d, closest[i]));
      if (into) into[i] = dist;
      sum += weights[i] * dist;
    }
    return sum;
  };
  return {
    closest,
    add: (centre) => potential(centre, closest),
    potentials: (candidates) => Float64Array.from(candidates, (candidate) => potential(candidate)),
  };
}

/**
 * ‖a − b‖² for rows a and b of `data` (d values from offsets `a` and `b`), summed in order; once the partial sum
 * reaches `limit` the rest is skipped and a value ≥ limit returned (the terms are never negative, so the whole sum
 * would be too): Math.min(limit, this) is exactly Math.min(limit, ‖a − b‖²). The inits' hot loop, on offsets rather
 * than a view per row (with views, a k = 200 k-means++ start on 8,000 digits took 2.7 times as long).
 */
function squaredDistanceBelow(data: FloatArray, a: number, b: number, d: number, limit: number): number {
  let s = 0;
  for (let j = 0; j < d && s < limit; j++) {
    const diff = data[a + j] - data[b + j];
    s += diff * diff;
  }
  return s;
}

function normalise(w: Float64Array): Float64Array {
  const total = w.reduce((a, b) => a + b, 0);
  return Float64Array.from(w, (v) => v / total);
}

function copyRows(data: FloatArray, d: number, rows: ArrayLike<number>): Float64Array {
  const out = new Float64Array(rows.length * d);
  for (let r = 0; r < rows.length; r++) out.set(data.subarray(rows[r] * d, (rows[r] + 1) * d), r * d);
  return out;
}
