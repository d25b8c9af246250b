import { progressLine } from "../../kernel-lib/src/display/progress-line";
import type { ProgressPayload } from "../../kernel-lib/src/output-contract";
import { svgNode } from "./plot-frame";
import { accessibleSummary, availableWidth, themeColors, viewRoot } from "./theme";

const TRACE_WIDTH = 320, TRACE_HEIGHT = 36;

/**
 * A long call's live progress: one line (task, run, iteration, objective, time), a bar when the number of steps is
 * known, and the objective so far as a small trace. Redrawn whole on each update: it is a handful of elements.
 */
export function renderProgress(element: HTMLElement, data: ProgressPayload): { dispose(): void; redraw(): void } {
  const root = viewRoot("mllab-progress");
  root.setAttribute("role", "status");
  element.replaceChildren(root);

  const draw = () => {
    const t = themeColors();
    const line = document.createElement("div");
    line.className = "mllab-progress-line";
    line.setAttribute("style", `font-size:12px;line-height:18px;color:${t.foreground};overflow-wrap:anywhere;`);
    const task = document.createElement("strong");
    task.textContent = data.task;
    line.append(task, progressLine(data).slice(data.task.length));
    const parts: Element[] = [line];
    if (data.of) {
      const bar = document.createElement("div");
      bar.className = "mllab-progress-bar";
      bar.setAttribute("style", `height:4px;margin:4px 0;background:${t.grid};max-width:${TRACE_WIDTH}px;`);
      const done = document.createElement("div");
      done.setAttribute("style", `height:100%;width:${Math.min(100, (100 * data.step) / data.of).toFixed(1)}%;background:${t.accent};`);
      bar.append(done);
      parts.push(bar);
    }
    const values = data.objective?.values ?? [];
    if (values.length >= 2) parts.push(trace(values, Math.min(TRACE_WIDTH, availableWidth(root)), t.accent));
    root.replaceChildren(...parts, accessibleSummary(progressLine(data)));
  };
  draw();
  return { dispose() {}, redraw: draw };
}

/** The objective per recorded step, scaled to its own range (the shape says whether the fit is still moving). */
function trace(values: number[], width: number, colour: string): SVGSVGElement {
  const svg = svgNode("svg", { width, height: TRACE_HEIGHT, viewBox: `0 0 ${width} ${TRACE_HEIGHT}`, class: "mllab-progress-trace", "aria-hidden": "true" });
  svg.style.display = "block";
  let lo = Infinity, hi = -Infinity;
  for (const v of values) if (Number.isFinite(v)) [lo, hi] = [Math.min(lo, v), Math.max(hi, v)];
  if (!(hi >= lo)) return svg;
  const pad = 3, span = hi - lo || 1;
  const x = (i: number) => pad + ((width - 2 * pad) * i) / (values.length - 1);
  const y = (v: number) => pad + (TRACE_HEIGHT - 2 * pad) * (1 - (v - lo) / span);
  const points = values.map((v, i) => (Number.isFinite(v) ? `${x(i).toFixed(1)},${y(v).toFixed(1)}` : "")).filter(Boolean).join(" ");
  svg.append(svgNode("polyline", { points, fill: "none", stroke: colour, "stroke-width": 1.5, "stroke-linejoin": "round" }));
  const last = values.length - 1;
  if (Number.isFinite(values[last])) svg.append(svgNode("circle", { cx: x(last), cy: y(values[last]), r: 2.5, fill: colour }));
  return svg;
}
