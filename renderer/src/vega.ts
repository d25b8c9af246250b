import embed, { Result } from "vega-embed";
import { ChartMeta, TRACE_CHART_NAME } from "../../kernel-lib/src/output-contract";
import { accessibleSummary, themeColors, viewRoot } from "./theme";

export interface Rendered {
  dispose(): void;
}

type Spec = Record<string, unknown>;

/** The spec with the VS Code theme's colours and font on axes, legends, titles and text. */
export function themedSpec(spec: Spec): Spec {
  const t = themeColors();
  const axis = { labelColor: t.muted, titleColor: t.foreground, gridColor: t.grid, domainColor: t.grid, tickColor: t.grid, labelFont: t.fontFamily, titleFont: t.fontFamily };
  const config = (spec.config as Spec) ?? {};
  return {
    ...spec,
    background: "transparent",
    config: {
      ...config,
      font: t.fontFamily,
      axis: { ...axis, ...(config.axis as Spec) },
      legend: { labelColor: t.foreground, titleColor: t.foreground, labelLimit: 220, ...(config.legend as Spec) },
      title: { color: t.foreground, subtitleColor: t.muted, anchor: "start", ...(config.title as Spec) },
      view: { stroke: t.grid, ...(config.view as Spec) },
      text: { color: t.foreground, ...(config.text as Spec) },
    },
  };
}

function describe(spec: Spec): string {
  const title = typeof spec.title === "string" ? spec.title : (spec.title as Spec | undefined)?.text;
  const values = ((spec.data as Spec | undefined)?.values as unknown[] | undefined)?.length;
  return `Chart${title ? `: ${title}` : ""}${values ? ` (${values} data points)` : ""}. Use the … menu to export it as SVG or PNG.`;
}

/**
 * The spec with its convergence trace (the sub-chart named TRACE_CHART_NAME) on a log scale: the values
 * themselves when they are all positive (a distortion), otherwise each run's distance to its best value (a
 * log-likelihood is negative, and what matters is how fast it closes in on its optimum).
 */
export function withLogTrace(spec: Spec, meta: ChartMeta): Spec {
  const visit = (node: Spec): Spec => {
    if (node.name === TRACE_CHART_NAME && Array.isArray(node.layer)) return { ...node, layer: (node.layer as Spec[]).map(logLayer) };
    const out: Spec = { ...node };
    for (const key of ["layer", "hconcat", "vconcat", "concat"]) if (Array.isArray(node[key])) out[key] = (node[key] as Spec[]).map(visit);
    return out;
  };
  const logLayer = (layer: Spec): Spec => {
    const encoding = layer.encoding as Spec | undefined;
    const y = encoding?.y as Spec | undefined;
    if (!y || y.field !== "value") return layer;
    if (meta.logToggle === "value") return { ...layer, encoding: { ...encoding, y: { ...y, scale: { ...(y.scale as Spec), type: "log" } } } };
    const best = meta.goal === "max" ? "max" : "min";
    const transform = [
      { joinaggregate: [{ op: best, field: "value", as: "best" }], groupby: ["series"] },
      { calculate: best === "max" ? "datum.best - datum.value" : "datum.value - datum.best", as: "gap" },
      { filter: "datum.gap > 0" },
      ...((layer.transform as unknown[] | undefined) ?? []),
    ];
    return { ...layer, transform, encoding: { ...encoding, y: { ...y, field: "gap", title: `distance to the best ${String(y.title ?? "value")} (log)`, scale: { type: "log" } } } };
  };
  return visit(spec);
}

const logScale = new WeakMap<HTMLElement, boolean>();

/**
 * Draws a vega-lite spec with vega-embed (export to SVG/PNG in its menu). A re-render (live update, theme change)
 * draws off-screen first and swaps, so the output never flashes empty. The chart is a block exactly as tall as
 * its picture (no inline-block line gap), and is scaled down to the output's width when wider.
 */
export async function renderVegaLite(element: HTMLElement, original: Spec, previous?: Rendered): Promise<Rendered> {
  const meta = ((original.usermeta as Spec | undefined)?.mllab as ChartMeta | undefined) ?? {};
  const wantsToggle = meta.logToggle !== undefined;
  const spec = wantsToggle && logScale.get(element) ? withLogTrace(original, meta) : original;
  const holder = viewRoot("mllab-vega");
  holder.setAttribute("role", "figure");
  const target = document.createElement("div");
  target.setAttribute("style", "display:block;width:fit-content;max-width:100%;");
  holder.append(target, accessibleSummary(describe(spec)));
  if (wantsToggle) {
    // Convergence traces drop fast, then creep: a log scale shows both phases.
    const label = document.createElement("label");
    label.setAttribute("style", "font-size:12px;display:inline-flex;gap:4px;align-items:center;margin-bottom:4px;");
    const box = Object.assign(document.createElement("input"), { type: "checkbox", checked: logScale.get(element) ?? false });
    box.addEventListener("change", () => {
      logScale.set(element, box.checked);
      void renderVegaLite(element, original, current);
    });
    label.append(box, meta.logToggle === "gap" ? "log scale (distance to the best value)" : "log scale");
    holder.prepend(label);
  }
  // The canvas renderer keeps 10,000+ points interactive; vega-embed still exports SVG from its menu.
  const values = ((spec.data as Spec | undefined)?.values as unknown[] | undefined)?.length ?? 0;
  let result: Result;
  try {
    result = await embed(target, themedSpec(spec) as never, {
      renderer: values > 5000 ? "canvas" : "svg",
      actions: { export: true, source: false, compiled: false, editor: false },
      downloadFileName: "chart",
    });
  } catch (e) {
    const error = document.createElement("pre");
    error.textContent = `Could not draw this vega-lite chart: ${(e as Error).message}`;
    element.replaceChildren(error);
    previous?.dispose();
    return { dispose() {} };
  }
  const picture = target.querySelector("svg, canvas") as HTMLElement | null;
  if (picture) {
    // Keep the aspect when the output is narrower than the chart: scale the picture, never overflow.
    picture.style.maxWidth = "100%";
    picture.style.height = "auto";
    picture.style.display = "block";
  }
  element.replaceChildren(holder);
  previous?.dispose();
  const current: Rendered = { dispose: () => result.finalize() };
  return current;
}
