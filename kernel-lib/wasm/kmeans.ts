// AssemblyScript. The k-means passes, each over one share of the rows at float64 or float32 (rows and centroids at
// that precision; norms, weights, distances and sums in f64, bounds in f32), reading their arguments by the names
// src/parallel/memory-layout.ts gives (`KMeansArg`). Why hand-written: no npm library offers SIMD k-means inner
// loops that run inside a VSIX on any platform (native BLAS addons do not), and these loops are where the time goes.
//
// All three searches keep the cluster sums up to date by the rows that move (a pass writes the changes, per share),
// in the same order, so "bounded" and "lloyd" hold bit-identical sums and so the same iterates.
import { KMeansArg as A, Result } from "../src/parallel/memory-layout";
import { int, ptr, resultOf, shareEnd, shareStart } from "./args";
import { centreRows } from "./prepare";
import {
  addRow, boundMargin, dot, dotF32, dotF64, dotLane, dotPairF32, dotsAll, exactDist, lowerDistance, rowShift, upperDistance,
} from "./row-math";

// Rows are taken in blocks of BLOCK: a block's rows that need a full search are listed, then searched two at a time.
const BLOCK: i32 = 64;
// float32 rounding is below 2^-24 relative: bounds are widened by UP/DOWN before they are stored as float32.
const UP: f64 = 1 + 1.2e-7;
const DOWN: f64 = 1 - 1.2e-7;

// How a searched row is finished, once its k dot products are known (a constant at every call, so each pass
// compiles only its own branch).
const LLOYD: i32 = 0;
const HAMERLY: i32 = 1;
const ELKAN: i32 = 2;

/** One share's outputs: changes to the cluster sums (k·d f64) then weights (k f64), and its result fields. */
@inline function shareSums(part: i32): usize {
  return ptr(A.sums) + <usize>part * ptr(A.sumsStride);
}

/** Starts share `part`: its sums and counters zeroed. Returns its scratch (2k f64 of dot products first; see elkan). */
@inline function startShare(part: i32): usize {
  const k = int(A.k), d = int(A.d);
  memory.fill(shareSums(part), 0, <usize>(k * d + k) << 3);
  const result = resultOf(part);
  store<i32>(result + Result.changed, 0);
  store<i32>(result + Result.searched, 0);
  return ptr(A.scratch) + <usize>part * ptr(A.scratchStride);
}

/** Row i leaves cluster `from` (none: −1, a run's first pass) for `to`: its weighted values move between the sums. */
@inline function moveRow<T>(i: i32, xi: usize, from: i32, to: i32, sums: usize, result: usize): void {
  const d = int(A.d), weights = ptr(A.weights);
  const counts = sums + (<usize>(int(A.k) * d) << 3);
  const w: f64 = weights ? load<f64>(weights + (<usize>i << 3)) : 1;
  const sumBytes = <usize>d << 3;
  if (from >= 0) {
    addRow<T>(sums + <usize>from * sumBytes, xi, d, -w);
    store<f64>(counts + (<usize>from << 3), load<f64>(counts + (<usize>from << 3)) - w);
  }
  addRow<T>(sums + <usize>to * sumBytes, xi, d, w);
  store<f64>(counts + (<usize>to << 3), load<f64>(counts + (<usize>to << 3)) + w);
  store<i32>(result + Result.changed, load<i32>(result + Result.changed) + 1);
  store<i32>(ptr(A.labels) + (<usize>i << 2), to);
}

/**
 * Row i (at xi), given its dot products with every centroid at `dots`: its nearest centroid by ‖c‖² − 2x·c (the
 * lower index on an exact tie), and the row moved there. Then, by `mode`:
 * - LLOYD: returns w‖x − c‖² from exact differences;
 * - HAMERLY: sets its upper bound and its one lower bound (from the nearest and second-nearest scores);
 * - ELKAN (a float32 run's first pass): sets its upper bound and all k lower bounds.
 * Bounds come from ‖x‖² + score, with a margin that keeps each on its side of the true distance despite rounding.
 */
@inline function finishRow<T>(mode: i32, i: i32, xi: usize, dots: usize, sums: usize, result: usize): f64 {
  const d = int(A.d), k = int(A.k), cNorms = ptr(A.cNorms), labels = ptr(A.labels);
  let best: i32 = 0;
  let first: f64 = Infinity, second: f64 = Infinity;
  if (mode == ELKAN) {
    // ‖x‖² of the float32 row, kept since the centred copy was written (by the same dot product). (Float64 rows'
    // first pass runs on their float32 plane: see elkan.)
    const xx = load<f64>(ptr(A.norms) + (<usize>i << 3));
    const slack = boundMargin<T>() * (xx + 1);
    const lb = ptr(A.lower) + <usize>i * (<usize>k << 2);
    for (let q = 0; q < k; q++) {
      const s = load<f64>(cNorms + (<usize>q << 3)) - 2 * load<f64>(dots + (<usize>q << 3));
      if (s < first) { first = s; best = q; }
      const e2 = xx + s - slack;
      store<f32>(lb + (<usize>q << 2), <f32>(e2 > 0 ? Math.sqrt(e2) * DOWN : 0));
    }
    const u2 = xx + first + slack;
    store<f32>(ptr(A.upper) + (<usize>i << 2), <f32>((u2 > 0 ? Math.sqrt(u2) : 0) * UP));
    moveRow<T>(i, xi, load<i32>(labels + (<usize>i << 2)), best, sums, result);
    return 0;
  }
  for (let q = 0; q < k; q++) {
    const s = load<f64>(cNorms + (<usize>q << 3)) - 2 * load<f64>(dots + (<usize>q << 3));
    if (s < first) { second = first; first = s; best = q; } else if (s < second) second = s;
  }
  const old = load<i32>(labels + (<usize>i << 2));
  if (mode == LLOYD) {
    const weights = ptr(A.weights);
    const w: f64 = weights ? load<f64>(weights + (<usize>i << 3)) : 1;
    const exact = exactDist<T>(xi, ptr(A.c) + <usize>best * (<usize>d << rowShift<T>()), d);
    if (old != best) moveRow<T>(i, xi, old, best, sums, result);
    return w * exact;
  }
  if (best != old) moveRow<T>(i, xi, old, best, sums, result);
  const xx = dot<T>(xi, xi, d);
  const slack = boundMargin<T>() * (xx + 1);
  const first2 = xx + first + slack;
  const e2 = xx + second - slack;
  const upper = ptr(A.upper);
  if (upper) store<f32>(upper + (<usize>i << 2), <f32>((first2 > 0 ? Math.sqrt(first2) : 0) * UP));
  store<f32>(ptr(A.lower) + (<usize>i << 2), <f32>(e2 > 0 ? Math.sqrt(e2) * DOWN : 0));
  return 0;
}

/**
 * The full search of the `count` rows listed at `list`: two rows against four centroids at a time (so each loaded
 * value feeds several products), then each row finished by `mode`. Returns `total` plus what finishRow returns, added
 * row by row.
 */
@inline function searchListed<T>(mode: i32, list: usize, count: i32, scratch: usize, sums: usize, result: usize, total: f64): f64 {
  const x = ptr(A.x), c = ptr(A.c), d = int(A.d), k = int(A.k);
  const rowBytes = <usize>d << rowShift<T>();
  for (let q = 0; q < count; q += 2) {
    const ia = load<i32>(list + (<usize>q << 2));
    const ib = q + 1 < count ? load<i32>(list + (<usize>(q + 1) << 2)) : ia;
    const a = x + <usize>ia * rowBytes, b = x + <usize>ib * rowBytes;
    dotsAll<T>(a, b, c, rowBytes, d, scratch, k);
    total += finishRow<T>(mode, ia, a, scratch, sums, result);
    if (ib != ia) total += finishRow<T>(mode, ib, b, scratch + (<usize>k << 3), sums, result);
  }
  return total;
}

/** Lloyd's pass: every row searched; the share's inertia (from exact differences) is its result. */
@inline function lloyd<T>(part: i32, parts: i32): void {
  const n = int(A.n), k = int(A.k);
  const start = shareStart(n, part, parts), end = shareEnd(n, part, parts);
  const scratch = startShare(part), sums = shareSums(part), result = resultOf(part);
  const list = scratch + (<usize>k << 4);
  let inertia: f64 = 0;
  for (let from = start; from < end; from += BLOCK) {
    const to = min(end, from + BLOCK);
    for (let i = from; i < to; i++) store<i32>(list + (<usize>(i - from) << 2), i);
    inertia = searchListed<T>(LLOYD, list, to - from, scratch, sums, result, inertia);
  }
  store<f64>(result + Result.value, inertia);
  store<i32>(result + Result.searched, end - start);
}

/**
 * `total` plus Σ w_i ‖x_i − c_{label_i}‖² over rows [from, to) for the labels as they stand, from exact differences,
 * row by row: the fit's final inertia, which the bounded passes otherwise only know from cluster sums (with their
 * cancellation). The inertia pass and a bounded pass with `exact` (a fit's last) both add it so, in row order.
 */
@inline function exactInertia<T>(from: i32, to: i32, total: f64): f64 {
  const x = ptr(A.x), c = ptr(A.c), d = int(A.d), weights = ptr(A.weights), labels = ptr(A.labels);
  const rowBytes = <usize>d << rowShift<T>();
  for (let i = from; i < to; i++) {
    const w: f64 = weights ? load<f64>(weights + (<usize>i << 3)) : 1;
    total += w * exactDist<T>(x + <usize>i * rowBytes, c + <usize>load<i32>(labels + (<usize>i << 2)) * rowBytes, d);
  }
  return total;
}

/** The share's exact inertia for the labels as they stand (see exactInertia), as its result `value`. */
@inline function inertia<T>(part: i32, parts: i32): void {
  const n = int(A.n);
  store<f64>(resultOf(part) + Result.value, exactInertia<T>(shareStart(n, part, parts), shareEnd(n, part, parts), 0));
}

// ---- bounded Lloyd (Hamerly's bounds): the same iterates; most rows are settled without reading them ----
//
// Per row, `upper` bounds the distance to its assigned centroid from above and `lower` the distance to every other
// centroid from below (both float32, rounded outwards). With `upper` 0 (narrow rows, a few values each) no upper
// bound is kept: reading the row and measuring that one distance costs about what loading and storing it would. Each
// pass first moves the bounds by how far the centroids moved (`shift` per centroid, `maxShift` overall; `farthest` is
// the centroid that moved most and `secondShift` the largest move among the others); a row is settled when
// upper ≤ max(lower, half the distance from its centroid to the nearest other one). Otherwise its upper bound is made
// exact (the row is read) and tested again, and only then are all k centroids searched. Labels −1 (a run's first
// pass) are searched. Settled rows cost a few loads and no read of their data; the inertia is then computed on the
// JavaScript side from the cluster sums.

@inline function bounded<T>(part: i32, parts: i32): void {
  const x = ptr(A.x), c = ptr(A.c), d = int(A.d), n = int(A.n), k = int(A.k);
  const labels = ptr(A.labels), upper = ptr(A.upper), lower = ptr(A.lower), shift = ptr(A.shift), half = ptr(A.half);
  const maxShift = load<f64>(shift + (<usize>k << 3)), farthest = <i32>load<f64>(shift + (<usize>(k + 1) << 3));
  const secondShift = load<f64>(shift + (<usize>(k + 2) << 3));
  const start = shareStart(n, part, parts), end = shareEnd(n, part, parts);
  const scratch = startShare(part), sums = shareSums(part), result = resultOf(part);
  const rowBytes = <usize>d << rowShift<T>();
  const list = scratch + (<usize>k << 4);
  const exact = int(A.exact);
  let searches: i32 = 0, total: f64 = 0;
  for (let from = start; from < end; from += BLOCK) {
    const to = min(end, from + BLOCK);
    let count = 0;
    for (let i = from; i < to; i++) {
      const old = load<i32>(labels + (<usize>i << 2));
      let search = old < 0;
      if (!search) {
        // The other centroids moved at most maxShift, or secondShift when this row's own centroid moved most.
        const l: f64 = <f64>load<f32>(lower + (<usize>i << 2)) - (old == farthest ? secondShift : maxShift);
        const h = load<f64>(half + (<usize>old << 3));
        const m = h > l ? h : l;
        if (upper) {
          let u: f64 = <f64>load<f32>(upper + (<usize>i << 2)) + load<f64>(shift + (<usize>old << 3));
          // ≥, not >: at u = m = 0 (a row on its centroid, another centroid moved to the same place) the tie must be
          // searched, so that it goes to the lower index as in Lloyd's pass.
          if (u >= m) {
            u = Math.sqrt(exactDist<T>(x + <usize>i * rowBytes, c + <usize>old * rowBytes, d));
            search = u >= m;
          }
          store<f32>(upper + (<usize>i << 2), <f32>(u * UP));
        } else {
          // No stored upper bound (narrow rows): the distance to the own centroid is cheaper to compute than to keep.
          search = exactDist<T>(x + <usize>i * rowBytes, c + <usize>old * rowBytes, d) >= m * m;
        }
        store<f32>(lower + (<usize>i << 2), <f32>(l > 0 ? l * DOWN : l));
      }
      if (search) {
        store<i32>(list + (<usize>count << 2), i);
        count++;
      }
    }
    searches += count;
    searchListed<T>(HAMERLY, list, count, scratch, sums, result, 0);
    if (exact) total = exactInertia<T>(from, to, total);
  }
  store<i32>(result + Result.searched, searches);
  if (exact) store<f64>(result + Result.value, total);
}

// ---- Elkan's bounds for wide data: one lower bound per centroid ----
//
// `lower` holds k float32 lower bounds per row (distance to each centroid), `halfPairs` the k×k matrix of half
// distances between centroids. A row is settled when upper ≤ half the distance from its centroid to the nearest
// other one; otherwise only the centroids whose own bounds cannot exclude them are measured, as ‖x‖² + ‖c‖² − 2x·c
// with ‖x‖² kept per row (`norms`, written with the centred copy): a multiply-add per value where differences cost
// three operations, two centroids per sweep of the row.
// - At float64 they are measured on the float32 plane of the rows (`plane`, each row's rounding in `planeSlack`)
//   against the float32 centroids (`planeCentres`, theirs in `centreSlack`, their ‖c̃‖² in `planeCentreNorms`), each
//   distance with a certified interval; only when two intervals overlap (a near tie) does the float64 row decide
//   (see nearestOnPlane). A run's first pass searches every row so, against every centroid.
// - At float32, the bounds are widened by that form's rounding.
// Costs k bounds per row, so the JavaScript side uses it when they take much less memory than the row itself.

/**
 * Where the true distance ‖x − c_q‖ lies, from the plane's estimate s = ‖h‖² + ‖c̃_q‖² − 2h·c̃_q (h, c̃: the row and
 * centroid rounded to float32; the product summed in float32, the rest in float64). The float32 sum errs by at most
 * γ·Σ|h_j c̃_j| ≤ γ‖h‖‖c̃_q‖ (γ: the float32 additions chained per lane, and the products, with a margin), the
 * float64 terms by far less than 1e-12 of their size; and ‖x − h‖ = `slack`, ‖c − c̃‖ = `centreSlack`, by the triangle
 * inequality. `high` 1: the upper end, else the lower one.
 */
@inline function planeEnd(s: f64, hh: f64, q: i32, slack: f64, gamma: f64, high: bool): f64 {
  const cc = load<f64>(ptr(A.planeCentreNorms) + (<usize>q << 3));
  const width = 2 * gamma * Math.sqrt(hh * cc) + 1e-12 * (hh + cc);
  const off = slack + load<f64>(ptr(A.centreSlack) + (<usize>q << 3));
  if (high) return (Math.sqrt(s + width) + off) * (1 + 1e-15);
  const e = s - width;
  return ((e > 0 ? Math.sqrt(e) : 0) - off) * (1 - 1e-15);
}

/** Candidate m of a list, or of all k centroids in order when there is no list (0). */
@inline function candidateOf(candidates: usize, m: i32): i32 {
  return candidates ? load<i32>(candidates + (<usize>m << 2)) : m;
}

/**
 * The float64 Elkan pass's search on the float32 plane: among the own centroid `old` (estimate `own`; none when −1, a
 * run's first pass) and the `count` centroids listed at `candidates`, the nearest by the plane's estimates (see
 * planeEnd), settled when no other interval reaches below its upper end. Otherwise (rarely) the float64 row decides,
 * by the scores Lloyd's pass ranks (‖c‖² − 2x·c in its summation order, the lower index on an exact tie), so "bounded"
 * and "lloyd" give the same labels. Writes every candidate's lower bound and the nearest's upper bound (at `bound`);
 * returns the nearest. `estimates` holds each candidate's plane product h·c̃ on entry, its estimate on return.
 */
@inline function nearestOnPlane(
  xi: usize, hi: usize, hh: f64, slack: f64, gamma: f64, old: i32, own: f64, candidates: usize, count: i32, lb: usize,
  estimates: usize, bound: usize,
): i32 {
  const d = int(A.d), c = ptr(A.c), cNorms = ptr(A.cNorms), cc = ptr(A.planeCentreNorms);
  let a = old, best: f64 = old >= 0 ? own : Infinity;
  let m = 0;
  for (; m < count; m++) {
    const q = candidateOf(candidates, m);
    const s = hh + load<f64>(cc + (<usize>q << 3)) - 2 * load<f64>(estimates + (<usize>m << 3));
    store<f64>(estimates + (<usize>m << 3), s);
    if (s < best || (s == best && q < a)) { a = q; best = s; }
  }
  const upperOfBest = planeEnd(best, hh, a, slack, gamma, true);
  let settled = a == old || old < 0 || planeEnd(own, hh, old, slack, gamma, false) > upperOfBest;
  for (m = 0; m < count && settled; m++) {
    const q = candidateOf(candidates, m);
    if (q != a && planeEnd(load<f64>(estimates + (<usize>m << 3)), hh, q, slack, gamma, false) <= upperOfBest) settled = false;
  }
  if (settled) {
    for (m = 0; m < count; m++) {
      const q = candidateOf(candidates, m);
      const l = planeEnd(load<f64>(estimates + (<usize>m << 3)), hh, q, slack, gamma, false);
      store<f32>(lb + (<usize>q << 2), <f32>(l > 0 ? l * DOWN : 0));
    }
    if (old >= 0 && a != old) {
      const l = planeEnd(own, hh, old, slack, gamma, false);
      store<f32>(lb + (<usize>old << 2), <f32>(l > 0 ? l * DOWN : 0));
    }
    store<f64>(bound, upperOfBest);
    return a;
  }
  // A near tie: decided as Lloyd's pass decides it.
  const rowBytes = <usize>d << 3;
  const xx = dotF64(xi, xi, d);
  let bestScore: f64 = Infinity, ownScore: f64 = 0, ownNorm: f64 = 0;
  a = old;
  if (old >= 0) {
    ownNorm = load<f64>(cNorms + (<usize>old << 3));
    ownScore = ownNorm - 2 * dotLane<f64>(xi, c + <usize>old * rowBytes, d);
    bestScore = ownScore;
  }
  for (m = 0; m < count; m++) {
    const q = candidateOf(candidates, m);
    const cq = load<f64>(cNorms + (<usize>q << 3));
    const score = cq - 2 * dotLane<f64>(xi, c + <usize>q * rowBytes, d);
    store<f32>(lb + (<usize>q << 2), <f32>(lowerDistance<f64>(xx + score, xx, cq) * DOWN));
    if (score < bestScore || (score == bestScore && q < a)) { a = q; bestScore = score; }
  }
  if (old >= 0 && a != old) store<f32>(lb + (<usize>old << 2), <f32>(lowerDistance<f64>(xx + ownScore, xx, ownNorm) * DOWN));
  store<f64>(bound, upperDistance<f64>(xx + bestScore, xx, load<f64>(cNorms + (<usize>a << 3))));
  return a;
}

/**
 * Lists at `listed` the centroids other than `old` that a row's bounds (upper bound `u`, lower bounds at `lb`) cannot
 * rule out; returns how many.
 */
@inline function listCandidates(old: i32, u: f64, lb: usize, listed: usize): i32 {
  const k = int(A.k), halfPairs = ptr(A.halfPairs);
  let count = 0;
  for (let q = 0; q < k; q++) {
    if (q == old || !(u >= <f64>load<f32>(lb + (<usize>q << 2)) && u >= load<f64>(halfPairs + (<usize>(old * k + q) << 3)))) continue;
    store<i32>(listed + (<usize>count << 2), q);
    count++;
  }
  return count;
}

/**
 * Measures the own centroid `old` and the `count` listed at `listed` against the float32 row at `x` (centroids
 * `stride` bytes apart from `centres`), two per sweep of the row: the own product at `products`, listed m's at m + 1.
 */
@inline function measureListed(x: usize, centres: usize, stride: usize, old: i32, listed: usize, count: i32, products: usize): void {
  const d = int(A.d);
  dotPairF32(x, centres + <usize>old * stride, centres + <usize>load<i32>(listed) * stride, d, products);
  let m = 1;
  for (; m + 2 <= count; m += 2) {
    const q0 = load<i32>(listed + (<usize>m << 2)), q1 = load<i32>(listed + (<usize>(m + 1) << 2));
    dotPairF32(x, centres + <usize>q0 * stride, centres + <usize>q1 * stride, d, products + (<usize>(m + 1) << 3));
  }
  if (m < count) store<f64>(products + (<usize>(m + 1) << 3), dotF32(x, centres + <usize>load<i32>(listed + (<usize>m << 2)) * stride, d));
}

/**
 * From a pair's products with all k centroids (`scores`, as dotsAll leaves them for one of its rows): the own one at
 * `products`, every other centroid listed at `listed` with its product at m + 1, as measureListed leaves a row's.
 * Returns how many are listed (k − 1).
 */
@inline function listAll(scores: usize, old: i32, listed: usize, products: usize): i32 {
  const k = int(A.k);
  store<f64>(products, load<f64>(scores + (<usize>old << 3)));
  let m = 0;
  for (let q = 0; q < k; q++) {
    if (q == old) continue;
    store<i32>(listed + (<usize>m << 2), q);
    store<f64>(products + (<usize>(m + 1) << 3), load<f64>(scores + (<usize>q << 3)));
    m++;
  }
  return m;
}

/**
 * A float64 row that its bounds do not settle, decided on the float32 plane (`hi`, `slack` from the row; `gamma` the
 * products' relative error) from the products of its own centroid and the `count` centroids listed (see
 * measureListed): the own one makes the upper bound exact; the centroids still not ruled out then are searched by
 * nearestOnPlane; every measured distance's lower end becomes that centroid's lower bound, so later passes rule out
 * more of them (measuring only the centroids left after the exact upper bound searched 2–4 times as many rows per
 * pass). Stores the row's upper bound, counts a search in `result`, and returns the row's nearest centroid.
 */
@inline function decideOnPlane(
  i: i32, xi: usize, hi: usize, xx: f64, slack: f64, gamma: f64, old: i32, lb: usize, products: usize, listed: usize, count: i32,
  planeBound: usize, result: usize,
): i32 {
  const k = int(A.k), halfPairs = ptr(A.halfPairs), cc = ptr(A.planeCentreNorms), upper = ptr(A.upper) + (<usize>i << 2);
  const own = xx + load<f64>(cc + (<usize>old << 3)) - 2 * load<f64>(products);
  const u = planeEnd(own, xx, old, slack, gamma, true);
  // The candidates (indices and products) are compacted in place over the list and the products, for nearestOnPlane.
  let candidates = 0;
  for (let m = 0; m < count; m++) {
    const q = load<i32>(listed + (<usize>m << 2));
    const product = load<f64>(products + (<usize>(m + 1) << 3));
    if (u >= <f64>load<f32>(lb + (<usize>q << 2)) && u >= load<f64>(halfPairs + (<usize>(old * k + q) << 3))) {
      store<i32>(listed + (<usize>candidates << 2), q);
      store<f64>(products + (<usize>candidates << 3), product);
      candidates++;
    } else {
      const l = planeEnd(xx + load<f64>(cc + (<usize>q << 3)) - 2 * product, xx, q, slack, gamma, false);
      store<f32>(lb + (<usize>q << 2), <f32>(l > 0 ? l * DOWN : 0));
    }
  }
  // Every listed centroid ruled out by the exact upper bound: the row stays.
  if (candidates == 0) {
    store<f32>(upper, <f32>(u * UP));
    return old;
  }
  store<i32>(result + Result.searched, load<i32>(result + Result.searched) + 1);
  const a = nearestOnPlane(xi, hi, xx, slack, gamma, old, own, listed, candidates, lb, products, planeBound);
  store<f32>(upper, <f32>(load<f64>(planeBound) * UP));
  return a;
}

/**
 * A float32 row that its bounds do not settle, decided from the products of its own centroid and the `count`
 * centroids listed (see measureListed): the own one makes the upper bound exact; the centroids still not ruled out
 * then (by their bounds before this pass's measure, as the search has always judged them) are searched, as Lloyd's
 * search would rank them; and every measured distance becomes that centroid's lower bound, so later passes rule out
 * more of them. Stores the row's upper bound, counts a search in `result`, and returns the row's nearest centroid.
 */
@inline function decideF32(i: i32, xx: f64, old: i32, lb: usize, products: usize, listed: usize, count: i32, result: usize): i32 {
  const k = int(A.k), cNorms = ptr(A.cNorms), halfPairs = ptr(A.halfPairs), upper = ptr(A.upper) + (<usize>i << 2);
  const ownNorm = load<f64>(cNorms + (<usize>old << 3));
  const own = xx + ownNorm - 2 * load<f64>(products);
  const u = upperDistance<f32>(own, xx, ownNorm);
  let a = old, bestSquared = own, searched = false;
  for (let m = 0; m < count; m++) {
    const q = load<i32>(listed + (<usize>m << 2));
    const cq = load<f64>(cNorms + (<usize>q << 3));
    const squared = xx + cq - 2 * load<f64>(products + (<usize>(m + 1) << 3));
    const candidate = u >= <f64>load<f32>(lb + (<usize>q << 2)) && u >= load<f64>(halfPairs + (<usize>(old * k + q) << 3));
    store<f32>(lb + (<usize>q << 2), <f32>(lowerDistance<f32>(squared, xx, cq) * DOWN));
    if (!candidate) continue;
    searched = true;
    if (squared < bestSquared || (squared == bestSquared && q < a)) {
      a = q;
      bestSquared = squared;
    }
  }
  if (searched) store<i32>(result + Result.searched, load<i32>(result + Result.searched) + 1);
  if (a == old) {
    store<f32>(upper, <f32>(u * UP));
    return old;
  }
  store<f32>(lb + (<usize>old << 2), <f32>(lowerDistance<f32>(own, xx, ownNorm) * DOWN));
  store<f32>(upper, <f32>(upperDistance<f32>(bestSquared, xx, load<f64>(cNorms + (<usize>a << 3))) * UP));
  return a;
}

/**
 * A run's first Elkan pass over the `count` rows listed at `list` (a block): every centroid measured, every bound
 * set, each row moved as it is decided (in row order). Not inlined, like elkan (see there).
 */
function searchFirstPass<T>(list: usize, count: i32, scratch: usize, planeBound: usize, sums: usize, result: usize): void {
  if (sizeof<T>() == 4) {
    searchListed<T>(ELKAN, list, count, scratch, sums, result, 0);
    return;
  }
  // Two plane rows against four plane centroids at a time, then each row decided on the plane.
  const x = ptr(A.x), d = int(A.d), k = int(A.k), upper = ptr(A.upper), lowers = ptr(A.lower), norms = ptr(A.norms);
  const plane = ptr(A.plane), planeSlack = ptr(A.planeSlack), planeCentres = ptr(A.planeCentres);
  const rowBytes = <usize>d << 3, planeBytes = <usize>d << 2;
  const gammaAll = gammaOf(d / 4);
  for (let m = 0; m < count; m += 2) {
    const ia = load<i32>(list + (<usize>m << 2));
    const ib = m + 1 < count ? load<i32>(list + (<usize>(m + 1) << 2)) : ia;
    dotsAll<f32>(plane + <usize>ia * planeBytes, plane + <usize>ib * planeBytes, planeCentres, planeBytes, d, scratch, k);
    for (let r = 0; r < (ib != ia ? 2 : 1); r++) {
      const i = r ? ib : ia;
      const xi = x + <usize>i * rowBytes;
      const a = nearestOnPlane(
        xi, plane + <usize>i * planeBytes, load<f64>(norms + (<usize>i << 3)), load<f64>(planeSlack + (<usize>i << 3)), gammaAll, -1, 0,
        0, k, lowers + <usize>i * (<usize>k << 2), scratch + (<usize>(r * k) << 3), planeBound,
      );
      store<f32>(upper + (<usize>i << 2), <f32>(load<f64>(planeBound) * UP));
      moveRow<T>(i, xi, -1, a, sums, result);
    }
  }
}

/**
 * The `count` rows listed at `list` (a block from row `from`), each with at least half the k centroids to measure:
 * two rows against every centroid at a time, each row then decided as a row measured at once is, its new cluster
 * written to `moves`. Not inlined, like elkan (see there).
 */
function searchAgainstAll<T>(list: usize, count: i32, from: i32, scratch: usize, products: usize, listed: usize, planeBound: usize, moves: usize, result: usize): void {
  const x = ptr(A.x), c = ptr(A.c), d = int(A.d), k = int(A.k), labels = ptr(A.labels), lowers = ptr(A.lower), norms = ptr(A.norms);
  const plane = ptr(A.plane), planeSlack = ptr(A.planeSlack), planeCentres = ptr(A.planeCentres);
  const onPlane = sizeof<T>() == 8;
  const rowBytes = <usize>d << rowShift<T>(), planeBytes = <usize>d << 2;
  const gammaAll = gammaOf(d / 4);
  for (let m = 0; m < count; m += 2) {
    const ia = load<i32>(list + (<usize>m << 2));
    const ib = m + 1 < count ? load<i32>(list + (<usize>(m + 1) << 2)) : ia;
    if (onPlane) dotsAll<f32>(plane + <usize>ia * planeBytes, plane + <usize>ib * planeBytes, planeCentres, planeBytes, d, scratch, k);
    else dotsAll<T>(x + <usize>ia * rowBytes, x + <usize>ib * rowBytes, c, rowBytes, d, scratch, k);
    for (let r = 0; r < (ib != ia ? 2 : 1); r++) {
      const i = r ? ib : ia;
      const old = load<i32>(labels + (<usize>i << 2)), lb = lowers + <usize>i * (<usize>k << 2);
      const all = listAll(scratch + (<usize>(r * k) << 3), old, listed, products);
      const xx = load<f64>(norms + (<usize>i << 3));
      const a = onPlane
        ? decideOnPlane(i, x + <usize>i * rowBytes, plane + <usize>i * planeBytes, xx, load<f64>(planeSlack + (<usize>i << 3)), gammaAll, old, lb, products, listed, all, planeBound, result)
        : decideF32(i, xx, old, lb, products, listed, all, result);
      store<i32>(moves + (<usize>(i - from) << 2), a);
    }
  }
}

/**
 * The relative error of float32 products summed in chains of at most `chain` additions per lane (see planeEnd): each
 * rounds by at most 2^-24; with a margin.
 */
@inline function gammaOf(chain: i32): f64 {
  return <f64>(chain + 8) * 5.97e-8;
}

/**
 * One Elkan pass over the share's rows; a run's first pass (labels −1) searches every row in full. Not inlined: each
 * precision is then its own WebAssembly function, compiled apart (inlined into elkanPass together, a change to the
 * float64 search made the float32 pass about a tenth slower).
 *
 * A row its bounds do not settle has its own centroid and every centroid they cannot rule out measured. With few of
 * those, that happens at once, two centroids per sweep of the row; with at least half of the k (after a large move of
 * the centroids, as in a run's second pass), the row is listed and measured with the next listed one against all k,
 * two rows against four centroids per sweep (dotsAll: a loaded value feeds four products, not two). Rows then move
 * to their new clusters in row order, as Lloyd's pass moves them, so the cluster sums are the same to the bit.
 */
function elkan<T>(part: i32, parts: i32): void {
  const x = ptr(A.x), d = int(A.d), n = int(A.n), k = int(A.k);
  const labels = ptr(A.labels), upper = ptr(A.upper), lowers = ptr(A.lower), norms = ptr(A.norms);
  const plane = ptr(A.plane), planeSlack = ptr(A.planeSlack), planeCentres = ptr(A.planeCentres), c = ptr(A.c);
  const shift = ptr(A.shift), half = ptr(A.half);
  const start = shareStart(n, part, parts), end = shareEnd(n, part, parts);
  const scratch = startShare(part), sums = shareSums(part), result = resultOf(part);
  const rowBytes = <usize>d << rowShift<T>(), planeBytes = <usize>d << 2;
  // Float64 rows are measured on their float32 plane (see nearestOnPlane); float32 ones by products.
  const onPlane = sizeof<T>() == 8;
  // The float32 products' relative error: chains of at most d/16 + 3 additions per lane (dotF32, dotPairF32; d/8 is
  // allowed). (dotsAll's, in searchFirstPass and searchAgainstAll, are d/4 long.)
  const gamma = gammaOf(d / 8);
  // The scratch (kmeansScratchBytes): a listed pair's products with every centroid (2k f64); one row's products with
  // its own and listed centroids (k f64); the bound nearestOnPlane leaves (f64); those centroids (k i32); the block's
  // listed rows (BLOCK i32) and each row's new cluster (BLOCK i32).
  const products = scratch + (<usize>k << 4), planeBound = scratch + (<usize>k * 24), listed = planeBound + 8;
  const list = listed + (<usize>k << 2), moves = list + (<usize>BLOCK << 2);
  // A run's first pass may also centre the rows, a block at a time, just before measuring them (their only read
  // from memory in the set-up's last pass); Σ w‖x‖² and Σ ‖x‖² go to the results, as the centre pass's do.
  const mean = ptr(A.mean), f32 = int(A.float32);
  if (mean) {
    store<f64>(result + Result.value, 0);
    store<f64>(result + Result.second, 0);
  }
  const exact = int(A.exact);
  let searches: i32 = 0, total: f64 = 0;
  for (let from = start; from < end; from += BLOCK) {
    const to = min(end, from + BLOCK);
    if (mean) centreRows(x, x, d, from, to, 0, mean, ptr(A.weights), plane, planeSlack, norms, f32, f32, result);
    let count = 0, first = false;
    for (let i = from; i < to; i++) {
      const old = load<i32>(labels + (<usize>i << 2));
      const move = moves + (<usize>(i - from) << 2);
      store<i32>(move, old);
      if (old < 0) {
        store<i32>(list + (<usize>count << 2), i);
        count++;
        first = true;
        continue;
      }
      const lb = lowers + <usize>i * (<usize>k << 2);
      const u: f64 = <f64>load<f32>(upper + (<usize>i << 2)) + load<f64>(shift + (<usize>old << 3));
      // Every lower bound moves down by its centroid's shift: two at a time, each lane as the scalar tail computes it.
      // Counted as they go: the bounds u reaches (the own one's included), so that a row none of whose other bounds it
      // reaches is settled without listing them one by one (branches that mispredict on overlapping clusters).
      const reachable = f64x2.splat(u);
      let hits = i64x2.splat(0);
      let q = 0;
      for (; q + 2 <= k; q += 2) {
        const l = f64x2.sub(f64x2.promote_low_f32x4(v128.load64_zero(lb + (<usize>q << 2))), v128.load(shift + (<usize>q << 3)));
        const kept = f32x4.demote_f64x2_zero(v128.bitselect(f64x2.mul(l, f64x2.splat(DOWN)), l, f64x2.gt(l, f64x2.splat(0))));
        v128.store64_lane(lb + (<usize>q << 2), kept, 0);
        hits = i64x2.sub(hits, f64x2.ge(reachable, f64x2.promote_low_f32x4(kept)));
      }
      let reached = i64x2.extract_lane(hits, 0) + i64x2.extract_lane(hits, 1);
      for (; q < k; q++) {
        const l = <f64>load<f32>(lb + (<usize>q << 2)) - load<f64>(shift + (<usize>q << 3));
        const kept = <f32>(l > 0 ? l * DOWN : l);
        store<f32>(lb + (<usize>q << 2), kept);
        if (u >= <f64>kept) reached++;
      }
      if (u >= <f64>load<f32>(lb + (<usize>old << 2))) reached--;
      // ≥: see the Hamerly pass. (A row with nothing left to measure keeps u.)
      const candidates = reached > 0 && u >= load<f64>(half + (<usize>old << 3)) ? listCandidates(old, u, lb, listed) : 0;
      if (candidates == 0) {
        store<f32>(upper + (<usize>i << 2), <f32>(u * UP));
      } else if (2 * (candidates + 1) >= k) {
        store<i32>(list + (<usize>count << 2), i);
        count++;
      } else {
        const xx = load<f64>(norms + (<usize>i << 3)); // ‖h‖² of the plane's row, or ‖x‖² of the float32 row
        let a: i32;
        if (onPlane) {
          const hi = plane + <usize>i * planeBytes;
          measureListed(hi, planeCentres, planeBytes, old, listed, candidates, products);
          a = decideOnPlane(i, x + <usize>i * rowBytes, hi, xx, load<f64>(planeSlack + (<usize>i << 3)), gamma, old, lb, products, listed, candidates, planeBound, result);
        } else {
          measureListed(x + <usize>i * rowBytes, c, rowBytes, old, listed, candidates, products);
          a = decideF32(i, xx, old, lb, products, listed, candidates, result);
        }
        store<i32>(move, a);
      }
    }
    if (first) {
      searches += count;
      searchFirstPass<T>(list, count, scratch, planeBound, sums, result);
    } else {
      searchAgainstAll<T>(list, count, from, scratch, products, listed, planeBound, moves, result);
      // Every row to its new cluster, in row order.
      for (let i = from; i < to; i++) {
        const old = load<i32>(labels + (<usize>i << 2)), a = load<i32>(moves + (<usize>(i - from) << 2));
        if (a != old) moveRow<T>(i, x + <usize>i * rowBytes, old, a, sums, result);
      }
    }
    // The block's rows were just read, or settled without it: their exact distances now, while they are cached.
    if (exact) total = exactInertia<T>(from, to, total);
  }
  // (Rows searched after their measure were counted as they went.)
  store<i32>(result + Result.searched, load<i32>(result + Result.searched) + searches);
  if (exact) store<f64>(result + Result.value, total);
}

/** The k-means passes, at the precision the `float32` argument names. */
export function lloydPass(part: i32, parts: i32): void {
  if (int(A.float32)) lloyd<f32>(part, parts);
  else lloyd<f64>(part, parts);
}

export function boundedPass(part: i32, parts: i32): void {
  if (int(A.float32)) bounded<f32>(part, parts);
  else bounded<f64>(part, parts);
}

export function elkanPass(part: i32, parts: i32): void {
  if (int(A.float32)) elkan<f32>(part, parts);
  else elkan<f64>(part, parts);
}

export function inertiaPass(part: i32, parts: i32): void {
  if (int(A.float32)) inertia<f32>(part, parts);
  else inertia<f64>(part, parts);
}

/**
 * After a pass (on the calling thread): its `shares` shares' changes to the cluster sums and weights, added up in share
 * order (the same whichever thread ran which share), then added to the running sums and weights.
 */
export function kmeansSumsPass(): void {
  const values = int(A.k) * int(A.d) + int(A.k);
  const running = ptr(A.running), delta = ptr(A.delta), shares = int(A.shares);
  memory.fill(delta, 0, <usize>values << 3);
  for (let share = 0; share < shares; share++) {
    if (load<i32>(resultOf(share) + Result.changed) != 0) addValues(delta, shareSums(share), values);
  }
  addValues(running, delta, values);
}

/** to[j] += from[j] for `count` f64. */
@inline function addValues(to: usize, from: usize, count: i32): void {
  let j = 0;
  for (; j + 2 <= count; j += 2) v128.store(to + (<usize>j << 3), f64x2.add(v128.load(to + (<usize>j << 3)), v128.load(from + (<usize>j << 3))));
  for (; j < count; j++) store<f64>(to + (<usize>j << 3), load<f64>(to + (<usize>j << 3)) + load<f64>(from + (<usize>j << 3)));
}

/**
 * Before a bounded pass (on the calling thread), from the centroids as the passes see them (`c`, at the rows'
 * precision) and as the fit holds them (`centres`, f64; their ‖c‖² come from the workspace, as for Lloyd's pass): half
 * the distance between each pair (`halfPairs`) and to the nearest other (`half`), rounded down a
 * little so that a test u ≤ half never passes when the true half-distance is smaller; and, when `moved`, how far each
 * moved since `previous` (`shift`, rounded up, with float32's rounding of the centroids allowed for), with the
 * largest move, its centroid and the largest of the others after them. `centres` is then kept at `previous`.
 */
export function kmeansBoundsPass(): void {
  if (int(A.float32)) centroidBounds<f32>();
  else centroidBounds<f64>();
}

@inline function centroidBounds<T>(): void {
  const k = int(A.k), d = int(A.d), c = ptr(A.c);
  const half = ptr(A.half), pairs = ptr(A.halfPairs), shift = ptr(A.shift), centres = ptr(A.centres), previous = ptr(A.previous);
  const rowBytes = <usize>d << rowShift<T>(), size = <usize>sizeof<T>();
  for (let q = 0; q < k; q++) store<f64>(half + (<usize>q << 3), Infinity);
  for (let a = 0; a < k; a++) {
    for (let b = a + 1; b < k; b++) {
      const p = 0.5 * Math.sqrt(squaredDistance<T>(c + <usize>a * rowBytes, c + <usize>b * rowBytes, d)) * (1 - 1e-9);
      store<f64>(pairs + (<usize>(a * k + b) << 3), p);
      store<f64>(pairs + (<usize>(b * k + a) << 3), p);
      if (p < load<f64>(half + (<usize>a << 3))) store<f64>(half + (<usize>a << 3), p);
      if (p < load<f64>(half + (<usize>b << 3))) store<f64>(half + (<usize>b << 3), p);
    }
  }
  let maxShift: f64 = 0, secondShift: f64 = 0, farthest: i32 = -1;
  const moved = int(A.moved) != 0;
  // The passes see float32 centroids: each move may be off by their rounding, up to 2^-20·max|c|·√d.
  let slack: f64 = 0;
  if (moved && size == 4) {
    let largest: f64 = 0;
    for (let i = 0; i < k * d; i++) largest = Math.max(largest, Math.abs(load<f64>(centres + (<usize>i << 3))));
    slack = 9.5367431640625e-7 * largest * Math.sqrt(<f64>d); // 2^-20
  }
  for (let a = 0; a < k; a++) {
    let move: f64 = 0;
    if (moved) {
      move = Math.sqrt(squaredDistance<f64>(centres + (<usize>(a * d) << 3), previous + (<usize>(a * d) << 3), d)) * (1 + 1e-9) + slack;
      if (move > maxShift) {
        secondShift = maxShift;
        maxShift = move;
        farthest = a;
      } else if (move > secondShift) secondShift = move;
    }
    store<f64>(shift + (<usize>a << 3), move);
  }
  store<f64>(shift + (<usize>k << 3), maxShift);
  store<f64>(shift + (<usize>(k + 1) << 3), <f64>farthest);
  store<f64>(shift + (<usize>(k + 2) << 3), secondShift);
  memory.copy(previous, centres, <usize>(k * d) << 3);
}

/** Σ (a_j − b_j)² in f64 over d values of type T, two lanes (its rounding only moves the bounds' margins). */
@inline function squaredDistance<T>(a: usize, b: usize, d: i32): f64 {
  let acc = f64x2.splat(0);
  let j = 0;
  if (sizeof<T>() == 8) {
    for (; j + 2 <= d; j += 2) {
      const e = f64x2.sub(v128.load(a + (<usize>j << 3)), v128.load(b + (<usize>j << 3)));
      acc = f64x2.add(acc, f64x2.mul(e, e));
    }
  } else {
    for (; j + 2 <= d; j += 2) {
      const e = f64x2.sub(f64x2.promote_low_f32x4(v128.load64_zero(a + (<usize>j << 2))), f64x2.promote_low_f32x4(v128.load64_zero(b + (<usize>j << 2))));
      acc = f64x2.add(acc, f64x2.mul(e, e));
    }
  }
  let s = f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1);
  for (; j < d; j++) {
    const e = <f64>load<T>(a + <usize>j * <usize>sizeof<T>()) - <f64>load<T>(b + <usize>j * <usize>sizeof<T>());
    s += e * e;
  }
  return s;
}
