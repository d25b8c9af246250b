/**
 * vega-lite v5 specs (plain JSON, no vega dependency here) for the charts the samples need. The kernel renders
 * them to static SVG; the notebook renderer draws them interactively with vega-embed.
 */
export type VegaLiteSpec = Record<string, unknown>;

export interface Series {
  name: string;
  /** y values at x = 1, 2, … unless `x` is given. */
  values: ArrayLike<number>;
  x?: ArrayLike<number>;
}

const SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json";

function rows(series: Series[], xName: string, yName: string): Record<string, number | string | null>[] {
  return series.flatMap((s) =>
    Array.from(s.values, (v, i) => ({ series: s.name, [xName]: s.x ? s.x[i] : i + 1, [yName]: Number.isFinite(v) ? v : null })),
  );
}

/** Objective per iteration, one line per run, with the converged iteration of the first series marked. */
export function convergenceChart(options: {
  series: Series[];
  yTitle: string;
  title?: string;
  logScale?: boolean;
  convergedAt?: number;
}): VegaLiteSpec {
  const data = rows(options.series, "iteration", "value");
  const layers: Record<string, unknown>[] = [
    {
      mark: { type: "line", point: true, tooltip: true },
      encoding: {
        x: { field: "iteration", type: "quantitative", title: "iteration", axis: { tickMinStep: 1 } },
        y: { field: "value", type: "quantitative", title: options.yTitle, scale: { type: options.logScale ? "log" : "linear", zero: false } },
        color: { field: "series", type: "nominal", title: null, legend: options.series.length > 1 ? {} : null },
      },
    },
  ];
  if (options.convergedAt !== undefined) {
    layers.push({
      data: { values: [{ iteration: options.convergedAt, label: `converged (${options.convergedAt})` }] },
      mark: { type: "rule", strokeDash: [4, 4] },
      encoding: { x: { field: "iteration", type: "quantitative" }, tooltip: { field: "label" } },
    });
  }
  // usermeta asks the ML Lab renderer for a log-scale toggle (other vega-lite viewers ignore it).
  return { $schema: SCHEMA, title: options.title, width: 420, height: 240, data: { values: data }, layer: layers, usermeta: { mllab: { logToggle: true } } };
}

/** One line per parameter across iterations (HW6's intercept and slope per gradient-descent step). */
export function parameterTraceChart(options: { trace: ArrayLike<ArrayLike<number>>; names: string[]; title?: string; truth?: number[] }): VegaLiteSpec {
  const series: Series[] = options.names.map((name, j) => ({ name, values: Array.from(options.trace, (p) => p[j]) }));
  const spec = convergenceChart({ series, yTitle: "value", title: options.title ?? "parameters per iteration" });
  const layers = spec.layer as Record<string, unknown>[];
  if (options.truth) {
    layers.push({
      data: { values: options.names.map((name, j) => ({ series: name, value: options.truth![j], label: `true ${name} = ${options.truth![j]}` })) },
      mark: { type: "rule", strokeDash: [2, 4] },
      encoding: { y: { field: "value", type: "quantitative" }, color: { field: "series", type: "nominal" }, tooltip: { field: "label" } },
    });
  }
  return { ...spec, usermeta: undefined };
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

/** Several y series over shared x values (e.g. f, f′, f″), with optional labelled points. */
export function lineChart(options: {
  series: Series[];
  xTitle?: string;
  yTitle?: string;
  title?: string;
  points?: { x: number; y: number; label: string }[];
}): VegaLiteSpec {
  const layers: Record<string, unknown>[] = [
    {
      mark: { type: "line", tooltip: true },
      encoding: {
        x: { field: "x", type: "quantitative", title: options.xTitle ?? "x" },
        y: { field: "y", type: "quantitative", title: options.yTitle ?? "y" },
        color: { field: "series", type: "nominal", title: null },
      },
    },
  ];
  if (options.points?.length) {
    layers.push(
      { data: { values: options.points }, mark: { type: "point", filled: true, size: 80, color: "#d62728", tooltip: true }, encoding: { x: { field: "x", type: "quantitative" }, y: { field: "y", type: "quantitative" } } },
      { data: { values: options.points }, mark: { type: "text", dy: -12, fontSize: 11 }, encoding: { x: { field: "x", type: "quantitative" }, y: { field: "y", type: "quantitative" }, text: { field: "label" } } },
    );
  }
  return { $schema: SCHEMA, title: options.title, width: 420, height: 260, data: { values: rows(options.series, "x", "y") }, layer: layers };
}

/** A scatter plot of two columns, coloured by a label when given. */
export function scatterChart(options: {
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  color?: ArrayLike<number | string>;
  xTitle?: string;
  yTitle?: string;
  title?: string;
}): VegaLiteSpec {
  const values = Array.from(options.x, (x, i) => ({ x, y: options.y[i], ...(options.color ? { group: String(options.color[i]) } : {}) }));
  return {
    $schema: SCHEMA,
    title: options.title,
    width: 360,
    height: 300,
    data: { values },
    mark: { type: "circle", opacity: 0.6, tooltip: true },
    encoding: {
      x: { field: "x", type: "quantitative", title: options.xTitle ?? "x", scale: { zero: false } },
      y: { field: "y", type: "quantitative", title: options.yTitle ?? "y", scale: { zero: false } },
      ...(options.color ? { color: { field: "group", type: "nominal", title: null } } : {}),
    },
  };
}
