/**
 * The output contract between the kernel side (ml-lab's display builders, the kernel's static fallbacks) and the
 * notebook renderer: the MIME types, and the JSON payloads that ML Lab's own types carry.
 *
 * One place for each: the library builds these payloads, the kernel adds static pictures to them, the extension
 * declares the renderer's MIME types (`package.json`, checked against RENDERER_MIME_TYPES by a test) and the
 * renderer draws them. This module imports nothing, so the browser bundle, the extension host and the kernel can
 * all load it (`ml-lab/output-contract`).
 */

export const MIME = {
  text: "text/plain",
  html: "text/html",
  markdown: "text/markdown",
  latex: "text/latex",
  svg: "image/svg+xml",
  png: "image/png",
  jpeg: "image/jpeg",
  json: "application/json",
  vegaLite: "application/vnd.vegalite.v5+json",
  mixture: "application/vnd.mllab.mixture+json",
  images: "application/vnd.mllab.images+json",
  progress: "application/vnd.mllab.progress+json",
} as const;

export type MimeType = (typeof MIME)[keyof typeof MIME];

/**
 * A Jupyter-style MIME bundle: representations of one output, richest first by convention. An update with an empty
 * bundle removes the output it updates (a finished progress display); viewers that cannot remove it show nothing.
 */
export type MimeBundle = Record<string, unknown>;

/** How a bundle carries a MIME type's value, as Jupyter has it: JSON types as JSON, binary images as base64 text, the rest as text. */
export function mimeEncoding(mime: string): "json" | "base64" | "text" {
  if (mime === MIME.json || mime.endsWith("+json")) return "json";
  if (mime === MIME.png || mime === MIME.jpeg || mime === "image/gif") return "base64";
  return "text";
}

/** What the ML Lab notebook renderer draws: exactly the `mimeTypes` of its `notebookRenderer` contribution. */
export const RENDERER_MIME_TYPES = [MIME.mixture, MIME.images, MIME.vegaLite, MIME.progress] as const;

/** Distinct, colour-blind-friendly component colours (Okabe–Ito), used by the builders and the renderer alike. */
export const COMPONENT_COLORS = ["#E69F00", "#56B4E9", "#009E73", "#CC79A7", "#0072B2", "#D55E00", "#F0E442", "#999999"] as const;

/** application/vnd.mllab.images+json: images drawn as a grid with captions. */
export interface ImageGridPayload {
  version: 1;
  /** [height, width] of every image. */
  shape: [number, number];
  channels: 1 | 3;
  count: number;
  /** All pixels, image after image, row-major (RGB interleaved when channels is 3), one byte each, base64. */
  pixels: string;
  /**
   * A caption per image. A caption's first line is its headline (a label: "7", "rocket"); lines after a "\n" are
   * details ("n=812 · 94%").
   */
  captions?: string[];
  title?: string;
  /** Drawing scale in CSS pixels per image pixel. */
  scale?: number;
}

/** One recorded iteration of a Gaussian mixture fit (full d×d covariances whatever the fit's covariance type). */
export interface MixtureSnapshot {
  /** 0 is the initial parameters. */
  iteration: number;
  /** null where the fit recorded none (JSON has no NaN). */
  logLikelihood: number | null;
  weights: number[];
  means: number[][];
  covariances: number[][][];
}

/** application/vnd.mllab.mixture+json, kind "2d": points, ellipses and means at recorded iterations. */
export interface Mixture2DPayload {
  version: 1;
  kind: "2d";
  title?: string;
  /** Column names, d of them. */
  features: string[];
  /** The two columns drawn first. */
  axes: [number, number];
  d: number;
  /** The points shown (a seeded sample when the data is large), row-major, d per point. */
  points: number[];
  totalPoints: number;
  colors: string[];
  snapshots: MixtureSnapshot[];
  /**
   * Small multiples: indices into `snapshots` drawn side by side, each with its own title ("iteration 12"), as
   * matplotlib subplots would. Absent: one plot with a scrubber over every snapshot.
   */
  panels?: number[];
  /** One data unit is as long on both axes (matplotlib's `set_aspect("equal")`). */
  equalAspect?: boolean;
  /** What `logLikelihood` is, for the linked trace's axis: "log-likelihood" or "mean log-likelihood". */
  logLikelihoodTitle?: string;
}

export interface MixtureComponent1D {
  weight: number;
  mean: number;
  std: number;
}

/** application/vnd.mllab.mixture+json, kind "1d": a histogram with component and mixture densities. */
export interface Mixture1DPayload {
  version: 1;
  kind: "1d";
  title?: string;
  x: number[];
  components: MixtureComponent1D[];
  truth?: MixtureComponent1D[];
  colors: string[];
}

export type MixturePayload = Mixture1DPayload | Mixture2DPayload;

/** A vega-lite v5 specification (plain JSON). */
export type VegaLiteSpec = Record<string, unknown>;

/**
 * `usermeta.mllab` of a vega-lite spec: what the ML Lab renderer adds to the chart (other viewers ignore it).
 * logToggle: a log-scale checkbox for the sub-chart named TRACE_CHART_NAME; "value" puts the values on a log
 * scale (all positive), "gap" puts each run's distance to its best value there (log-likelihoods are negative).
 */
export interface ChartMeta {
  logToggle?: "value" | "gap";
  /** Whether the best value of a run is its smallest ("min", distortion) or largest ("max", log-likelihood). */
  goal?: "min" | "max";
}

/** The `name` of the (layered) sub-chart that holds a convergence trace, whose lines have y field "value". */
export const TRACE_CHART_NAME = "mllab-trace";

/**
 * application/vnd.mllab.progress+json: a long call's progress (a fit's iteration and objective), redrawn in place
 * while the call runs and removed when it returns. Its text/plain is the same in one line.
 */
export interface ProgressPayload {
  version: 1;
  /** What runs ("KMeans"). */
  task: string;
  /** Steps done (iterations of the current run). */
  step: number;
  /** The number of steps, when known in advance (a bar is drawn); absent for fits that stop when they converge. */
  of?: number;
  /** The current run, from 1, when the call makes several (nInit); absent for the first. */
  run?: number;
  /** The objective after each recorded step of the current run (thinned evenly on long runs), the latest last. */
  objective?: { name: string; values: number[] };
  elapsedMs: number;
}

/** The payload each ML Lab MIME type carries. */
export interface PayloadOf {
  [MIME.images]: ImageGridPayload;
  [MIME.mixture]: MixturePayload;
  [MIME.vegaLite]: VegaLiteSpec;
  [MIME.progress]: ProgressPayload;
}
