// AssemblyScript. The k-means++ and farthest-first starts' pass (src/cluster/init.ts): a few candidate rows measured
// against every row, at the fit's precision, on every core. Arguments by the names memory-layout.ts's `SeedArg` gives.
import { MAX_SEED_CANDIDATES, SeedArg as A } from "../src/parallel/memory-layout";
import { int, ptr, shareEnd, shareStart } from "./args";
import { hsumF32, rowShift } from "./row-math";

// Most rows are nearer a centre already chosen than to a candidate: a distance is summed in blocks of BLOCK values,
// and left once its partial sum reaches the row's nearest (the minimum is then that, whatever the rest would add).
const BLOCK: i32 = 64;

/** ‖x − c‖², f64, in exactDistF64's order (row-math.ts), or a partial sum ≥ `limit` once one reaches it. */
@inline function distBelowF64(x: usize, c: usize, d: i32, limit: f64): f64 {
  let a0 = f64x2.splat(0), a1 = f64x2.splat(0), a2 = f64x2.splat(0), a3 = f64x2.splat(0);
  let j = 0;
  while (j + 8 <= d) {
    const end = min(j + BLOCK, d);
    for (; j + 8 <= end; j += 8) {
      const off = <usize>j << 3;
      const e0 = f64x2.sub(v128.load(x + off), v128.load(c + off));
      const e1 = f64x2.sub(v128.load(x + off, 16), v128.load(c + off, 16));
      const e2 = f64x2.sub(v128.load(x + off, 32), v128.load(c + off, 32));
      const e3 = f64x2.sub(v128.load(x + off, 48), v128.load(c + off, 48));
      a0 = f64x2.add(a0, f64x2.mul(e0, e0));
      a1 = f64x2.add(a1, f64x2.mul(e1, e1));
      a2 = f64x2.add(a2, f64x2.mul(e2, e2));
      a3 = f64x2.add(a3, f64x2.mul(e3, e3));
    }
    const acc = f64x2.add(f64x2.add(a0, a1), f64x2.add(a2, a3));
    const partial = f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1);
    if (partial >= limit) return partial;
  }
  const acc = f64x2.add(f64x2.add(a0, a1), f64x2.add(a2, a3));
  let s = f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1);
  for (; j < d; j++) {
    const diff = load<f64>(x + (<usize>j << 3)) - load<f64>(c + (<usize>j << 3));
    s += diff * diff;
  }
  return s;
}

/** ‖x − c‖², f32 values, in exactDistF32's order, or a partial sum ≥ `limit` once one reaches it. */
@inline function distBelowF32(x: usize, c: usize, d: i32, limit: f64): f64 {
  let a0 = f32x4.splat(0), a1 = f32x4.splat(0);
  let j = 0;
  while (j + 8 <= d) {
    const end = min(j + 2 * BLOCK, d);
    for (; j + 8 <= end; j += 8) {
      const off = <usize>j << 2;
      const e0 = f32x4.sub(v128.load(x + off), v128.load(c + off));
      const e1 = f32x4.sub(v128.load(x + off, 16), v128.load(c + off, 16));
      a0 = f32x4.add(a0, f32x4.mul(e0, e0));
      a1 = f32x4.add(a1, f32x4.mul(e1, e1));
    }
    const partial = hsumF32(f32x4.add(a0, a1));
    if (partial >= limit) return partial;
  }
  let s = hsumF32(f32x4.add(a0, a1));
  for (; j < d; j++) {
    const diff = load<f32>(x + (<usize>j << 2)) - load<f32>(c + (<usize>j << 2));
    s += <f64>(diff * diff);
  }
  return s;
}

@inline function distBelow<T>(x: usize, c: usize, d: i32, limit: f64): f64 {
  if (sizeof<T>() == 8) return distBelowF64(x, c, d, limit);
  return distBelowF32(x, c, d, limit);
}

/**
 * Share `part` of the pass: per candidate, Σ w_i min(closest_i, ‖x_i − x_candidate‖²) over the share's rows, in row
 * order (each distance by distBelow, so a candidate gets the same minima measured alone or with others).
 */
@inline function seed<T>(part: i32, parts: i32): void {
  const x = ptr(A.x), d = int(A.d), n = int(A.n), weights = ptr(A.weights), closest = ptr(A.closest);
  const candidates = ptr(A.candidates), count = int(A.count), distances = ptr(A.distances), fold = int(A.fold);
  const rowBytes = <usize>d << rowShift<T>();
  const potentials = ptr(A.potentials) + ((<usize>part * <usize>MAX_SEED_CANDIDATES) << 3);
  memory.fill(potentials, 0, <usize>count << 3);
  const to = shareEnd(n, part, parts);
  for (let i = shareStart(n, part, parts); i < to; i++) {
    const xi = x + <usize>i * rowBytes;
    const w: f64 = weights ? load<f64>(weights + (<usize>i << 3)) : 1;
    const near = load<f64>(closest + (<usize>i << 3));
    for (let t = 0; t < count; t++) {
      const candidate = x + <usize>load<i32>(candidates + (<usize>t << 2)) * rowBytes;
      const dist = min(near, distBelow<T>(xi, candidate, d, near));
      const at = potentials + (<usize>t << 3);
      store<f64>(at, load<f64>(at) + w * dist);
      if (distances) store<f64>(distances + ((<usize>t * <usize>n + <usize>i) << 3), dist);
      if (fold) store<f64>(closest + (<usize>i << 3), dist);
    }
  }
}

export function seedPass(part: i32, parts: i32): void {
  if (int(A.float32)) seed<f32>(part, parts);
  else seed<f64>(part, parts);
}
