// AssemblyScript. The EM pass of a Gaussian mixture with full or diagonal covariances: the E-step's log-densities
// and responsibilities, folded at once into the M-step's statistics around the current means, so the n×k
// responsibilities are never stored. Two rows per SIMD vector (a row per lane), so nothing is summed across lanes
// until the share ends. Arguments by the names src/parallel/memory-layout.ts gives (`MixtureArg`). 2-D mixtures (the
// seeds') have their own pass, bound by exp, which WebAssembly lacks: expF64x2 below is a vector exp accurate to
// about 1 ulp.
import { MixtureArg as M, Result } from "../src/parallel/memory-layout";
import { int, ptr, resultOf, shareEnd, shareStart } from "./args";

const LN2_HI: f64 = 6.93147180369123816490e-01;
const LN2_LO: f64 = 1.90821492927058770002e-10;
const INV_LN2: f64 = 1.44269504088896338700e+00;
const LOG_BLOCK: i32 = 32;

/** e^x for each lane; lanes below −708 give 0 (they only ever meet sums ≥ 1 here). */
@inline function expF64x2(x: v128): v128 {
  const lo = f64x2.lt(x, f64x2.splat(-708));
  const xc = f64x2.max(x, f64x2.splat(-708));
  const n = f64x2.nearest(f64x2.mul(xc, f64x2.splat(INV_LN2)));
  const r = f64x2.sub(f64x2.sub(xc, f64x2.mul(n, f64x2.splat(LN2_HI))), f64x2.mul(n, f64x2.splat(LN2_LO)));
  // Taylor series of e^r on |r| ≤ ln2/2, Horner form to r^13/13! (truncation below 1e-17).
  let p = f64x2.splat(1.0 / 6227020800.0);
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 479001600.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 39916800.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 3628800.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 362880.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 40320.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 5040.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 720.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 120.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 24.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 6.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(0.5));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0));
  // 2^n from its exponent bits.
  const ni = i64x2.extend_low_i32x4_s(i32x4.trunc_sat_f64x2_s_zero(n));
  const scale = i64x2.shl(i64x2.add(ni, i64x2.splat(1023)), 52);
  return v128.andnot(f64x2.mul(p, scale), lo);
}

/**
 * Rows [start, end) (an even count) of 2-D data: per component q, the inverse Cholesky factor [[a, 0], [b, c]] at
 * factors[3q…] (diag: b = 0), log π − ½(2 log 2π + log|Σ|) at logConst[q], the mean at means[2q…]. Adds into
 * `stats` (N | S1 | S2, S2 as 4 values per component when `full`, else 2), around the current means, and returns
 * Σ log p(x_i). `scratch` holds 7k vectors.
 */
@inline function pass2D(
  x: usize, start: i32, end: i32, k: i32, means: usize, factors: usize, logConst: usize, full: bool, stats: usize, scratch: usize,
): f64 {
  const lp = scratch; // k vectors
  const acc = scratch + (<usize>k << 4); // 6 vectors per component: N, S1x, S1y, S2xx, S2xy, S2yy
  for (let q = 0; q < 6 * k; q++) v128.store(acc + (<usize>q << 4), f64x2.splat(0));
  // Σ log p(x) = Σ max + Σ log(sum): the maxima are summed per lane, and the sums (each in [1, k]) multiplied for up
  // to LOG_BLOCK pairs before one log per lane (k^32 stays far below the float64 range for any k < 2^30).
  let total: f64 = 0;
  let maxima = f64x2.splat(0), product = f64x2.splat(1);
  let inBlock = 0;
  for (let i = start; i + 1 < end; i += 2) {
    const p0 = v128.load(x + (<usize>i << 4));
    const p1 = v128.load(x + (<usize>i << 4), 16);
    const X = v128.shuffle<f64>(p0, p1, 0, 2);
    const Y = v128.shuffle<f64>(p0, p1, 1, 3);
    let max = f64x2.splat(-Infinity);
    for (let q = 0; q < k; q++) {
      const f = factors + <usize>q * 24;
      const u = f64x2.sub(X, f64x2.splat(load<f64>(means + (<usize>q << 4))));
      const v = f64x2.sub(Y, f64x2.splat(load<f64>(means + (<usize>q << 4), 8)));
      const y0 = f64x2.mul(f64x2.splat(load<f64>(f)), u);
      const y1 = f64x2.add(f64x2.mul(f64x2.splat(load<f64>(f, 8)), u), f64x2.mul(f64x2.splat(load<f64>(f, 16)), v));
      const l = f64x2.sub(f64x2.splat(load<f64>(logConst + (<usize>q << 3))), f64x2.mul(f64x2.splat(0.5), f64x2.add(f64x2.mul(y0, y0), f64x2.mul(y1, y1))));
      v128.store(lp + (<usize>q << 4), l);
      max = f64x2.max(max, l);
    }
    let sum = f64x2.splat(0);
    for (let q = 0; q < k; q++) {
      const e = expF64x2(f64x2.sub(v128.load(lp + (<usize>q << 4)), max));
      v128.store(lp + (<usize>q << 4), e);
      sum = f64x2.add(sum, e);
    }
    maxima = f64x2.add(maxima, max);
    product = f64x2.mul(product, sum);
    if (++inBlock == LOG_BLOCK) {
      total += Math.log(f64x2.extract_lane(product, 0)) + Math.log(f64x2.extract_lane(product, 1));
      product = f64x2.splat(1);
      inBlock = 0;
    }
    const inv = f64x2.div(f64x2.splat(1), sum);
    for (let q = 0; q < k; q++) {
      const r = f64x2.mul(v128.load(lp + (<usize>q << 4)), inv);
      const u = f64x2.sub(X, f64x2.splat(load<f64>(means + (<usize>q << 4))));
      const v = f64x2.sub(Y, f64x2.splat(load<f64>(means + (<usize>q << 4), 8)));
      const ru = f64x2.mul(r, u), rv = f64x2.mul(r, v);
      const a = acc + <usize>q * 96;
      v128.store(a, f64x2.add(v128.load(a), r));
      v128.store(a, f64x2.add(v128.load(a, 16), ru), 16);
      v128.store(a, f64x2.add(v128.load(a, 32), rv), 32);
      v128.store(a, f64x2.add(v128.load(a, 48), f64x2.mul(ru, u)), 48);
      v128.store(a, f64x2.add(v128.load(a, 64), f64x2.mul(ru, v)), 64);
      v128.store(a, f64x2.add(v128.load(a, 80), f64x2.mul(rv, v)), 80);
    }
  }
  total += Math.log(f64x2.extract_lane(product, 0)) + Math.log(f64x2.extract_lane(product, 1)) + hsum(maxima);
  // Lanes summed into the caller's layout.
  const s1 = stats + (<usize>k << 3), s2 = stats + (<usize>(3 * k) << 3);
  for (let q = 0; q < k; q++) {
    const a = acc + <usize>q * 96;
    store<f64>(stats + (<usize>q << 3), load<f64>(stats + (<usize>q << 3)) + hsum(v128.load(a)));
    store<f64>(s1 + (<usize>(2 * q) << 3), load<f64>(s1 + (<usize>(2 * q) << 3)) + hsum(v128.load(a, 16)));
    store<f64>(s1 + (<usize>(2 * q + 1) << 3), load<f64>(s1 + (<usize>(2 * q + 1) << 3)) + hsum(v128.load(a, 32)));
    if (full) {
      const b = s2 + (<usize>(4 * q) << 3);
      store<f64>(b, load<f64>(b) + hsum(v128.load(a, 48)));
      store<f64>(b, load<f64>(b, 8) + hsum(v128.load(a, 64)), 8);
      store<f64>(b, load<f64>(b, 24) + hsum(v128.load(a, 80)), 24);
    } else {
      const b = s2 + (<usize>(2 * q) << 3);
      store<f64>(b, load<f64>(b) + hsum(v128.load(a, 48)));
      store<f64>(b, load<f64>(b, 8) + hsum(v128.load(a, 80)), 8);
    }
  }
  return total;
}

@inline function hsum(v: v128): f64 {
  return f64x2.extract_lane(v, 0) + f64x2.extract_lane(v, 1);
}

/**
 * Rows [start, end) of d-dimensional data, two at a time (an odd last row alone, its second lane masked out), for
 * full or diagonal covariances as memory-layout.ts's `MixtureArg` describes; adds into `stats` and returns
 * Σ log p(x_i). `scratch` holds d + k + k(1 + d + s) vectors, s the S2 values per component.
 */
@inline function passD(
  x: usize, d: i32, start: i32, end: i32, k: i32, means: usize, factors: usize, logConst: usize, full: bool, stats: usize, scratch: usize,
): f64 {
  const s2Count = full ? (d * (d + 1)) >> 1 : d;
  const perComponent = 1 + d + s2Count; // accumulated vectors: N, S1 (d), S2
  const X = scratch; // the two rows, column by column (d vectors)
  const lp = X + (<usize>d << 4); // k vectors
  const acc = lp + (<usize>k << 4);
  const u = acc + (<usize>(k * perComponent) << 4); // one component's x − μ (d vectors)
  for (let q = 0; q < k * perComponent; q++) v128.store(acc + (<usize>q << 4), f64x2.splat(0));
  const rowBytes = <usize>d << 3;
  let total: f64 = 0;
  let maxima = f64x2.splat(0), product = f64x2.splat(1);
  let inBlock = 0;
  for (let i = start; i < end; i += 2) {
    const a = x + <usize>i * rowBytes;
    const pair = i + 1 < end;
    const b = pair ? a + rowBytes : a;
    // Lane 1 of a lone last row counts for nothing: responsibility 0, log-likelihood 0.
    const mask = pair ? f64x2.splat(1) : f64x2.replace_lane(f64x2.splat(1), 1, 0);
    for (let j = 0; j < d; j++) {
      v128.store(X + (<usize>j << 4), f64x2.replace_lane(f64x2.splat(load<f64>(a + (<usize>j << 3))), 1, load<f64>(b + (<usize>j << 3))));
    }
    let max = f64x2.splat(-Infinity);
    for (let q = 0; q < k; q++) {
      const mu = means + <usize>q * rowBytes;
      let m = f64x2.splat(0);
      if (full) {
        // ‖L⁻¹(x − μ)‖², L⁻¹ lower-triangular, row by row.
        const f = factors + <usize>q * (<usize>(d * d) << 3);
        for (let r = 0; r < d; r++) {
          const ur = f64x2.sub(v128.load(X + (<usize>r << 4)), f64x2.splat(load<f64>(mu + (<usize>r << 3))));
          v128.store(u + (<usize>r << 4), ur);
          const row = f + (<usize>(r * d) << 3);
          let y = f64x2.mul(f64x2.splat(load<f64>(row + (<usize>r << 3))), ur);
          for (let c = 0; c < r; c++) y = f64x2.add(y, f64x2.mul(f64x2.splat(load<f64>(row + (<usize>c << 3))), v128.load(u + (<usize>c << 4))));
          m = f64x2.add(m, f64x2.mul(y, y));
        }
      } else {
        const f = factors + <usize>q * rowBytes;
        for (let j = 0; j < d; j++) {
          const y = f64x2.mul(f64x2.sub(v128.load(X + (<usize>j << 4)), f64x2.splat(load<f64>(mu + (<usize>j << 3)))), f64x2.splat(load<f64>(f + (<usize>j << 3))));
          m = f64x2.add(m, f64x2.mul(y, y));
        }
      }
      const l = f64x2.sub(f64x2.splat(load<f64>(logConst + (<usize>q << 3))), f64x2.mul(f64x2.splat(0.5), m));
      v128.store(lp + (<usize>q << 4), l);
      max = f64x2.max(max, l);
    }
    let sum = f64x2.splat(0);
    for (let q = 0; q < k; q++) {
      const e = expF64x2(f64x2.sub(v128.load(lp + (<usize>q << 4)), max));
      v128.store(lp + (<usize>q << 4), e);
      sum = f64x2.add(sum, e);
    }
    maxima = f64x2.add(maxima, f64x2.mul(max, mask));
    // A masked lane's sum is 1 (its log 0): the mask picks the sum, or 1.
    product = f64x2.mul(product, v128.bitselect(sum, f64x2.splat(1), f64x2.eq(mask, f64x2.splat(1))));
    if (++inBlock == LOG_BLOCK) {
      total += Math.log(f64x2.extract_lane(product, 0)) + Math.log(f64x2.extract_lane(product, 1));
      product = f64x2.splat(1);
      inBlock = 0;
    }
    const inv = f64x2.mul(f64x2.div(f64x2.splat(1), sum), mask);
    for (let q = 0; q < k; q++) {
      const r = f64x2.mul(v128.load(lp + (<usize>q << 4)), inv);
      const mu = means + <usize>q * rowBytes;
      const base = acc + (<usize>(q * perComponent) << 4);
      v128.store(base, f64x2.add(v128.load(base), r));
      const s1 = base + 16, s2 = s1 + (<usize>d << 4);
      if (full) {
        for (let j = 0; j < d; j++) v128.store(u + (<usize>j << 4), f64x2.sub(v128.load(X + (<usize>j << 4)), f64x2.splat(load<f64>(mu + (<usize>j << 3)))));
        let t = s2;
        for (let p = 0; p < d; p++) {
          const ru = f64x2.mul(r, v128.load(u + (<usize>p << 4)));
          v128.store(s1 + (<usize>p << 4), f64x2.add(v128.load(s1 + (<usize>p << 4)), ru));
          for (let c = p; c < d; c++) {
            v128.store(t, f64x2.add(v128.load(t), f64x2.mul(ru, v128.load(u + (<usize>c << 4)))));
            t += 16;
          }
        }
      } else {
        for (let j = 0; j < d; j++) {
          const up = f64x2.sub(v128.load(X + (<usize>j << 4)), f64x2.splat(load<f64>(mu + (<usize>j << 3))));
          const ru = f64x2.mul(r, up);
          const at = <usize>j << 4;
          v128.store(s1 + at, f64x2.add(v128.load(s1 + at), ru));
          v128.store(s2 + at, f64x2.add(v128.load(s2 + at), f64x2.mul(ru, up)));
        }
      }
    }
  }
  total += Math.log(f64x2.extract_lane(product, 0)) + Math.log(f64x2.extract_lane(product, 1)) + hsum(maxima);
  // Lanes summed into the caller's layout: N (k), S1 (k·d), S2 (k·d·d upper triangles, or k·d).
  const s1 = stats + (<usize>k << 3), s2 = s1 + (<usize>(k * d) << 3);
  for (let q = 0; q < k; q++) {
    const base = acc + (<usize>(q * perComponent) << 4);
    store<f64>(stats + (<usize>q << 3), load<f64>(stats + (<usize>q << 3)) + hsum(v128.load(base)));
    for (let j = 0; j < d; j++) {
      const at = s1 + (<usize>(q * d + j) << 3);
      store<f64>(at, load<f64>(at) + hsum(v128.load(base + 16 + (<usize>j << 4))));
    }
    let t = base + 16 + (<usize>d << 4);
    const last: i32 = full ? d : 1;
    for (let p = 0; p < d; p++) {
      for (let c = full ? p : 0; c < last; c++) {
        const at = full ? s2 + (<usize>(q * d * d + p * d + c) << 3) : s2 + (<usize>(q * d + p) << 3);
        store<f64>(at, load<f64>(at) + hsum(v128.load(t)));
        t += 16;
      }
    }
  }
  return total;
}

/**
 * One share of the EM pass: its statistics zeroed, then its rows (2-D: pairs by the 2-D pass, an odd last row by
 * the general one); the share's Σ log p(x_i) is its result.
 */
export function mixturePass(part: i32, parts: i32): void {
  const x = ptr(M.x), d = int(M.d), n = int(M.n), k = int(M.k), means = ptr(M.means), factors = ptr(M.factors);
  const logConst = ptr(M.logConst), full = int(M.full) != 0;
  const start = shareStart(n, part, parts), end = shareEnd(n, part, parts);
  const s2Count = full ? d * d : d;
  const stats = ptr(M.stats) + <usize>part * ptr(M.statsStride);
  const scratch = ptr(M.scratch) + <usize>part * ptr(M.scratchStride);
  memory.fill(stats, 0, <usize>(k + k * d + k * s2Count) << 3);
  let total: f64 = 0;
  let from = start;
  if (d == 2) {
    // The 2-D pass's factors, packed as [a, b, c] per component from [[a, 0], [b, c]] (diag: [a, 0, c]).
    for (let q = 0; q < k; q++) {
      const f = factors + (<usize>q << (full ? 5 : 4)), to = scratch + <usize>q * 24;
      store<f64>(to, load<f64>(f));
      store<f64>(to, full ? load<f64>(f, 16) : 0, 8);
      store<f64>(to, load<f64>(f + (full ? 24 : 8)), 16);
    }
    const pairsEnd = start + 2 * ((end - start) / 2);
    total += pass2D(x, start, pairsEnd, k, means, scratch, logConst, full, stats, scratch + <usize>k * 24);
    from = pairsEnd;
  }
  if (from < end) total += passD(x, d, from, end, k, means, factors, logConst, full, stats, scratch);
  store<f64>(resultOf(part) + Result.value, total);
}
