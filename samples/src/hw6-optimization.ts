// %% [markdown]
// # Optimisation: extrema, Newton–Raphson, weighted least squares, EM
//
// A tour of the optimisation homework: classify the extrema of a cubic with first- and second-order conditions,
// take a Newton–Raphson step by hand, derive the gradient of weighted least squares and train it by gradient
// descent on a million points, and fit a Gaussian mixture by EM. (The MapReduce versions of the last two will join
// this notebook when the MapReduce runners land.)

// %% [markdown]
// ## 1. Extrema of $f(x) = x^3 - 12x^2 - 6$ on $[-6, 6]$
//
// $f'(x) = 3x^2 - 24x = 3x(x - 8)$ and $f''(x) = 6x - 24$.
//
// * **First-order condition (FOC):** an interior extremum $\bar x$ of a differentiable $f$ has $f'(\bar x) = 0$
//   (for several variables, $\nabla f(\bar x) = 0$).
// * **Second-order condition (SOC):** at such a point, $f''(\bar x) > 0$ makes it a local minimum and
//   $f''(\bar x) < 0$ a local maximum; for several variables the Hessian $H_{ij} = \partial^2 f / \partial x_i \partial x_j$
//   must be positive (negative) definite. $f'' = 0$ decides nothing.
// * On a closed interval the endpoints are candidates too: the direction in which $f$ leaves them decides.
//
// `ml.criticalPoints` finds the zeros of $f'$ numerically (Ridders' differences, Brent's root finder) and applies
// these tests; here we pass the derivatives we worked out above.

// %%
const f = (x: number) => x ** 3 - 12 * x ** 2 - 6;
const df = (x: number) => 3 * x ** 2 - 24 * x;
const d2f = (x: number) => 6 * x - 24;
const points = ml.criticalPoints(f, [-6, 6], { df, d2f });
for (const p of points) console.log(`x = ${p.x.toFixed(4).padStart(8)}  f(x) = ${p.fx.toFixed(2).padStart(8)}  ${p.kind.padEnd(14)} ${p.reason}`);
display.vegaLite(ml.functionPlot({
  functions: [{ name: "f(x)", f }, { name: "f′(x)", f: df }, { name: "f″(x)", f: d2f }],
  interval: [-6, 6],
  points: points.map((p) => ({ x: p.x, y: p.fx, label: `${p.kind} (${p.x.toFixed(0)}, ${p.fx.toFixed(0)})` })),
  title: "f, its first and second derivatives, and the extrema on [−6, 6]",
}));

// %% [markdown]
// The numeric derivative agrees with the formula (Ridders' method also estimates its own error):

// %%
const estimate = ml.derivativeWithError(f, 2.5);
`f′(2.5) ≈ ${estimate.value.toFixed(10)} (error estimate ${estimate.error.toExponential(1)}); exact ${df(2.5)}`

// %% [markdown]
// ## 2. Newton–Raphson
//
// To solve $g(x) = x^3 + 2x - 4 = 0$, replace $g$ by its tangent at $x_t$ and solve that instead:
// $$x_{t+1} = x_t - \frac{g(x_t)}{g'(x_t)}, \qquad g'(x) = 3x^2 + 2.$$
// From $x_1 = 1$: $g(1) = -1$, $g'(1) = 5$, so $x_2 = 1 - (-1)/5 = 1.2$.

// %%
const g = (x: number) => x ** 3 + 2 * x - 4;
const newton = ml.newtonRaphson(g, 1, { df: (x) => 3 * x ** 2 + 2 });
console.log("  t  x_t            g(x_t)          g'(x_t)       x_{t+1}");
for (const s of newton.trace) console.log(`${String(s.iteration).padStart(3)}  ${s.x.toFixed(12)}  ${s.fx.toExponential(4).padStart(12)}  ${s.dfx.toFixed(8).padStart(12)}  ${s.next.toFixed(12)}`);
`second approximation x₂ = ${newton.trace[0].next}; root ${newton.root.toFixed(12)} after ${newton.iterations} steps`

// %% [markdown]
// ## 3. Convexity in one sentence
//
// Convex minimisation studies minimising **convex** functions over **convex** sets; **convexity** makes any local
// minimum a global one, so the first-order condition is also sufficient there.

// %% [markdown]
// ## 4. The gradient of weighted least squares
//
// With features $x_i$ (plus a constant 1 for the intercept), coefficients $w$ and weights $\omega_i$, the objective is
// $$f(w) = \tfrac12 \sum_i \omega_i \,(w^\top x_i - y_i)^2 .$$
// Differentiate one term with the chain rule: the outer square gives $2(w^\top x_i - y_i)$, the inner linear map gives
// $x_i$, and the $\tfrac12$ cancels the 2:
// $$\nabla f(w) = \sum_i \omega_i\,(w^\top x_i - y_i)\,x_i .$$
// Setting it to zero gives the closed form $(X^\top \Omega X)\,w = X^\top \Omega y$; gradient descent instead
// steps $w \leftarrow w - \eta\,\nabla f(w) / \sum_i \omega_i$ (dividing by the total weight makes $\eta$ independent
// of $n$).

// %% [markdown]
// ## 5. A million weighted points
//
// $x \sim U(-4, 4)$, $y = 1.0\,x - 4.0 + \varepsilon$ with $\varepsilon \sim \mathcal{N}(0, 0.5^2)$, and each point
// weighted by $\omega = |1/x|$: points near $x = 0$ count most.

// %%
const data = ml.generateWeightedLinearData(1_000_000, { seed: 6 });
const sortedWeights = Float64Array.from(data.w).sort();
const heavy = sortedWeights.subarray(sortedWeights.length - 100).reduce((a, b) => a + b, 0) / ml.sum(sortedWeights);
`${data.x.length.toLocaleString()} points; weights from ${sortedWeights[0].toFixed(3)} (median ${sortedWeights[500_000].toFixed(3)}) to ${sortedWeights[sortedWeights.length - 1].toFixed(0)}; the heaviest 100 points carry ${(100 * heavy).toFixed(1)}% of the total weight`

// %% [markdown]
// **Closed form on a 1% sample**, as the homework did with scikit-learn's weighted `LinearRegression`:

// %%
const sample = new ml.Random(6).choice(data.x.length, 10_000);
const pick = (a: Float64Array) => Float64Array.from(sample, (i) => a[i]);
const sampled = { x: pick(data.x), y: pick(data.y), w: pick(data.w) };
const closedSample = ml.weightedLeastSquares(sampled.x, sampled.y, sampled.w);
`1% sample: slope ${closedSample.coef[0].toFixed(6)}, intercept ${closedSample.intercept.toFixed(6)}`

// %% [markdown]
// **Gradient descent on all million points**, from a random start, with the homework's learning rate (0.05) and
// stopping rule (the squared change of the coefficients below $10^{-5}$):

// %%
const rng = new ml.Random(1);
const start = [rng.uniform(-3, 3), rng.uniform(-3, 3)];
const gd = ml.weightedLinearRegressionGD(data.x, data.y, data.w, { learningRate: 0.05, tol: 1e-5, initial: start });
const closedAll = ml.weightedLeastSquares(data.x, data.y, data.w);
console.log(`gradient descent: ${gd.nIter} iterations, slope ${gd.coef[0].toFixed(6)}, intercept ${gd.intercept.toFixed(6)}`);
console.log(`closed form on all points: slope ${closedAll.coef[0].toFixed(6)}, intercept ${closedAll.intercept.toFixed(6)}`);
display.vegaLite(ml.parameterTraceChart({ trace: gd.trace.map((s) => s.params), names: ["intercept", "slope"], truth: [-4, 1], title: "coefficients per gradient-descent step" }));

// %% [markdown]
// The homework's rule stops while the intercept is still creeping; run on with a tight tolerance and gradient
// descent lands on the closed form:

// %%
const gdTight = ml.weightedLinearRegressionGD(data.x, data.y, data.w, { learningRate: 0.5, tol: 1e-20, initial: start });
const gap = Math.max(Math.abs(gdTight.coef[0] - closedAll.coef[0]), Math.abs(gdTight.intercept - closedAll.intercept));
`${gdTight.nIter} iterations at η = 0.5: largest difference from the closed form ${gap.toExponential(2)}`

// %% [markdown]
// The fitted lines over a sample of the data. The weights $|1/x|$ hand a large share of the total weight to the
// few points nearest $x = 0$, so even a million points leave the fit a few hundredths from the truth.

// %%
const shown = Array.from({ length: 2000 }, (_, i) => ({ x: data.x[i], y: data.y[i] }));
const line = (name: string, slope: number, intercept: number) => [-4, 4].map((x) => ({ line: name, x, y: slope * x + intercept }));
display.vegaLite({
  $schema: "https://vega.github.io/schema/vega-lite/v5.json",
  title: "data (2,000 of 1,000,000) and the fitted lines",
  width: 440, height: 300,
  layer: [
    { data: { values: shown }, mark: { type: "circle", size: 8, opacity: 0.3, color: "#888888" }, encoding: { x: { field: "x", type: "quantitative" }, y: { field: "y", type: "quantitative" } } },
    { data: { values: [...line("true: y = x − 4", 1, -4), ...line("closed form, 1% sample", closedSample.coef[0], closedSample.intercept), ...line("gradient descent, all points", gd.coef[0], gd.intercept)] }, mark: { type: "line", strokeWidth: 2 }, encoding: { x: { field: "x", type: "quantitative" }, y: { field: "y", type: "quantitative" }, color: { field: "line", type: "nominal", title: null } } },
  ],
});

// %% [markdown]
// ## 6. A Gaussian mixture by EM
//
// Three blobs of 1,000 points around $(4, 0)$, $(6, 6)$ and $(0, 4)$ with identity covariances. EM starts from
// random responsibilities and records its parameters at every iteration: drag the slider to watch the means
// (crosses) find the blobs.
//
// * **E-step:** $p(\omega_k \mid x_i, \theta) = \pi_k \mathcal{N}(x_i \mid \mu_k, \Sigma_k) / \sum_j \pi_j \mathcal{N}(x_i \mid \mu_j, \Sigma_j)$
// * **M-step:** $n_k = \sum_i p(\omega_k \mid x_i)$, $\hat\pi_k = n_k / n$,
//   $\hat\mu_k = \frac{1}{n_k}\sum_i p(\omega_k \mid x_i)\,x_i$,
//   $\hat\Sigma_k = \frac{1}{n_k}\sum_i p(\omega_k \mid x_i)(x_i - \hat\mu_k)(x_i - \hat\mu_k)^\top$.

// %%
const blobs = ml.generateBlobs([1000, 1000, 1000], [[4, 0], [6, 6], [0, 4]], undefined, 66);
const gm = new ml.GaussianMixture({ k: 3, init: "random", seed: 3, tol: 1e-6, maxIter: 200 }).fit(blobs.X);
console.log(gm.means.toArray().map((m) => `(${m.map((v) => v.toFixed(2)).join(", ")})`).join("  "));
ml.mixtureView(blobs.X, gm, { title: "EM on 3 × 1,000 points: every iteration" })

// %% [markdown]
// Its mean log-likelihood per iteration:

// %%
gm
