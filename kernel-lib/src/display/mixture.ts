import { InvalidArgumentError, ShapeError } from "../errors";
import { Matrix, MatrixLike } from "../linalg/matrix";
import { GaussianMixture } from "../mixture/gaussian-mixture";
import { EMSnapshot } from "../mixture/steps";
import { COMPONENT_COLORS, MIME, MimeBundle, Mixture1DPayload, Mixture2DPayload, MixtureComponent1D, MixtureSnapshot, VegaLiteSpec } from "../output-contract";
import { Random } from "../random/rng";
import { normalPdf } from "../stats/density";
import { checkData } from "../validate";
import { equalAspectFrame, VEGA_LITE_SCHEMA } from "./charts";
import { ellipsePoints, mixedColours, projectCovariance, responsibilities, rgbToHex } from "./mixture-geometry";

export { ellipsePoints } from "./mixture-geometry";

export interface MixtureViewOptions {
  /** Column names (default x1, x2, …). */
  features?: string[];
  /** The two columns drawn first (default the first two); the renderer lets the user pick others. */
  axes?: [number, number];
  title?: string;
  /** Points sent to the renderer at most (a seeded sample beyond that). Default 5,000. */
  maxPoints?: number;
  /**
   * Small multiples: these iterations side by side, each titled (e.g. `[0, 12, fit.nIter]` for the homework's
   * initial / 12 iterations / final pictures), instead of one plot with a scrubber over every iteration.
   */
  panels?: number[];
  /** One data unit as long on both axes (matplotlib's `set_aspect("equal")`). */
  equalAspect?: boolean;
}

/** Anything with per-iteration parameter snapshots: a fitted GaussianMixture, an EM() result, or a list. */
export type SnapshotSource = { snapshots: EMSnapshot[] } | EMSnapshot[];

function sampleRows(x: Matrix, max: number): Matrix {
  if (x.rows <= max) return x;
  return x.selectRows(Array.from(new Random(0).choice(x.rows, max, { replace: false })).sort((a, b) => a - b));
}

/** A snapshot as JSON carries it: no NaN (a fit that recorded no log-likelihood gets null). */
function toPayloadSnapshot(s: EMSnapshot): MixtureSnapshot {
  return { ...s, logLikelihood: Number.isFinite(s.logLikelihood) ? s.logLikelihood : null };
}

/**
 * A Gaussian mixture over its data, at every recorded iteration: application/vnd.mllab.mixture+json (scatter
 * coloured by responsibilities, 1/2/3σ ellipses, an iteration scrubber with a play button and the log-likelihood
 * trace, a choice of axes; or small multiples of chosen iterations), a vega-lite picture of the same (the kernel
 * renders it to SVG for Jupyter and GitHub), and a text summary.
 */
export function mixtureView(X: MatrixLike, fit: SnapshotSource, options: MixtureViewOptions = {}): MimeBundle & { toMimeBundle(): MimeBundle } {
  const x = checkData(X);
  const snapshots = (Array.isArray(fit) ? fit : fit.snapshots).map(toPayloadSnapshot);
  if (snapshots.length === 0) throw new ShapeError("the fit has no parameter snapshots; fit with keepSnapshots: true");
  if (x.cols < 2) throw new ShapeError("mixtureView draws 2-D projections; use mixtureView1D for one feature");
  if (snapshots[0].means[0].length !== x.cols) throw new ShapeError(`the mixture has ${snapshots[0].means[0].length} dimensions but X has ${x.cols} columns`);
  const features = options.features ?? Array.from({ length: x.cols }, (_, j) => `x${j + 1}`);
  if (features.length !== x.cols) throw new ShapeError(`features has ${features.length} names for ${x.cols} columns`);
  const axes = options.axes ?? [0, 1];
  if (!axes.every((a) => Number.isInteger(a) && a >= 0 && a < x.cols)) throw new InvalidArgumentError(`axes ${JSON.stringify(axes)} must be two column indices in 0…${x.cols - 1}`);
  const panels = options.panels?.map((iteration) => {
    const index = snapshots.findIndex((s) => s.iteration === iteration);
    if (index < 0) throw new InvalidArgumentError(`panels: the fit recorded no iteration ${iteration}; it has iterations ${snapshots[0].iteration}…${snapshots[snapshots.length - 1].iteration}`);
    return index;
  });
  const shown = sampleRows(x, options.maxPoints ?? 5000);
  const last = snapshots[snapshots.length - 1];
  const data: Mixture2DPayload = {
    version: 1,
    kind: "2d",
    ...(options.title ? { title: options.title } : {}),
    features,
    axes,
    d: x.cols,
    points: Array.from(shown.data),
    totalPoints: x.rows,
    colors: [...COMPONENT_COLORS],
    snapshots,
    ...(panels ? { panels } : {}),
    ...(options.equalAspect ? { equalAspect: true } : {}),
    logLikelihoodTitle: fit instanceof GaussianMixture ? "mean log-likelihood" : "log-likelihood",
  };
  const shownSnapshots = panels ?? [snapshots.length - 1];
  const spec = staticMixtureSpec(shown, shownSnapshots.map((i) => snapshots[i]), axes, features, options, snapshots.length > 1 && !panels);
  const at = (s: MixtureSnapshot) => `at iteration ${s.iteration}${s.logLikelihood !== null ? `, log-likelihood ${s.logLikelihood.toPrecision(6)}` : ""}`;
  const when = panels ? panels.map((i) => at(snapshots[i])).join("; ") : snapshots.length === 1 ? at(last) : `${snapshots.length - 1} iterations${last.logLikelihood !== null ? `, log-likelihood ${last.logLikelihood.toPrecision(6)}` : ""}`;
  const text = `Gaussian mixture, k=${last.weights.length}, ${when}; weights ${last.weights.map((w) => w.toFixed(3)).join(", ")}`;
  const bundle: MimeBundle = { [MIME.mixture]: data, [MIME.vegaLite]: spec, [MIME.text]: text };
  return Object.assign(bundle, { toMimeBundle: () => bundle });
}

function componentName(c: number, weight: number): string {
  return `component ${c + 1} (weight ${weight.toFixed(2)})`;
}

/** One panel of the static picture: points in mixed colours, clipped 1/2/3σ ellipses, means on top, a legend. */
function panelSpec(x: Matrix, snap: MixtureSnapshot, axes: [number, number], features: string[], frame: { x: [number, number]; y: [number, number]; width: number; height: number }, title: { text: string; subtitle?: string }, withWeights: boolean): VegaLiteSpec {
  const [a, b] = axes;
  const k = snap.weights.length;
  const colours = mixedColours(responsibilities(x.data, x.cols, snap), k, COMPONENT_COLORS).map(rgbToHex);
  const points = Array.from({ length: x.rows }, (_, i) => ({ x: x.get(i, a), y: x.get(i, b), color: colours[i] }));
  // Small multiples share one colour legend, so there a component's name cannot carry its (changing) weight.
  const names = snap.weights.map((w, c) => (withWeights ? componentName(c, w) : `component ${c + 1}`));
  const ellipses = snap.means.flatMap((mean, c) =>
    [1, 2, 3].flatMap((sigmas) =>
      ellipsePoints([mean[a], mean[b]], projectCovariance(snap.covariances[c], a, b), sigmas).map(([ex, ey], order) => ({ ex, ey, order, ring: `${c}-${sigmas}`, sigmas, component: names[c] })),
    ),
  );
  const means = snap.means.map((m, c) => ({ mx: m[a], my: m[b], component: names[c] }));
  const many = x.rows > 1000;
  const scale = (domain: [number, number]) => ({ domain, zero: false, nice: false });
  const colour = { field: "component", type: "nominal", title: null, scale: { domain: names, range: names.map((_, c) => COMPONENT_COLORS[c % COMPONENT_COLORS.length]) } };
  return {
    title,
    width: frame.width,
    height: frame.height,
    layer: [
      {
        data: { values: points },
        mark: { type: "circle", size: many ? 8 : 22, opacity: many ? 0.45 : 0.8, clip: true },
        encoding: {
          x: { field: "x", type: "quantitative", title: features[a], scale: scale(frame.x), axis: { labelOverlap: "greedy", labelFlush: true } },
          y: { field: "y", type: "quantitative", title: features[b], scale: scale(frame.y), axis: { labelOverlap: "greedy", labelFlush: true } },
          color: { field: "color", type: "nominal", scale: null },
        },
      },
      {
        data: { values: ellipses },
        mark: { type: "line", clip: true },
        encoding: {
          x: { field: "ex", type: "quantitative" },
          y: { field: "ey", type: "quantitative" },
          detail: { field: "ring" },
          order: { field: "order" },
          color: { ...colour, legend: { symbolType: "stroke", orient: "bottom", direction: "vertical", labelLimit: 0 } },
          strokeWidth: { condition: { test: "datum.sigmas === 1", value: 2.5 }, value: 1.25 },
        },
      },
      {
        data: { values: means },
        mark: { type: "point", shape: "cross", size: 220, filled: true, stroke: "white", strokeWidth: 1, clip: true },
        encoding: { x: { field: "mx", type: "quantitative" }, y: { field: "my", type: "quantitative" }, fill: { ...colour, legend: null }, tooltip: { field: "component" } },
      },
    ],
  };
}

function staticMixtureSpec(x: Matrix, shown: MixtureSnapshot[], axes: [number, number], features: string[], options: MixtureViewOptions, hasScrubber: boolean): VegaLiteSpec {
  const [a, b] = axes;
  const xs = x.column(a), ys = x.column(b);
  const width = shown.length > 1 ? 260 : 380;
  const frame = options.equalAspect ? { ...equalAspectFrame(xs, ys, width), width } : { ...paddedFrame(xs, ys), width, height: shown.length > 1 ? 240 : 340 };
  const key = "ellipses: 1σ, 2σ, 3σ · crosses: means";
  if (shown.length === 1) {
    const s = shown[0];
    const subtitle = `${hasScrubber ? `the last iteration, ${s.iteration}` : `iteration ${s.iteration}`} · ${key}`;
    return { $schema: VEGA_LITE_SCHEMA, ...panelSpec(x, s, axes, features, frame, { text: options.title ?? "Gaussian mixture", subtitle }, true) };
  }
  const panels = shown.map((s) => panelSpec(x, s, axes, features, frame, { text: `iteration ${s.iteration}` }, false));
  return { $schema: VEGA_LITE_SCHEMA, title: { text: options.title ?? "Gaussian mixture", subtitle: key }, hconcat: panels, resolve: { scale: { color: "shared" } } };
}

function paddedFrame(xs: ArrayLike<number>, ys: ArrayLike<number>): { x: [number, number]; y: [number, number] } {
  const pad = (v: ArrayLike<number>): [number, number] => {
    let lo = Infinity, hi = -Infinity;
    for (let i = 0; i < v.length; i++) [lo, hi] = [Math.min(lo, v[i]), Math.max(hi, v[i])];
    const m = (hi - lo || 1) * 0.05;
    return [lo - m, hi + m];
  };
  return { x: pad(xs), y: pad(ys) };
}

export type Component1D = MixtureComponent1D;

/**
 * One feature and a 1-D mixture (the Lab 3 picture): histogram, each weighted component pdf, the mixture pdf, and
 * the estimated means next to the true ones when given, with a legend that says which line is which.
 */
export function mixtureView1D(x: ArrayLike<number>, components: Component1D[], options: { truth?: Component1D[]; title?: string; bins?: number } = {}): MimeBundle & { toMimeBundle(): MimeBundle } {
  const values = Array.from(x);
  if (values.length === 0) throw new ShapeError("x is empty");
  if (components.length === 0) throw new ShapeError("components is empty; pass at least one { weight, mean, std }");
  let lo = Infinity, hi = -Infinity;
  for (const v of values) [lo, hi] = [Math.min(lo, v), Math.max(hi, v)];
  const grid = Array.from({ length: 200 }, (_, i) => lo + ((hi - lo) * i) / 199);
  const names = components.map((c, k) => `component ${k} (weight ${c.weight.toFixed(2)})`);
  const curves = [
    ...components.flatMap((c, k) => grid.map((g) => ({ g, density: c.weight * normalPdf(g, c.mean, c.std), curve: names[k] }))),
    ...grid.map((g) => ({ g, density: components.reduce((s, c) => s + c.weight * normalPdf(g, c.mean, c.std), 0), curve: "mixture" })),
  ];
  const rules = [
    ...components.map((c, k) => ({ at: c.mean, label: `estimated μ${k} = ${c.mean.toFixed(2)}`, kind: "estimated mean", curve: names[k] })),
    ...(options.truth ?? []).map((c, k) => ({ at: c.mean, label: `true μ${k} = ${c.mean.toFixed(2)}`, kind: "true mean", curve: names[k] ?? "mixture" })),
  ];
  const bins = options.bins ?? 60;
  const colour = { field: "curve", type: "nominal", title: null, scale: { domain: [...names, "mixture"], range: [...names.map((_, k) => COMPONENT_COLORS[k % COMPONENT_COLORS.length]), "#444444"] } };
  const spec = {
    $schema: VEGA_LITE_SCHEMA,
    title: options.title ?? "Gaussian mixture in 1-D",
    width: 440,
    height: 260,
    layer: [
      { data: { values: values.map((v) => ({ v })) }, transform: [{ bin: { maxbins: bins }, field: "v", as: ["b0", "b1"] }, { aggregate: [{ op: "count", as: "n" }], groupby: ["b0", "b1"] }, { calculate: `datum.n / (${values.length} * (datum.b1 - datum.b0))`, as: "density" }], mark: { type: "rect", opacity: 0.35, color: "#888888" }, encoding: { x: { field: "b0", type: "quantitative", title: "x" }, x2: { field: "b1" }, y: { field: "density", type: "quantitative", title: "density" } } },
      { data: { values: curves }, mark: { type: "line", strokeWidth: 2 }, encoding: { x: { field: "g", type: "quantitative" }, y: { field: "density", type: "quantitative" }, color: { ...colour, legend: { symbolType: "stroke", orient: "right", labelLimit: 0 } }, strokeDash: { condition: { test: "datum.curve === 'mixture'", value: [1, 0] }, value: [6, 3] } } },
      { data: { values: rules }, mark: { type: "rule", strokeWidth: 1.5 }, encoding: { x: { field: "at", type: "quantitative" }, color: { ...colour, legend: null }, strokeDash: { field: "kind", type: "nominal", title: null, scale: { domain: ["estimated mean", "true mean"], range: [[1, 0], [3, 3]] }, legend: options.truth ? { symbolType: "stroke", orient: "right" } : null }, tooltip: { field: "label" } } },
    ],
  };
  const data: Mixture1DPayload = {
    version: 1,
    kind: "1d",
    ...(options.title ? { title: options.title } : {}),
    x: values.length > 20000 ? values.filter((_, i) => i % Math.ceil(values.length / 20000) === 0) : values,
    components,
    ...(options.truth ? { truth: options.truth } : {}),
    colors: [...COMPONENT_COLORS],
  };
  const text = components.map((c, k) => `component ${k}: weight ${c.weight.toFixed(3)}, mean ${c.mean.toFixed(3)}, std ${c.std.toFixed(3)}${options.truth?.[k] ? ` (true mean ${options.truth[k].mean.toFixed(3)})` : ""}`).join("\n");
  const bundle: MimeBundle = { [MIME.mixture]: data, [MIME.vegaLite]: spec, [MIME.text]: text };
  return Object.assign(bundle, { toMimeBundle: () => bundle });
}
