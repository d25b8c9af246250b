// AssemblyScript. The row arithmetic of the k-means passes, at float64 (two lanes) and float32 (four lanes): dot
// products, squared distances and weighted row sums. Every pointer is a byte offset into the shared memory; rows are
// row-major, `d` values each; centroids are k×d.

const LANES_F64: i32 = 2;
const LANES_F32: i32 = 4;

// A squared distance can be left once it passes a limit (the seeding pass's rows' nearest centre): its partial sum
// is checked after every 512 bytes of the row. With no limit (Infinity) the check compiles away.
const LIMIT_CHECK_BYTES: i32 = 512;

/**
 * Σ_j (x_j − c_j)² for one row against one centroid, f64; four accumulators so the adds do not wait on each other.
 * Once a partial sum reaches `limit`, that partial sum is returned instead (the terms are never negative, so
 * min(limit, it) is min(limit, the whole sum)).
 */
@inline export function squaredDistanceBelowF64(x: usize, c: usize, d: i32, limit: f64): f64 {
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
    if (limit < Infinity && ((j + 8) & ((LIMIT_CHECK_BYTES >> 3) - 1)) == 0) {
      const acc = f64x2.add(f64x2.add(a0, a1), f64x2.add(a2, a3));
      const partial = f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1);
      if (partial >= limit) return partial;
    }
  }
  const acc = f64x2.add(f64x2.add(a0, a1), f64x2.add(a2, a3));
  let s = f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1);
  for (; j < d; j++) {
    const diff = load<f64>(x + (<usize>j << 3)) - load<f64>(c + (<usize>j << 3));
    s += diff * diff;
  }
  return s;
}

/** Σ_j (x_j − c_j)² for one row against one centroid, f64, in full. */
@inline export function exactDistF64(x: usize, c: usize, d: i32): f64 {
  return squaredDistanceBelowF64(x, c, d, Infinity);
}

/** x·c with four accumulators (the 1-centroid tail of the blocked loop). */
@inline export function dotF64(x: usize, c: usize, d: i32): f64 {
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

/**
 * x·c with four accumulators over sixteen values a step (then whole vectors, then single values): each add waits on
 * the one four steps back, not on the one before, so the loop runs at the loads' pace rather than the adds' latency.
 * The float32 Elkan pass's own-centroid and candidate products (dotPairF32 sums in the same order).
 */
@inline export function dotF32(x: usize, c: usize, d: i32): f64 {
  let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0), a3 = f32x4.splat(0);
  let j = 0;
  for (; j + 16 <= d; j += 16) {
    const off = <usize>j << 2;
    a0 = f32x4.add(a0, f32x4.mul(v128.load(x + off), v128.load(c + off)));
    a1 = f32x4.add(a1, f32x4.mul(v128.load(x + off, 16), v128.load(c + off, 16)));
    a2 = f32x4.add(a2, f32x4.mul(v128.load(x + off, 32), v128.load(c + off, 32)));
    a3 = f32x4.add(a3, f32x4.mul(v128.load(x + off, 48), v128.load(c + off, 48)));
  }
  for (; j + LANES_F32 <= d; j += LANES_F32) a0 = f32x4.add(a0, f32x4.mul(v128.load(x + (<usize>j << 2)), v128.load(c + (<usize>j << 2))));
  let s = hsumF32(f32x4.add(f32x4.add(a0, a1), f32x4.add(a2, a3)));
  for (; j < d; j++) s += <f64>(load<f32>(x + (<usize>j << 2)) * load<f32>(c + (<usize>j << 2)));
  return s;
}

/** Σ_j (x_j − c_j)² of float32 values, summed in float32 lanes; the partial sums and `limit` as squaredDistanceBelowF64's. */
@inline export function squaredDistanceBelowF32(x: usize, c: usize, d: i32, limit: f64): f64 {
  let a0 = f32x4.splat(0), a1 = f32x4.splat(0);
  let j = 0;
  for (; j + 8 <= d; j += 8) {
    const off = <usize>j << 2;
    const e0 = f32x4.sub(v128.load(x + off), v128.load(c + off));
    const e1 = f32x4.sub(v128.load(x + off, 16), v128.load(c + off, 16));
    a0 = f32x4.add(a0, f32x4.mul(e0, e0));
    a1 = f32x4.add(a1, f32x4.mul(e1, e1));
    if (limit < Infinity && ((j + 8) & ((LIMIT_CHECK_BYTES >> 2) - 1)) == 0) {
      const partial = hsumF32(f32x4.add(a0, a1));
      if (partial >= limit) return partial;
    }
  }
  let s = hsumF32(f32x4.add(a0, a1));
  for (; j < d; j++) {
    const diff = load<f32>(x + (<usize>j << 2)) - load<f32>(c + (<usize>j << 2));
    s += <f64>(diff * diff);
  }
  return s;
}

@inline export function exactDistF32(x: usize, c: usize, d: i32): f64 {
  return squaredDistanceBelowF32(x, c, d, Infinity);
}

@inline export function hsumF32(v: v128): f64 {
  return <f64>f32x4.extract_lane(v, 0) + <f64>f32x4.extract_lane(v, 1) + <f64>f32x4.extract_lane(v, 2) + <f64>f32x4.extract_lane(v, 3);
}

/**
 * x·c and x·e in one sweep over x (float32 Elkan's candidates, two at a time), each summed in dotF32's order so a
 * pair gives the same values as two single products: written to out and out + 8.
 */
@inline export function dotPairF32(x: usize, c: usize, e: usize, d: i32, out: usize): void {
  let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0), a3 = f32x4.splat(0);
  let b0 = f32x4.splat(0), b1 = f32x4.splat(0), b2 = f32x4.splat(0), b3 = f32x4.splat(0);
  let j = 0;
  for (; j + 16 <= d; j += 16) {
    const off = <usize>j << 2;
    let v = v128.load(x + off);
    a0 = f32x4.add(a0, f32x4.mul(v, v128.load(c + off)));
    b0 = f32x4.add(b0, f32x4.mul(v, v128.load(e + off)));
    v = v128.load(x + off, 16);
    a1 = f32x4.add(a1, f32x4.mul(v, v128.load(c + off, 16)));
    b1 = f32x4.add(b1, f32x4.mul(v, v128.load(e + off, 16)));
    v = v128.load(x + off, 32);
    a2 = f32x4.add(a2, f32x4.mul(v, v128.load(c + off, 32)));
    b2 = f32x4.add(b2, f32x4.mul(v, v128.load(e + off, 32)));
    v = v128.load(x + off, 48);
    a3 = f32x4.add(a3, f32x4.mul(v, v128.load(c + off, 48)));
    b3 = f32x4.add(b3, f32x4.mul(v, v128.load(e + off, 48)));
  }
  for (; j + LANES_F32 <= d; j += LANES_F32) {
    const off = <usize>j << 2;
    const v = v128.load(x + off);
    a0 = f32x4.add(a0, f32x4.mul(v, v128.load(c + off)));
    b0 = f32x4.add(b0, f32x4.mul(v, v128.load(e + off)));
  }
  let sa = hsumF32(f32x4.add(f32x4.add(a0, a1), f32x4.add(a2, a3))), sb = hsumF32(f32x4.add(f32x4.add(b0, b1), f32x4.add(b2, b3)));
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

// ---- one body for both precisions ----
// T is f64 or f32 and is resolved at compile time, so every pass is the same code specialised twice: rows and
// centroids at T, while norms, weights, distances, bounds and sums stay f64 (or f32 bounds).

@inline export function rowShift<T>(): usize {
  return sizeof<T>() == 8 ? 3 : 2;
}

@inline export function exactDist<T>(x: usize, c: usize, d: i32): f64 {
  if (sizeof<T>() == 8) return exactDistF64(x, c, d);
  return exactDistF32(x, c, d);
}

@inline export function squaredDistanceBelow<T>(x: usize, c: usize, d: i32, limit: f64): f64 {
  if (sizeof<T>() == 8) return squaredDistanceBelowF64(x, c, d, limit);
  return squaredDistanceBelowF32(x, c, d, limit);
}

@inline export function dot<T>(x: usize, c: usize, d: i32): f64 {
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
@inline export function dotLane<T>(x: usize, c: usize, d: i32): f64 {
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
 * Rows a and b against centroids c0 and c0 + 1, each lane summed as dotLane sums it (one vector accumulator, then its
 * lanes, then the scalar tail), so the same products as dots2x4's: the k mod 4 centroids after the groups of four.
 */
@inline function dots2x2<T>(a: usize, b: usize, p0: usize, rowBytes: usize, d: i32, scores: usize, k: i32, c0: i32): void {
  const p1 = p0 + rowBytes;
  const shift = rowShift<T>(), step = sizeof<T>() == 8 ? LANES_F64 : LANES_F32;
  let a0 = v128.splat<i32>(0), a1 = v128.splat<i32>(0), b0 = v128.splat<i32>(0), b1 = v128.splat<i32>(0);
  let j = 0;
  for (; j + step <= d; j += step) {
    const off = <usize>j << shift;
    const xa = v128.load(a + off), xb = v128.load(b + off), q0 = v128.load(p0 + off), q1 = v128.load(p1 + off);
    if (sizeof<T>() == 8) {
      a0 = f64x2.add(a0, f64x2.mul(xa, q0)); a1 = f64x2.add(a1, f64x2.mul(xa, q1));
      b0 = f64x2.add(b0, f64x2.mul(xb, q0)); b1 = f64x2.add(b1, f64x2.mul(xb, q1));
    } else {
      a0 = f32x4.add(a0, f32x4.mul(xa, q0)); a1 = f32x4.add(a1, f32x4.mul(xa, q1));
      b0 = f32x4.add(b0, f32x4.mul(xb, q0)); b1 = f32x4.add(b1, f32x4.mul(xb, q1));
    }
  }
  let sa0: f64, sa1: f64, sb0: f64, sb1: f64;
  if (sizeof<T>() == 8) {
    sa0 = f64x2.extract_lane(a0, 0) + f64x2.extract_lane(a0, 1); sa1 = f64x2.extract_lane(a1, 0) + f64x2.extract_lane(a1, 1);
    sb0 = f64x2.extract_lane(b0, 0) + f64x2.extract_lane(b0, 1); sb1 = f64x2.extract_lane(b1, 0) + f64x2.extract_lane(b1, 1);
    for (; j < d; j++) {
      const off = <usize>j << 3;
      const xa = load<f64>(a + off), xb = load<f64>(b + off), q0 = load<f64>(p0 + off), q1 = load<f64>(p1 + off);
      sa0 += xa * q0; sa1 += xa * q1; sb0 += xb * q0; sb1 += xb * q1;
    }
  } else {
    sa0 = hsumF32(a0); sa1 = hsumF32(a1); sb0 = hsumF32(b0); sb1 = hsumF32(b1);
    for (; j < d; j++) {
      const off = <usize>j << 2;
      const xa = load<f32>(a + off), xb = load<f32>(b + off), q0 = load<f32>(p0 + off), q1 = load<f32>(p1 + off);
      sa0 += <f64>(xa * q0); sa1 += <f64>(xa * q1); sb0 += <f64>(xb * q0); sb1 += <f64>(xb * q1);
    }
  }
  const sa = scores + (<usize>c0 << 3), sb = scores + (<usize>(k + c0) << 3);
  store<f64>(sa, sa0); store<f64>(sa, sa1, 8);
  store<f64>(sb, sb0); store<f64>(sb, sb1, 8);
}

/**
 * Rows a and b against all k centroids, into scores[0…k) and scores[k…2k): groups of four, then pairs, then one
 * (k = 10: 4 + 4 + 2, every product computed once). Every centroid is measured by the same arithmetic in each lane,
 * so two centroids at the same place get bit-identical scores and the exact tie goes to the lower index, as in
 * scikit-learn, in every pass. (Groups of five or more lose: V8 may load a group's centroid vectors before
 * multiplying, and ten accumulators, two rows and five centroids do not fit x64's fifteen usable vector registers.)
 */
@inline export function dotsAll<T>(a: usize, b: usize, c: usize, rowBytes: usize, d: i32, scores: usize, k: i32): void {
  let c0 = 0;
  for (; c0 + 4 <= k; c0 += 4) dots2x4<T>(a, b, c + <usize>c0 * rowBytes, rowBytes, d, scores, k, c0);
  for (; c0 + 2 <= k; c0 += 2) dots2x2<T>(a, b, c + <usize>c0 * rowBytes, rowBytes, d, scores, k, c0);
  if (c0 < k) {
    const p = c + <usize>c0 * rowBytes;
    store<f64>(scores + (<usize>c0 << 3), dotLane<T>(a, p, d));
    store<f64>(scores + (<usize>(k + c0) << 3), dotLane<T>(b, p, d));
  }
}

@inline export function addRow<T>(sb: usize, xi: usize, d: i32, w: f64): void {
  if (sizeof<T>() == 8) addRowF64(sb, xi, d, w);
  else addRowF32(sb, xi, d, w);
}

/** Margin that keeps bounds taken from ‖x‖² + score on the right side of the true distance despite rounding. */
@inline export function boundMargin<T>(): f64 {
  return sizeof<T>() == 8 ? 1e-12 : 1e-5;
}

/** Bounds on ‖x − c‖ from ‖x‖² + ‖c‖² − 2x·c, widened by that form's rounding (relative to ‖x‖² + ‖c‖²). */
@inline export function upperDistance<T>(squared: f64, xx: f64, cc: f64): f64 {
  const e2 = squared + boundMargin<T>() * (xx + cc + 1);
  return e2 > 0 ? Math.sqrt(e2) : 0;
}

@inline export function lowerDistance<T>(squared: f64, xx: f64, cc: f64): f64 {
  const e2 = squared - boundMargin<T>() * (xx + cc + 1);
  return e2 > 0 ? Math.sqrt(e2) : 0;
}

