import { normalPdf } from "../../kernel-lib/src/stats/density";
import type { Mixture1DPayload } from "../../kernel-lib/src/output-contract";
import { paddedExtent, plotFrame, svgNode } from "./plot-frame";
import { accessibleSummary, availableWidth, LegendItem, legend, themeColors, viewRoot, viewTitle } from "./theme";

const MAX_WIDTH = 760, BINS = 60;

/**
 * The Lab 3 picture: histogram of the data, each weighted component pdf (dashed), the mixture pdf (solid), the
 * estimated means (solid rules) and the true ones (dashed rules), with a title and a legend saying which is which.
 */
export function renderMixture1D(element: HTMLElement, data: Mixture1DPayload): { dispose(): void; redraw(): void } {
  const root = viewRoot("mllab-mixture-1d");
  const figure = document.createElement("div");
  const legendHolder = document.createElement("div");
  const summary = accessibleSummary("");
  root.append(viewTitle(data.title ?? "Gaussian mixture in 1-D"), figure, legendHolder, summary);
  element.replaceChildren(root);

  const [lo, hi] = paddedExtent(data.x, 0.02);
  const w = (hi - lo) / BINS;
  const counts = new Array<number>(BINS).fill(0);
  for (const v of data.x) counts[Math.min(BINS - 1, Math.max(0, Math.floor((v - lo) / w)))]++;
  const density = counts.map((c) => c / (data.x.length * w));
  const grid = Array.from({ length: 240 }, (_, i) => lo + ((hi - lo) * i) / 239);
  const curves = data.components.map((c) => grid.map((g) => c.weight * normalPdf(g, c.mean, c.std)));
  const total = grid.map((_, i) => curves.reduce((s, curve) => s + curve[i], 0));
  const top = Math.max(...density, ...total) * 1.05;
  const colour = (i: number) => data.colors[i % data.colors.length];

  const draw = () => {
    const t = themeColors();
    const width = Math.min(availableWidth(root), MAX_WIDTH);
    const height = Math.round(Math.max(240, Math.min(380, width * 0.5)));
    const frame = plotFrame({ width, height, x: [lo, hi], y: [0, top], xTitle: "x", yTitle: "density", theme: t });
    const { sx, sy, plot } = frame;
    density.forEach((d, i) => {
      const x0 = sx(lo + i * w), x1 = sx(lo + (i + 1) * w);
      plot.append(svgNode("rect", { x: x0, y: sy(d), width: Math.max(0.5, x1 - x0 - 1), height: sy(0) - sy(d), fill: t.muted, "fill-opacity": 0.35, class: "mllab-bar" }));
    });
    const path = (ys: number[]) => ys.map((y, i) => `${i ? "L" : "M"}${sx(grid[i]).toFixed(1)},${sy(y).toFixed(1)}`).join("");
    curves.forEach((curve, c) => plot.append(svgNode("path", { d: path(curve), fill: "none", stroke: colour(c), "stroke-width": 2, "stroke-dasharray": "6 3", class: "mllab-component" })));
    plot.append(svgNode("path", { d: path(total), fill: "none", stroke: t.foreground, "stroke-width": 2, class: "mllab-mixture-pdf" }));
    const rule = (x: number, stroke: string, dashed: boolean, cls: string) =>
      plot.append(svgNode("line", { x1: sx(x), x2: sx(x), y1: sy(0), y2: sy(top), stroke, "stroke-width": 1.5, ...(dashed ? { "stroke-dasharray": "3 3" } : {}), class: cls }));
    data.components.forEach((c, i) => rule(c.mean, colour(i), false, "mllab-estimated-mean"));
    (data.truth ?? []).forEach((c) => rule(c.mean, t.foreground, true, "mllab-true-mean"));
    figure.replaceChildren(frame.svg);
    const items: LegendItem[] = [
      { label: "data (histogram)", colour: t.muted, kind: "box" },
      ...data.components.map((c, i) => ({ label: `component ${i} · weight ${c.weight.toFixed(2)}`, colour: colour(i), kind: "dashed" as const })),
      { label: "mixture", colour: t.foreground, kind: "line" },
      { label: "estimated means (solid)", colour: colour(0), kind: "line" },
      ...(data.truth ? [{ label: "true means (dashed)", colour: t.foreground, kind: "dashed" as const }] : []),
    ];
    legendHolder.replaceChildren(legend(items));
    const text = data.components.map((c, i) => `component ${i}: weight ${c.weight.toFixed(2)}, mean ${c.mean.toFixed(2)}, std ${c.std.toFixed(2)}${data.truth?.[i] ? ` (true mean ${data.truth[i].mean.toFixed(2)})` : ""}`).join("; ");
    summary.textContent = `Histogram of ${data.x.length} values with a ${data.components.length}-component Gaussian mixture: ${text}`;
    frame.svg.setAttribute("role", "img");
    frame.svg.setAttribute("aria-label", summary.textContent);
  };
  draw();
  let laidOut = availableWidth(root);
  const resize = new ResizeObserver(() => {
    if (availableWidth(root) === laidOut) return;
    laidOut = availableWidth(root);
    draw();
  });
  resize.observe(root);
  return { redraw: draw, dispose: () => resize.disconnect() };
}
