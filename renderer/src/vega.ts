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
export async function renderVegaLite(element: HTMLElement, spec: Spec, previous?: Rendered): Promise<Rendered> {
  const holder = document.createElement("div");
  holder.className = "mllab-vega";
  holder.setAttribute("role", "figure");
  const target = document.createElement("div");
  holder.append(target, accessibleSummary(describe(spec)));
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
  return { dispose: () => result.finalize() };
}
