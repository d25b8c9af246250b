import { InvalidArgumentError } from "../errors";
import { derivative, ScalarFunction } from "./derivative";
import { brent } from "./roots";
import { describe } from "../linalg/matrix";
import { checkFunction, checkOptions, checkPositiveInt } from "../validate";

export type PointKind = "local minimum" | "local maximum" | "inconclusive";

export interface CriticalPoint {
  x: number;
  fx: number;
  /** f′(x): ≈ 0 inside the interval (FOC); at an endpoint, its sign decides the kind. */
  slope: number;
  /** f″(x), whose sign classifies an interior point (SOC). */
  curvature: number;
  kind: PointKind;
  /** "interior" for f′(x) = 0, or the endpoint it is. */
  where: "interior" | "left endpoint" | "right endpoint";
  /** A sentence on why, for printing next to a plot. */
  reason: string;
}

export interface CriticalPointOptions {
  /** Analytic derivatives, when known; numeric ones (Ridders) otherwise. */
  df?: ScalarFunction;
  d2f?: ScalarFunction;
  /** Grid cells to scan for sign changes of f′. Default 2000. */
  samples?: number;
  /** Include the interval's endpoints as boundary extrema. Default true. */
  endpoints?: boolean;
}

/**
 * The extrema of f on [a, b]: interior points where f′ = 0 (first-order condition) classified by the sign of f″
 * (second-order condition), and the endpoints classified by the direction f leaves them.
 */
export function criticalPoints(f: ScalarFunction, interval: [number, number], options: CriticalPointOptions = {}): CriticalPoint[] {
  checkFunction(f, "f");
  checkOptions(options, ["df", "d2f", "samples", "endpoints"], "criticalPoints", "{ samples: 2000 }");
  if (!Array.isArray(interval) || interval.length !== 2) throw new InvalidArgumentError(`interval must be [a, b], got ${describe(interval)}`);
  const [a, b] = interval;
  if (!(typeof a === "number" && typeof b === "number" && Number.isFinite(a) && Number.isFinite(b) && a < b)) {
    throw new InvalidArgumentError(`interval must be [a, b] with finite a < b, got [${describe(a)}, ${describe(b)}]`);
  }
  const df = options.df === undefined ? (x: number) => derivative(f, x, 1) : checked(checkFunction(options.df, "options.df"), "options.df");
  const d2f = options.d2f === undefined ? (x: number) => derivative(f, x, 2) : checked(checkFunction(options.d2f, "options.d2f"), "options.d2f");
  const samples = checkPositiveInt(options.samples ?? 2000, "samples", 2);
  const scale = Math.max(1, ...[a, (a + b) / 2, b].map((x) => Math.abs(df(x))));
  const flat = 1e-8 * scale;
  const roots: number[] = [];
  const h = (b - a) / samples;
  let x0 = a, g0 = df(a);
  for (let i = 1; i <= samples; i++) {
    const x1 = i === samples ? b : a + i * h;
    const g1 = df(x1);
    if (Math.sign(g0) !== Math.sign(g1) && g0 !== 0 && g1 !== 0) roots.push(brent(df, x0, x1));
    else if (g1 === 0 && x1 > a && x1 < b) roots.push(x1);
    x0 = x1;
    g0 = g1;
  }
  // Touching zeros of f′ (no sign change, e.g. x³ at 0): grid minima of |f′| that are ≈ 0.
  for (let i = 1; i < samples; i++) {
    const x = a + i * h;
    const g = Math.abs(df(x));
    if (g < flat && g <= Math.abs(df(x - h)) && g <= Math.abs(df(x + h)) && !roots.some((r) => Math.abs(r - x) < 2 * h)) roots.push(x);
  }
  roots.sort((p, q) => p - q);
  const points: CriticalPoint[] = roots.map((x) => {
    const curvature = d2f(x);
    const kind: PointKind = Math.abs(curvature) < flat ? "inconclusive" : curvature > 0 ? "local minimum" : "local maximum";
    const reason =
      kind === "inconclusive"
        ? `f′(${fmt(x)}) = 0 and f″ = 0: the second-order test cannot decide (maybe an inflection point)`
        : `f′(${fmt(x)}) = 0 (FOC) and f″ = ${fmt(curvature)} ${curvature > 0 ? "> 0" : "< 0"} (SOC)`;
    return { x, fx: f(x), slope: df(x), curvature, kind, where: "interior", reason };
  });
  if (options.endpoints ?? true) {
    const left = df(a), right = df(b);
    points.unshift(endpoint(f, a, left, d2f(a), "left endpoint", left > 0 ? "local minimum" : left < 0 ? "local maximum" : "inconclusive"));
    points.push(endpoint(f, b, right, d2f(b), "right endpoint", right < 0 ? "local minimum" : right > 0 ? "local maximum" : "inconclusive"));
  }
  return points;
}

/** A user-supplied derivative, refused when it returns something other than a finite number. */
function checked(g: ScalarFunction, name: string): ScalarFunction {
  return (x) => {
    const v = g(x);
    if (typeof v !== "number" || !Number.isFinite(v)) throw new InvalidArgumentError(`${name}(${x}) returned ${describe(v)}; it must return a finite number for every x in the interval`);
    return v;
  };
}

function endpoint(f: ScalarFunction, x: number, slope: number, curvature: number, where: "left endpoint" | "right endpoint", kind: PointKind): CriticalPoint {
  const direction = slope > 0 ? "rises" : slope < 0 ? "falls" : "is flat";
  const reason = `${where}: f′(${fmt(x)}) = ${fmt(slope)}, so f ${direction} ${where === "left endpoint" ? "to the right of it" : "towards it"}`;
  return { x, fx: f(x), slope, curvature, kind, where, reason };
}

function fmt(v: number): string {
  return Math.abs(v) < 1e-9 ? "0" : Number(v.toPrecision(6)).toString();
}
