// AssemblyScript, compiled to WebAssembly SIMD with gmm.ts by scripts/build-wasm.js (part of `npm run build`).
// Why hand-written kernels: no npm library offers SIMD k-means/EM inner loops that run inside a VSIX on any platform
// (native BLAS addons do not), and these two loops are where all the time goes.
//
// Every pointer is a byte offset into the shared memory the JavaScript side lays out; nothing here allocates.
// Rows are row-major, `d` values each. Centroids are k×d. Sums are k×d f64, counts k f64 (per worker).

const LANES_F64: i32 = 2;
const LANES_F32: i32 = 4;

/** Σ_j (x_j − c_j)² for one row against one centroid, f64; four accumulators so the adds do not wait on each other. */
@inline function exactDistF64(x: usize, c: usize, d: i32): f64 {
  let a0 = f64x2.splat(0), a1 = f64x2.splat(0), a2 = f64x2.splat(0), a3 = f64x2.splat(0);
  let j = 0;
  for (; j + 8 <= d; j += 8) {
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
  let s = f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1);
  for (; j < d; j++) {
    const diff = load<f64>(x + (<usize>j << 3)) - load<f64>(c + (<usize>j << 3));
    s += diff * diff;
  }
  return s;
}

/** x·c with four accumulators (the 1-centroid tail of the blocked loop). */
@inline function dotF64(x: usize, c: usize, d: i32): f64 {
  let a0 = f64x2.splat(0), a1 = f64x2.splat(0), a2 = f64x2.splat(0), a3 = f64x2.splat(0);
  let j = 0;
  for (; j + 8 <= d; j += 8) {
    const off = <usize>j << 3;
    a0 = f64x2.add(a0, f64x2.mul(v128.load(x + off), v128.load(c + off)));
    a1 = f64x2.add(a1, f64x2.mul(v128.load(x + off, 16), v128.load(c + off, 16)));
    a2 = f64x2.add(a2, f64x2.mul(v128.load(x + off, 32), v128.load(c + off, 32)));
    a3 = f64x2.add(a3, f64x2.mul(v128.load(x + off, 48), v128.load(c + off, 48)));
  }
  const acc = f64x2.add(f64x2.add(a0, a1), f64x2.add(a2, a3));
  let s = f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1);
  for (; j < d; j++) s += load<f64>(x + (<usize>j << 3)) * load<f64>(c + (<usize>j << 3));
  return s;
}

/** Dot products of rows a and b with centroids [c0, c0+4): written to scores[c] and scores[k + c]. */
@inline function dots2x4F64(a: usize, b: usize, p0: usize, rowBytes: usize, d: i32, scores: usize, k: i32, c0: i32): void {
  const p1 = p0 + rowBytes, p2 = p1 + rowBytes, p3 = p2 + rowBytes;
  let a0 = f64x2.splat(0), a1 = f64x2.splat(0), a2 = f64x2.splat(0), a3 = f64x2.splat(0);
  let b0 = f64x2.splat(0), b1 = f64x2.splat(0), b2 = f64x2.splat(0), b3 = f64x2.splat(0);
  let j = 0;
  // Unrolled by two vectors: the second uses the loads' immediate offset, saving address arithmetic.
  for (; j + 2 * LANES_F64 <= d; j += 2 * LANES_F64) {
    const off = <usize>j << 3;
    const pa = a + off, pb = b + off, r0 = p0 + off, r1 = p1 + off, r2 = p2 + off, r3 = p3 + off;
    let xa = v128.load(pa), xb = v128.load(pb);
    let q0 = v128.load(r0), q1 = v128.load(r1), q2 = v128.load(r2), q3 = v128.load(r3);
    a0 = f64x2.add(a0, f64x2.mul(xa, q0));
    a1 = f64x2.add(a1, f64x2.mul(xa, q1));
    a2 = f64x2.add(a2, f64x2.mul(xa, q2));
    a3 = f64x2.add(a3, f64x2.mul(xa, q3));
    b0 = f64x2.add(b0, f64x2.mul(xb, q0));
    b1 = f64x2.add(b1, f64x2.mul(xb, q1));
    b2 = f64x2.add(b2, f64x2.mul(xb, q2));
    b3 = f64x2.add(b3, f64x2.mul(xb, q3));
    xa = v128.load(pa, 16); xb = v128.load(pb, 16);
    q0 = v128.load(r0, 16); q1 = v128.load(r1, 16); q2 = v128.load(r2, 16); q3 = v128.load(r3, 16);
    a0 = f64x2.add(a0, f64x2.mul(xa, q0));
    a1 = f64x2.add(a1, f64x2.mul(xa, q1));
    a2 = f64x2.add(a2, f64x2.mul(xa, q2));
    a3 = f64x2.add(a3, f64x2.mul(xa, q3));
    b0 = f64x2.add(b0, f64x2.mul(xb, q0));
    b1 = f64x2.add(b1, f64x2.mul(xb, q1));
    b2 = f64x2.add(b2, f64x2.mul(xb, q2));
    b3 = f64x2.add(b3, f64x2.mul(xb, q3));
  }
  for (; j + LANES_F64 <= d; j += LANES_F64) {
    const off = <usize>j << 3;
    const xa = v128.load(a + off), xb = v128.load(b + off);
    const q0 = v128.load(p0 + off), q1 = v128.load(p1 + off), q2 = v128.load(p2 + off), q3 = v128.load(p3 + off);
    a0 = f64x2.add(a0, f64x2.mul(xa, q0));
    a1 = f64x2.add(a1, f64x2.mul(xa, q1));
    a2 = f64x2.add(a2, f64x2.mul(xa, q2));
    a3 = f64x2.add(a3, f64x2.mul(xa, q3));
    b0 = f64x2.add(b0, f64x2.mul(xb, q0));
    b1 = f64x2.add(b1, f64x2.mul(xb, q1));
    b2 = f64x2.add(b2, f64x2.mul(xb, q2));
    b3 = f64x2.add(b3, f64x2.mul(xb, q3));
  }
  let sa0 = f64x2.extract_lane(a0, 0) + f64x2.extract_lane(a0, 1), sb0 = f64x2.extract_lane(b0, 0) + f64x2.extract_lane(b0, 1);
  let sa1 = f64x2.extract_lane(a1, 0) + f64x2.extract_lane(a1, 1), sb1 = f64x2.extract_lane(b1, 0) + f64x2.extract_lane(b1, 1);
  let sa2 = f64x2.extract_lane(a2, 0) + f64x2.extract_lane(a2, 1), sb2 = f64x2.extract_lane(b2, 0) + f64x2.extract_lane(b2, 1);
  let sa3 = f64x2.extract_lane(a3, 0) + f64x2.extract_lane(a3, 1), sb3 = f64x2.extract_lane(b3, 0) + f64x2.extract_lane(b3, 1);
  for (; j < d; j++) {
    const off = <usize>j << 3;
    const xa = load<f64>(a + off), xb = load<f64>(b + off);
    const q0 = load<f64>(p0 + off), q1 = load<f64>(p1 + off), q2 = load<f64>(p2 + off), q3 = load<f64>(p3 + off);
    sa0 += xa * q0; sa1 += xa * q1; sa2 += xa * q2; sa3 += xa * q3;
    sb0 += xb * q0; sb1 += xb * q1; sb2 += xb * q2; sb3 += xb * q3;
  }
  const sa = scores + (<usize>c0 << 3), sb = scores + (<usize>(k + c0) << 3);
  store<f64>(sa, sa0); store<f64>(sa, sa1, 8); store<f64>(sa, sa2, 16); store<f64>(sa, sa3, 24);
  store<f64>(sb, sb0); store<f64>(sb, sb1, 8); store<f64>(sb, sb2, 16); store<f64>(sb, sb3, 24);
}



// ---- float32: data and centroids in f32 (four lanes), sums and inertia in f64 ----

@inline function dotF32(x: usize, c: usize, d: i32): f64 {
  let a0 = f32x4.splat(0), a1 = f32x4.splat(0);
  let j = 0;
  for (; j + 8 <= d; j += 8) {
    const off = <usize>j << 2;
    a0 = f32x4.add(a0, f32x4.mul(v128.load(x + off), v128.load(c + off)));
    a1 = f32x4.add(a1, f32x4.mul(v128.load(x + off, 16), v128.load(c + off, 16)));
  }
  const acc = f32x4.add(a0, a1);
  let s: f64 = <f64>f32x4.extract_lane(acc, 0) + <f64>f32x4.extract_lane(acc, 1) + <f64>f32x4.extract_lane(acc, 2) + <f64>f32x4.extract_lane(acc, 3);
  for (; j < d; j++) s += <f64>(load<f32>(x + (<usize>j << 2)) * load<f32>(c + (<usize>j << 2)));
  return s;
}

@inline function exactDistF32(x: usize, c: usize, d: i32): f64 {
  let a0 = f32x4.splat(0), a1 = f32x4.splat(0);
  let j = 0;
  for (; j + 8 <= d; j += 8) {
    const off = <usize>j << 2;
    const e0 = f32x4.sub(v128.load(x + off), v128.load(c + off));
    const e1 = f32x4.sub(v128.load(x + off, 16), v128.load(c + off, 16));
    a0 = f32x4.add(a0, f32x4.mul(e0, e0));
    a1 = f32x4.add(a1, f32x4.mul(e1, e1));
  }
  const acc = f32x4.add(a0, a1);
  let s: f64 = <f64>f32x4.extract_lane(acc, 0) + <f64>f32x4.extract_lane(acc, 1) + <f64>f32x4.extract_lane(acc, 2) + <f64>f32x4.extract_lane(acc, 3);
  for (; j < d; j++) {
    const diff = load<f32>(x + (<usize>j << 2)) - load<f32>(c + (<usize>j << 2));
    s += <f64>(diff * diff);
  }
  return s;
}

@inline function hsumF32(v: v128): f64 {
  return <f64>f32x4.extract_lane(v, 0) + <f64>f32x4.extract_lane(v, 1) + <f64>f32x4.extract_lane(v, 2) + <f64>f32x4.extract_lane(v, 3);
}

/**
 * x·c and x·e in one sweep over x (float32 Elkan's candidates, two at a time), each summed in dotF32's order so a
 * pair gives the same values as two single products: written to out and out + 8.
 */
@inline function dotPairF32(x: usize, c: usize, e: usize, d: i32, out: usize): void {
  let a0 = f32x4.splat(0), a1 = f32x4.splat(0), b0 = f32x4.splat(0), b1 = f32x4.splat(0);
  let j = 0;
  for (; j + 8 <= d; j += 8) {
    const off = <usize>j << 2;
    const x0 = v128.load(x + off), x1 = v128.load(x + off, 16);
    a0 = f32x4.add(a0, f32x4.mul(x0, v128.load(c + off)));
    a1 = f32x4.add(a1, f32x4.mul(x1, v128.load(c + off, 16)));
    b0 = f32x4.add(b0, f32x4.mul(x0, v128.load(e + off)));
    b1 = f32x4.add(b1, f32x4.mul(x1, v128.load(e + off, 16)));
  }
  let sa = hsumF32(f32x4.add(a0, a1)), sb = hsumF32(f32x4.add(b0, b1));
  for (; j < d; j++) {
    const v = load<f32>(x + (<usize>j << 2));
    sa += <f64>(v * load<f32>(c + (<usize>j << 2)));
    sb += <f64>(v * load<f32>(e + (<usize>j << 2)));
  }
  store<f64>(out, sa);
  store<f64>(out, sb, 8);
}

@inline function dots2x4F32(a: usize, b: usize, p0: usize, rowBytes: usize, d: i32, scores: usize, k: i32, c0: i32): void {
  const p1 = p0 + rowBytes, p2 = p1 + rowBytes, p3 = p2 + rowBytes;
  let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0), a3 = f32x4.splat(0);
  let b0 = f32x4.splat(0), b1 = f32x4.splat(0), b2 = f32x4.splat(0), b3 = f32x4.splat(0);
  let j = 0;
  for (; j + LANES_F32 <= d; j += LANES_F32) {
    const off = <usize>j << 2;
    const xa = v128.load(a + off), xb = v128.load(b + off);
    const q0 = v128.load(p0 + off), q1 = v128.load(p1 + off), q2 = v128.load(p2 + off), q3 = v128.load(p3 + off);
    a0 = f32x4.add(a0, f32x4.mul(xa, q0));
    a1 = f32x4.add(a1, f32x4.mul(xa, q1));
    a2 = f32x4.add(a2, f32x4.mul(xa, q2));
    a3 = f32x4.add(a3, f32x4.mul(xa, q3));
    b0 = f32x4.add(b0, f32x4.mul(xb, q0));
    b1 = f32x4.add(b1, f32x4.mul(xb, q1));
    b2 = f32x4.add(b2, f32x4.mul(xb, q2));
    b3 = f32x4.add(b3, f32x4.mul(xb, q3));
  }
  let sa0 = hsumF32(a0), sa1 = hsumF32(a1), sa2 = hsumF32(a2), sa3 = hsumF32(a3);
  let sb0 = hsumF32(b0), sb1 = hsumF32(b1), sb2 = hsumF32(b2), sb3 = hsumF32(b3);
  for (; j < d; j++) {
    const off = <usize>j << 2;
    const xa = load<f32>(a + off), xb = load<f32>(b + off);
    const q0 = load<f32>(p0 + off), q1 = load<f32>(p1 + off), q2 = load<f32>(p2 + off), q3 = load<f32>(p3 + off);
    sa0 += <f64>(xa * q0); sa1 += <f64>(xa * q1); sa2 += <f64>(xa * q2); sa3 += <f64>(xa * q3);
    sb0 += <f64>(xb * q0); sb1 += <f64>(xb * q1); sb2 += <f64>(xb * q2); sb3 += <f64>(xb * q3);
  }
  const sa = scores + (<usize>c0 << 3), sb = scores + (<usize>(k + c0) << 3);
  store<f64>(sa, sa0); store<f64>(sa, sa1, 8); store<f64>(sa, sa2, 16); store<f64>(sa, sa3, 24);
  store<f64>(sb, sb0); store<f64>(sb, sb1, 8); store<f64>(sb, sb2, 16); store<f64>(sb, sb3, 24);
}



// Bounded passes take rows in blocks of BLOCK; float32 bounds are widened by UP/DOWN before they are stored.
const BLOCK: i32 = 64;
const UP: f64 = 1 + 1.2e-7; // float32 rounding is below 2^-24 relative: widen bounds before storing them
const DOWN: f64 = 1 - 1.2e-7;

@inline function addRowF64(sb: usize, xi: usize, d: i32, w: f64): void {
  const wv = f64x2.splat(w);
  let j = 0;
  for (; j + LANES_F64 <= d; j += LANES_F64) {
    const off = <usize>j << 3;
    v128.store(sb + off, f64x2.add(v128.load(sb + off), f64x2.mul(wv, v128.load(xi + off))));
  }
  for (; j < d; j++) store<f64>(sb + (<usize>j << 3), load<f64>(sb + (<usize>j << 3)) + w * load<f64>(xi + (<usize>j << 3)));
}

@inline function addRowF32(sb: usize, xi: usize, d: i32, w: f64): void {
  const wv = f64x2.splat(w);
  let j = 0;
  for (; j + LANES_F32 <= d; j += LANES_F32) {
    const v = v128.load(xi + (<usize>j << 2));
    const off = <usize>j << 3;
    v128.store(sb + off, f64x2.add(v128.load(sb + off), f64x2.mul(wv, f64x2.promote_low_f32x4(v))));
    v128.store(sb + off, f64x2.add(v128.load(sb + off, 16), f64x2.mul(wv, f64x2.promote_low_f32x4(i32x4.shuffle(v, v, 2, 3, 0, 1)))), 16);
  }
  for (; j < d; j++) store<f64>(sb + (<usize>j << 3), load<f64>(sb + (<usize>j << 3)) + w * <f64>load<f32>(xi + (<usize>j << 2)));
}





// ---- one body per kernel for both precisions ----
// T is f64 or f32 and is resolved at compile time, so every exported kernel below is the same code specialised
// twice: rows and centroids at T, while norms, weights, distances, bounds and sums stay f64 (or f32 bounds).

@inline function rowShift<T>(): usize {
  return sizeof<T>() == 8 ? 3 : 2;
}

@inline function exactDist<T>(x: usize, c: usize, d: i32): f64 {
  if (sizeof<T>() == 8) return exactDistF64(x, c, d);
  return exactDistF32(x, c, d);
}

@inline function dot<T>(x: usize, c: usize, d: i32): f64 {
  if (sizeof<T>() == 8) return dotF64(x, c, d);
  return dotF32(x, c, d);
}

@inline function dots2x4<T>(a: usize, b: usize, p0: usize, rowBytes: usize, d: i32, scores: usize, k: i32, c0: i32): void {
  if (sizeof<T>() == 8) dots2x4F64(a, b, p0, rowBytes, d, scores, k, c0);
  else dots2x4F32(a, b, p0, rowBytes, d, scores, k, c0);
}

/**
 * x·c summed exactly as one centroid's lane of dots2x4 is (one vector accumulator, then its lanes, then the scalar
 * tail), so a centroid gets the same product whichever way it is measured.
 */
@inline function dotLane<T>(x: usize, c: usize, d: i32): f64 {
  let j = 0;
  let s: f64 = 0;
  if (sizeof<T>() == 8) {
    let acc = f64x2.splat(0);
    for (; j + LANES_F64 <= d; j += LANES_F64) acc = f64x2.add(acc, f64x2.mul(v128.load(x + (<usize>j << 3)), v128.load(c + (<usize>j << 3))));
    s = f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1);
    for (; j < d; j++) s += load<f64>(x + (<usize>j << 3)) * load<f64>(c + (<usize>j << 3));
  } else {
    let acc = f32x4.splat(0);
    for (; j + LANES_F32 <= d; j += LANES_F32) acc = f32x4.add(acc, f32x4.mul(v128.load(x + (<usize>j << 2)), v128.load(c + (<usize>j << 2))));
    s = hsumF32(acc);
    for (; j < d; j++) s += <f64>(load<f32>(x + (<usize>j << 2)) * load<f32>(c + (<usize>j << 2)));
  }
  return s;
}

/**
 * Rows a and b against all k centroids, into scores[0…k) and scores[k…2k). Every centroid is measured by the same
 * arithmetic (for k ≥ 4 the last group of four overlaps the one before), so two centroids at the same place get
 * bit-identical scores and the exact tie goes to the lower index, as in scikit-learn, in every pass.
 */
@inline function dotsAll<T>(a: usize, b: usize, c: usize, rowBytes: usize, d: i32, scores: usize, k: i32): void {
  if (k < 4) {
    for (let q = 0; q < k; q++) {
      const p = c + <usize>q * rowBytes;
      store<f64>(scores + (<usize>q << 3), dotLane<T>(a, p, d));
      store<f64>(scores + (<usize>(k + q) << 3), dotLane<T>(b, p, d));
    }
    return;
  }
  let c0 = 0;
  for (; c0 + 4 <= k; c0 += 4) dots2x4<T>(a, b, c + <usize>c0 * rowBytes, rowBytes, d, scores, k, c0);
  if (c0 < k) dots2x4<T>(a, b, c + <usize>(k - 4) * rowBytes, rowBytes, d, scores, k, k - 4);
}

@inline function addRow<T>(sb: usize, xi: usize, d: i32, w: f64): void {
  if (sizeof<T>() == 8) addRowF64(sb, xi, d, w);
  else addRowF32(sb, xi, d, w);
}

/** Margin that keeps bounds taken from ‖x‖² + score on the right side of the true distance despite rounding. */
@inline function boundMargin<T>(): f64 {
  return sizeof<T>() == 8 ? 1e-12 : 1e-5;
}

/** Bounds on ‖x − c‖ from ‖x‖² + ‖c‖² − 2x·c, widened by that form's rounding (relative to ‖x‖² + ‖c‖²). */
@inline function upperDistance<T>(squared: f64, xx: f64, cc: f64): f64 {
  const e2 = squared + boundMargin<T>() * (xx + cc + 1);
  return e2 > 0 ? Math.sqrt(e2) : 0;
}

@inline function lowerDistance<T>(squared: f64, xx: f64, cc: f64): f64 {
  const e2 = squared - boundMargin<T>() * (xx + cc + 1);
  return e2 > 0 ? Math.sqrt(e2) : 0;
}

/** Label and sum update for row i, given its k dot products at `dots`. Returns w·‖x − c‖². */
@inline function finishRow<T>(
  i: i32, xi: usize, d: i32, c: usize, k: i32, cNorms: usize, dots: usize, weights: usize,
  labels: usize, sums: usize, counts: usize, changed: usize,
): f64 {
  const rowBytes = <usize>d << rowShift<T>();
  let best: i32 = 0;
  let bestScore: f64 = Infinity;
  for (let q = 0; q < k; q++) {
    const score = load<f64>(cNorms + (<usize>q << 3)) - 2 * load<f64>(dots + (<usize>q << 3));
    if (score < bestScore) { bestScore = score; best = q; }
  }
  const w: f64 = weights ? load<f64>(weights + (<usize>i << 3)) : 1;
  const exact = exactDist<T>(xi, c + <usize>best * rowBytes, d);
  const old = load<i32>(labels + (<usize>i << 2));
  // The update half, as changes to the cluster sums (the bounded passes' arithmetic, in the same order, so both
  // algorithms hold bit-identical sums and so the same centroids): a row that moves leaves one sum and joins another.
  if (old != best) {
    const sumBytes = <usize>d << 3;
    if (old >= 0) {
      addRow<T>(sums + <usize>old * sumBytes, xi, d, -w);
      store<f64>(counts + (<usize>old << 3), load<f64>(counts + (<usize>old << 3)) - w);
    }
    store<i32>(changed, load<i32>(changed) + 1);
    addRow<T>(sums + <usize>best * sumBytes, xi, d, w);
    store<f64>(counts + (<usize>best << 3), load<f64>(counts + (<usize>best << 3)) + w);
    store<i32>(labels + (<usize>i << 2), best);
  }
  return w * exact;
}

/**
 * One Lloyd pass over rows [start, end), fused: nearest centroid by ‖c‖² − 2x·c, computed two rows against four
 * centroids at a time so each loaded value feeds several products; the winner's exact squared distance from
 * differences; then a row that changed cluster moves between the cluster sums (`sums`, `counts` receive the changes).
 * Writes labels; returns the weighted inertia and adds the number of changed labels to the i32 at `changed`.
 * `scratch` holds 2k f64.
 */
@inline function lloyd<T>(
  x: usize, d: i32, start: i32, end: i32, c: usize, k: i32, cNorms: usize, weights: usize,
  labels: usize, sums: usize, counts: usize, changed: usize, scratch: usize,
): f64 {
  const rowBytes = <usize>d << rowShift<T>();
  let inertia: f64 = 0;
  let i = start;
  for (; i < end; i += 2) {
    const a = x + <usize>i * rowBytes;
    const pair = i + 1 < end;
    const b = pair ? a + rowBytes : a;
    dotsAll<T>(a, b, c, rowBytes, d, scratch, k);
    inertia += finishRow<T>(i, a, d, c, k, cNorms, scratch, weights, labels, sums, counts, changed);
    if (pair) inertia += finishRow<T>(i + 1, b, d, c, k, cNorms, scratch + (<usize>k << 3), weights, labels, sums, counts, changed);
  }
  return inertia;
}

/** The Lloyd pass at float64, and at float32 (rows and centroids f32; norms, weights, distances and sums f64). */
export function lloydF64(
  x: usize, d: i32, start: i32, end: i32, c: usize, k: i32, cNorms: usize, weights: usize,
  labels: usize, sums: usize, counts: usize, changed: usize, scratch: usize,
): f64 {
  return lloyd<f64>(x, d, start, end, c, k, cNorms, weights, labels, sums, counts, changed, scratch);
}

export function lloydF32(
  x: usize, d: i32, start: i32, end: i32, c: usize, k: i32, cNorms: usize, weights: usize,
  labels: usize, sums: usize, counts: usize, changed: usize, scratch: usize,
): f64 {
  return lloyd<f32>(x, d, start, end, c, k, cNorms, weights, labels, sums, counts, changed, scratch);
}

/**
 * Σ w_i ‖x_i − c_{label_i}‖² over rows [start, end) for the labels as they stand, from exact differences: the fit's
 * final inertia, which the bounded passes otherwise only know from cluster sums (with their cancellation).
 */
@inline function inertia<T>(x: usize, d: i32, start: i32, end: i32, c: usize, weights: usize, labels: usize): f64 {
  const rowBytes = <usize>d << rowShift<T>();
  let total: f64 = 0;
  for (let i = start; i < end; i++) {
    const w: f64 = weights ? load<f64>(weights + (<usize>i << 3)) : 1;
    total += w * exactDist<T>(x + <usize>i * rowBytes, c + <usize>load<i32>(labels + (<usize>i << 2)) * rowBytes, d);
  }
  return total;
}

export function inertiaF64(x: usize, d: i32, start: i32, end: i32, c: usize, weights: usize, labels: usize): f64 {
  return inertia<f64>(x, d, start, end, c, weights, labels);
}

export function inertiaF32(x: usize, d: i32, start: i32, end: i32, c: usize, weights: usize, labels: usize): f64 {
  return inertia<f32>(x, d, start, end, c, weights, labels);
}

// ---- bounded Lloyd (Hamerly's bounds): the same iterates; most rows are settled without reading them ----
//
// Per row, `upper` bounds the distance to its assigned centroid from above and `lower` the distance to every other
// centroid from below (both float32, rounded outwards). With `upper` 0 (narrow rows, a few values each) no upper
// bound is kept: reading the row and measuring that one distance costs about what loading and storing it would. Each pass first moves the bounds by how far the centroids
// moved (`shift` per centroid, `maxShift` overall); a row is settled when upper ≤ max(lower, half the distance from
// its centroid to the nearest other one). Otherwise its upper bound is made exact (the row is read) and tested again,
// and only then are all k centroids searched. Rows that change cluster are moved between the cluster sums as deltas
// (`dsums`, `dcounts`), so settled rows cost a few loads and no read of their data; the inertia is then computed
// on the JavaScript side from the cluster sums.

/** A searched row: nearest and second-nearest centroid from its dot products; label, sums, exact bounds. */
@inline function settle<T>(
  i: i32, xi: usize, d: i32, c: usize, k: i32, cNorms: usize, dots: usize, weights: usize,
  labels: usize, upper: usize, lower: usize, dsums: usize, dcounts: usize, changed: usize,
): void {
  let first: f64 = Infinity, second: f64 = Infinity;
  let best = 0;
  for (let q = 0; q < k; q++) {
    const s = load<f64>(cNorms + (<usize>q << 3)) - 2 * load<f64>(dots + (<usize>q << 3));
    if (s < first) { second = first; first = s; best = q; } else if (s < second) second = s;
  }
  const old = load<i32>(labels + (<usize>i << 2));
  if (best != old) {
    const w: f64 = weights ? load<f64>(weights + (<usize>i << 3)) : 1;
    const sumBytes = <usize>d << 3;
    if (old >= 0) {
      addRow<T>(dsums + <usize>old * sumBytes, xi, d, -w);
      store<f64>(dcounts + (<usize>old << 3), load<f64>(dcounts + (<usize>old << 3)) - w);
    }
    store<i32>(changed, load<i32>(changed) + 1);
    addRow<T>(dsums + <usize>best * sumBytes, xi, d, w);
    store<f64>(dcounts + (<usize>best << 3), load<f64>(dcounts + (<usize>best << 3)) + w);
    store<i32>(labels + (<usize>i << 2), best);
  }
  // ‖x − c‖² = ‖x‖² + score for both bounds; a margin keeps each on its side of the true distance despite rounding.
  const xx = dot<T>(xi, xi, d);
  const slack = boundMargin<T>() * (xx + 1);
  const first2 = xx + first + slack;
  const e2 = xx + second - slack;
  if (upper) store<f32>(upper + (<usize>i << 2), <f32>((first2 > 0 ? Math.sqrt(first2) : 0) * UP));
  store<f32>(lower + (<usize>i << 2), <f32>(e2 > 0 ? Math.sqrt(e2) * DOWN : 0));
}

/**
 * One bounded Lloyd pass over rows [start, end). Labels −1 (a run's first pass) are searched and added to the sums.
 * `farthest` is the centroid that moved most and `secondShift` the largest move among the others. Adds the rows
 * searched and the labels changed to the i32s at `searched` and `changed`. `scratch` holds 2k f64, then BLOCK i32.
 */
@inline function bounded<T>(
  x: usize, d: i32, start: i32, end: i32, c: usize, k: i32, cNorms: usize, weights: usize,
  labels: usize, upper: usize, lower: usize, shift: usize, half: usize, maxShift: f64, farthest: i32, secondShift: f64,
  dsums: usize, dcounts: usize, changed: usize, searched: usize, scratch: usize,
): void {
  const rowBytes = <usize>d << rowShift<T>();
  const list = scratch + (<usize>k << 4);
  let searches: i32 = 0;
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
    for (let q = 0; q < count; q += 2) {
      const ia = load<i32>(list + (<usize>q << 2));
      const ib = q + 1 < count ? load<i32>(list + (<usize>(q + 1) << 2)) : ia;
      const a = x + <usize>ia * rowBytes, b = x + <usize>ib * rowBytes;
      dotsAll<T>(a, b, c, rowBytes, d, scratch, k);
      settle<T>(ia, a, d, c, k, cNorms, scratch, weights, labels, upper, lower, dsums, dcounts, changed);
      if (ib != ia) settle<T>(ib, b, d, c, k, cNorms, scratch + (<usize>k << 3), weights, labels, upper, lower, dsums, dcounts, changed);
    }
  }
  store<i32>(searched, load<i32>(searched) + searches);
}

/** The bounded passes at float64 and at float32 (rows and centroids f32). */
export function boundedF64(
  x: usize, d: i32, start: i32, end: i32, c: usize, k: i32, cNorms: usize, weights: usize,
  labels: usize, upper: usize, lower: usize, shift: usize, half: usize, maxShift: f64, farthest: i32, secondShift: f64,
  dsums: usize, dcounts: usize, changed: usize, searched: usize, scratch: usize,
): void {
  bounded<f64>(x, d, start, end, c, k, cNorms, weights, labels, upper, lower, shift, half, maxShift, farthest, secondShift, dsums, dcounts, changed, searched, scratch);
}

export function boundedF32(
  x: usize, d: i32, start: i32, end: i32, c: usize, k: i32, cNorms: usize, weights: usize,
  labels: usize, upper: usize, lower: usize, shift: usize, half: usize, maxShift: f64, farthest: i32, secondShift: f64,
  dsums: usize, dcounts: usize, changed: usize, searched: usize, scratch: usize,
): void {
  bounded<f32>(x, d, start, end, c, k, cNorms, weights, labels, upper, lower, shift, half, maxShift, farthest, secondShift, dsums, dcounts, changed, searched, scratch);
}

// ---- Elkan's bounds for wide data: one lower bound per centroid ----
//
// `lowers` holds k float32 lower bounds per row (distance to each centroid), `halfPairs` the k×k matrix of half
// distances between centroids. A row is settled when upper ≤ half the distance from its centroid to the nearest
// other one; otherwise only the centroids whose own bounds cannot exclude them are measured:
// - at float64, on the float32 plane of the rows (`plane`, with each row's rounding in `planeSlack`) against the
//   float32 centroids (`planeCentres`, `centreSlack`), with a certified error interval (see nearestOnF32Plane);
// - at float32, as ‖x‖² + ‖c‖² − 2x·c, with ‖x‖² kept per row (`norms`, written by the first pass): a multiply-add
//   per value where differences cost three operations, the bounds widened by that form's rounding.
// Costs k bounds per row, so the JavaScript side uses it when they take much less memory than the row itself.

@inline function firstElkan<T>(
  i: i32, xi: usize, d: i32, k: i32, cNorms: usize, dots: usize, weights: usize,
  labels: usize, upper: usize, lowers: usize, norms: usize, dsums: usize, dcounts: usize, changed: usize,
): void {
  const xx = dot<T>(xi, xi, d);
  if (sizeof<T>() == 4) store<f64>(norms + (<usize>i << 3), xx);
  const slack = boundMargin<T>() * (xx + 1);
  const lb = lowers + <usize>i * (<usize>k << 2);
  let best = 0;
  let first: f64 = Infinity;
  for (let q = 0; q < k; q++) {
    const s = load<f64>(cNorms + (<usize>q << 3)) - 2 * load<f64>(dots + (<usize>q << 3));
    if (s < first) { first = s; best = q; }
    const e2 = xx + s - slack;
    store<f32>(lb + (<usize>q << 2), <f32>(e2 > 0 ? Math.sqrt(e2) * DOWN : 0));
  }
  const u2 = xx + first + slack;
  store<f32>(upper + (<usize>i << 2), <f32>((u2 > 0 ? Math.sqrt(u2) : 0) * UP));
  const w: f64 = weights ? load<f64>(weights + (<usize>i << 3)) : 1;
  addRow<T>(dsums + <usize>best * (<usize>d << 3), xi, d, w);
  store<f64>(dcounts + (<usize>best << 3), load<f64>(dcounts + (<usize>best << 3)) + w);
  store<i32>(labels + (<usize>i << 2), best);
  store<i32>(changed, load<i32>(changed) + 1);
}

/** Row i leaves cluster `from` for `to`: its weighted values move between the cluster sums' deltas. */
@inline function moveRow<T>(i: i32, xi: usize, d: i32, from: i32, to: i32, weights: usize, labels: usize, dsums: usize, dcounts: usize, changed: usize): void {
  const w: f64 = weights ? load<f64>(weights + (<usize>i << 3)) : 1;
  const sumBytes = <usize>d << 3;
  addRow<T>(dsums + <usize>from * sumBytes, xi, d, -w);
  store<f64>(dcounts + (<usize>from << 3), load<f64>(dcounts + (<usize>from << 3)) - w);
  addRow<T>(dsums + <usize>to * sumBytes, xi, d, w);
  store<f64>(dcounts + (<usize>to << 3), load<f64>(dcounts + (<usize>to << 3)) + w);
  store<i32>(changed, load<i32>(changed) + 1);
  store<i32>(labels + (<usize>i << 2), to);
}

/** The lower end of a true distance's interval around its plane distance (see nearestOnF32Plane). */
@inline function planeLower(planeDistance: f64, rho: f64, slack: f64, cSlack: usize, q: i32): f64 {
  return planeDistance * (1 - rho) - slack - load<f64>(cSlack + (<usize>q << 3));
}

/**
 * The float64 Elkan pass's search on the float32 plane: the own centroid `old` (plane distance `own`) and the `count`
 * centroids listed at `candidates`, measured in float32 between the row's float32 copy `hi` and the centroids' (`cHi`).
 * A true distance D lies in [D̃(1 − ρ) − s_x − s_c, D̃(1 + ρ) + s_x + s_c] around its plane distance D̃: ρ bounds the
 * float32 arithmetic, s_x = ‖x − hi‖ (`slack`) and s_c = ‖c − cHi‖ (`cSlack`) the two roundings to float32. So the
 * nearest is settled on the plane unless another interval reaches below its upper end; then (rarely) the float64 row
 * decides, by the scores Lloyd's pass ranks (‖c‖² − 2x·c in its summation order). Writes every measured centroid's lower bound and the nearest's upper
 * bound (at `bound`); returns the nearest.
 */
@inline function nearestOnF32Plane(
  xi: usize, hi: usize, d: i32, c: usize, cNorms: usize, cHi: usize, cSlack: usize, old: i32, own: f64, slack: f64, rho: f64,
  candidates: usize, count: i32, lb: usize, distances: usize, bound: usize,
): i32 {
  let a = old, best = own;
  for (let m = 0; m < count; m++) {
    const q = load<i32>(candidates + (<usize>m << 2));
    const dq = Math.sqrt(exactDistF32(hi, cHi + <usize>q * (<usize>d << 2), d));
    store<f64>(distances + (<usize>m << 3), dq);
    if (dq < best || (dq == best && q < a)) { a = q; best = dq; }
  }
  const upperOfBest = best * (1 + rho) + slack + load<f64>(cSlack + (<usize>a << 3));
  let settled = a == old || planeLower(own, rho, slack, cSlack, old) > upperOfBest;
  for (let m = 0; m < count && settled; m++) {
    const q = load<i32>(candidates + (<usize>m << 2));
    if (q != a && planeLower(load<f64>(distances + (<usize>m << 3)), rho, slack, cSlack, q) <= upperOfBest) settled = false;
  }
  if (settled) {
    for (let m = 0; m < count; m++) {
      const q = load<i32>(candidates + (<usize>m << 2));
      const l = planeLower(load<f64>(distances + (<usize>m << 3)), rho, slack, cSlack, q);
      store<f32>(lb + (<usize>q << 2), <f32>(l > 0 ? l * DOWN : 0));
    }
    if (a != old) {
      const l = planeLower(own, rho, slack, cSlack, old);
      store<f32>(lb + (<usize>old << 2), <f32>(l > 0 ? l * DOWN : 0));
    }
    store<f64>(bound, upperOfBest);
    return a;
  }
  // A near tie: decided as Lloyd's pass decides it, by ‖c‖² − 2x·c summed in its order (the lower index on an exact
  // tie), so "bounded" and "lloyd" give the same labels.
  const rowBytes = <usize>d << 3;
  const xx = dotF64(xi, xi, d);
  const ownNorm = load<f64>(cNorms + (<usize>old << 3));
  const ownScore = ownNorm - 2 * dotLane<f64>(xi, c + <usize>old * rowBytes, d);
  a = old;
  let bestScore = ownScore;
  for (let m = 0; m < count; m++) {
    const q = load<i32>(candidates + (<usize>m << 2));
    const cq = load<f64>(cNorms + (<usize>q << 3));
    const score = cq - 2 * dotLane<f64>(xi, c + <usize>q * rowBytes, d);
    store<f32>(lb + (<usize>q << 2), <f32>(lowerDistance<f64>(xx + score, xx, cq) * DOWN));
    if (score < bestScore || (score == bestScore && q < a)) { a = q; bestScore = score; }
  }
  if (a != old) store<f32>(lb + (<usize>old << 2), <f32>(lowerDistance<f64>(xx + ownScore, xx, ownNorm) * DOWN));
  store<f64>(bound, upperDistance<f64>(xx + bestScore, xx, load<f64>(cNorms + (<usize>a << 3))));
  return a;
}

/** One Elkan pass over rows [start, end); arguments as for the Hamerly pass, plus `lowers`, `norms` and `halfPairs`. */
@inline function elkan<T>(
  x: usize, d: i32, start: i32, end: i32, c: usize, k: i32, cNorms: usize, weights: usize,
  labels: usize, upper: usize, lowers: usize, norms: usize, plane: usize, planeSlack: usize, planeCentres: usize,
  centreSlack: usize, shift: usize, half: usize, halfPairs: usize, dsums: usize, dcounts: usize, changed: usize,
  searched: usize, scratch: usize,
): void {
  const rowBytes = <usize>d << rowShift<T>();
  // Float64 rows are measured on their float32 plane (see nearestOnF32Plane); float32 ones by products.
  const onPlane = sizeof<T>() == 8;
  // Relative error of a float32 distance: a difference, a square and a chain of d/8 additions per lane, each
  // rounding by at most 2^-24, and the halving under the square root not counted (a margin).
  const rho: f64 = <f64>(d / 8 + 8) * 5.97e-8;
  const list = scratch + (<usize>k << 4);
  // Between first-pass searches the 2k f64 of dot products are free: a row's candidates' products (or distances), then
  // their indices (k i32), and in the last f64 the bound nearestOnF32Plane leaves.
  const products = scratch, candidates = scratch + (<usize>k << 3), planeBound = scratch + (<usize>k << 4) - 8;
  let searches: i32 = 0;
  for (let from = start; from < end; from += BLOCK) {
    const to = min(end, from + BLOCK);
    let count = 0;
    for (let i = from; i < to; i++) {
      const old = load<i32>(labels + (<usize>i << 2));
      if (old < 0) {
        store<i32>(list + (<usize>count << 2), i);
        count++;
        continue;
      }
      const lb = lowers + <usize>i * (<usize>k << 2);
      for (let q = 0; q < k; q++) {
        const l = <f64>load<f32>(lb + (<usize>q << 2)) - load<f64>(shift + (<usize>q << 3));
        store<f32>(lb + (<usize>q << 2), <f32>(l > 0 ? l * DOWN : l));
      }
      let u: f64 = <f64>load<f32>(upper + (<usize>i << 2)) + load<f64>(shift + (<usize>old << 3));
      if (u >= load<f64>(half + (<usize>old << 3))) { // ≥: see the Hamerly pass
        const xi = x + <usize>i * rowBytes;
        const xx = onPlane ? 0 : load<f64>(norms + (<usize>i << 3));
        const hiRow = plane + <usize>i * (<usize>d << 2);
        const slack: f64 = onPlane ? load<f64>(planeSlack + (<usize>i << 3)) : 0;
        // The centroids this row's bounds cannot rule out. The first one makes the upper bound exact (one product
        // with the own centroid), and the rest are judged against that.
        let candidateCount = 0;
        let ownSquared: f64 = 0, ownOnPlane: f64 = 0; // ‖x − c_old‖² from products, or ‖h − c_old‖, once measured
        let tight = false;
        for (let q = 0; q < k; q++) {
          if (q == old) continue;
          const hq = load<f64>(halfPairs + (<usize>(old * k + q) << 3));
          if (!(u >= <f64>load<f32>(lb + (<usize>q << 2)) && u >= hq)) continue;
          if (!tight) {
            if (onPlane) {
              ownOnPlane = Math.sqrt(exactDistF32(hiRow, planeCentres + <usize>old * (<usize>d << 2), d));
              u = ownOnPlane * (1 + rho) + slack + load<f64>(centreSlack + (<usize>old << 3));
            } else { // float32 rows
              ownSquared = xx + load<f64>(cNorms + (<usize>old << 3)) - 2 * dotF32(xi, c + <usize>old * rowBytes, d);
              u = upperDistance<T>(ownSquared, xx, load<f64>(cNorms + (<usize>old << 3)));
            }
            tight = true;
            if (!(u >= <f64>load<f32>(lb + (<usize>q << 2)) && u >= hq)) continue;
          }
          store<i32>(candidates + (<usize>candidateCount << 2), q);
          candidateCount++;
        }
        if (candidateCount > 0 && onPlane) {
          searches++;
          const a = nearestOnF32Plane(xi, hiRow, d, c, cNorms, planeCentres, centreSlack, old, ownOnPlane, slack, rho, candidates, candidateCount, lb, products, planeBound);
          u = load<f64>(planeBound);
          if (a != old) moveRow<T>(i, xi, d, old, a, weights, labels, dsums, dcounts, changed);
        } else if (candidateCount > 0) { // float32 rows
          searches++;
          // Their products with x, two centroids per sweep of the row.
          let m = 0;
          for (; m + 2 <= candidateCount; m += 2) {
            const q0 = load<i32>(candidates + (<usize>m << 2)), q1 = load<i32>(candidates + (<usize>(m + 1) << 2));
            dotPairF32(xi, c + <usize>q0 * rowBytes, c + <usize>q1 * rowBytes, d, products + (<usize>m << 3));
          }
          if (m < candidateCount) store<f64>(products + (<usize>m << 3), dotF32(xi, c + <usize>load<i32>(candidates + (<usize>m << 2)) * rowBytes, d));
          // The nearest of the own centroid and the candidates, as Lloyd's search would rank them; every measured
          // distance becomes that centroid's lower bound.
          let a = old, bestSquared = ownSquared;
          for (m = 0; m < candidateCount; m++) {
            const q = load<i32>(candidates + (<usize>m << 2));
            const cq = load<f64>(cNorms + (<usize>q << 3));
            const squared = xx + cq - 2 * load<f64>(products + (<usize>m << 3));
            store<f32>(lb + (<usize>q << 2), <f32>(lowerDistance<T>(squared, xx, cq) * DOWN));
            if (squared < bestSquared || (squared == bestSquared && q < a)) {
              a = q;
              bestSquared = squared;
            }
          }
          if (a != old) {
            store<f32>(lb + (<usize>old << 2), <f32>(lowerDistance<T>(ownSquared, xx, load<f64>(cNorms + (<usize>old << 3))) * DOWN));
            u = upperDistance<T>(bestSquared, xx, load<f64>(cNorms + (<usize>a << 3)));
            moveRow<T>(i, xi, d, old, a, weights, labels, dsums, dcounts, changed);
          }
        }
      }
      store<f32>(upper + (<usize>i << 2), <f32>(u * UP));
    }
    // A run's first pass: full searches two rows at a time, every bound set from the dot products.
    searches += count;
    for (let q = 0; q < count; q += 2) {
      const ia = load<i32>(list + (<usize>q << 2));
      const ib = q + 1 < count ? load<i32>(list + (<usize>(q + 1) << 2)) : ia;
      const a = x + <usize>ia * rowBytes, b = x + <usize>ib * rowBytes;
      dotsAll<T>(a, b, c, rowBytes, d, scratch, k);
      firstElkan<T>(ia, a, d, k, cNorms, scratch, weights, labels, upper, lowers, norms, dsums, dcounts, changed);
      if (ib != ia) firstElkan<T>(ib, b, d, k, cNorms, scratch + (<usize>k << 3), weights, labels, upper, lowers, norms, dsums, dcounts, changed);
    }
  }
  store<i32>(searched, load<i32>(searched) + searches);
}

/** The Elkan passes at float64 and at float32 (rows and centroids f32). */
export function elkanF64(
  x: usize, d: i32, start: i32, end: i32, c: usize, k: i32, cNorms: usize, weights: usize,
  labels: usize, upper: usize, lowers: usize, norms: usize, plane: usize, planeSlack: usize, planeCentres: usize,
  centreSlack: usize, shift: usize, half: usize, halfPairs: usize, dsums: usize, dcounts: usize, changed: usize,
  searched: usize, scratch: usize,
): void {
  elkan<f64>(x, d, start, end, c, k, cNorms, weights, labels, upper, lowers, norms, plane, planeSlack, planeCentres, centreSlack, shift, half, halfPairs, dsums, dcounts, changed, searched, scratch);
}

export function elkanF32(
  x: usize, d: i32, start: i32, end: i32, c: usize, k: i32, cNorms: usize, weights: usize,
  labels: usize, upper: usize, lowers: usize, norms: usize, plane: usize, planeSlack: usize, planeCentres: usize,
  centreSlack: usize, shift: usize, half: usize, halfPairs: usize, dsums: usize, dcounts: usize, changed: usize,
  searched: usize, scratch: usize,
): void {
  elkan<f32>(x, d, start, end, c, k, cNorms, weights, labels, upper, lowers, norms, plane, planeSlack, planeCentres, centreSlack, shift, half, halfPairs, dsums, dcounts, changed, searched, scratch);
}
