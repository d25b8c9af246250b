/**
 * vega-lite v5 specs (plain JSON, no vega dependency here) for the charts the samples need. The kernel renders
 * them to static SVG; the notebook renderer draws them interactively with vega-embed.
 */
import { ChartMeta, TRACE_CHART_NAME, VegaLiteSpec } from "../output-contract";

export type { VegaLiteSpec } from "../output-contract";

export interface Series {
  name: string;
  /** y values at x = 1, 2, … unless `x` is given. */
  values: ArrayLike<number>;
  x?: ArrayLike<number>;
}

export const VEGA_LITE_SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json";

/** Axis settings for every chart: labels never overlap each other, and the first and last stay inside the plot. */
const AXIS = { labelOverlap: "greedy", labelSeparation: 6, labelFlush: true } as const;

function rows(series: Series[], xName: string, yName: string): Record<string, number | string | null>[] {
  return series.flatMap((s) =>
    Array.from(s.values, (v, i) => ({ series: s.name, [xName]: s.x ? s.x[i] : i + 1, [yName]: Number.isFinite(v) ? v : null })),
  );
}

export interface ConvergenceChartOptions {
  series: Series[];
  yTitle: string;
  title?: string;
  logScale?: boolean;
  convergedAt?: number;
  /** Which series is the fit's answer (drawn on top, bold, first in the legend). Default: the first. */
  best?: number;
  /** Whether lower ("min", a distortion) or higher ("max", a log-likelihood) is better. Default "min". */
  goal?: "min" | "max";
  width?: number;
  height?: number;
}

/**
 * Objective per iteration, one line per run. With several runs the best one is drawn last (on top), bold and in
 * the first colour, and heads the legend; the others follow in run order, thinner and translucent.
 */
export function convergenceChart(options: ConvergenceChartOptions): VegaLiteSpec {
  const { series } = options;
  const best = options.best ?? 0;
  const bestName = series[best]?.name ?? "";
  const data = rows(series, "iteration", "value");
  const finite = data.map((d) => d.value).filter((v): v is number => typeof v === "number");
  const meta: ChartMeta = { logToggle: finite.every((v) => v > 0) ? "value" : "gap", goal: options.goal ?? "min" };
  const order = [bestName, ...series.map((s) => s.name).filter((n) => n !== bestName)];
  const bold = { strokeWidth: series.length > 1 ? 2.5 : 2, opacity: 1 }, other = { strokeWidth: 1.25, opacity: 0.6 };
  // The legend would give every swatch the first layer's faint style: the best run's swatch is drawn as its line is
  // (opaque), the others as theirs (translucent), all wide enough to read.
  const swatches = { symbols: { opacity: { condition: { test: `datum.value === ${JSON.stringify(bestName)}`, value: bold.opacity }, value: other.opacity } } };
  const encoding = {
    x: { field: "iteration", type: "quantitative", title: "iteration", axis: { ...AXIS, tickMinStep: 1 } },
    y: { field: "value", type: "quantitative", title: options.yTitle, axis: AXIS, scale: { type: options.logScale ? "log" : "linear", zero: false } },
    color: { field: "series", type: "nominal", title: null, scale: { domain: order }, legend: series.length > 1 ? { symbolType: "stroke", symbolStrokeWidth: bold.strokeWidth, labelLimit: 0, encoding: swatches } : null },
  };
  const layers: Record<string, unknown>[] = [];
  if (series.length > 1) {
    layers.push({
      transform: [{ filter: { not: { field: "series", equal: bestName } } }],
      mark: { type: "line", ...other, point: { size: 10, opacity: other.opacity }, tooltip: true },
      encoding,
    });
  }
  layers.push({
    ...(series.length > 1 ? { transform: [{ filter: { field: "series", equal: bestName } }] } : {}),
    mark: { type: "line", ...bold, point: { size: 24 }, tooltip: true },
    encoding,
  });
  if (options.convergedAt !== undefined) {
    layers.push({
      data: { values: [{ iteration: options.convergedAt, label: `converged at iteration ${options.convergedAt}` }] },
      mark: { type: "rule", strokeDash: [4, 4], opacity: 0.7 },
      encoding: { x: { field: "iteration", type: "quantitative" }, tooltip: { field: "label" } },
    });
  }
  // usermeta asks the ML Lab renderer for a log-scale toggle (other vega-lite viewers ignore it).
  return {
    $schema: VEGA_LITE_SCHEMA,
    name: TRACE_CHART_NAME,
    title: options.title,
    width: options.width ?? 420,
    height: options.height ?? 240,
    data: { values: data },
    layer: layers,
    usermeta: { mllab: meta },
  };
}

/** One line per parameter across iterations (HW6's intercept and slope per gradient-descent step). */
export function parameterTraceChart(options: { trace: ArrayLike<ArrayLike<number>>; names: string[]; title?: string; truth?: number[] }): VegaLiteSpec {
  const series: Series[] = options.names.map((name, j) => ({ name, values: Array.from(options.trace, (p) => p[j]) }));
  const layers: Record<string, unknown>[] = [
    {
      mark: { type: "line", strokeWidth: 2, point: { size: 16 }, tooltip: true },
      encoding: {
        x: { field: "iteration", type: "quantitative", title: "iteration", axis: { ...AXIS, tickMinStep: 1 } },
        y: { field: "value", type: "quantitative", title: "value", axis: AXIS, scale: { zero: false } },
        color: { field: "series", type: "nominal", title: null, scale: { domain: options.names } },
      },
    },
  ];
  if (options.truth) {
    layers.push({
      data: { values: options.names.map((name, j) => ({ series: name, value: options.truth![j], label: `true ${name} = ${options.truth![j]}` })) },
      mark: { type: "rule", strokeDash: [2, 4] },
      encoding: { y: { field: "value", type: "quantitative" }, color: { field: "series", type: "nominal" }, tooltip: { field: "label" } },
    });
  }
  return { $schema: VEGA_LITE_SCHEMA, title: options.title ?? "parameters per iteration", width: 420, height: 240, data: { values: rows(series, "iteration", "value") }, layer: layers };
}

/**
 * f, f′ and f″ over an interval on one chart, critical points marked and labelled (HW6.1). Pass the
 * derivatives as functions (analytic or numeric) and the points from criticalPoints().
 */
export function functionPlot(options: {
  functions: { name: string; f: (x: number) => number }[];
  interval: [number, number];
  points?: { x: number; y: number; label: string }[];
  samples?: number;
  title?: string;
}): VegaLiteSpec {
  const [a, b] = options.interval;
  const n = options.samples ?? 241;
  const xs = Array.from({ length: n }, (_, i) => a + ((b - a) * i) / (n - 1));
  const series = options.functions.map(({ name, f }) => ({ name, x: xs, values: xs.map(f) }));
  return lineChart({ series, title: options.title, points: options.points, xTitle: "x", yTitle: "y" });
}

export interface LineChartOptions {
  series: Series[];
  xTitle?: string;
  yTitle?: string;
  title?: string;
  points?: { x: number; y: number; label: string }[];
  /** "log" for a log axis (powers of ten labelled, the rest as ticks: no "100200" collisions). */
  xScale?: "linear" | "log";
  yScale?: "linear" | "log";
  /** Draw a point at every value (default: only when a series has fewer than 40). */
  pointMarks?: boolean;
}

/**
 * A log axis over these values: ticks and labels at the powers of ten when the data spans two or more of them
 * (vega's default labels 100, 200, 1,000, 2,000… and runs them together on a narrow chart).
 */
function logAxis(values: number[]): Record<string, unknown> {
  const [lo, hi] = extent(values.filter((v) => v > 0));
  const powers: number[] = [];
  for (let e = Math.ceil(Math.log10(lo) - 1e-9); e <= Math.floor(Math.log10(hi) + 1e-9); e++) powers.push(Number(`1e${e}`));
  return powers.length >= 2 ? { ...AXIS, values: powers, format: ",~g" } : AXIS;
}

/** Several y series over shared x values (e.g. f, f′, f″), with optional labelled points. */
export function lineChart(options: LineChartOptions): VegaLiteSpec {
  const log = (scale?: "linear" | "log") => scale === "log";
  const xs = options.series.flatMap((s) => (s.x ? Array.from(s.x) : Array.from(s.values, (_, i) => i + 1)));
  const ys = options.series.flatMap((s) => Array.from(s.values)).filter(Number.isFinite);
  const points = options.pointMarks ?? options.series.every((s) => s.values.length < 40);
  const layers: Record<string, unknown>[] = [
    {
      mark: { type: "line", strokeWidth: 2, tooltip: true, ...(points ? { point: { size: 24 } } : {}) },
      encoding: {
        x: { field: "x", type: "quantitative", title: options.xTitle ?? "x", axis: log(options.xScale) ? logAxis(xs) : AXIS, scale: log(options.xScale) ? { type: "log" } : { zero: false } },
        y: { field: "y", type: "quantitative", title: options.yTitle ?? "y", axis: log(options.yScale) ? logAxis(ys) : AXIS, scale: log(options.yScale) ? { type: "log" } : { zero: false } },
        color: { field: "series", type: "nominal", title: null, scale: { domain: options.series.map((s) => s.name) }, legend: options.series.length > 1 ? {} : null },
      },
    },
  ];
  if (options.points?.length) {
    // Labels go above their point, or below it in the top quarter of the chart, and the y scale is padded so
    // that a label never leaves the plot for the tick labels. A point in the outer fifth of the x range has its label
    // start (or end) at the point, towards the inside, so that it does not run over the y axis or out of the plot.
    const [bottom, top] = extent(ys);
    const [left, right] = extent(xs);
    const edge = (right - left) / 5;
    const alignOf = (x: number) => (x < left + edge ? "left" : x > right - edge ? "right" : "center");
    const values = options.points.map((p) => ({ ...p, above: p.y < top - (top - bottom) / 4, align: alignOf(p.x) }));
    layers.push({ data: { values }, mark: { type: "point", filled: true, size: 80, color: "#d62728", tooltip: true }, encoding: { x: { field: "x", type: "quantitative" }, y: { field: "y", type: "quantitative" } } });
    for (const above of [true, false]) {
      for (const align of ["left", "center", "right"] as const) {
        const group = values.filter((p) => p.above === above && p.align === align);
        if (group.length === 0) continue;
        const dx = align === "left" ? -4 : align === "right" ? 4 : 0;
        layers.push({ data: { values: group }, mark: { type: "text", dy: above ? -12 : 14, dx, align, fontSize: 11 }, encoding: { x: { field: "x", type: "quantitative" }, y: { field: "y", type: "quantitative" }, text: { field: "label" } } });
      }
    }
    const y = (layers[0].encoding as Record<string, Record<string, unknown>>).y;
    y.scale = { ...(y.scale as object), padding: 18 };
    const x = (layers[0].encoding as Record<string, Record<string, unknown>>).x;
    x.scale = { ...(x.scale as object), padding: 24 };
  }
  return { $schema: VEGA_LITE_SCHEMA, title: options.title, width: 420, height: 260, data: { values: rows(options.series, "x", "y") }, layer: layers };
}

/**
 * Domains and a height that give both axes the same data units per pixel for a chart `width` pixels wide
 * (matplotlib's `set_aspect("equal")`). The height stays within [width/3, maxHeight]; beyond that the shorter
 * domain is widened instead.
 */
export function equalAspectFrame(xs: ArrayLike<number>, ys: ArrayLike<number>, width: number, maxHeight = width * 1.2): { x: [number, number]; y: [number, number]; height: number } {
  let [x0, x1] = extent(xs), [y0, y1] = extent(ys);
  const pad = 0.04 * Math.max(x1 - x0, y1 - y0, 1e-12);
  [x0, x1, y0, y1] = [x0 - pad, x1 + pad, y0 - pad, y1 + pad];
  const unit = (x1 - x0) / width;
  let height = (y1 - y0) / unit;
  if (height > maxHeight) {
    // Too tall: keep the height, widen x so that a unit is as long on both axes.
    height = maxHeight;
    const half = ((y1 - y0) / height) * width / 2, mid = (x0 + x1) / 2;
    [x0, x1] = [mid - half, mid + half];
  } else if (height < width / 3) {
    height = width / 3;
    const half = (height * unit) / 2, mid = (y0 + y1) / 2;
    [y0, y1] = [mid - half, mid + half];
  }
  return { x: [x0, x1], y: [y0, y1], height: Math.round(height) };
}

function extent(values: ArrayLike<number>): [number, number] {
  let lo = Infinity, hi = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return lo <= hi ? [lo, hi] : [0, 1];
}

/** A scatter plot of two columns, coloured by a label when given. */
export function scatterChart(options: {
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  color?: ArrayLike<number | string>;
  xTitle?: string;
  yTitle?: string;
  title?: string;
  /** One data unit as long on both axes (matplotlib's `set_aspect("equal")`). */
  equalAspect?: boolean;
}): VegaLiteSpec {
  const values = Array.from(options.x, (x, i) => ({ x, y: options.y[i], ...(options.color ? { group: String(options.color[i]) } : {}) }));
  const width = 360;
  const frame = options.equalAspect ? equalAspectFrame(options.x, options.y, width) : undefined;
  const scale = (domain?: [number, number]) => (domain ? { domain, zero: false, nice: false } : { zero: false });
  const groups = options.color ? [...new Set(values.map((v) => v.group!))] : [];
  const numeric = groups.every((g) => g !== "" && Number.isFinite(Number(g)));
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: options.title,
    width,
    height: frame?.height ?? 300,
    data: { values },
    mark: { type: "circle", opacity: 0.6, tooltip: true, clip: true },
    encoding: {
      x: { field: "x", type: "quantitative", title: options.xTitle ?? "x", axis: AXIS, scale: scale(frame?.x) },
      y: { field: "y", type: "quantitative", title: options.yTitle ?? "y", axis: AXIS, scale: scale(frame?.y) },
      ...(options.color ? { color: { field: "group", type: "nominal", title: null, scale: { domain: numeric ? groups.sort((a, b) => Number(a) - Number(b)) : groups } } } : {}),
    },
  };
}
