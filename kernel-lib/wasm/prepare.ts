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

/**
 * Adds rows [0, n) into the column sums, each share taking a range of columns, so that every column is summed by one
 * thread in row order: the same sums, bit for bit, whatever the number of threads or of calls the rows come in. The
 * share's result is the largest |value| in its columns: NaN or +Infinity when one is not finite (f64x2.max keeps a
 * NaN), which the library then names.
 */
export function columnSumsPass(part: i32, parts: i32): void {
  const x = ptr(S.x), n = int(S.n), d = int(S.d), sums = ptr(S.sums), f32 = int(S.float32);
  const from = columnCut(d, part, parts), to = columnCut(d, part + 1, parts);
  let max = f64x2.splat(0);
  for (let i = 0; i < n; i++) {
    let j = from;
    if (f32) {
      const row = x + ((<usize>i * <usize>d) << 2);
      for (; j + 4 <= to; j += 4) {
        const v = v128.load(row + (<usize>j << 2));
        const lo = f64x2.promote_low_f32x4(v), hi = f64x2.promote_low_f32x4(i32x4.shuffle(v, v, 2, 3, 0, 1));
        const s = sums + (<usize>j << 3);
        v128.store(s, f64x2.add(v128.load(s), lo));
        v128.store(s, f64x2.add(v128.load(s, 16), hi), 16);
        max = f64x2.max(max, f64x2.max(f64x2.abs(lo), f64x2.abs(hi)));
      }
      for (; j < to; j++) {
        const v = <f64>load<f32>(row + (<usize>j << 2));
        store<f64>(sums + (<usize>j << 3), load<f64>(sums + (<usize>j << 3)) + v);
        max = f64x2.max(max, f64x2.splat(Math.abs(v)));
      }
    } else {
      const row = x + ((<usize>i * <usize>d) << 3);
      for (; j + 2 <= to; j += 2) {
        const v = v128.load(row + (<usize>j << 3));
        const s = sums + (<usize>j << 3);
        v128.store(s, f64x2.add(v128.load(s), v));
        max = f64x2.max(max, f64x2.abs(v));
      }
      for (; j < to; j++) {
        const v = load<f64>(row + (<usize>j << 3));
        store<f64>(sums + (<usize>j << 3), load<f64>(sums + (<usize>j << 3)) + v);
        max = f64x2.max(max, f64x2.splat(Math.abs(v)));
      }
    }
  }
  store<f64>(resultOf(part) + Result.value, Math.max(f64x2.extract_lane(max, 0), f64x2.extract_lane(max, 1)));
}

/**
 * The share's rows of `source` minus the column means, written to `target` at the fit's precision, each value
 * computed in f64 and rounded once; per row, when kept: the float32 plane of a float64 row and its distance to it,
 * ‖x‖² by the float32 passes' own dot product. Results: Σ w‖x‖² and Σ ‖x‖² of the stored rows. Sums run in row order
 * within a row, as the passes' own scalar loops do.
 */
export function centrePass(part: i32, parts: i32): void {
  const source = ptr(C.source), target = ptr(C.target), n = int(C.n), d = int(C.d), first = int(C.first);
  const mean = ptr(C.mean), weights = ptr(C.weights), plane = ptr(C.plane), planeSlack = ptr(C.planeSlack), norms = ptr(C.norms);
  const fromF32 = int(C.sourceFloat32), toF32 = int(C.float32);
  let weighted: f64 = 0, total: f64 = 0;
  for (let i = shareStart(n, part, parts), end = shareEnd(n, part, parts); i < end; i++) {
    const at = <usize>i * <usize>d, row = <usize>(first + i);
    let squares: f64 = 0, slack: f64 = 0;
    for (let j = 0; j < d; j++) {
      const raw: f64 = fromF32 ? <f64>load<f32>(source + ((at + j) << 2)) : load<f64>(source + ((at + j) << 3));
      const v = raw - load<f64>(mean + (<usize>j << 3));
      if (toF32) {
        const stored = <f32>v;
        store<f32>(target + ((at + j) << 2), stored);
        squares += <f64>stored * <f64>stored;
      } else {
        store<f64>(target + ((at + j) << 3), v);
        squares += v * v;
        if (plane) {
          const low = <f32>v;
          store<f32>(plane + ((row * <usize>d + j) << 2), low);
          const e = v - <f64>low; // exact: float32 keeps 24 of the 53 bits
          slack += e * e;
        }
      }
    }
    if (plane) store<f64>(planeSlack + (row << 3), Math.sqrt(slack) * (1 + 1e-12));
    if (norms) store<f64>(norms + (row << 3), dotF32(target + (at << 2), target + (at << 2), d));
    weighted += (weights ? load<f64>(weights + (row << 3)) : 1) * squares;
    total += squares;
  }
  const result = resultOf(part);
  store<f64>(result + Result.value, weighted);
  store<f64>(result + Result.second, total);
}
