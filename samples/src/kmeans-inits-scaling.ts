// %% [markdown]
// # k-means: initialisations, run-time scaling, and a classifier from many clusters
//
// Three questions from the clustering homework: does the starting point matter (random points, k-means++,
// farthest-first)? How does the run time grow with the number of points, in 2-D and in 100-D? And how well do
// many clusters classify MNIST digits when each cluster votes for its majority label?

// %% [markdown]
// ## 1. Three ways to start
//
// * **random**: $k$ distinct data points;
// * **k-means++**: the first centre at random, each next one drawn with probability proportional to its squared
//   distance $D(x)^2$ from the centres chosen so far (greedy: the best of $2 + \ln k$ draws);
// * **farthest-first**: each next centre is the point farthest from all chosen so far (outliers attract it).
//
// On two of the homework's synthetic sets: two noisy rings (`gen2`) and two blobs with a curved tail (`gen1`).
// The loss printed is the distortion $\sum_i \lVert x_i - c_{a(i)}\rVert^2$ after Lloyd's iterations, the mean over
// 20 seeds (one start each), so the comparison is not one lucky draw.

// %%
const rings = ml.Matrix.fromRows([...ml.gen2(100, 1 / 5, 2, 1).toArray(), ...ml.gen2(100, 1 / 4, 0, 2).toArray()]);
const tail = ml.gen1(100, 3).X;
const inits = ["random", "k-means++", "farthest"] as const;
const results: Record<string, string> = {};
for (const [name, X] of [["rings (gen2)", rings], ["blobs and tail (gen1)", tail]] as const) {
  for (const init of inits) {
    const losses = Array.from({ length: 20 }, (_, seed) => new ml.KMeans({ k: 3, init, nInit: 1, seed }).fit(X).inertia);
    results[`${name}, ${init}`] = `mean loss ${ml.mean(losses).toFixed(2)}, worst ${Math.max(...losses).toFixed(2)}`;
  }
}
Object.entries(results).map(([k, v]) => `${k.padEnd(34)} ${v}`).join("\n")

// %%
const tailFit = new ml.KMeans({ k: 3, init: "farthest", seed: 3 }).fit(tail);
tailFit

// %% [markdown]
// ## 2. Run time against the number of points
//
// Lloyd's iteration costs $O(n\,k\,d)$, so the time per iteration should grow linearly in $n$. We time fits of
// $k = 6$ on growing $n$ (powers of 1.6 from 300 up) in 2-D (rings, blobs and a tail) and in 100-D (`gen3`), and stop
// adding sizes once a size takes more than two seconds, so the cell finishes in well under a minute. The chart and
// the table grow as each size is measured. On a log–log chart a straight line of slope 1 means linear.

// %%
const timings: Record<string, { n: number; msPerIteration: number }[]> = { "2-D": [], "100-D": [] };
const scalingChart = () => ml.lineChart({
  series: Object.entries(timings).filter(([, rows]) => rows.length > 0).map(([name, rows]) => ({ name, x: rows.map((r) => r.n), values: rows.map((r) => r.msPerIteration) })),
  xScale: "log", yScale: "log", xTitle: "points n", yTitle: "ms per iteration", title: "k-means time per iteration (k = 6)",
});
let chart: ml.DisplayHandle | undefined;
/** Times fits of growing n; each size is drawn and printed as soon as it is measured. */
function timeFits(make: (n: number) => ml.Matrix, dims: string, budgetMs = 2000) {
  for (let n = 300; n < 3_000_000; n = Math.round(n * 1.6)) {
    const X = make(n);
    const started = performance.now();
    const km = new ml.KMeans({ k: 6, init: "random", nInit: 1, seed: 1, maxIter: 20 }).fit(X);
    const ms = performance.now() - started;
    const msPerIteration = ms / km.nIter;
    timings[dims].push({ n, msPerIteration });
    if (chart) chart.update(scalingChart());
    else chart = display.vegaLite(scalingChart());
    console.log(`${dims.padEnd(6)} n=${String(n).padStart(8)}  ${msPerIteration.toFixed(2).padStart(8)} ms/iteration  ${(1e6 * msPerIteration / n).toFixed(1)} ns per point`);
    if (ms > budgetMs) break;
  }
}
timeFits((n) => {
  const third = Math.max(1, Math.floor(n / 3));
  return ml.Matrix.fromRows([...ml.gen2(third, 1 / 5, 2, n).toArray(), ...ml.gen2(third, 1 / 4, 0, n + 1).toArray(), ...ml.gen1(Math.max(1, Math.floor(third / 3)), n + 2).X.toArray().map(([a, b]) => [a + 3, b + 3])]);
}, "2-D");
timeFits((n) => ml.gen3(n, 100, 10, 10, n).X, "100-D");

// %% [markdown]
// ## 3. A classifier from many clusters
//
// Cluster the training digits into many more clusters than classes, give each cluster the majority label of its
// digits, and classify a test digit by its nearest centroid. With 4,000 clusters on the full 60,000 MNIST digits the
// homework reached about 95% test accuracy. Here, with the 10,000 digits the `mnist` package ships (8,000 to train,
// 2,000 to test) and 200 clusters to keep the cell short:

// %%
const digits = ml.loadMnistPackage({ seed: 2 });
const nTrain = 8000;
const trainX = digits.images.selectRows(Array.from({ length: nTrain }, (_, i) => i));
const trainY = Array.from(digits.labels.subarray(0, nTrain));
const testX = digits.images.selectRows(Array.from({ length: digits.images.rows - nTrain }, (_, i) => i + nTrain));
const testY = Array.from(digits.labels.subarray(nTrain));
const many = new ml.KMeans({ k: 200, init: "k-means++", nInit: 1, seed: 2, maxIter: 15 }).fit(trainX);
const voter = ml.CentroidClassifier.fromKMeans(many, trainY);
const trainAccuracy = 1 - voter.errorRate(trainX, trainY);
const testAccuracy = 1 - voter.errorRate(testX, testY);
`200 clusters (${many.nIter} iterations): train accuracy ${(100 * trainAccuracy).toFixed(1)}%, test accuracy ${(100 * testAccuracy).toFixed(1)}%`

// %% [markdown]
// More clusters and more training digits push the accuracy up (the homework's 4,000 clusters on 60,000 digits),
// at a cost linear in both.
