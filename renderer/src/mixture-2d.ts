import { ellipsePoints, mixedColours, projectCovariance, responsibilities } from "../../kernel-lib/src/display/mixture-geometry";
import type { Mixture2DPayload, MixtureSnapshot } from "../../kernel-lib/src/output-contract";
import { linkedTrace } from "./linked-trace";
import { paddedExtent, plotFrame, svgNode } from "./plot-frame";
import { Scrubber, scrubber } from "./scrubber";
import { accessibleSummary, availableWidth, legend, themeColors, viewRoot, viewTitle } from "./theme";

const GAP = 12, MIN_PANEL = 240, MAX_SINGLE = 760;

/**
 * The EM homework's pictures in one output: points coloured by their responsibilities (mixed colours), each
 * component's 1σ/2σ/3σ ellipse (clipped to the plot) and mean (drawn on top), a legend, and either a scrubber
 * with a play button over every recorded iteration, linked to the log-likelihood trace under the plot, or small
 * multiples of chosen iterations side by side. Axis pickers when there are more than two features.
 */
export function renderMixture2D(element: HTMLElement, data: Mixture2DPayload): { dispose(): void; redraw(): void } {
  const root = viewRoot("mllab-mixture");
  const n = data.points.length / data.d;
  const panels = data.panels ?? [data.snapshots.length - 1];
  const scrubbed = !data.panels && data.snapshots.length > 1;
  const single = !data.panels && data.snapshots.length === 1;
  const title = data.title ?? (single ? `Gaussian mixture at iteration ${data.snapshots[0].iteration}` : "Gaussian mixture");
  root.append(viewTitle(title));

  const controls = document.createElement("div");
  controls.setAttribute("style", "display:flex;gap:8px 16px;align-items:center;flex-wrap:wrap;font-size:12px;");
  const pick = (initial: number, label: string) => {
    const select = document.createElement("select");
    select.setAttribute("aria-label", label);
    data.features.forEach((f, i) => select.append(new Option(f, String(i), false, i === initial)));
    return select;
  };
  const xSelect = pick(data.axes[0], "x axis"), ySelect = pick(data.axes[1], "y axis");
  const axesOf = (): [number, number] => [Number(xSelect.value), Number(ySelect.value)];
  let current = data.snapshots.length - 1;
  const llText = (s: MixtureSnapshot) => (s.logLikelihood === null ? "" : ` · ${data.logLikelihoodTitle ?? "log-likelihood"} ${s.logLikelihood.toPrecision(6)}`);
  let scrub: Scrubber | undefined;
  let trace: Awaited<ReturnType<typeof linkedTrace>> | undefined;
  if (scrubbed) {
    const last = data.snapshots[data.snapshots.length - 1].iteration;
    scrub = scrubber(data.snapshots.length, (i) => `iteration ${data.snapshots[i].iteration} of ${last}${llText(data.snapshots[i])}`, (i) => {
      current = i;
      draw();
      trace?.setCurrent(data.snapshots[i].iteration);
    });
    controls.append(scrub.element);
  }
  if (data.d > 2) {
    const axisPickers = document.createElement("span");
    axisPickers.setAttribute("style", "display:inline-flex;gap:6px;align-items:center;");
    axisPickers.append("x", xSelect, "y", ySelect);
    controls.append(axisPickers);
  }
  if (controls.childElementCount) root.append(controls);

  const grid = document.createElement("div");
  grid.className = "mllab-panels";
  grid.setAttribute("style", `display:flex;flex-wrap:wrap;gap:${GAP}px;`);
  const legendHolder = document.createElement("div");
  const traceHolder = document.createElement("div");
  traceHolder.setAttribute("style", "margin-top:6px;");
  const summary = accessibleSummary("");
  root.append(grid, legendHolder, traceHolder, summary);
  element.replaceChildren(root);

  const respCache = new Map<number, [number, number, number][]>();
  const coloursAt = (index: number): [number, number, number][] | undefined => {
    let colours = respCache.get(index);
    if (!colours) {
      const snap = data.snapshots[index];
      try {
        colours = mixedColours(responsibilities(data.points, data.d, snap), snap.weights.length, data.colors);
      } catch {
        return undefined; // a singular snapshot: draw its points in grey
      }
      respCache.set(index, colours);
    }
    return colours;
  };

  const drawPanel = (index: number, width: number, height: number, panelTitle?: string): HTMLElement => {
    const t = themeColors();
    const [a, b] = axesOf();
    const snap = data.snapshots[index];
    const panel = document.createElement("figure");
    panel.className = "mllab-panel";
    panel.setAttribute("style", `margin:0;width:${width}px;`);
    if (panelTitle) {
      const caption = document.createElement("figcaption");
      caption.className = "mllab-panel-title";
      caption.setAttribute("style", "font-size:12px;font-weight:600;text-align:center;margin-bottom:2px;");
      caption.textContent = panelTitle;
      panel.append(caption);
    }
    const xs = Array.from({ length: n }, (_, i) => data.points[i * data.d + a]);
    const ys = Array.from({ length: n }, (_, i) => data.points[i * data.d + b]);
    const frame = plotFrame({ width, height, x: paddedExtent(xs), y: paddedExtent(ys), xTitle: data.features[a], yTitle: data.features[b], theme: t, equalAspect: data.equalAspect });
    const box = document.createElement("div");
    box.setAttribute("style", `position:relative;width:${width}px;height:${height}px;`);
    const canvas = document.createElement("canvas");
    const { area } = frame;
    const ratio = window.devicePixelRatio || 1;
    canvas.width = Math.round(area.width * ratio);
    canvas.height = Math.round(area.height * ratio);
    canvas.setAttribute("style", `position:absolute;left:${area.left}px;top:${area.top}px;width:${area.width}px;height:${area.height}px;`);
    canvas.setAttribute("aria-hidden", "true");
    const ctx = canvas.getContext("2d")!;
    ctx.setTransform(ratio, 0, 0, ratio, -area.left * ratio, -area.top * ratio);
    const colours = coloursAt(index);
    const dense = n > 1000;
    const radius = dense ? 1.8 : 3;
    ctx.globalAlpha = dense ? 0.5 : 0.85;
    for (let i = 0; i < n; i++) {
      const c = colours?.[i] ?? [128, 128, 128];
      ctx.fillStyle = `rgb(${c[0]},${c[1]},${c[2]})`;
      ctx.beginPath();
      ctx.arc(frame.sx(xs[i]), frame.sy(ys[i]), radius, 0, 2 * Math.PI);
      ctx.fill();
    }
    // Ellipses and means in the SVG above the points: the 1σ ring and the means get a halo in the background
    // colour so they stay visible over thousands of points.
    snap.means.forEach((mean, c) => {
      const colour = data.colors[c % data.colors.length];
      for (const sigmas of [3, 2, 1]) {
        const path = ellipsePoints([mean[a], mean[b]], projectCovariance(snap.covariances[c], a, b), sigmas)
          .map(([ex, ey], s) => `${s ? "L" : "M"}${frame.sx(ex).toFixed(1)},${frame.sy(ey).toFixed(1)}`).join("") + "Z";
        if (sigmas === 1) frame.plot.append(svgNode("path", { d: path, fill: "none", stroke: t.background, "stroke-width": 5, "stroke-opacity": 0.85 }));
        frame.plot.append(svgNode("path", { d: path, fill: "none", stroke: colour, "stroke-width": sigmas === 1 ? 2.5 : 1.25, class: "mllab-ellipse", "data-sigmas": sigmas }));
      }
    });
    snap.means.forEach((mean, c) => {
      const colour = data.colors[c % data.colors.length];
      const [mx, my] = [frame.sx(mean[a]), frame.sy(mean[b])];
      const cross = `M${mx - 7},${my}H${mx + 7}M${mx},${my - 7}V${my + 7}`;
      frame.plot.append(svgNode("path", { d: cross, stroke: t.background, "stroke-width": 6, "stroke-linecap": "round" }));
      frame.plot.append(svgNode("path", { d: cross, stroke: colour, "stroke-width": 3, "stroke-linecap": "round", class: "mllab-mean" }));
    });
    box.append(canvas, frame.svg);
    panel.append(box);
    return panel;
  };

  const draw = () => {
    const width = availableWidth(root);
    const count = panels.length;
    const columns = Math.max(1, Math.min(count, Math.floor((width + GAP) / (MIN_PANEL + GAP))));
    const panelWidth = count === 1 ? Math.min(width, MAX_SINGLE) : Math.floor(Math.min((width - (columns - 1) * GAP) / columns, 420));
    const height = count === 1 ? Math.round(Math.max(260, Math.min(440, panelWidth * 0.62))) : Math.round(panelWidth * 0.9);
    const shown = scrubbed ? [current] : panels;
    grid.replaceChildren(...shown.map((i) => drawPanel(i, panelWidth, height, data.panels ? `iteration ${data.snapshots[i].iteration}` : undefined)));
    const snap = data.snapshots[shown[shown.length - 1]];
    legendHolder.replaceChildren(legend([
      ...snap.weights.map((w, c) => ({ label: `component ${c + 1} · weight ${w.toFixed(2)}`, colour: data.colors[c % data.colors.length], kind: "line" as const })),
      { label: "means", colour: themeColors().foreground, kind: "cross" },
    ]));
    const [a, b] = axesOf();
    const description = shown.map((index) => {
      const s = data.snapshots[index];
      return `Iteration ${s.iteration}: ` + s.means.map((m, c) => `component ${c + 1} weight ${s.weights[c].toFixed(2)}, mean (${m[a].toFixed(2)}, ${m[b].toFixed(2)})`).join("; ") + ".";
    }).join(" ");
    summary.textContent = `Gaussian mixture with ${snap.weights.length} components, ${n} of ${data.totalPoints} points, ${data.features[a]} against ${data.features[b]}, 1σ, 2σ and 3σ ellipses. ${description}`;
    grid.setAttribute("role", "img");
    grid.setAttribute("aria-label", summary.textContent);
  };

  let traceWidth = 0;
  const drawTrace = () => {
    const values = data.snapshots.flatMap((s) => (s.logLikelihood === null ? [] : [{ iteration: s.iteration, value: s.logLikelihood }]));
    if (!scrubbed || values.length < 2) return;
    const width = Math.min(availableWidth(root), MAX_SINGLE);
    if (Math.abs(width - traceWidth) < 8) return;
    traceWidth = width;
    trace?.dispose();
    void linkedTrace(traceHolder, values, data.logLikelihoodTitle ?? "log-likelihood", width, (iteration) => {
      const index = data.snapshots.findIndex((s) => s.iteration === iteration);
      if (index >= 0) scrub?.set(index);
    }).then((t) => {
      trace = t;
      t.setCurrent(data.snapshots[current].iteration);
    });
  };

  for (const select of [xSelect, ySelect]) select.addEventListener("input", draw);
  draw();
  drawTrace();
  let laidOut = availableWidth(root);
  const resize = new ResizeObserver(() => {
    const width = availableWidth(root);
    if (width === laidOut) return;
    laidOut = width;
    draw();
    drawTrace();
  });
  resize.observe(root);
  return {
    redraw: () => {
      draw();
      traceWidth = 0;
      drawTrace();
    },
    dispose: () => {
      resize.disconnect();
      scrub?.dispose();
      trace?.dispose();
    },
  };
}
