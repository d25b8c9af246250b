import * as assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as ml from "../../kernel-lib/src";
import { assertClose, assertRelClose, fixture } from "../helpers";

const ref = fixture("gaussian-mixture.json");

describe("GaussianMixture against scikit-learn 1.2.2 from the same starting parameters", () => {
  for (const c of ref.cases) {
    it(c.covariance_type, () => {
      const gm = new ml.GaussianMixture({
        k: 3, covarianceType: c.covariance_type, tol: 1e-3, regCovar: 1e-6, maxIter: 100,
        init: { means: ref.means_init, weights: ref.weights_init, covariances: c.init_covariances },
      }).fit(ref.X);
      assert.equal(gm.nIter, c.n_iter, "iterations");
      assert.equal(gm.converged, c.converged);
      assertRelClose(gm.lowerBound, c.lower_bound, 1e-6, "lower bound");
      assertClose(gm.weights, c.weights, 1e-6);
      assertClose(gm.means, c.means, 1e-6);
      gm.covariances.forEach((m, k) => assertClose(m, c.covariances[k], 1e-6, 0, `covariance ${k}`));
      assertRelClose(gm.score(ref.X), c.score, 1e-6, "score");
      assertRelClose(gm.bic(ref.X), c.bic, 1e-6, "bic");
      assertRelClose(gm.aic(ref.X), c.aic, 1e-6, "aic");
      const head = ref.X.slice(0, 10);
      assertClose(gm.predictProba(head), c.predict_proba_head, 1e-6);
      assertClose(gm.scoreSamples(head), c.score_samples_head, 1e-6);
      assert.deepEqual(Array.from(gm.predict(ref.X)), c.predict);
    });
  }
});

describe("GaussianMixture behaviour", () => {
  const data = ml.generateBlobs([300, 300, 300], [[4, 0], [6, 6], [0, 4]], undefined, 2);

  it("EM's log-likelihood never decreases (every covariance type, several seeds)", () => {
    for (const covarianceType of ml.COVARIANCE_TYPES) {
      for (const init of ["kmeans", "random"] as const) {
        for (let seed = 0; seed < 3; seed++) {
          const gm = new ml.GaussianMixture({ k: 3, covarianceType, init, seed, tol: 1e-10, maxIter: 200 }).fit(data.X);
          const t = gm.trace.map((s) => s.logLikelihood);
          for (let i = 1; i < t.length; i++) assert.ok(t[i] >= t[i - 1] - 1e-9, `${covarianceType}/${init}/${seed} iteration ${i}: ${t[i]} < ${t[i - 1]}`);
        }
      }
    }
  });

  it("finds HW6's three blobs and keeps a snapshot per iteration", () => {
    const gm = new ml.GaussianMixture({ k: 3, seed: 0 }).fit(data.X);
    const found = gm.means.toArray().map((m) => m.map(Math.round).join(",")).sort();
    assert.deepEqual(found, ["0,4", "4,0", "6,6"]);
    assert.equal(gm.snapshots.length, gm.nIter + 1);
    // Each snapshot carries the mean log-likelihood of its own parameters.
    for (const snap of [gm.snapshots[0], gm.snapshots[2], gm.snapshots[gm.nIter]]) {
      const own = ml.logLikelihood(data.X, snap.weights, snap.means, snap.covariances) / data.X.rows;
      assertClose(snap.logLikelihood, own, 1e-9);
    }
    assert.ok(gm.weights.every((w) => Math.abs(w - 1 / 3) < 0.05));
    assert.match(gm.toString(), /GaussianMixture k=3 \(full\): \d+ iterations/);
  });

  it("predictProba rows sum to 1 and do not underflow for far-away points", () => {
    const gm = new ml.GaussianMixture({ k: 3, seed: 0 }).fit(data.X);
    const p = gm.predictProba([[1e3, -1e3], [5, 5]]);
    for (let i = 0; i < 2; i++) {
      const row = p.row(i);
      assertClose(ml.sum(row), 1, 1e-12);
      assert.ok(row.every(Number.isFinite));
    }
  });

  it("BIC prefers the true number of components", () => {
    const bic = [1, 2, 3, 4, 5].map((k) => new ml.GaussianMixture({ k, seed: 1, nInit: 2 }).fit(data.X).bic(data.X));
    assert.equal(bic.indexOf(Math.min(...bic)), 2, bic.join(", "));
  });

  it("duplicate points: regCovar keeps the fit finite; regCovar 0 is a clear error", () => {
    const X = [[1, 1], [1, 1], [1, 1], [5, 5], [5, 6], [6, 5]];
    const gm = new ml.GaussianMixture({ k: 2, init: { means: [[1, 1], [5, 5]] }, regCovar: 1e-3 }).fit(X);
    assert.ok(Number.isFinite(gm.lowerBound));
    assert.throws(
      () => new ml.GaussianMixture({ k: 2, init: { means: [[1, 1], [5, 5]] }, regCovar: 0 }).fit(X),
      (e: Error) => e instanceof ml.NotPositiveDefiniteError && /component 0/.test(e.message) && /regCovar/.test(e.message),
    );
  });
});

describe("Lab 3: 1-D two-component mixture", () => {
  const truth = { pi: 0.3, mu: [1.3, -1.8] as [number, number], sigma: [0.7, 1.5] as [number, number] };
  const { x } = ml.generateTwoGaussians1D(50_000, truth, 12345);

  it("EM from k-means recovers the true parameters and beats k-means' means", () => {
    const init = ml.kmeansInit1D(x, 0);
    // Orient component 1 as the one with the lower mean, as in the lab's data.
    const start = init.mu[1] < init.mu[0] ? init : { pi: 1 - init.pi, mu: [init.mu[1], init.mu[0]] as [number, number], sigma: [init.sigma[1], init.sigma[0]] as [number, number] };
    const fit = ml.fitTwoGaussians1D(x, { init: start });
    assert.ok(fit.converged);
    // 50,000 samples: the MLE's sampling error is ~0.01, so these bounds are tight but not flaky (fixed seed anyway).
    assert.ok(Math.abs(fit.pi - truth.pi) < 0.01, `pi ${fit.pi}`);
    assert.ok(Math.abs(fit.mu[0] - truth.mu[0]) < 0.02 && Math.abs(fit.mu[1] - truth.mu[1]) < 0.03, `mu ${fit.mu}`);
    assert.ok(Math.abs(fit.sigma[0] - truth.sigma[0]) < 0.02 && Math.abs(fit.sigma[1] - truth.sigma[1]) < 0.03, `sigma ${fit.sigma}`);
    const emError = Math.abs(fit.mu[1] - truth.mu[1]);
    const kmError = Math.abs(start.mu[1] - truth.mu[1]);
    assert.ok(emError < kmError, `EM ${emError} vs k-means ${kmError}`);
    for (let i = 1; i < fit.trace.length; i++) assert.ok(fit.trace[i] >= fit.trace[i - 1] - 1e-8);
  });

  it("emStep1D equals one iteration of the general GaussianMixture EM", () => {
    const start = { pi: 0.4, mu: [1, -1] as [number, number], sigma: [1, 1.2] as [number, number] };
    const step = ml.emStep1D(x, start);
    const X = ml.Matrix.column(x);
    const gm = new ml.GaussianMixture({
      k: 2, maxIter: 1, regCovar: 0, tol: 0,
      init: { means: [[start.mu[0]], [start.mu[1]]], weights: [1 - start.pi, start.pi], covariances: [[[1]], [[1.44]]] },
    }).fit(X);
    assertClose(step.pi, gm.weights[1], 1e-10);
    assertClose(step.mu, [gm.means.get(0, 0), gm.means.get(1, 0)], 1e-10);
    assertClose(step.sigma, gm.covariances.map((c) => Math.sqrt(c.get(0, 0))), 1e-10);
  });
});
