import embed, { Result } from "vega-embed";
import { themedSpec } from "./vega";

/**
 * The log-likelihood per iteration under a mixture view, linked to its scrubber: the current iteration is marked,
 * and a click on the chart moves the scrubber there. Drawn by vega-embed like every other chart.
 */
export async function linkedTrace(holder: HTMLElement, values: { iteration: number; value: number }[], yTitle: string, width: number, onPick: (iteration: number) => void): Promise<{ setCurrent(iteration: number): void; dispose(): void }> {
  const spec = {
    $schema: "https://vega.github.io/schema/vega-lite/v5.json",
    width: Math.max(120, width - 90),
    height: 80,
    data: { values },
    params: [{ name: "current", value: values[values.length - 1]?.iteration ?? 0 }],
    layer: [
      {
        mark: { type: "line", strokeWidth: 1.5 },
        encoding: {
          x: { field: "iteration", type: "quantitative", title: "iteration", axis: { tickMinStep: 1, labelOverlap: "greedy", labelFlush: true } },
          y: { field: "value", type: "quantitative", title: yTitle, scale: { zero: false }, axis: { tickCount: 3, labelOverlap: "greedy", titleFontSize: 10 } },
        },
      },
      {
        mark: { type: "point", filled: true, size: 14, tooltip: true },
        encoding: { x: { field: "iteration", type: "quantitative" }, y: { field: "value", type: "quantitative" } },
      },
      {
        transform: [{ filter: "datum.iteration === current" }],
        mark: { type: "point", filled: true, size: 70, color: "#d62728" },
        encoding: { x: { field: "iteration", type: "quantitative" }, y: { field: "value", type: "quantitative" } },
      },
      {
        transform: [{ filter: "datum.iteration === current" }],
        mark: { type: "rule", color: "#d62728", strokeDash: [3, 3] },
        encoding: { x: { field: "iteration", type: "quantitative" } },
      },
    ],
  };
  const target = document.createElement("div");
  target.className = "mllab-linked-trace";
  target.setAttribute("style", "display:block;width:fit-content;max-width:100%;cursor:pointer;");
  // Drawn off-screen, then swapped in: the output never shrinks and grows back while the trace is redrawn.
  const result: Result = await embed(target, themedSpec(spec) as never, { renderer: "svg", actions: false });
  holder.replaceChildren(target);
  result.view.addEventListener("click", (_event, item) => {
    const iteration = (item?.datum as { iteration?: unknown } | undefined)?.iteration;
    if (typeof iteration === "number") onPick(iteration);
  });
  return {
    setCurrent: (iteration) => void result.view.signal("current", iteration).runAsync(),
    dispose: () => result.finalize(),
  };
}
