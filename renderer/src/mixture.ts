import { ellipseAxes, normalPdf, responsibilities, Snapshot } from "./gaussian";
import { accessibleSummary, themeColors } from "./theme";

export interface Mixture2D {
  version: 1;
  kind: "2d";
  title?: string;
  features: string[];
  axes: [number, number];
  d: number;
  points: number[];
  totalPoints: number;
  colors: string[];
  snapshots: Snapshot[];
}

export interface Mixture1D {
  version: 1;
  kind: "1d";
  title?: string;
  x: number[];
  components: { weight: number; mean: number; std: number }[];
  truth?: { weight: number; mean: number; std: number }[];
  colors: string[];
}

const HEIGHT = 360, PAD = 44;

function rgb(hex: string): [number, number, number] {
  return [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)) as [number, number, number];
}

function niceTicks(lo: number, hi: number, count = 6): number[] {
  const step = Math.pow(10, Math.floor(Math.log10((hi - lo) / count || 1)));
  const err = (hi - lo) / count / step;
  const s = step * (err >= 7.5 ? 10 : err >= 3.5 ? 5 : err >= 1.5 ? 2 : 1);
  const out: number[] = [];
  for (let t = Math.ceil(lo / s) * s; t <= hi + 1e-9 * s; t += s) out.push(Number(t.toPrecision(12)));
  return out;
}

function frame(canvas: HTMLCanvasElement, width: number) {
  const ratio = window.devicePixelRatio || 1;
  canvas.width = Math.round(width * ratio);
  canvas.height = Math.round(HEIGHT * ratio);
  canvas.style.width = `${width}px`;
  canvas.style.height = `${HEIGHT}px`;
  const ctx = canvas.getContext("2d")!;
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  return ctx;
}

function axes(ctx: CanvasRenderingContext2D, width: number, x: [number, number], y: [number, number], labels: [string, string]) {
  const t = themeColors();
  const sx = (v: number) => PAD + ((v - x[0]) / (x[1] - x[0])) * (width - PAD - 12);
  const sy = (v: number) => HEIGHT - PAD + -((v - y[0]) / (y[1] - y[0])) * (HEIGHT - PAD - 12);
  ctx.strokeStyle = t.grid;
  ctx.fillStyle = t.foreground;
  ctx.font = "11px sans-serif";
  ctx.lineWidth = 1;
  for (const v of niceTicks(x[0], x[1])) {
    ctx.beginPath();
    ctx.moveTo(sx(v), 12);
    ctx.lineTo(sx(v), HEIGHT - PAD);
    ctx.stroke();
    ctx.fillText(String(v), sx(v) - 8, HEIGHT - PAD + 14);
  }
  for (const v of niceTicks(y[0], y[1])) {
    ctx.beginPath();
    ctx.moveTo(PAD, sy(v));
    ctx.lineTo(width - 12, sy(v));
    ctx.stroke();
    ctx.fillText(String(v), 4, sy(v) + 4);
  }
  ctx.fillText(labels[0], width / 2 - 20, HEIGHT - 8);
  ctx.save();
  ctx.translate(12, HEIGHT / 2 + 20);
  ctx.rotate(-Math.PI / 2);
  ctx.fillText(labels[1], 0, 0);
  ctx.restore();
  return { sx, sy };
}

function range(values: number[], pad = 0.05): [number, number] {
  let lo = Infinity, hi = -Infinity;
  for (const v of values) [lo, hi] = [Math.min(lo, v), Math.max(hi, v)];
  const m = (hi - lo || 1) * pad;
  return [lo - m, hi + m];
}

/**
 * Seed 001's pictures in one output: points coloured by their responsibilities (mixed colours), each component's
 * 1σ/2σ/3σ ellipse and mean, a scrubber over the recorded iterations, and the two features on the axes.
 */
export function renderMixture2D(element: HTMLElement, data: Mixture2D): { dispose(): void; redraw(): void } {
  const root = document.createElement("div");
  root.className = "mllab-mixture";
  const controls = document.createElement("div");
  controls.setAttribute("style", "display:flex;gap:12px;align-items:center;flex-wrap:wrap;margin:4px 0;font:12px sans-serif");
  const slider = Object.assign(document.createElement("input"), { type: "range", min: "0", max: String(data.snapshots.length - 1), value: String(data.snapshots.length - 1) });
  slider.setAttribute("aria-label", "iteration");
  const status = document.createElement("span");
  const pick = (initial: number, label: string) => {
    const select = document.createElement("select");
    select.setAttribute("aria-label", label);
    data.features.forEach((f, i) => select.append(new Option(f, String(i), false, i === initial)));
    return select;
  };
  const xSelect = pick(data.axes[0], "x axis"), ySelect = pick(data.axes[1], "y axis");
  controls.append("iteration", slider, status);
  if (data.d > 2) controls.append("x:", xSelect, "y:", ySelect);
  const canvas = document.createElement("canvas");
  canvas.setAttribute("role", "img");
  const summary = accessibleSummary("");
  root.append(controls, canvas, summary);
  if (data.title) root.prepend(Object.assign(document.createElement("div"), { textContent: data.title }));
  element.replaceChildren(root);
  const n = data.points.length / data.d;
  const palette = data.colors.map(rgb);
  const respCache = new Map<number, Float64Array>();

  const draw = () => {
    const index = Number(slider.value), snap = data.snapshots[index];
    const a = Number(xSelect.value), b = Number(ySelect.value);
    const width = Math.max(320, Math.min(element.clientWidth || 560, 720));
    const ctx = frame(canvas, width);
    const xs = Array.from({ length: n }, (_, i) => data.points[i * data.d + a]);
    const ys = Array.from({ length: n }, (_, i) => data.points[i * data.d + b]);
    const { sx, sy } = axes(ctx, width, range(xs), range(ys), [data.features[a], data.features[b]]);
    let resp = respCache.get(index);
    if (!resp) respCache.set(index, (resp = responsibilities(data.points, data.d, snap)));
    const k = snap.weights.length;
    for (let i = 0; i < n; i++) {
      const c = [0, 1, 2].map((ch) => Math.round(palette.reduce((s, p, j) => (j < k ? s + resp![i * k + j] * p[ch] : s), 0)));
      ctx.fillStyle = `rgb(${c[0]},${c[1]},${c[2]})`;
      ctx.beginPath();
      ctx.arc(sx(xs[i]), sy(ys[i]), 2.5, 0, 2 * Math.PI);
      ctx.fill();
    }
    snap.means.forEach((mean, c) => {
      const cov = snap.covariances[c];
      const colour = data.colors[c % data.colors.length];
      // Ellipse in data units, drawn in a frame scaled to the axes so non-square scales stay correct.
      const { rx, ry, angle } = ellipseAxes([[cov[a][a], cov[a][b]], [cov[b][a], cov[b][b]]]);
      ctx.strokeStyle = colour;
      for (const sigmas of [1, 2, 3]) {
        ctx.lineWidth = sigmas === 1 ? 2 : 1;
        ctx.beginPath();
        for (let s = 0; s <= 72; s++) {
          const t = (2 * Math.PI * s) / 72;
          const ex = rx * sigmas * Math.cos(t), ey = ry * sigmas * Math.sin(t);
          const px = sx(mean[a] + ex * Math.cos(angle) - ey * Math.sin(angle));
          const py = sy(mean[b] + ex * Math.sin(angle) + ey * Math.cos(angle));
          if (s === 0) ctx.moveTo(px, py);
          else ctx.lineTo(px, py);
        }
        ctx.stroke();
      }
      ctx.fillStyle = colour;
      ctx.fillRect(sx(mean[a]) - 5, sy(mean[b]) - 1.5, 10, 3);
      ctx.fillRect(sx(mean[a]) - 1.5, sy(mean[b]) - 5, 3, 10);
    });
    const ll = snap.logLikelihood === null || snap.logLikelihood === undefined ? "" : `, log-likelihood ${Number(snap.logLikelihood).toPrecision(6)}`;
    status.textContent = `${snap.iteration} of ${data.snapshots[data.snapshots.length - 1].iteration}${ll}`;
    const description = `Gaussian mixture with ${k} components at iteration ${snap.iteration}, ${n} of ${data.totalPoints} points, ${data.features[a]} against ${data.features[b]}. ` +
      snap.means.map((m, c) => `Component ${c + 1}: weight ${snap.weights[c].toFixed(2)}, mean (${m[a].toFixed(2)}, ${m[b].toFixed(2)}).`).join(" ");
    canvas.setAttribute("aria-label", description);
    summary.textContent = description;
  };
  for (const control of [slider, xSelect, ySelect]) control.addEventListener("input", draw);
  draw();
  const resize = new ResizeObserver(() => draw());
  resize.observe(element);
  return { redraw: draw, dispose: () => resize.disconnect() };
}

/** Seed 002's picture: histogram, weighted component pdfs, the mixture pdf, estimated (solid) and true (dashed) means. */
export function renderMixture1D(element: HTMLElement, data: Mixture1D): { dispose(): void; redraw(): void } {
  const canvas = document.createElement("canvas");
  canvas.setAttribute("role", "img");
  const summary = accessibleSummary("");
  element.replaceChildren(canvas, summary);
  const draw = () => {
    const width = Math.max(320, Math.min(element.clientWidth || 560, 720));
    const ctx = frame(canvas, width);
    const [lo, hi] = range(data.x, 0.02);
    const bins = 60, counts = new Array<number>(bins).fill(0), w = (hi - lo) / bins;
    for (const v of data.x) counts[Math.min(bins - 1, Math.floor((v - lo) / w))]++;
    const density = counts.map((c) => c / (data.x.length * w));
    const grid = Array.from({ length: 240 }, (_, i) => lo + ((hi - lo) * i) / 239);
    const curves = data.components.map((c) => grid.map((g) => c.weight * normalPdf(g, c.mean, c.std)));
    const total = grid.map((_, i) => curves.reduce((s, curve) => s + curve[i], 0));
    const top = Math.max(...density, ...total) * 1.08;
    const { sx, sy } = axes(ctx, width, [lo, hi], [0, top], ["x", "density"]);
    const t = themeColors();
    ctx.fillStyle = t.kind === "light" ? "rgba(120,120,120,0.35)" : "rgba(200,200,200,0.3)";
    density.forEach((dv, i) => ctx.fillRect(sx(lo + i * w), sy(dv), sx(lo + (i + 1) * w) - sx(lo + i * w) - 1, sy(0) - sy(dv)));
    const line = (ys: number[], colour: string, dash: number[], widthPx: number) => {
      ctx.strokeStyle = colour;
      ctx.lineWidth = widthPx;
      ctx.setLineDash(dash);
      ctx.beginPath();
      ys.forEach((y, i) => (i ? ctx.lineTo(sx(grid[i]), sy(y)) : ctx.moveTo(sx(grid[i]), sy(y))));
      ctx.stroke();
    };
    curves.forEach((curve, c) => line(curve, data.colors[c % data.colors.length], [6, 3], 2));
    line(total, t.foreground, [], 2);
    const rule = (x: number, colour: string, dash: number[]) => {
      ctx.strokeStyle = colour;
      ctx.setLineDash(dash);
      ctx.lineWidth = 1.5;
      ctx.beginPath();
      ctx.moveTo(sx(x), sy(0));
      ctx.lineTo(sx(x), sy(top));
      ctx.stroke();
    };
    data.components.forEach((c, i) => rule(c.mean, data.colors[i % data.colors.length], []));
    (data.truth ?? []).forEach((c) => rule(c.mean, t.foreground, [3, 3]));
    ctx.setLineDash([]);
    const text = data.components.map((c, i) => `component ${i}: weight ${c.weight.toFixed(2)}, mean ${c.mean.toFixed(2)}, std ${c.std.toFixed(2)}${data.truth?.[i] ? ` (true mean ${data.truth[i].mean.toFixed(2)})` : ""}`).join("; ");
    canvas.setAttribute("aria-label", `Histogram of ${data.x.length} values with a ${data.components.length}-component Gaussian mixture: ${text}`);
    summary.textContent = canvas.getAttribute("aria-label");
  };
  draw();
  const resize = new ResizeObserver(() => draw());
  resize.observe(element);
  return { redraw: draw, dispose: () => resize.disconnect() };
}
