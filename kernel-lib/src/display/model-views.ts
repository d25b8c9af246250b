/**
 * What the library's fitted models and results look like as a cell's value. The models know nothing of this:
 * they expose their data (traces, runs, parameters), and this module turns it into MIME bundles.
 */
import { KMeans } from "../cluster/kmeans";
import { Matrix } from "../linalg/matrix";
import { GaussianMixture } from "../mixture/gaussian-mixture";
import { EMResult } from "../mixture/steps";
import { COMPONENT_COLORS, MIME, MimeBundle, VegaLiteSpec } from "../output-contract";
import { Random } from "../random/rng";
import { convergenceChart, equalAspectFrame, Series, VEGA_LITE_SCHEMA } from "./charts";

/** Points drawn in a model's value view at most (a seeded sample beyond that). */
const MAX_POINTS = 5000;

function withoutTopLevel(spec: VegaLiteSpec): VegaLiteSpec {
  const { $schema: _schema, usermeta: _meta, ...rest } = spec;
  return rest;
}

/**
 * A fitted KMeans: on 2-D data, the clusters with their centroids (equal aspect) beside the distortion per
 * iteration; otherwise the distortion per iteration of every run, the best one on top.
 */
export function kmeansBundle(km: KMeans): MimeBundle {
  const summary = km.toString();
  if (!km.isFitted) return { [MIME.text]: summary };
  const runs = km.runs;
  const best = runs.reduce((b, r, i) => (r.inertia < runs[b].inertia ? i : b), 0);
  const series: Series[] = runs.map((r, i) => ({ name: runs.length === 1 ? "distortion" : `run ${r.run + 1}${i === best ? " (best)" : ""}`, values: r.trace.map((s) => s.inertia) }));
  const convergedAt = km.converged ? km.nIter : undefined;
  const { data } = km;
  if (data?.cols !== 2) {
    const spec = convergenceChart({ series, best, goal: "min", yTitle: "distortion (inertia)", title: summary, convergedAt });
    return { [MIME.vegaLite]: spec, [MIME.text]: summary };
  }
  const trace = convergenceChart({ series, best, goal: "min", yTitle: "distortion (inertia)", title: "distortion per iteration", convergedAt, width: 280, height: 220 });
  const spec: VegaLiteSpec = {
    $schema: VEGA_LITE_SCHEMA,
    title: summary,
    hconcat: [clusterScatter(data, km.labels, km.centroids), withoutTopLevel(trace)],
    resolve: { scale: { color: "independent" } },
    usermeta: trace.usermeta,
  };
  return { [MIME.vegaLite]: spec, [MIME.text]: `${summary}\ncentroids: ${km.centroids.toArray().map((c) => `(${c.map((v) => v.toPrecision(4)).join(", ")})`).join(" ")}` };
}

/** 2-D points coloured by cluster, centroids as crosses, one data unit as long on both axes (as the k-means homework plots it). */
function clusterScatter(x: Matrix, labels: Int32Array, centroids: Matrix): VegaLiteSpec {
  const rows = x.rows <= MAX_POINTS ? Array.from({ length: x.rows }, (_, i) => i) : Array.from(new Random(0).choice(x.rows, MAX_POINTS, { replace: false })).sort((a, b) => a - b);
  const name = (c: number) => `cluster ${c + 1}`;
  const points = rows.map((i) => ({ x: x.get(i, 0), y: x.get(i, 1), cluster: name(labels[i]) }));
  const centres = Array.from({ length: centroids.rows }, (_, c) => ({ x: centroids.get(c, 0), y: centroids.get(c, 1), cluster: name(c), label: `centroid ${c + 1}: (${centroids.get(c, 0).toPrecision(4)}, ${centroids.get(c, 1).toPrecision(4)})` }));
  const width = 300;
  const frame = equalAspectFrame([...points.map((p) => p.x), ...centres.map((p) => p.x)], [...points.map((p) => p.y), ...centres.map((p) => p.y)], width, 320);
  const domain = Array.from({ length: centroids.rows }, (_, c) => name(c));
  const colour = { field: "cluster", type: "nominal", title: null, scale: { domain, range: domain.map((_, c) => COMPONENT_COLORS[c % COMPONENT_COLORS.length]) } };
  const scale = (d: [number, number]) => ({ domain: d, zero: false, nice: false });
  return {
    title: "clusters and centroids",
    width,
    height: frame.height,
    layer: [
      {
        data: { values: points },
        mark: { type: "circle", size: points.length > 1000 ? 8 : 20, opacity: points.length > 1000 ? 0.45 : 0.7, clip: true },
        encoding: {
          x: { field: "x", type: "quantitative", title: "x1", scale: scale(frame.x), axis: { labelOverlap: "greedy", labelFlush: true } },
          y: { field: "y", type: "quantitative", title: "x2", scale: scale(frame.y), axis: { labelOverlap: "greedy", labelFlush: true } },
          color: { ...colour, legend: domain.length <= 12 ? { orient: "bottom", columns: 4 } : null },
        },
      },
      {
        data: { values: centres },
        // Dark crosses with a white halo stand out on every cluster colour and on light and dark themes.
        mark: { type: "point", shape: "cross", size: 320, filled: true, fill: "#222222", stroke: "white", strokeWidth: 1.5, clip: true },
        encoding: { x: { field: "x", type: "quantitative" }, y: { field: "y", type: "quantitative" }, tooltip: { field: "label" } },
      },
    ],
  };
}

/** A fitted GaussianMixture: mean log-likelihood per iteration of every run, the best one on top. */
export function gaussianMixtureBundle(gm: GaussianMixture): MimeBundle {
  const summary = gm.toString();
  if (!gm.isFitted) return { [MIME.text]: summary };
  const runs = gm.runs;
  const best = runs.reduce((b, r, i) => (r.lowerBound > runs[b].lowerBound ? i : b), 0);
  const series = runs.map((r, i) => ({ name: runs.length === 1 ? "mean log-likelihood" : `run ${r.run + 1}${i === best ? " (best)" : ""}`, values: r.trace.map((s) => s.logLikelihood) }));
  const spec = convergenceChart({ series, best, goal: "max", yTitle: "mean log-likelihood", title: summary, convergedAt: gm.converged ? gm.nIter : undefined });
  return { [MIME.vegaLite]: spec, [MIME.text]: summary };
}

/** EM()'s result (the EM homework's function): its log-likelihood from the initial parameters on. */
export function emResultBundle(result: EMResult): MimeBundle {
  const { loglik } = result;
  const summary = `EM: ${result.nIter} iterations, log-likelihood ${loglik[loglik.length - 1].toPrecision(6)}, ${result.converged ? "converged" : "not converged"}`;
  const spec = convergenceChart({ series: [{ name: "log-likelihood", values: loglik, x: loglik.map((_, i) => i) }], goal: "max", yTitle: "log-likelihood", title: summary });
  return { [MIME.vegaLite]: spec, [MIME.text]: summary };
}

export function isEMResult(value: unknown): value is EMResult {
  const v = value as Partial<EMResult> | null;
  return typeof v === "object" && v !== null && Array.isArray(v.loglik) && Array.isArray(v.snapshots) && v.resp instanceof Matrix && typeof v.nIter === "number";
}
