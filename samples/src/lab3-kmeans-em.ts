// %% [markdown]
// # Lab 3: k-means and the EM algorithm
//
// Two unsupervised methods on two datasets. **k-means** groups the rows of a labelled table without looking at the
// labels, and we then check whether the groups match the labels. **EM** fits a two-component Gaussian mixture to
// one-dimensional data and recovers all its parameters, where k-means can only offer two centres.

// %% [markdown]
// ## Part I: k-means on a labelled table
//
// The original lab clusters 600 songs by three artists (11 audio features each); that table is not redistributable.
// We use a real table of the same shape and kind that ships with this sample: 572 Italian **olive oils** from three
// regions (Northern Italy, Sardinia, Southern Italy), each described by 8 fatty acids in percent (M. Forina et al.,
// 1983, as the R package *dslabs* ships them; GPL-3, see `data/olive.csv`). The question is the lab's: do clusters
// found without the labels follow them?

// %%
const FATTY_ACIDS = ["palmitic", "palmitoleic", "stearic", "oleic", "linoleic", "linolenic", "arachidic", "eicosenoic"];
const olive = ml.tableToMatrix(ml.readCsv("data/olive.csv"), { labelColumn: "region", features: FATTY_ACIDS, source: "data/olive.csv" });
const REGIONS = [...new Set(olive.labels)].sort();
console.log(`${olive.X.rows} oils × ${olive.X.cols} features: ${olive.features.join(", ")}`);
console.log("regions:", REGIONS.map((r) => `${r} (${olive.labels.filter((l) => l === r).length})`).join(", "));

// %% [markdown]
// k-means weighs every feature equally, and oleic acid is around 70 % while eicosenoic acid is below 0.6 %, so each
// column is standardised first: $z_{ij} = (x_{ij} - \bar{x}_j) / s_j$ with the population standard deviation.

// %%
const { X: Z } = ml.standardize(olive.X);
const fx = olive.features.indexOf("eicosenoic"), fy = olive.features.indexOf("linoleic");
display.vegaLite(ml.scatterChart({ x: Z.column(fx), y: Z.column(fy), color: olive.labels, xTitle: "eicosenoic acid (z)", yTitle: "linoleic acid (z)", title: "two fatty acids against the regions" }));

// %% [markdown]
// Lloyd's algorithm alternates two steps until nothing changes:
// 1. assign each point to its nearest centroid;
// 2. move each centroid to the mean of its points.
//
// Each step can only lower the **distortion** $\mathcal{D} = \sum_i \lVert x_i - c_{a(i)} \rVert^2$. Like the lab,
// we start from three random points (data points, so no centroid starts empty), and keep the best of 10 starts.

// %%
const km = new ml.KMeans({ k: 3, init: "random", nInit: 10, seed: 12345 }).fit(Z);
console.log(`converged in ${km.nIter} iterations, distortion ${km.inertia.toFixed(3)}`);
km

// %% [markdown]
// How many oils of each region landed in each cluster:

// %%
const table = ml.contingencyTable(Array.from(km.labels), olive.labels, REGIONS);
display(table);
`purity ${ml.purity(Array.from(km.labels), olive.labels).toFixed(3)}`

// %% [markdown]
// The clusters follow the regions only in part, as the lab's clusters followed its artists only in part. Northern
// Italy gets a cluster of its own, but Southern Italy is itself four growing areas with different oils, and the
// lowest-distortion split cuts through it, leaving Sardinia to share a cluster with part of the south. Distortion is
// what k-means minimises; agreement with labels it never saw is not guaranteed.

// %% [markdown]
// ## Part II: a two-component Gaussian mixture in one dimension
//
// The data: with probability $\pi$ a value comes from $\mathcal{N}(\mu_1, \sigma_1^2)$, otherwise from
// $\mathcal{N}(\mu_0, \sigma_0^2)$:
// $$p(x) = (1-\pi)\,\phi_{\mu_0,\sigma_0^2}(x) + \pi\,\phi_{\mu_1,\sigma_1^2}(x).$$
// We draw 2,000 values with the lab's true parameters $\mu = (1.3, -1.8)$, $\sigma = (0.7, 1.5)$, $\pi = 0.3$.

// %%
const truth = { pi: 0.3, mu: [1.3, -1.8] as [number, number], sigma: [0.7, 1.5] as [number, number] };
const { x } = ml.generateTwoGaussians1D(2000, truth, 12345);
const truthComponents = [
  { weight: 1 - truth.pi, mean: truth.mu[0], std: truth.sigma[0] },
  { weight: truth.pi, mean: truth.mu[1], std: truth.sigma[1] },
];
ml.mixtureView1D(x, truthComponents, { title: "the data with the true components" })

// %% [markdown]
// **k-means first.** Two centres, but no notion of spread: the wide component loses its tail to the narrow one,
// so its centre is pulled away from $-1.8$.

// %%
const km1 = new ml.KMeans({ k: 2, nInit: 10, init: "random", seed: 1 }).fit(ml.Matrix.column(x));
const centres = Array.from(km1.centroids.column(0)).sort((a, b) => b - a);
`k-means centres: ${centres.map((c) => c.toFixed(3)).join(", ")}`

// %% [markdown]
// **EM.** Start from the k-means clusters (their means, spreads and sizes), then repeat:
//
// *E-step:* $\gamma_i = \dfrac{\pi\,\phi_{\mu_1,\sigma_1^2}(x_i)}{(1-\pi)\,\phi_{\mu_0,\sigma_0^2}(x_i) + \pi\,\phi_{\mu_1,\sigma_1^2}(x_i)}$
//
// *M-step:* $\hat\mu_1 = \dfrac{\sum_i \gamma_i x_i}{\sum_i \gamma_i}$, $\hat\sigma_1^2 = \dfrac{\sum_i \gamma_i (x_i - \hat\mu_1)^2}{\sum_i \gamma_i}$,
// the same with $1-\gamma_i$ for component 0, and $\hat\pi = \frac1n \sum_i \gamma_i$.
//
// (The lab's `EM_step` computes the variances around the *previous* means; the update above uses the new ones,
// which is what EM prescribes.)

// %%
const init = ml.kmeansInit1D(x, 1);
// Component 1 is the one the lab calls π's: here the lower one.
const start = init.mu[1] < init.mu[0] ? init : { pi: 1 - init.pi, mu: [init.mu[1], init.mu[0]] as [number, number], sigma: [init.sigma[1], init.sigma[0]] as [number, number] };
const fit = ml.fitTwoGaussians1D(x, { init: start });
console.log(`EM converged in ${fit.nIter} iterations (log-likelihood ${fit.trace[fit.trace.length - 1].toFixed(3)})`);
const row = (name: string, t: number, p: number) => [name, t, p, Math.abs(p - t)];
ml.table({
  columns: ["", "true", "estimated", "error"],
  rows: [
    row("pi", truth.pi, fit.pi),
    row("mu_0", truth.mu[0], fit.mu[0]),
    row("mu_1", truth.mu[1], fit.mu[1]),
    row("sigma_0", truth.sigma[0], fit.sigma[0]),
    row("sigma_1", truth.sigma[1], fit.sigma[1]),
  ],
  digits: 2,
})

// %%
ml.mixtureView1D(x, [
  { weight: 1 - fit.pi, mean: fit.mu[0], std: fit.sigma[0] },
  { weight: fit.pi, mean: fit.mu[1], std: fit.sigma[1] },
], { truth: truthComponents, title: "EM's components (solid means) against the truth (dashed)" })

// %% [markdown]
// With 2,000 points EM recovers every parameter to within about a tenth (more data, closer still), and its
// $\mu_1$ is much closer to $-1.8$ than the k-means centre, because it models the spread of each component.
