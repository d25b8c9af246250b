import { convergenceChart, Series } from "./charts";
import { display } from "./display";
import { MIME } from "./mime";

export interface LiveConvergence {
  /** Adds the next objective value of `run` (default 0) and redraws the chart in place. */
  push(value: number, run?: number): void;
  readonly values: number[][];
}

/**
 * A convergence chart that grows while a fit runs: pass `push` to onIteration, e.g.
 * `const live = ml.liveConvergence({ yTitle: "distortion" }); new ml.KMeans({ k, onIteration: (s) => live.push(s.inertia, s.run) }).fit(X)`.
 */
export function liveConvergence(options: { yTitle: string; title?: string; runName?: (run: number) => string }): LiveConvergence {
  const values: number[][] = [];
  const name = options.runName ?? ((run: number) => `run ${run + 1}`);
  const bundle = () => {
    const series: Series[] = values.map((v, run) => ({ name: name(run), values: v }));
    const last = values.flat().at(-1);
    const text = `${options.title ?? options.yTitle}: ${values.reduce((n, v) => n + v.length, 0)} iterations${last === undefined ? "" : `, latest ${last.toPrecision(6)}`}`;
    return { [MIME.vegaLite]: convergenceChart({ series, yTitle: options.yTitle, title: options.title }), [MIME.text]: text };
  };
  const handle = display.mime(bundle());
  return {
    values,
    push(value: number, run = 0) {
      (values[run] ??= []).push(value);
      handle.updateMime(bundle());
    },
  };
}
