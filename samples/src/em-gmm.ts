// %% [markdown]
// # Expectation–maximisation for Gaussian mixtures
//
// A Gaussian mixture says each point $x_i \in \mathbb{R}^d$ was drawn by first picking a component $k$ with
// probability $\pi_k$ and then sampling from $\mathcal{N}(\mu_k, \Sigma_k)$. EM fits $\pi$, $\mu$ and $\Sigma$ by
// alternating two easy steps: guess how much each component is *responsible* for each point, then refit each
// component to the points weighted by those responsibilities. This notebook builds the algorithm one function at a
// time, checks each function against known values, runs it on synthetic data and watches it converge.
//
// `ml` (the ML Lab library) and `display` are available in every cell.

// %% [markdown]
// ## 1. Log-likelihood
//
// The quantity EM climbs is
// $$\ell(\theta) = \sum_{i=1}^{n} \log \sum_{k=1}^{K} \pi_k\, \mathcal{N}(x_i \mid \mu_k, \Sigma_k).$$
// Densities of far-away points underflow to 0, so the inner sum is computed in log space with the log-sum-exp trick
// $\log \sum_k e^{z_k} = m + \log \sum_k e^{z_k - m}$, $m = \max_k z_k$.

// %%
const checkWeights = [0.3, 0.7];
const checkMeans = [[0, 0], [1, 1]];
const checkCovariances = [[[1.5, 0], [0, 2.5]], [[1, 1], [1, 2]]];
ml.logLikelihood([[1, 2], [-1, -2]], checkWeights, checkMeans, checkCovariances)

// %% [markdown]
// ## 2. E-step: responsibilities
//
// $$r_{ik} = \frac{\pi_k\, \mathcal{N}(x_i \mid \mu_k, \Sigma_k)}{\sum_{j=1}^{K} \pi_j\, \mathcal{N}(x_i \mid \mu_j, \Sigma_j)}, \qquad \sum_k r_{ik} = 1.$$
// Each checkpoint below compares with the values the original assignment publishes (to $10^{-6}$).

// %%
function checkpoint(name: string, actual: ArrayLike<number> | number[][], expected: number[] | number[][], tol = 1e-6): string {
  const a = (Array.from(actual as ArrayLike<number | number[]>) as (number | number[])[]).flat() as number[];
  const e = (expected as (number | number[])[]).flat() as number[];
  const ok = a.length === e.length && a.every((v, i) => Math.abs(v - e[i]) <= tol);
  return `${name}: ${ok ? "checkpoint passed" : `CHECK FAILED: got ${a.map((v) => v.toFixed(8)).join(", ")}`}`;
}
const resp = ml.computeResponsibilities([[1, 2], [-1, -2]], checkWeights, checkMeans, checkCovariances);
console.log(resp.toArray());
checkpoint("responsibilities", resp.toArray(), [[0.10512733, 0.89487267], [0.46468164, 0.53531836]])

// %% [markdown]
// ## 3. M-step
//
// The soft count of component $k$ is $N_k = \sum_i r_{ik}$. Then
// $$\hat\pi_k = \frac{N_k}{n}, \qquad \hat\mu_k = \frac{1}{N_k}\sum_i r_{ik}\, x_i, \qquad \hat\Sigma_k = \frac{1}{N_k}\sum_i r_{ik}\,(x_i - \hat\mu_k)(x_i - \hat\mu_k)^\top.$$

// %%
const threePoints = [[1, 2], [-1, -2], [0, 0]];
const counts = ml.computeSoftCounts(ml.computeResponsibilities(threePoints, checkWeights, checkMeans, checkCovariances));
console.log("soft counts", Array.from(counts));
checkpoint("weights", ml.computeWeights(counts), [0.27904865942515705, 0.720951340574843])

// %%
const twoPoints = [[1, 2], [-1, -2]];
const r2 = ml.computeResponsibilities(twoPoints, checkWeights, checkMeans, checkCovariances);
const n2 = ml.computeSoftCounts(r2);
const means2 = ml.computeMeans(twoPoints, r2, n2);
const covs2 = ml.computeCovariances(twoPoints, r2, n2, means2);
[
  checkpoint("means", means2.toArray(), [[-0.6310085, -1.262017], [0.25140299, 0.50280599]]),
  checkpoint("covariance 0", covs2[0].toArray(), [[0.60182827, 1.20365655], [1.20365655, 2.4073131]]),
  checkpoint("covariance 1", covs2[1].toArray(), [[0.93679654, 1.87359307], [1.87359307, 3.74718614]]),
].join("\n")

// %% [markdown]
// ## 4. Data
//
// The assignment's 100 points: three components with weights $\tfrac14, \tfrac12, \tfrac14$, drawn with numpy's
// generator and seed 4 (saved in `data/seed001-mog.json`, so the checkpoint below can be reproduced exactly).
// `ml.generateMoGData(100, means, covariances, weights, seed)` makes fresh data of the same kind.

// %%
import * as fs from "fs";
const saved = JSON.parse(fs.readFileSync("data/seed001-mog.json", "utf8"));
const X = ml.Matrix.fromRows(saved.data);
display.vegaLite(ml.scatterChart({ x: X.column(0), y: X.column(1), title: "the assignment's 100 points" }));

// %% [markdown]
// ## 5. EM from a rough start
//
// Start from three data points as means, the covariance of all the data for every component (deliberately too
// wide) and equal weights. EM stops when the log-likelihood gains less than $10^{-4}$; the assignment expects
// that to happen after 23 iterations.

// %%
const result = ml.EM(X, saved.initial_means, saved.initial_covariances, saved.initial_weights);
console.log(result.nIter === 23 ? "checkpoint passed: EM stopped after 23 iterations" : `CHECK FAILED: EM stopped after ${result.nIter} iterations, expected 23`);
console.log("weights", Array.from(result.weights, (w) => w.toFixed(4)).join(", "));
console.log("means", result.means.toArray().map((m) => `(${m.map((v) => v.toFixed(3)).join(", ")})`).join("  "));
result

// %% [markdown]
// The chart is the log-likelihood per iteration. It never decreases: each E-step makes the bound on $\ell$ tight,
// and each M-step maximises that bound.

// %% [markdown]
// ## 6. Watching the components move
//
// One view holds every iteration: drag the slider, or press ▶ to play, from the start (iteration 0) through
// iteration 12 to the end; the log-likelihood under the plot marks the iteration shown (click it to jump there).
// Points are coloured by their responsibilities (a point shared between two components gets a mix of their
// colours); the ellipses are each component's 1σ, 2σ and 3σ contours.

// %%
ml.mixtureView(X, result, { title: "EM on 100 points: drag the slider through the iterations" })

// %% [markdown]
// The same three moments side by side, as the assignment's three figures: at initialisation, after 12 iterations,
// and at convergence.

// %%
ml.mixtureView(X, result, { panels: [0, 12, result.nIter], title: "initial clusters, after 12 iterations, final clusters" })

// %% [markdown]
// ## 7. Quiz answers, computed
//
// The weight of the first component, the first coordinate of the second mean, and the variance in the first
// dimension of the third component:

// %%
const quizAnswers = [
  `weight of component 1: ${result.weights[0].toFixed(4)}`,
  `mean of component 2, first dimension: ${result.means.get(1, 0).toFixed(4)}`,
  `variance of component 3, first dimension: ${result.covs[2].get(0, 0).toFixed(4)}`,
];
quizAnswers.join("\n")

// %% [markdown]
// ## 8. Fresh data, several restarts
//
// EM finds a local optimum. On freshly generated data (our own generator, seed 7), a library fit with k-means
// initialisation and five restarts keeps the best of them:

// %%
const fresh = ml.generateMoGData(300, [[5, 0], [1, 1], [0, 5]], [[[0.5, 0], [0, 0.5]], [[0.92, 0.38], [0.38, 0.91]], [[0.5, 0], [0, 0.5]]], [0.25, 0.5, 0.25], 7);
const gm = new ml.GaussianMixture({ k: 3, nInit: 5, seed: 7 }).fit(fresh.X);
display(ml.contingencyTable(Array.from(gm.predict(fresh.X)), Array.from(fresh.labels, (l) => `true ${l}`)));
gm

// %% [markdown]
// ## 9. Clustering images by their mean colour
//
// The assignment's second half clusters photos of four kinds (sunsets, rivers, forests, cloudy skies) by the mean
// red, green and blue of each image. That photo collection is not redistributable, and no labelled photo collection
// can be installed from the registries this extension is built from, so we use the closest honest substitute: 688
// real photographic tiles of 20×20 pixels, cut from four colour photographs that scikit-image ships with free
// licences — a rocket launch at dusk and the Hubble deep field (public domain), a cup of coffee and a cat (CC0).
// Each tile's label is the photo it came from (`data/photo-tiles.csv`; `scripts/make-photo-tiles.sh` rebuilds both
// files). Like the assignment's images, tiles of one photo share a palette but vary: sky, tower and flames; cup, saucer
// and table.

// %%
const tiles = ml.readImageTiles("data/photo-tiles.png", { tile: [20, 20], count: 688 });
const tileLabels = ml.readCsv("data/photo-tiles.csv").rows.map((row) => row[1]);
const PHOTOS = ["rocket", "deep field", "coffee", "cat"];
const firstTiles = PHOTOS.flatMap((p) => tileLabels.flatMap((l, i) => (l === p ? [i] : [])).filter((_, j) => j % 17 === 5).slice(0, 8));
ml.imageGrid(tiles.selectRows(firstTiles), { channels: 3, shape: [20, 20], range: [0, 1], captions: firstTiles.map((i) => tileLabels[i]), title: "eight tiles from each photo" })

// %% [markdown]
// Each tile becomes one point $(\bar r, \bar g, \bar b) \in [0, 1]^3$, its mean colour.

// %%
const rgb = ml.meanColours(tiles);
display.vegaLite(ml.scatterChart({ x: rgb.column(0), y: rgb.column(2), color: tileLabels, xTitle: "mean red", yTitle: "mean blue", title: "688 tiles by mean colour (R–B plane)" }));

// %% [markdown]
// **Initialisation**, as in the assignment: four tiles chosen at random are the initial means, every component
// starts with the diagonal covariance of the per-channel variances, and the weights are equal. Then EM runs to
// convergence.

// %%
const starts = Array.from(new ml.Random(1).choice(rgb.rows, 4, { replace: false }));
const channelVariances = ml.columnVariances(rgb);
const diagonal = [0, 1, 2].map((r) => [0, 1, 2].map((c) => (r === c ? channelVariances[r] : 0)));
const imageInit = { means: starts.map((i) => Array.from(rgb.row(i))), covariances: PHOTOS.map(() => diagonal), weights: [0.25, 0.25, 0.25, 0.25] };
const imageFit = ml.EM(rgb, imageInit.means, imageInit.covariances, imageInit.weights);
console.log(`EM on the tiles: ${imageFit.nIter} iterations, log-likelihood ${imageFit.loglik[imageFit.loglik.length - 1].toFixed(2)}`);
imageFit

// %% [markdown]
// **Responsibilities in R–B space.** Each tile is drawn at its mean red and blue and coloured by the mix of component
// colours its responsibilities give. After one iteration most tiles are shared between components (blended colours);
// after 20 the colours are few and pure: EM has become sure of most assignments. (The axis menus show the other
// colour planes.)

// %%
ml.mixtureView(rgb, imageFit, { panels: [1, 20], features: ["red", "green", "blue"], axes: [0, 2], title: "responsibilities after 1 and after 20 iterations" })

// %% [markdown]
// **Interpretation.** Assign each tile to the component with the highest $\pi_k\,\mathcal N(x_i \mid \mu_k, \Sigma_k)$
// (the highest responsibility), compare with the photos, and show the five tiles each component scores highest.

// %%
const final = imageFit.snapshots[imageFit.snapshots.length - 1];
const scores = Array.from({ length: rgb.rows }, (_, i) => final.weights.map((w, c) => Math.log(w) + ml.multivariateNormalLogPdf(rgb.row(i), final.means[c], final.covariances[c])));
const assignment = scores.map((s) => s.indexOf(Math.max(...s)));
display(ml.contingencyTable(assignment, tileLabels, PHOTOS));
console.log(`purity ${ml.purity(assignment, tileLabels).toFixed(3)}`);

// %%
for (let c = 0; c < 4; c++) {
  const members = assignment.flatMap((a, i) => (a === c ? [i] : []));
  const top = members.sort((a, b) => scores[b][c] - scores[a][c]).slice(0, 5);
  display(ml.imageGrid(tiles.selectRows(top), { channels: 3, shape: [20, 20], range: [0, 1], captions: top.map((i) => tileLabels[i]), title: `component ${c}: its top ${top.length} of ${members.length} tiles` }));
}

// %% [markdown]
// Mean colour is a weak description of an image, as the assignment points out: dark rocket-sky tiles sit next to
// the deep field, and brown tabletop tiles next to the cat's fur. Still, each component gathers mostly one photo,
// and its top tiles are its most typical colours. A different random start can reach a different local optimum;
// compare log-likelihoods to choose between runs.
