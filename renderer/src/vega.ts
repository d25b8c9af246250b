import embed, { Result } from "vega-embed";
import { accessibleSummary, themeColors } from "./theme";

export interface Rendered {
  dispose(): void;
}

type Spec = Record<string, unknown>;

function themed(spec: Spec): Spec {
  const t = themeColors();
  const axis = { labelColor: t.foreground, titleColor: t.foreground, gridColor: t.grid, domainColor: t.grid, tickColor: t.grid };
  const config = (spec.config as Spec) ?? {};
  return {
    ...spec,
    background: "transparent",
    config: {
      ...config,
      axis: { ...axis, ...(config.axis as Spec) },
      legend: { labelColor: t.foreground, titleColor: t.foreground, ...(config.legend as Spec) },
      title: { color: t.foreground, ...(config.title as Spec) },
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
 * Draws a vega-lite spec with vega-embed (export to SVG/PNG in its menu). A re-render (live update, theme change)
 * draws off-screen first and swaps, so the output never flashes empty.
 */
/** Sets every quantitative y scale of a (layered) spec to log or linear. */
function withYScale(spec: Spec, type: "log" | "linear"): Spec {
  const layers = (spec.layer as Spec[] | undefined)?.map((layer) => {
    const encoding = layer.encoding as Spec | undefined;
    const y = encoding?.y as Spec | undefined;
    if (!y || y.type !== "quantitative" || !y.title) return layer;
    return { ...layer, encoding: { ...encoding, y: { ...y, scale: { ...(y.scale as Spec), type } } } };
  });
  return layers ? { ...spec, layer: layers } : spec;
}

const logScale = new WeakMap<HTMLElement, boolean>();

export async function renderVegaLite(element: HTMLElement, original: Spec, previous?: Rendered): Promise<Rendered> {
  const wantsToggle = Boolean(((original.usermeta as Spec | undefined)?.mllab as Spec | undefined)?.logToggle);
  const spec = wantsToggle && logScale.get(element) ? withYScale(original, "log") : original;
  const holder = document.createElement("div");
  holder.className = "mllab-vega";
  holder.setAttribute("role", "figure");
  const target = document.createElement("div");
  holder.append(target, accessibleSummary(describe(spec)));
  if (wantsToggle) {
    // Convergence traces drop fast, then creep: a log scale shows both phases.
    const label = document.createElement("label");
    label.setAttribute("style", "font:12px sans-serif;display:inline-flex;gap:4px;align-items:center");
    const box = Object.assign(document.createElement("input"), { type: "checkbox", checked: logScale.get(element) ?? false });
    box.addEventListener("change", () => {
      logScale.set(element, box.checked);
      void renderVegaLite(element, original, current);
    });
    label.append(box, "log scale");
    holder.prepend(label);
  }
  // The canvas renderer keeps 10,000+ points interactive; vega-embed still exports SVG from its menu.
  const values = ((spec.data as Spec | undefined)?.values as unknown[] | undefined)?.length ?? 0;
  let result: Result;
  try {
    result = await embed(target, themed(spec) as never, {
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
  element.replaceChildren(holder);
  previous?.dispose();
  const current: Rendered = { dispose: () => result.finalize() };
  return current;
}
