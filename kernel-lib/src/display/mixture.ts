import { ShapeError } from "../errors";
import { symmetricEigen } from "../linalg/eigen";
import { Matrix, MatrixLike } from "../linalg/matrix";
import { Covariances } from "../mixture/covariance";
import { expectation } from "../mixture/em-kernels";
import { EMSnapshot } from "../mixture/steps";
import { Random } from "../random/rng";
import { normalPdf } from "../stats/density";
import { checkData } from "../validate";
import { MIME, MimeBundle } from "./mime";

/** Distinct, colour-blind-friendly component colours (Okabe–Ito), shared with the renderer. */
export const COMPONENT_COLORS = ["#E69F00", "#56B4E9", "#009E73", "#CC79A7", "#0072B2", "#D55E00", "#F0E442", "#999999"];

export interface MixtureViewOptions {
  /** Column names (default x1, x2, …). */
  features?: string[];
  /** The two columns drawn first (default the first two); the renderer lets the user pick others. */
  axes?: [number, number];
  title?: string;
  /** Points sent to the renderer at most (a seeded sample beyond that). Default 5,000. */
  maxPoints?: number;
}

/** Anything with per-iteration parameter snapshots: a fitted GaussianMixture, an EM() result, or a list. */
export type SnapshotSource = { snapshots: EMSnapshot[] } | EMSnapshot[];

function hexToRgb(hex: string): [number, number, number] {
  return [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)) as [number, number, number];
}

/** Each point's colour: the responsibility-weighted mix of the component colours (seed 001's picture). */
function mixedColors(x: Matrix, snap: EMSnapshot): string[] {
  const k = snap.weights.length;
  const params = {
    weights: Float64Array.from(snap.weights),
    means: Float64Array.from(snap.means.flat()),
    covariances: Covariances.fromFull("full", snap.covariances.map((c) => Matrix.fromRows(c))),
  };
  const { resp } = expectation(x.data, x.rows, params);
  const palette = Array.from({ length: k }, (_, c) => hexToRgb(COMPONENT_COLORS[c % COMPONENT_COLORS.length]));
  return Array.from({ length: x.rows }, (_, i) => {
    const rgb = [0, 1, 2].map((ch) => palette.reduce((s, p, c) => s + resp[i * k + c] * p[ch], 0));
    return "#" + rgb.map((v) => Math.round(v).toString(16).padStart(2, "0")).join("");
  });
}

/** Points on the n-σ ellipse of a 2×2 covariance around `mean`. */
export function ellipsePoints(mean: [number, number], cov: [[number, number], [number, number]], sigmas: number, steps = 72): [number, number][] {
  const { values, vectors } = symmetricEigen(cov);
  const r = [Math.sqrt(Math.max(values[0], 0)) * sigmas, Math.sqrt(Math.max(values[1], 0)) * sigmas];
  const out: [number, number][] = [];
  for (let s = 0; s <= steps; s++) {
    const t = (2 * Math.PI * s) / steps;
    const a = r[0] * Math.cos(t), b = r[1] * Math.sin(t);
    out.push([mean[0] + a * vectors.get(0, 0) + b * vectors.get(0, 1), mean[1] + a * vectors.get(1, 0) + b * vectors.get(1, 1)]);
  }
  return out;
}

function sampleRows(x: Matrix, max: number): Matrix {
  if (x.rows <= max) return x;
  return x.selectRows(Array.from(new Random(0).choice(x.rows, max, { replace: false })).sort((a, b) => a - b));
}

/**
 * A Gaussian mixture over its data, at every recorded iteration: application/vnd.mllab.mixture+json (scatter
 * coloured by responsibilities, 1/2/3σ ellipses, an iteration scrubber, a choice of axes), a vega-lite picture
 * of the final iteration (the kernel renders it to SVG for Jupyter and GitHub), and a text summary.
 */
export function mixtureView(X: MatrixLike, fit: SnapshotSource, options: MixtureViewOptions = {}): MimeBundle & { toMimeBundle(): MimeBundle } {
  const x = checkData(X);
  const snapshots = Array.isArray(fit) ? fit : fit.snapshots;
  if (snapshots.length === 0) throw new ShapeError("the fit has no parameter snapshots; fit with keepSnapshots: true");
  if (x.cols < 2) throw new ShapeError("mixtureView draws 2-D projections; use mixtureView1D for one feature");
  if (snapshots[0].means[0].length !== x.cols) throw new ShapeError(`the mixture has ${snapshots[0].means[0].length} dimensions but X has ${x.cols} columns`);
  const features = options.features ?? Array.from({ length: x.cols }, (_, j) => `x${j + 1}`);
  const axes = options.axes ?? [0, 1];
  const shown = sampleRows(x, options.maxPoints ?? 5000);
  const last = snapshots[snapshots.length - 1];
  const data = {
    version: 1,
    kind: "2d",
    title: options.title,
    features,
    axes,
    d: x.cols,
    points: Array.from(shown.data),
    totalPoints: x.rows,
    colors: COMPONENT_COLORS,
    snapshots,
  };
  const spec = staticMixtureSpec(shown, last, axes, features, options.title);
  const when = snapshots.length === 1 ? `at iteration ${last.iteration}` : `${snapshots.length - 1} iterations`;
  const text = `Gaussian mixture, k=${last.weights.length}, ${when}` +
    `${Number.isFinite(last.logLikelihood) ? `, log-likelihood ${last.logLikelihood.toPrecision(6)}` : ""}; weights ${last.weights.map((w) => w.toFixed(3)).join(", ")}`;
  const bundle: MimeBundle = { [MIME.mixture]: data, [MIME.vegaLite]: spec, [MIME.text]: text };
  return Object.assign(bundle, { toMimeBundle: () => bundle });
}

function staticMixtureSpec(x: Matrix, snap: EMSnapshot, axes: [number, number], features: string[], title?: string): Record<string, unknown> {
  const [a, b] = axes;
  const colors = mixedColors(x, snap);
  const points = Array.from({ length: x.rows }, (_, i) => ({ x: x.get(i, a), y: x.get(i, b), color: colors[i] }));
  const ellipses = snap.means.flatMap((mean, c) =>
    [1, 2, 3].flatMap((sigmas) =>
      ellipsePoints([mean[a], mean[b]], [[snap.covariances[c][a][a], snap.covariances[c][a][b]], [snap.covariances[c][b][a], snap.covariances[c][b][b]]], sigmas).map(([ex, ey], order) => ({
        ex, ey, order, ring: `${c}-${sigmas}`, color: COMPONENT_COLORS[c % COMPONENT_COLORS.length],
      })),
    ),
  );
  const means = snap.means.map((m, c) => ({ mx: m[a], my: m[b], color: COMPONENT_COLORS[c % COMPONENT_COLORS.length], label: `component ${c + 1} (weight ${snap.weights[c].toFixed(2)})` }));
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v5.json",
    title: title ?? `Gaussian mixture at iteration ${snap.iteration}`,
    width: 380,
    height: 340,
    layer: [
      { data: { values: points }, mark: { type: "circle", size: 18, opacity: 0.75 }, encoding: { x: { field: "x", type: "quantitative", title: features[a], scale: { zero: false } }, y: { field: "y", type: "quantitative", title: features[b], scale: { zero: false } }, color: { field: "color", type: "nominal", scale: null } } },
      { data: { values: ellipses }, mark: { type: "line", strokeWidth: 1.5 }, encoding: { x: { field: "ex", type: "quantitative" }, y: { field: "ey", type: "quantitative" }, detail: { field: "ring" }, order: { field: "order" }, color: { field: "color", type: "nominal", scale: null } } },
      { data: { values: means }, mark: { type: "point", shape: "cross", size: 140, filled: true }, encoding: { x: { field: "mx", type: "quantitative" }, y: { field: "my", type: "quantitative" }, color: { field: "color", type: "nominal", scale: null }, tooltip: { field: "label" } } },
    ],
  };
}

export interface Component1D {
  weight: number;
  mean: number;
  std: number;
}

/**
 * One feature and a 1-D mixture (seed 002): histogram, each weighted component pdf, the mixture pdf, and the
 * estimated means next to the true ones when given.
 */
export function mixtureView1D(x: ArrayLike<number>, components: Component1D[], options: { truth?: Component1D[]; title?: string; bins?: number } = {}): MimeBundle & { toMimeBundle(): MimeBundle } {
  const values = Array.from(x);
  if (values.length === 0) throw new ShapeError("x is empty");
  let lo = Infinity, hi = -Infinity;
  for (const v of values) [lo, hi] = [Math.min(lo, v), Math.max(hi, v)];
  const grid = Array.from({ length: 200 }, (_, i) => lo + ((hi - lo) * i) / 199);
  const curves = [
    ...components.flatMap((c, k) => grid.map((g) => ({ g, density: c.weight * normalPdf(g, c.mean, c.std), curve: `component ${k}` }))),
    ...grid.map((g) => ({ g, density: components.reduce((s, c) => s + c.weight * normalPdf(g, c.mean, c.std), 0), curve: "mixture" })),
  ];
  const rules = [
    ...components.map((c, k) => ({ at: c.mean, label: `estimated μ${k} = ${c.mean.toFixed(2)}`, kind: "estimated" })),
    ...(options.truth ?? []).map((c, k) => ({ at: c.mean, label: `true μ${k} = ${c.mean.toFixed(2)}`, kind: "true" })),
  ];
  const bins = options.bins ?? 60;
  const spec = {
    $schema: "https://vega.github.io/schema/vega-lite/v5.json",
    title: options.title ?? "Gaussian mixture in 1-D",
    width: 440,
    height: 260,
    layer: [
      { data: { values: values.map((v) => ({ v })) }, transform: [{ bin: { maxbins: bins }, field: "v", as: ["b0", "b1"] }, { aggregate: [{ op: "count", as: "n" }], groupby: ["b0", "b1"] }, { calculate: `datum.n / (${values.length} * (datum.b1 - datum.b0))`, as: "density" }], mark: { type: "rect", opacity: 0.35, color: "#888888" }, encoding: { x: { field: "b0", type: "quantitative", title: "x" }, x2: { field: "b1" }, y: { field: "density", type: "quantitative", title: "density" } } },
      { data: { values: curves }, mark: { type: "line", strokeWidth: 2 }, encoding: { x: { field: "g", type: "quantitative" }, y: { field: "density", type: "quantitative" }, color: { field: "curve", type: "nominal", title: null }, strokeDash: { condition: { test: "datum.curve === 'mixture'", value: [1, 0] }, value: [6, 3] } } },
      { data: { values: rules }, mark: { type: "rule", strokeWidth: 1.5 }, encoding: { x: { field: "at", type: "quantitative" }, strokeDash: { field: "kind", type: "nominal", title: null, scale: { domain: ["estimated", "true"], range: [[1, 0], [3, 3]] } }, tooltip: { field: "label" } } },
    ],
  };
  const data = { version: 1, kind: "1d", title: options.title, x: values.length > 20000 ? values.filter((_, i) => i % Math.ceil(values.length / 20000) === 0) : values, components, truth: options.truth, colors: COMPONENT_COLORS };
  const text = components.map((c, k) => `component ${k}: weight ${c.weight.toFixed(3)}, mean ${c.mean.toFixed(3)}, std ${c.std.toFixed(3)}`).join("\n");
  const bundle: MimeBundle = { [MIME.mixture]: data, [MIME.vegaLite]: spec, [MIME.text]: text };
  return Object.assign(bundle, { toMimeBundle: () => bundle });
}
