// AssemblyScript. The passes that prepare a fit's data once it is copied into the shared memory: its column sums
// (with the check that every value is finite), then the centred copy the k-means passes read, with what they keep
// per row. Arguments by the names src/parallel/memory-layout.ts gives (`ColumnSumsArg`, `CentreArg`).
import { CentreArg as C, ColumnSumsArg as S, Result } from "../src/parallel/memory-layout";
import { int, ptr, resultOf, shareEnd, shareStart } from "./args";
import { dotF32 } from "./row-math";

/** Columns [columnCut(p), columnCut(p + 1)) belong to share p: whole vectors of four, the rest to the last share. */
@inline function columnCut(d: i32, part: i32, parts: i32): i32 {
  if (part >= parts) return d;
  return min(d, <i32>(4 * ((<i64>d * <i64>part) / (4 * <i64>parts))));
}

/** Four values of a row from `at` (f32 when `f32`) widened to f64: lanes 0–1 (`high` 0) or 2–3 (`high` 1). */
@inline function widened(at: usize, f32: i32, high: i32): v128 {
  if (f32) {
    const a = v128.load(at);
    return f64x2.promote_low_f32x4(high ? i32x4.shuffle(a, a, 2, 3, 0, 1) : a);
  }
  return high ? v128.load(at, 16) : v128.load(at);
}

/**
 * Adds rows [0, n) into the column sums, each share taking a range of columns, so that every column is summed by one
 * thread in row order: the same sums, bit for bit, whatever the number of threads or of calls the rows come in. The
 * share's result is the largest |value| in its columns, or NaN or +Infinity when one is not finite, which the
 * library then names.
 *
 * Rows are read in memory order, four at a time, across the share's columns: each column's sum takes the four values
 * in row order (the same additions as one row at a time) while the sums stay in the first-level cache. (Walking down a
 * block of columns row after row instead waits on a cache miss per row: several times slower.) The largest magnitude
 * is kept with pmax, one instruction where max's NaN rules take several; pmax can pass over a NaN, but a NaN also
 * makes its column's sum NaN for good, so the sums are checked at the end.
 */
export function columnSumsPass(part: i32, parts: i32): void {
  const x = ptr(S.x), n = int(S.n), d = int(S.d), sums = ptr(S.sums), f32 = int(S.float32), firstPart = int(S.firstPart);
  if (part < firstPart) return;
  const from = columnCut(d, part - firstPart, parts - firstPart), to = columnCut(d, part - firstPart + 1, parts - firstPart);
  const shift: usize = f32 ? 2 : 3, rowBytes = <usize>d << shift;
  let max = f64x2.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const row = x + <usize>i * rowBytes;
    let j = from;
    for (; j + 4 <= to; j += 4) {
      const s = sums + (<usize>j << 3), at = row + (<usize>j << shift);
      const a0 = widened(at, f32, 0), b0 = widened(at, f32, 1);
      const a1 = widened(at + rowBytes, f32, 0), b1 = widened(at + rowBytes, f32, 1);
      const a2 = widened(at + 2 * rowBytes, f32, 0), b2 = widened(at + 2 * rowBytes, f32, 1);
      const a3 = widened(at + 3 * rowBytes, f32, 0), b3 = widened(at + 3 * rowBytes, f32, 1);
      v128.store(s, f64x2.add(f64x2.add(f64x2.add(f64x2.add(v128.load(s), a0), a1), a2), a3));
      v128.store(s, f64x2.add(f64x2.add(f64x2.add(f64x2.add(v128.load(s, 16), b0), b1), b2), b3), 16);
      const ma = f64x2.pmax(f64x2.pmax(f64x2.abs(a0), f64x2.abs(a1)), f64x2.pmax(f64x2.abs(a2), f64x2.abs(a3)));
      const mb = f64x2.pmax(f64x2.pmax(f64x2.abs(b0), f64x2.abs(b1)), f64x2.pmax(f64x2.abs(b2), f64x2.abs(b3)));
      max = f64x2.pmax(max, f64x2.pmax(ma, mb));
    }
    // The last few columns, one at a time.
    for (; j < to; j++) {
      const s = sums + (<usize>j << 3);
      let sum = load<f64>(s);
      for (let r = 0, at = row + (<usize>j << shift); r < 4; r++, at += rowBytes) {
        const v: f64 = f32 ? <f64>load<f32>(at) : load<f64>(at);
        sum += v;
        max = f64x2.pmax(max, f64x2.splat(Math.abs(v)));
      }
      store<f64>(s, sum);
    }
  }
  // The last rows (fewer than four), one at a time.
  for (; i < n; i++) {
    const row = x + <usize>i * rowBytes;
    for (let j = from; j < to; j++) {
      const at = row + (<usize>j << shift), s = sums + (<usize>j << 3);
      const v: f64 = f32 ? <f64>load<f32>(at) : load<f64>(at);
      store<f64>(s, load<f64>(s) + v);
      max = f64x2.pmax(max, f64x2.splat(Math.abs(v)));
    }
  }
  let largest = Math.max(f64x2.extract_lane(max, 0), f64x2.extract_lane(max, 1));
  for (let j = from; j < to; j++) if (isNaN(load<f64>(sums + (<usize>j << 3)))) largest = NaN;
  store<f64>(resultOf(part) + Result.value, largest);
}

/**
 * The share's rows of `source` minus the column means, written to `target` at the fit's precision, with what the
 * passes keep per row (see centreRows). Results: Σ w‖x‖² and Σ ‖x‖² of the stored rows.
 */
export function centrePass(part: i32, parts: i32): void {
  const n = int(C.n), result = resultOf(part);
  store<f64>(result + Result.value, 0);
  store<f64>(result + Result.second, 0);
  centreRows(
    ptr(C.source), ptr(C.target), int(C.d), shareStart(n, part, parts), shareEnd(n, part, parts), int(C.first), ptr(C.mean), ptr(C.weights),
    ptr(C.plane), ptr(C.planeSlack), ptr(C.norms), int(C.sourceFloat32), int(C.float32), result,
  );
}

/** `squares` plus the squares of v's four float32 values in float64, in lane order, two lanes at a time. */
@inline function addSquaresF32(squares: v128, v: v128): v128 {
  const lo = f64x2.promote_low_f32x4(v), hi = f64x2.promote_low_f32x4(i32x4.shuffle(v, v, 2, 3, 0, 1));
  return f64x2.add(f64x2.add(squares, f64x2.mul(lo, lo)), f64x2.mul(hi, hi));
}

/**
 * Rows [from, to) of `source` minus `mean`, into `target` at the fit's precision (f32 when `toF32`), each value
 * computed in f64 and rounded once; they are rows `first` + i of the fit. Per row, when kept: the float32 plane of a
 * float64 row, its distance to it and its ‖h‖² (float64), or a float32 row's ‖x‖² by the float32 passes' own dot
 * product. Adds w‖x‖² and ‖x‖² of each stored row, in row order, to the f64 fields value and second at `result`. The
 * centre pass runs it over a share of the rows; a float64 or float32 Elkan first pass over each block of its rows,
 * just before it measures them (wasm/kmeans.ts), so that they are read from memory once.
 */
@inline export function centreRows(
  source: usize, target: usize, d: i32, from: i32, to: i32, first: i32, mean: usize, weights: usize,
  plane: usize, planeSlack: usize, norms: usize, fromF32: i32, toF32: i32, result: usize,
): void {
  let weighted = load<f64>(result + Result.value), total = load<f64>(result + Result.second);
  for (let i = from; i < to; i++) {
    const at = <usize>i * <usize>d, row = <usize>(first + i);
    const low = plane + ((row * <usize>d) << 2);
    let squares = f64x2.splat(0), slack = f64x2.splat(0), planeSquares = f64x2.splat(0);
    let j = 0;
    // float32 to float32: the mean is then a float32 vector too (the workspace rounds it, and keeps a float32 copy
    // after the float64 one), so x − mean is one float32 subtraction, the value the float64 route below rounds to;
    // the float64 squares are added in the two-value loop's order.
    if (fromF32 && toF32) {
      const mean32 = mean + (<usize>d << 3);
      for (; j + 4 <= d; j += 4) {
        const off = (at + j) << 2;
        const v = f32x4.sub(v128.load(source + off), v128.load(mean32 + (<usize>j << 2)));
        v128.store(target + off, v);
        squares = addSquaresF32(squares, v);
      }
    }
    for (; j + 2 <= d; j += 2) {
      const raw = fromF32 ? f64x2.promote_low_f32x4(v128.load64_zero(source + ((at + j) << 2))) : v128.load(source + ((at + j) << 3));
      const v = f64x2.sub(raw, v128.load(mean + (<usize>j << 3)));
      if (toF32) {
        const stored = f32x4.demote_f64x2_zero(v);
        v128.store64_lane(target + ((at + j) << 2), stored, 0);
        const back = f64x2.promote_low_f32x4(stored);
        squares = f64x2.add(squares, f64x2.mul(back, back));
      } else {
        v128.store(target + ((at + j) << 3), v);
        squares = f64x2.add(squares, f64x2.mul(v, v));
        if (plane) {
          const rounded = f32x4.demote_f64x2_zero(v);
          v128.store64_lane(low + (<usize>j << 2), rounded, 0);
          const back = f64x2.promote_low_f32x4(rounded);
          const e = f64x2.sub(v, back); // exact: float32 keeps 24 of the 53 bits
          slack = f64x2.add(slack, f64x2.mul(e, e));
          planeSquares = f64x2.add(planeSquares, f64x2.mul(back, back));
        }
      }
    }
    let sq = f64x2.extract_lane(squares, 0) + f64x2.extract_lane(squares, 1);
    let sl = f64x2.extract_lane(slack, 0) + f64x2.extract_lane(slack, 1);
    let hh = f64x2.extract_lane(planeSquares, 0) + f64x2.extract_lane(planeSquares, 1);
    for (; j < d; j++) {
      const raw: f64 = fromF32 ? <f64>load<f32>(source + ((at + j) << 2)) : load<f64>(source + ((at + j) << 3));
      const v = raw - load<f64>(mean + (<usize>j << 3));
      if (toF32) {
        const stored = <f32>v;
        store<f32>(target + ((at + j) << 2), stored);
        sq += <f64>stored * <f64>stored;
      } else {
        store<f64>(target + ((at + j) << 3), v);
        sq += v * v;
        if (plane) {
          const rounded = <f32>v;
          store<f32>(low + (<usize>j << 2), rounded);
          const e = v - <f64>rounded;
          sl += e * e;
          hh += <f64>rounded * <f64>rounded;
        }
      }
    }
    if (plane) store<f64>(planeSlack + (row << 3), Math.sqrt(sl) * (1 + 1e-12));
    if (norms) store<f64>(norms + (row << 3), plane ? hh : dotF32(target + (at << 2), target + (at << 2), d));
    weighted += (weights ? load<f64>(weights + (row << 3)) : 1) * sq;
    total += sq;
  }
  store<f64>(result + Result.value, weighted);
  store<f64>(result + Result.second, total);
}
