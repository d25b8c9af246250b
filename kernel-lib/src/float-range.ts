/**
 * Keeping finite input finite: power-of-two rescaling and float64 range checks.
 *
 * Multiplying by a power of two is exact in floating point (barring overflow and underflow), so a computation run on
 * X·2^-e and scaled back returns what the unscaled one would have, bit for bit, where that one does not overflow, and
 * a true result where it would have. A result that really lies beyond float64's range is reported, never returned as
 * ±Infinity.
 */
import { NumericRangeError } from "./errors";

/** 2^e for any integer e (0 or Infinity once the result leaves float64's range). */
export function pow2(e: number): number {
  // 2 ** e is exact from 2^-1074 to 2^1023; split larger exponents so each factor stays in range.
  if (e > 1023) return 2 ** 1023 * 2 ** (e - 1023);
  if (e < -1022) return 2 ** -1022 * 2 ** Math.max(e + 1022, -1100);
  return 2 ** e;
}

/** v·2^e, exactly unless the result over- or underflows. */
export function timesPow2(v: number, e: number): number {
  if (e === 0 || v === 0) return v;
  // In two halves, so a scale factor outside float64 (2^1500) still applies when the result is in range.
  const half = Math.trunc(e / 2);
  return v * pow2(half) * pow2(e - half);
}

/** Two factors whose product is 2^e, each inside float64's range (so x·a·b scales x exactly for any |e| ≤ 2046). */
export function pow2Pair(e: number): [number, number] {
  const half = Math.trunc(e / 2);
  return [pow2(half), pow2(e - half)];
}

/**
 * The exponent e to scale data by (X·2^-e) so that its largest magnitude `maxAbs` lands in [1, 2), or 0 when it is
 * already within [2^-bits, 2^bits] (then nothing is rescaled and results stay bit-identical to unscaled arithmetic).
 */
export function rescaleExponent(maxAbs: number, bits: number): number {
  if (maxAbs === 0 || (maxAbs >= 2 ** -bits && maxAbs <= 2 ** bits)) return 0;
  return exponentOf(maxAbs);
}

/** ⌊log2 |v|⌋ for finite v ≠ 0 (subnormals included). */
export function exponentOf(v: number): number {
  const a = Math.abs(v);
  let e = Math.floor(Math.log2(a));
  // Math.log2 can round across a power of two; settle the last step exactly.
  if (pow2(e) > a) e--;
  else if (pow2(e + 1) <= a) e++;
  return e;
}

/** v·2^e as a plain-text number ("3.2e+401"), for messages about values float64 cannot hold. */
export function describeScaled(v: number, e: number): string {
  if (v === 0) return "0";
  const log10 = Math.log10(Math.abs(v)) + e * Math.LOG10E * Math.LN2;
  let exponent = Math.floor(log10);
  let mantissa = Number((10 ** (log10 - exponent)).toFixed(1));
  if (mantissa >= 10) {
    mantissa /= 10;
    exponent += 1;
  }
  return `${v < 0 ? "-" : ""}${mantissa.toFixed(1)}e${exponent >= 0 ? "+" : ""}${exponent}`;
}

/**
 * v·2^e, or a NumericRangeError saying that `what` (≈ its value) exceeds float64's range and how to fix it.
 * Underflow is not an error: the nearest float64 to a tiny value is a tiny value (or 0).
 */
export function scaleBackOrThrow(v: number, e: number, what: string, fix: string): number {
  const out = timesPow2(v, e);
  if (Number.isFinite(out)) return out;
  throw new NumericRangeError(`${what} is about ${describeScaled(v, e)}, beyond float64's range (±1.8e+308); ${fix}`);
}

/** Largest |v| over finite `values` (0 for none). */
export function maxAbsolute(values: ArrayLike<number>): number {
  let max = 0;
  for (let i = 0; i < values.length; i++) {
    const a = Math.abs(values[i]);
    if (a > max) max = a;
  }
  return max;
}
