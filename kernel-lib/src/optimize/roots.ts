import { InvalidArgumentError, NonFiniteError } from "../errors";
import { describe } from "../linalg/matrix";
import { checkFinite, checkFunction, checkNonNegative, checkPositiveInt } from "../validate";
import { ScalarFunction } from "./derivative";

/**
 * A root of f in [a, b] where f(a) and f(b) differ in sign, by Brent's method (bisection safety with
 * secant/inverse-quadratic speed).
 */
export function brent(fn: ScalarFunction, a: number, b: number, tol = 1e-12, maxIter = 200): number {
  checkFunction(fn, "f");
  checkFinite(a, "a");
  checkFinite(b, "b");
  checkNonNegative(tol, "tol");
  checkPositiveInt(maxIter, "maxIter");
  const f = (x: number): number => {
    const v = fn(x);
    if (typeof v !== "number" || Number.isNaN(v)) throw new NonFiniteError(`brent: f(${x}) is ${describe(v)}; f must return a number (±Infinity is allowed) across [a, b]`);
    return v;
  };
  let fa = f(a), fb = f(b);
  if (fa === 0) return a;
  if (fb === 0) return b;
  if (Math.sign(fa) === Math.sign(fb)) throw new InvalidArgumentError(`brent: f(${a}) and f(${b}) have the same sign; the interval does not bracket a root`);
  let c = a, fc = fa, d = b - a, e = d;
  for (let i = 0; i < maxIter; i++) {
    if (Math.sign(fb) === Math.sign(fc)) {
      c = a; fc = fa; d = b - a; e = d;
    }
    if (Math.abs(fc) < Math.abs(fb)) {
      a = b; b = c; c = a;
      fa = fb; fb = fc; fc = fa;
    }
    const tol1 = 2 * Number.EPSILON * Math.abs(b) + 0.5 * tol;
    const m = 0.5 * (c - b);
    if (Math.abs(m) <= tol1 || fb === 0) return b;
    if (Math.abs(e) >= tol1 && Math.abs(fa) > Math.abs(fb)) {
      const s = fb / fa;
      let p: number, q: number;
      if (a === c) {
        p = 2 * m * s;
        q = 1 - s;
      } else {
        const qa = fa / fc, r = fb / fc;
        p = s * (2 * m * qa * (qa - r) - (b - a) * (r - 1));
        q = (qa - 1) * (r - 1) * (s - 1);
      }
      if (p > 0) q = -q; else p = -p;
      if (2 * p < Math.min(3 * m * q - Math.abs(tol1 * q), Math.abs(e * q))) {
        e = d;
        d = p / q;
      } else {
        d = m; e = d;
      }
    } else {
      d = m; e = d;
    }
    a = b; fa = fb;
    b += Math.abs(d) > tol1 ? d : m > 0 ? tol1 : -tol1;
    fb = f(b);
  }
  return b;
}
