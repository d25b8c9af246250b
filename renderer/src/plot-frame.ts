import { scale as vegaScale } from "vega";
import { ThemeColors } from "./theme";

const SVG_NS = "http://www.w3.org/2000/svg";
const TICK_FONT = 11, TITLE_FONT = 12;
let clipIds = 0;

export function svgNode<K extends keyof SVGElementTagNameMap>(tag: K, attributes: Record<string, string | number> = {}): SVGElementTagNameMap[K] {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attributes)) node.setAttribute(k, String(v));
  return node;
}

let measurer: CanvasRenderingContext2D | undefined;
function textWidth(text: string, font: string): number {
  measurer ??= document.createElement("canvas").getContext("2d")!;
  measurer.font = font;
  return measurer.measureText(text).width;
}

export interface PlotFrame {
  svg: SVGSVGElement;
  /** Everything drawn here is clipped to the plot area. */
  plot: SVGGElement;
  /** The plot area in the frame's pixels. */
  area: { left: number; top: number; width: number; height: number };
  sx(v: number): number;
  sy(v: number): number;
}

/**
 * An SVG frame with axes: ticks and their labels from vega's scales (nice steps, formatted as d3 formats them),
 * a left margin as wide as the widest y label so the y title never sits on a label, and a clipped plot area so
 * nothing drawn inside (ellipses, curves) runs over the labels.
 */
export function plotFrame(options: { width: number; height: number; x: [number, number]; y: [number, number]; xTitle: string; yTitle: string; theme: ThemeColors; equalAspect?: boolean }): PlotFrame {
  const { width, height, theme } = options;
  const tickFont = `${TICK_FONT}px ${theme.fontFamily}`;
  const right = 12, top = 8, bottom = TICK_FONT + TITLE_FONT + 20;
  let domains = { x: options.x, y: options.y };
  let xs = vegaScale("linear")(), ys = vegaScale("linear")();
  let yTicks: number[] = [], yLabels: string[] = [];
  let area = { left: 0, top, width: 0, height: 0 };
  // The left margin depends on the y labels, which (with equal aspect) depend on the plot area: settle in two passes.
  for (let pass = 0; pass < (options.equalAspect ? 2 : 1); pass++) {
    ys = vegaScale("linear")().domain(domains.y);
    if (!options.equalAspect) ys.nice();
    yTicks = ys.ticks(Math.max(2, Math.round(height / 50)));
    const yFormat = ys.tickFormat(yTicks.length);
    yLabels = yTicks.map((t) => yFormat(t) as string);
    const labelWidth = Math.max(0, ...yLabels.map((l) => textWidth(l, tickFont)));
    const left = Math.ceil(TITLE_FONT + 8 + labelWidth + 8);
    area = { left, top, width: Math.max(40, width - left - right), height: Math.max(40, height - top - bottom) };
    if (options.equalAspect) domains = equalAspect(options.x, options.y, area.width, area.height);
  }
  if (options.equalAspect) {
    ys = vegaScale("linear")().domain(domains.y);
    yTicks = ys.ticks(Math.max(2, Math.round(height / 50)));
    const yFormat = ys.tickFormat(yTicks.length);
    yLabels = yTicks.map((t) => yFormat(t) as string);
  }
  xs = vegaScale("linear")().domain(domains.x);
  if (!options.equalAspect) xs.nice();
  xs.range([area.left, area.left + area.width]);
  ys.range([area.top + area.height, area.top]);
  const svg = svgNode("svg", { width, height, viewBox: `0 0 ${width} ${height}`, role: "presentation" });
  svg.style.display = "block";
  svg.style.overflow = "hidden";
  const axes = svgNode("g", { class: "mllab-axes", "font-family": theme.fontFamily, "font-size": TICK_FONT, fill: theme.muted });
  const xTicks: number[] = xs.ticks(Math.max(2, Math.round(area.width / 80)));
  const xFormat = xs.tickFormat(xTicks.length);
  // Labels at the ends are flush with the plot's edges (as vega's labelFlush), so the first x label never runs
  // into the lowest y label at the corner, and no label sticks out of the frame.
  for (const t of xTicks) {
    const px = xs(t), text = xFormat(t) as string, half = textWidth(text, tickFont) / 2;
    const anchor = px - half < area.left ? "start" : px + half > area.left + area.width ? "end" : "middle";
    axes.append(svgNode("line", { x1: px, x2: px, y1: area.top, y2: area.top + area.height, stroke: theme.grid, "stroke-width": 1 }));
    const label = svgNode("text", { x: px, y: area.top + area.height + TICK_FONT + 4, "text-anchor": anchor, class: "mllab-tick mllab-tick-x" });
    label.textContent = text;
    axes.append(label);
  }
  yTicks.forEach((t, i) => {
    const py = ys(t);
    const baseline = py + TICK_FONT / 2 > area.top + area.height ? py - 2 : py - TICK_FONT / 2 < area.top ? py + TICK_FONT - 1 : py + TICK_FONT / 2 - 1;
    axes.append(svgNode("line", { x1: area.left, x2: area.left + area.width, y1: py, y2: py, stroke: theme.grid, "stroke-width": 1 }));
    const label = svgNode("text", { x: area.left - 6, y: baseline, "text-anchor": "end", class: "mllab-tick mllab-tick-y" });
    label.textContent = yLabels[i];
    axes.append(label);
  });
  axes.append(svgNode("rect", { x: area.left, y: area.top, width: area.width, height: area.height, fill: "none", stroke: theme.grid }));
  const xTitle = svgNode("text", { x: area.left + area.width / 2, y: height - 6, "text-anchor": "middle", "font-size": TITLE_FONT, fill: theme.foreground, class: "mllab-axis-title mllab-axis-title-x" });
  xTitle.textContent = options.xTitle;
  const yTitle = svgNode("text", { transform: `translate(${TITLE_FONT}, ${area.top + area.height / 2}) rotate(-90)`, "text-anchor": "middle", "font-size": TITLE_FONT, fill: theme.foreground, class: "mllab-axis-title mllab-axis-title-y" });
  yTitle.textContent = options.yTitle;
  axes.append(xTitle, yTitle);
  const id = `mllab-clip-${++clipIds}`;
  const defs = svgNode("defs");
  const clip = svgNode("clipPath", { id });
  clip.append(svgNode("rect", { x: area.left, y: area.top, width: area.width, height: area.height }));
  defs.append(clip);
  const plot = svgNode("g", { "clip-path": `url(#${id})`, class: "mllab-plot" });
  svg.append(defs, axes, plot);
  return { svg, plot, area, sx: (v) => xs(v), sy: (v) => ys(v) };
}

/** Domains with `pad` of their span added on each side. */
export function paddedExtent(values: ArrayLike<number>, pad = 0.04): [number, number] {
  let lo = Infinity, hi = -Infinity;
  for (let i = 0; i < values.length; i++) {
    if (values[i] < lo) lo = values[i];
    if (values[i] > hi) hi = values[i];
  }
  if (!(lo <= hi)) return [0, 1];
  const m = (hi - lo || Math.abs(hi) || 1) * pad;
  return [lo - m, hi + m];
}

/** Widens one of two domains so a data unit is as long on both axes of a plot area `width`×`height`. */
export function equalAspect(x: [number, number], y: [number, number], width: number, height: number): { x: [number, number]; y: [number, number] } {
  const ux = (x[1] - x[0]) / width, uy = (y[1] - y[0]) / height;
  if (ux > uy) {
    const half = (ux * height) / 2, mid = (y[0] + y[1]) / 2;
    return { x, y: [mid - half, mid + half] };
  }
  const half = (uy * width) / 2, mid = (x[0] + x[1]) / 2;
  return { x: [mid - half, mid + half], y };
}
