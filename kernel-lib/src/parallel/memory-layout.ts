/**
 * The shared memory's first page, and the argument layout of every WebAssembly pass: the one definition that both
 * the library (compiled by tsc) and the passes (AssemblyScript: wasm/*.ts import this file) are built from. It holds
 * only numeric constants and enums, the subset of TypeScript that both compilers read alike.
 *
 * Page 0 (64 KiB), in bytes:
 * - 0–63: the pool's control block, Int32 slots named by `Control`;
 * - 64–575: the arguments of the pass in flight, f64 slots (pointers are byte offsets, exact in an f64), laid out by
 *   the pass's enum below: the library writes them by name (`runPass`) and the pass reads them by the same names;
 * - 1024–3071: each share's results, `RESULT_STRIDE` bytes apart, fields at the offsets `Result` names;
 * - 16 KiB–64 KiB: AssemblyScript's static data (Math.log's tables; scripts/build-wasm.js checks it stays there).
 * The arena (the data and every working buffer) starts at 64 KiB.
 */

/** Int32 slots of the control block. */
export enum Control {
  generation = 0,
  done = 1,
  ready = 2,
  pass = 3,
  parts = 4,
  failed = 5,
  /** Bumped when the pool stops its workers: a worker of an earlier epoch leaves. */
  epoch = 6,
  /** 1 when the pass's shares are claimed by the threads in turn (through `next`), not one per thread. */
  claimed = 7,
  next = 8,
}
export const CONTROL_INTS = 16;
export const ARGS_BYTE = 64;
export const MAX_ARGS = 64;
export const RESULTS_BYTE = 1024;
export const RESULT_STRIDE = 32;
export const MAX_PARTS = 64;
export const STATIC_DATA_BYTE = 16384;
export const ARENA_BYTE = 65536;

/** Byte offsets within one share's results. */
export enum Result {
  /** f64: the pass's sum (inertia, log-likelihood, Σ w‖x‖², the largest |value|). */
  value = 0,
  /** i32: labels changed. */
  changed = 8,
  /** i32: rows searched. */
  searched = 12,
  /** f64: a second sum (Σ ‖x‖² unweighted). */
  second = 16,
}

/** The passes. Each runs over its share of the rows (or, for column sums, of the columns). */
export enum Pass {
  none = 0,
  /** k-means: every row searched (`algorithm: "lloyd"`). */
  lloyd = 1,
  /** k-means with Hamerly's bounds (narrow rows). */
  bounded = 2,
  /** k-means with Elkan's bounds (wide rows). */
  elkan = 3,
  /** k-means: Σ w‖x − c_label‖² from exact differences. */
  inertia = 4,
  /** Set-up: column sums and the largest |value| (a NaN or ±Infinity shows there). */
  columnSums = 5,
  /** Set-up: the centred copy at the fit's precision, with its float32 plane and row norms. */
  centre = 6,
  /** EM: the E-step and the M-step's statistics of a Gaussian mixture in one pass. */
  mixture = 7,
  /** k-means, on the calling thread after a pass: its shares' changes to the cluster sums, added in share order. */
  kmeansSums = 8,
  /** k-means, on the calling thread before a bounded pass: the centroids' half-distances and their moves. */
  kmeansBounds = 9,
  /** k-means++ and farthest-first starts: candidate rows' distances to every row. */
  seed = 10,
}

/** Every k-means pass reads these (the workspace writes all of them; 0 for a buffer a fit does not keep). */
export enum KMeansArg {
  /** 1 when rows and centroids are float32, else 0. */
  float32,
  x,
  d,
  n,
  /** Centroids (k×d, at the rows' precision) and their ‖c‖² (f64). */
  c,
  k,
  cNorms,
  /** f64 per row, or 0 when every weight is 1. */
  weights,
  labels,
  upper,
  lower,
  /** ‖x‖² per row, of what Elkan's passes measure: the float32 row, or a float64 row's float32 plane. */
  norms,
  /** Float64 Elkan: the rows' float32 plane, each row's distance to it, the centroids' plane, theirs, and its ‖c̃‖². */
  plane,
  planeSlack,
  planeCentres,
  centreSlack,
  planeCentreNorms,
  /**
   * Per centroid (k f64), how far it moved since the previous pass, then 3 f64: the largest move, the centroid that
   * made it (−1: none) and the largest move among the others. Written with `half` and `halfPairs` by kmeansBounds.
   */
  shift,
  half,
  halfPairs,
  /** kmeansBounds: the centroids (k·d f64), those of the previous pass (as many), and 1 when there was one. */
  centres,
  previous,
  moved,
  /** Per share: changes to the cluster sums (k·d f64) and weights (k f64), `sumsStride` bytes apart. */
  sums,
  sumsStride,
  scratch,
  scratchStride,
  /**
   * kmeansSums: the shares of the pass just run (chunks, claimed by the threads in turn), whose changes to the sums are
   * added in share order to the running cluster sums and weights (k·d + k f64) at `running`, through `delta` (as many).
   */
  shares,
  running,
  delta,
  /**
   * Elkan passes: 0, or the column means (d f64) while the rows are still as copied in: the pass then centres each
   * block of its rows (as the centre pass would) just before measuring them, with Σ w‖x‖² and Σ ‖x‖² as its results.
   */
  mean,
  /**
   * Bounded passes: 1 to add, block by block once its labels are final, each row's w‖x − c_label‖² from exact
   * differences (as the inertia pass does, in the same order) into the result `value`: a fit's last pass, which so
   * reads the rows for the final inertia itself. Not with `mean`, which uses the same result.
   */
  exact,
}

/**
 * Column sums over rows [0, n) of `x` (f64, or f32 when `float32`), added into `sums` (d f64). The columns are shared
 * among shares firstPart … parts − 1; shares below `firstPart` have none (the calling thread, busy beside the pass).
 */
export enum ColumnSumsArg {
  float32,
  x,
  n,
  d,
  sums,
  firstPart,
}

/**
 * Rows [0, n) of `source` (f64, or f32 when `sourceFloat32`) minus `mean`, into `target` at the fit's precision (f32
 * when `float32`; it may be `source` itself); they are rows `first` … of the fit. Per row also, when given: its
 * float32 plane and distance to it (`plane`, `planeSlack`), and in `norms` ‖x‖² by the float32 passes' own dot
 * product, or with a plane, the plane row's ‖h‖² in float64. Results: Σ w‖x‖² and Σ ‖x‖².
 */
export enum CentreArg {
  float32,
  sourceFloat32,
  source,
  target,
  n,
  d,
  first,
  mean,
  weights,
  plane,
  planeSlack,
  norms,
}

/** Candidates a seeding pass measures at most (k-means++ draws 2 + ⌊ln k⌋ a step; more are measured in batches). */
export const MAX_SEED_CANDIDATES = 16;

/**
 * A start's pass over rows [0, n) of `x` (f64, or f32 when `float32`) with `weights` (f64 per row, or 0: all 1) and
 * `closest`, each row's squared distance to the nearest centre so far (f64). For each of `count` candidate rows
 * (their indices, i32, at `candidates`), per share its Σ w_i min(closest_i, ‖x_i − x_candidate‖²), written to
 * `potentials` (MAX_SEED_CANDIDATES f64 per share); `distances`, when not 0, gets those minima too (count·n f64,
 * candidate by candidate). With `fold` 1 (one candidate: a centre chosen), closest_i becomes that minimum.
 */
export enum SeedArg {
  float32,
  x,
  d,
  n,
  weights,
  closest,
  candidates,
  count,
  potentials,
  distances,
  fold,
}

/**
 * A Gaussian mixture's E-step with the M-step's statistics around the current means. Per component: `means` (d),
 * `factors` (the covariance's inverse Cholesky factor, d×d row-major, when `full`; else 1/σ per feature, d), and
 * log π − ½(d log 2π + log|Σ|) at `logConst`. Per share, `statsStride` bytes apart: N (k), S1 (k·d), S2 (k·d·d
 * upper triangles when `full`, else k·d).
 */
export enum MixtureArg {
  x,
  d,
  n,
  k,
  means,
  factors,
  logConst,
  full,
  stats,
  statsStride,
  scratch,
  scratchStride,
}
