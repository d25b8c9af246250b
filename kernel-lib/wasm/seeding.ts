// AssemblyScript. The k-means++ and farthest-first starts' pass (src/cluster/init.ts): a few candidate rows measured
// against every row, at the fit's precision, on every core. Arguments by the names memory-layout.ts's `SeedArg` gives.
import { MAX_SEED_CANDIDATES, SeedArg as A } from "../src/parallel/memory-layout";
import { int, ptr, shareEnd, shareStart } from "./args";
import { rowShift, squaredDistanceBelow } from "./row-math";

/**
 * Share `part` of the pass: per candidate, Σ w_i min(closest_i, ‖x_i − x_candidate‖²) over the share's rows, in row
 * order. Most rows are nearer a centre already chosen than to a candidate, so each distance is left once it passes
 * the row's nearest (squaredDistanceBelow), the same minimum either way, alone or with other candidates.
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
      const dist = min(near, squaredDistanceBelow<T>(xi, candidate, d, near));
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
