import type { ProgressPayload } from "../output-contract";

/**
 * A progress in one line, "KMeans: run 2, iteration 14 · distortion 1.2346e+5 · 3.1 s": the text/plain of a progress
 * display and the renderer's heading (pure, so the renderer bundles it).
 */
export function progressLine(p: ProgressPayload): string {
  const step = `${p.run ? `run ${p.run}, ` : ""}${p.of ? `step ${p.step} of ${p.of}` : `iteration ${p.step}`}`;
  const latest = p.objective?.values.at(-1);
  const objective = p.objective && latest !== undefined ? ` · ${p.objective.name} ${formatObjective(latest)}` : "";
  return `${p.task}: ${step}${objective} · ${(p.elapsedMs / 1000).toFixed(1)} s`;
}

function formatObjective(v: number): string {
  return Math.abs(v) >= 1e5 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(4) : v.toPrecision(6);
}
