// AssemblyScript, compiled with kmeans.ts into one module (see ../scripts/build-wasm.js).
// The fused EM pass for 2-D mixtures, two points per SIMD vector: the seeds' mixtures are 2-D, and there the pass
// is bound by exp, which WebAssembly lacks; expF64x2 below is a vector exp accurate to about 1 ulp.

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
export function gmmPass2DF64(
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
