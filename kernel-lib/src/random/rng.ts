import { InvalidArgumentError, ShapeError } from "../errors";
import { cholesky } from "../linalg/cholesky";
import { describe, Matrix, MatrixLike, toMatrix, toVector, VectorLike } from "../linalg/matrix";
import { checkFinite, checkNonNegative, checkPositiveInt, checkProbabilities, checkVector } from "../validate";

/** Either a seed or a generator; estimators accept both so that runs can share one stream. */
export type RandomSource = number | Random;

/**
 * A seeded pseudo-random generator: xoshiro128** (Blackman & Vigna) seeded through splitmix32.
 * Written here rather than taken from npm because the library needs one small, dependency-free,
 * reproducible stream with normal, gamma and multivariate draws on top; same seed → same numbers on every platform.
 */
export class Random {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  private spareNormal: number | null = null;

  constructor(seed: number = Date.now()) {
    if (!(typeof seed === "number" && Number.isFinite(seed))) throw new InvalidArgumentError(`seed must be a finite number, got ${describe(seed)}`);
    let x = (Math.floor(Math.abs(seed)) ^ (seed < 0 ? 0x9e3779b9 : 0)) >>> 0;
    // Also mix in the high bits so seeds above 2^32 differ.
    x = (x ^ Math.floor(Math.abs(seed) / 4294967296)) >>> 0;
    const next = () => {
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
  }

  /** A uniform 32-bit unsigned integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5) >>> 0, 7), 9) >>> 0;
    const t = (this.s1 << 9) >>> 0;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    this.s0 >>>= 0; this.s1 >>>= 0; this.s2 >>>= 0; this.s3 >>>= 0;
    return result;
  }

  /** Uniform on [0, 1) with 53 random bits. */
  random(): number {
    const hi = this.nextUint32() >>> 5; // 27 bits
    const lo = this.nextUint32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  uniform(low = 0, high = 1): number {
    checkFinite(low, "low");
    checkFinite(high, "high");
    if (!(high >= low)) throw new InvalidArgumentError(`uniform needs low ≤ high, got low=${low}, high=${high}`);
    // low + (high − low)·u overflows for low = −1e308, high = 1e308; the halves do not.
    const width = high - low;
    return Number.isFinite(width) ? low + width * this.random() : 2 * (low / 2 + (high / 2 - low / 2) * this.random());
  }

  /** An integer uniform on [0, n), without modulo bias. */
  int(n: number): number {
    checkPositiveInt(n, "n");
    if (n <= 4294967296) {
      const limit = 4294967296 - (4294967296 % n);
      for (;;) {
        const r = this.nextUint32();
        if (r < limit) return r % n;
      }
    }
    return Math.floor(this.random() * n);
  }

  /** A normal draw (Marsaglia's polar method; the second value of each pair is kept for the next call). */
  normal(mean = 0, std = 1): number {
    checkFinite(mean, "mean");
    checkNonNegative(std, "std");
    if (this.spareNormal !== null) {
      const z = this.spareNormal;
      this.spareNormal = null;
      return mean + std * z;
    }
    let u: number, v: number, s: number;
    do {
      u = 2 * this.random() - 1;
      v = 2 * this.random() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const f = Math.sqrt((-2 * Math.log(s)) / s);
    this.spareNormal = v * f;
    return mean + std * u * f;
  }

  uniformArray(n: number, low = 0, high = 1): Float64Array {
    const out = new Float64Array(checkPositiveInt(n, "n", 0));
    for (let i = 0; i < n; i++) out[i] = this.uniform(low, high);
    return out;
  }

  normalArray(n: number, mean = 0, std = 1): Float64Array {
    const out = new Float64Array(checkPositiveInt(n, "n", 0));
    for (let i = 0; i < n; i++) out[i] = this.normal(mean, std);
    return out;
  }

  /** n×d matrix of independent standard normals. */
  normalMatrix(n: number, d: number): Matrix {
    checkPositiveInt(n, "n", 0);
    checkPositiveInt(d, "d", 0);
    return new Matrix(n, d, this.normalArray(n * d));
  }

  /** Gamma(shape, 1) by Marsaglia & Tsang, boosted for shape < 1. */
  gamma(shape: number): number {
    if (!(typeof shape === "number" && shape > 0 && Number.isFinite(shape))) throw new InvalidArgumentError(`gamma shape must be a finite number > 0, got ${describe(shape)}`);
    if (shape < 1) return this.gamma(shape + 1) * Math.pow(this.random() || Number.MIN_VALUE, 1 / shape);
    const d = shape - 1 / 3, c = 1 / Math.sqrt(9 * d);
    for (;;) {
      let x: number, v: number;
      do {
        x = this.normal();
        v = 1 + c * x;
      } while (v <= 0);
      v = v * v * v;
      const u = this.random();
      if (u < 1 - 0.0331 * x * x * x * x) return d * v;
      if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
    }
  }

  /** One draw from Dirichlet(alpha), or `n` draws as the rows of an n×k matrix. */
  dirichlet(alpha: VectorLike): Float64Array;
  dirichlet(alpha: VectorLike, n: number): Matrix;
  dirichlet(alpha: VectorLike, n?: number): Float64Array | Matrix {
    const a = checkVector(alpha, "alpha");
    if (a.length === 0) throw new ShapeError("alpha must have at least one entry");
    a.forEach((v, i) => {
      if (!(v > 0)) throw new InvalidArgumentError(`alpha[${i}] is ${v}; Dirichlet concentrations must be > 0`);
    });
    const draw = (out: Float64Array | Float32Array, offset: number) => {
      let sum = 0;
      for (let j = 0; j < a.length; j++) sum += out[offset + j] = this.gamma(a[j]);
      for (let j = 0; j < a.length; j++) out[offset + j] /= sum;
    };
    if (n === undefined) {
      const out = new Float64Array(a.length);
      draw(out, 0);
      return out;
    }
    const m = Matrix.zeros(checkPositiveInt(n, "n"), a.length);
    for (let i = 0; i < n; i++) draw(m.data, i * a.length);
    return m;
  }

  /** n draws from N(mean, cov), as the rows of an n×d matrix (cov factorised once by Cholesky). */
  multivariateNormal(mean: VectorLike, cov: MatrixLike, n = 1): Matrix {
    const mu = checkVector(mean, "mean");
    const d = mu.length;
    checkPositiveInt(n, "n");
    const c = toMatrix(cov, "cov");
    if (c.rows !== d || c.cols !== d) throw new ShapeError(`cov is ${c.rows}×${c.cols} but mean has length ${d}`);
    // A tiny jitter lets degenerate (positive semi-definite) covariances through, as numpy does.
    const { L } = cholesky(c, { name: "cov", jitter: 1e-12 * Math.max(1, maxAbs(c.data)), maxJitter: 1e-6 * Math.max(1, maxAbs(c.data)) });
    const out = Matrix.zeros(checkPositiveInt(n, "n"), d);
    const z = new Float64Array(d);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < d; j++) z[j] = this.normal();
      for (let r = 0; r < d; r++) {
        let s = mu[r];
        for (let k = 0; k <= r; k++) s += L.data[r * d + k] * z[k];
        out.data[i * d + r] = s;
      }
    }
    return out;
  }

  /** A uniformly random permutation of 0…n−1 (Fisher–Yates). */
  permutation(n: number): Int32Array {
    const out = new Int32Array(checkPositiveInt(n, "n", 0));
    for (let i = 0; i < n; i++) out[i] = i;
    return this.shuffle(out);
  }

  shuffle<T extends { length: number; [i: number]: unknown }>(items: T): T {
    if (items == null || typeof items !== "object" || !Number.isInteger(items.length)) throw new InvalidArgumentError(`shuffle needs an array, got ${describe(items)}`);
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = items[i];
      items[i] = items[j];
      items[j] = t;
    }
    return items;
  }

  /**
   * `size` indices from 0…n−1, uniformly or with probabilities `p`; without replacement the picks are distinct.
   */
  choice(n: number, size: number, options: { replace?: boolean; p?: VectorLike } = {}): Int32Array {
    checkPositiveInt(n, "n");
    checkPositiveInt(size, "size", 0);
    const replace = options.replace ?? true;
    if (!replace && size > n) throw new InvalidArgumentError(`cannot choose ${size} distinct items from ${n}; use replace: true or a smaller size`);
    const p = options.p === undefined ? undefined : checkProbabilities(options.p, "p", 1e-6);
    if (p && p.length !== n) throw new ShapeError(`p has length ${p.length} but n is ${n}`);
    const out = new Int32Array(size);
    if (!p) {
      if (replace) {
        for (let i = 0; i < size; i++) out[i] = this.int(n);
      } else {
        // Partial Fisher–Yates over a sparse map, so choosing 4 of 10^7 costs O(4).
        const swapped = new Map<number, number>();
        for (let i = 0; i < size; i++) {
          const j = i + this.int(n - i);
          const vj = swapped.get(j) ?? j;
          swapped.set(j, swapped.get(i) ?? i);
          out[i] = vj;
        }
      }
      return out;
    }
    const weights = Float64Array.from(p);
    for (let i = 0; i < size; i++) {
      const pick = this.weightedIndex(weights);
      if (pick < 0) throw new InvalidArgumentError(`cannot choose ${size} distinct items: only ${i} have non-zero probability`);
      out[i] = pick;
      if (!replace) weights[pick] = 0;
    }
    return out;
  }

  /** An index drawn with probability proportional to `weights` (finite, non-negative); −1 if all are zero. */
  weightedIndex(weights: ArrayLike<number>): number {
    let total = 0;
    for (let i = 0; i < weights.length; i++) {
      const w = weights[i];
      if (!(typeof w === "number" && w >= 0 && w !== Infinity)) throw new InvalidArgumentError(`weights[${i}] is ${describe(w)}; weights must be finite numbers ≥ 0`);
      total += w;
    }
    // Finite weights whose total overflows are drawn from their halves (the same proportions).
    if (total === Infinity) return this.weightedIndex(Float64Array.from(toVector(weights, "weights"), (w) => w / 4));
    if (!(total > 0)) return -1;
    const target = this.random() * total;
    let acc = 0, last = -1;
    for (let i = 0; i < weights.length; i++) {
      if (weights[i] <= 0) continue;
      acc += weights[i];
      last = i;
      if (target < acc) return i;
    }
    return last;
  }
}

/** The generator for a seed, or the generator itself. */
export function toRandom(source?: RandomSource): Random {
  return source instanceof Random ? source : new Random(source);
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

function maxAbs(values: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < values.length; i++) m = Math.max(m, Math.abs(values[i]));
  return m;
}
