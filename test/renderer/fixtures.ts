import * as ml from "../../kernel-lib/src";
import type { ProgressPayload } from "../../kernel-lib/src/output-contract";

/** Renderer inputs made by the real kernel-side builders, so the tests exercise the output contract end to end. */
export function makeFixtures() {
  // The EM homework: 100 points from three components, EM from three data points and the data covariance (its
  // first ellipses are far wider than the data, so they must be clipped).
  const { X } = ml.generateMoGData(100, [[5, 0], [1, 1], [0, 5]], [[[0.5, 0], [0, 0.5]], [[0.92, 0.38], [0.38, 0.91]], [[0.5, 0], [0, 0.5]]], [0.25, 0.5, 0.25], 4);
  const start = X.selectRows([3, 40, 77]);
  const cov = ml.covariance(X);
  const em = ml.EM(X, start, [cov, cov, cov], [1 / 3, 1 / 3, 1 / 3]);
  const mixture2d = ml.mixtureView(X, em, { title: "EM on 100 points" });
  const initialOnly = ml.mixtureView(X, [em.snapshots[0]], { title: "iteration 0" });
  const multiples = ml.mixtureView(X, em, { panels: [0, 12, em.nIter], title: "initial, 12 iterations, final" });
  // HW6: 3 × 1,000 points, where the means and 1σ ellipses must stay visible over the points.
  const blobs = ml.generateBlobs([1000, 1000, 1000], [[4, 0], [6, 6], [0, 4]], undefined, 66);
  const gm = new ml.GaussianMixture({ k: 3, init: "random", seed: 3, tol: 1e-6, maxIter: 200 }).fit(blobs.X);
  const dense = ml.mixtureView(blobs.X, gm, { title: "EM on 3 × 1,000 points", equalAspect: true });
  // Three features (mean R, G, B), so the axis pickers appear.
  const rgb = ml.generateBlobs([60, 60, 60, 60], [[0.7, 0.4, 0.2], [0.3, 0.5, 0.3], [0.4, 0.5, 0.7], [0.2, 0.3, 0.25]], Array.from({ length: 4 }, () => [[0.004, 0, 0], [0, 0.004, 0], [0, 0, 0.004]]), 2).X;
  const gm3 = new ml.GaussianMixture({ k: 4, seed: 0 }).fit(rgb);
  const mixture3d = ml.mixtureView(rgb, gm3, { features: ["red", "green", "blue"], axes: [0, 2] });
  // Lab 3: 1-D.
  const truth = { pi: 0.3, mu: [1.3, -1.8] as [number, number], sigma: [0.7, 1.5] as [number, number] };
  const { x } = ml.generateTwoGaussians1D(5000, truth, 1);
  const fit = ml.fitTwoGaussians1D(x, { init: { pi: 0.5, mu: [1, -1], sigma: [1, 1] } });
  const mixture1d = ml.mixtureView1D(x, [{ weight: 1 - fit.pi, mean: fit.mu[0], std: fit.sigma[0] }, { weight: fit.pi, mean: fit.mu[1], std: fit.sigma[1] }], {
    truth: [{ weight: 0.7, mean: 1.3, std: 0.7 }, { weight: 0.3, mean: -1.8, std: 1.5 }],
    title: "EM's components against the truth (dashed)",
  });
  // MNIST k-means: centroids as images with their inferred labels, and 4,000 digits for speed.
  const digits = ml.loadMnistPackage({ perDigit: 400, seed: 1 });
  const km = new ml.KMeans({ k: 16, seed: 3, maxIter: 20 }).fit(digits.images);
  const clf = ml.CentroidClassifier.fromKMeans(km, Array.from(digits.labels));
  const centroids = ml.centroidImages(km.centroids, clf.centroidLabels, clf.clusterSizes, clf.clusterPurity, { title: "16 centroids with their inferred labels" });
  const many = ml.imageGrid(digits.images, { captions: Array.from(digits.labels, String) });
  // Photo-like RGB tiles with word captions (the EM homework's image half), 32 of them.
  const tiles = ml.generateBlobs([8, 8, 8, 8], [[0.8, 0.3, 0.2], [0.1, 0.1, 0.3], [0.5, 0.35, 0.2], [0.6, 0.6, 0.55]], undefined, 9).X;
  const tileImages = ml.Matrix.fromRows(tiles.toArray().map((c) => Array.from({ length: 1200 }, (_, p) => Math.min(1, Math.max(0, c[p % 3] + 0.1 * Math.sin(p / 21))))));
  const photoTiles = ml.imageGrid(tileImages, { channels: 3, shape: [20, 20], range: [0, 1], captions: ["rocket", "deep field", "coffee", "cat"].flatMap((p) => Array(8).fill(p)), title: "eight tiles from each photo" });
  // Convergence charts: one k-means run on MNIST (wide data), ten runs (the legend and colours), a 2-D k-means as
  // its cell value (clusters, centroids and trace), a GMM's mean log-likelihood and EM's log-likelihood (negative).
  const convergence = ml.mimeBundleOf(km);
  const olive = ml.generateBlobs([200, 200, 200], [[0, 0], [3, 3], [0, 4]], undefined, 12).X;
  const wide = ml.generateBlobs([200, 200, 200, 200], [[0, 0, 0], [3, 3, 0], [0, 4, 1], [4, 0, 2]], undefined, 5).X;
  const tenRuns = ml.mimeBundleOf(new ml.KMeans({ k: 3, init: "random", nInit: 10, seed: 12345 }).fit(wide));
  const kmeans2d = ml.mimeBundleOf(new ml.KMeans({ k: 3, seed: 0 }).fit(olive));
  const emTrace = ml.mimeBundleOf(em);
  const gmTrace = ml.mimeBundleOf(new ml.GaussianMixture({ k: 3, nInit: 5, seed: 7 }).fit(blobs.X));
  // The scaling chart: time per iteration against n on log–log axes.
  const ns = Array.from({ length: 16 }, (_, i) => Math.round(300 * 1.6 ** i));
  const logLog = ml.lineChart({ series: [{ name: "2-D", x: ns, values: ns.map((n) => n * 1.2e-5) }, { name: "100-D", x: ns.slice(0, 12), values: ns.slice(0, 12).map((n) => n * 3e-4) }], xScale: "log", yScale: "log", xTitle: "points n", yTitle: "ms per iteration", title: "k-means time per iteration (k = 6)" });
  const big = ml.generateBlobs([5000, 5000], [[0, 0], [4, 4]], undefined, 5).X;
  const scatter = ml.scatterChart({ x: big.column(0), y: big.column(1), title: "10,000 points" });
  // RGB swatches (mean colours as 2×2 images): pure red, green, blue.
  const rgbImages = ml.imageGrid([[1, 0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 0], [0, 1, 0, 0, 1, 0, 0, 1, 0, 0, 1, 0], [0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 0, 1]], { shape: [2, 2], channels: 3, range: [0, 1] });
  // Live progress of a long fit (its second run, 38 iterations in) and of a call with a known number of steps.
  const distortions = Array.from({ length: 38 }, (_, i) => 2.4e6 * (1 + 3 * Math.exp(-i / 5)));
  const fitProgress: ProgressPayload = { version: 1, task: "KMeans", step: 38, run: 2, objective: { name: "distortion", values: distortions }, elapsedMs: 4210 };
  const stepsProgress: ProgressPayload = { version: 1, task: "gradient descent", step: 30, of: 120, objective: { name: "gradient norm", values: [] }, elapsedMs: 900 };
  // The w261 HW6 homework's cubic on [−6, 6] with its extrema labelled: two of them sit at the ends of the interval.
  const f = (x: number) => x ** 3 - 12 * x ** 2 - 6;
  const df = (x: number) => 3 * x ** 2 - 24 * x;
  const d2f = (x: number) => 6 * x - 24;
  const extrema = ml.criticalPoints(f, [-6, 6], { df, d2f });
  const functionPlot = ml.functionPlot({
    functions: [{ name: "f(x)", f }, { name: "f′(x)", f: df }, { name: "f″(x)", f: d2f }],
    interval: [-6, 6],
    points: extrema.map((p) => ({ x: p.x, y: p.fx, label: `${p.kind} (${p.x.toFixed(0)}, ${p.fx.toFixed(0)})` })),
    title: "f, its first and second derivatives, and the extrema on [−6, 6]",
  });
  return { functionPlot, fitProgress, stepsProgress, mixture2d, initialOnly, multiples, dense, mixture3d, mixture1d, centroids, many, photoTiles, convergence, tenRuns, kmeans2d, emTrace, gmTrace, logLog, scatter, em, rgbImages };
}
