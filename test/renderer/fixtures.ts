import * as ml from "../../kernel-lib/src";

/** Renderer inputs made by the real kernel-side builders, so the tests exercise the schemas end to end. */
export function makeFixtures() {
  // Seed 001: 100 points from three components, EM from three data points and the data covariance.
  const { X } = ml.generateMoGData(100, [[5, 0], [1, 1], [0, 5]], [[[0.5, 0], [0, 0.5]], [[0.92, 0.38], [0.38, 0.91]], [[0.5, 0], [0, 0.5]]], [0.25, 0.5, 0.25], 4);
  const start = X.selectRows([3, 40, 77]);
  const cov = ml.covariance(X);
  const em = ml.EM(X, start, [cov, cov, cov], [1 / 3, 1 / 3, 1 / 3]);
  const mixture2d = ml.mixtureView(X, em, { title: "seed 001" });
  // Three features (mean R, G, B), so the axis pickers appear.
  const rgb = ml.generateBlobs([60, 60, 60, 60], [[0.7, 0.4, 0.2], [0.3, 0.5, 0.3], [0.4, 0.5, 0.7], [0.2, 0.3, 0.25]], Array.from({ length: 4 }, () => [[0.004, 0, 0], [0, 0.004, 0], [0, 0, 0.004]]), 2).X;
  const gm = new ml.GaussianMixture({ k: 4, seed: 0 }).fit(rgb);
  const mixture3d = ml.mixtureView(rgb, gm, { features: ["red", "green", "blue"], axes: [0, 2] });
  // Seed 002: 1-D.
  const truth = { pi: 0.3, mu: [1.3, -1.8] as [number, number], sigma: [0.7, 1.5] as [number, number] };
  const { x } = ml.generateTwoGaussians1D(5000, truth, 1);
  const fit = ml.fitTwoGaussians1D(x, { init: { pi: 0.5, mu: [1, -1], sigma: [1, 1] } });
  const mixture1d = ml.mixtureView1D(x, [{ weight: 1 - fit.pi, mean: fit.mu[0], std: fit.sigma[0] }, { weight: fit.pi, mean: fit.mu[1], std: fit.sigma[1] }], {
    truth: [{ weight: 0.7, mean: 1.3, std: 0.7 }, { weight: 0.3, mean: -1.8, std: 1.5 }],
  });
  // Seed 003: centroids as images, and 4,000 digits for speed.
  const digits = ml.loadMnistPackage({ perDigit: 400, seed: 1 });
  const km = new ml.KMeans({ k: 16, seed: 3, maxIter: 20 }).fit(digits.images);
  const clf = ml.CentroidClassifier.fromKMeans(km, Array.from(digits.labels));
  const centroids = ml.imageGrid(km.centroids, { captions: clf.centroidLabels.map((l, c) => `${l} (n=${clf.clusterSizes[c]})`), title: "16 centroids" });
  const many = ml.imageGrid(digits.images, { captions: Array.from(digits.labels, String) });
  // A convergence chart (vega-lite) and a 10,000-point scatter.
  const convergence = km.toMimeBundle();
  const big = ml.generateBlobs([5000, 5000], [[0, 0], [4, 4]], undefined, 5).X;
  const scatter = ml.scatterChart({ x: big.column(0), y: big.column(1), title: "10,000 points" });
  // RGB swatches (seed 001's mean-colour features as 2×2 images): pure red, green, blue.
  const rgbImages = ml.imageGrid([[1, 0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 0], [0, 1, 0, 0, 1, 0, 0, 1, 0, 0, 1, 0], [0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 0, 1]], { shape: [2, 2], channels: 3, range: [0, 1] });
  return { mixture2d, mixture3d, mixture1d, centroids, many, convergence, scatter, em, rgbImages };
}
