import * as assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as ml from "../../kernel-lib/src";
import { assertClose, fixture } from "../helpers";

// The Coursera EM assignment's checkpoint inputs, verbatim.
const weights = [0.3, 0.7];
const means = [[0, 0], [1, 1]];
const covariances = [[[1.5, 0], [0, 2.5]], [[1, 1], [1, 2]]];

describe("the Coursera EM assignment checkpoints (to 1e-6)", () => {
  it("compute_responsibilities", () => {
    const resp = ml.computeResponsibilities([[1, 2], [-1, -2]], weights, means, covariances);
    assert.deepEqual(resp.shape, [2, 2]);
    assertClose(resp, [[0.10512733, 0.89487267], [0.46468164, 0.53531836]], 1e-6);
  });

  it("compute_soft_counts and compute_weights", () => {
    const resp = ml.computeResponsibilities([[1, 2], [-1, -2], [0, 0]], weights, means, covariances);
    const counts = ml.computeSoftCounts(resp);
    assertClose(ml.computeWeights(counts), [0.27904865942515705, 0.720951340574843], 1e-6);
  });

  it("compute_means", () => {
    const data = [[1, 2], [-1, -2]];
    const resp = ml.computeResponsibilities(data, weights, means, covariances);
    const counts = ml.computeSoftCounts(resp);
    assertClose(ml.computeMeans(data, resp, counts), [[-0.6310085, -1.262017], [0.25140299, 0.50280599]], 1e-6);
  });

  it("compute_covariances", () => {
    const data = [[1, 2], [-1, -2]];
    const resp = ml.computeResponsibilities(data, weights, means, covariances);
    const counts = ml.computeSoftCounts(resp);
    const mu = ml.computeMeans(data, resp, counts);
    const covs = ml.computeCovariances(data, resp, counts, mu);
    assertClose(covs[0], [[0.60182827, 1.20365655], [1.20365655, 2.4073131]], 1e-6);
    assertClose(covs[1], [[0.93679654, 1.87359307], [1.87359307, 3.74718614]], 1e-6);
  });

  it("logLikelihood matches the homework's loop (log-sum-exp over clusters)", () => {
    // Independent check: the direct sum of logs of the mixture density.
    const data = [[1, 2], [-1, -2], [3, 0.5]];
    let expected = 0;
    for (const x of data) {
      let p = 0;
      for (let k = 0; k < 2; k++) p += weights[k] * ml.multivariateNormalPdf(x, means[k], covariances[k]);
      expected += Math.log(p);
    }
    assertClose(ml.logLikelihood(data, weights, means, covariances), expected, 1e-12);
  });
});

describe("the Coursera EM assignment EM against the numpy reference on the assignment's seed-4 data", () => {
  const ref = fixture("seed001-em.json");

  it("stops after 23 iterations, with the same trace and parameters", () => {
    const out = ml.EM(ref.data, ref.initial_means, ref.initial_covs, ref.initial_weights);
    assert.equal(out.nIter, 23, "the homework's checkpoint: the last log line is 'Iteration 22'");
    assert.equal(out.converged, true);
    assertClose(out.loglik, ref.full.loglik, 1e-6, 0, "loglik");
    assertClose(out.weights, ref.full.weights, 1e-8, 0, "weights");
    assertClose(out.means, ref.full.means, 1e-8, 0, "means");
    out.covs.forEach((c, k) => assertClose(c, ref.full.covs[k], 1e-8, 0, `covs[${k}]`));
    assertClose(out.resp, ref.full.resp, 1e-8, 0, "resp");
  });

  it("maxIter 12 reproduces the 'after 12 iterations' parameters, and snapshots cover every iteration", () => {
    const out = ml.EM(ref.data, ref.initial_means, ref.initial_covs, ref.initial_weights, { maxIter: 12 });
    assert.equal(out.nIter, 12);
    assert.equal(out.converged, false);
    assertClose(out.means, ref.twelve.means, 1e-8);
    out.covs.forEach((c, k) => assertClose(c, ref.twelve.covs[k], 1e-8));
    assert.equal(out.snapshots.length, 13);
    assertClose(out.snapshots[0].means, ref.initial_means, 1e-12);
    assertClose(out.snapshots[12].means, ref.twelve.means, 1e-8);
    const full = ml.EM(ref.data, ref.initial_means, ref.initial_covs, ref.initial_weights);
    assertClose(full.snapshots[12].means, ref.twelve.means, 1e-8, 0, "snapshot 12 of the full run");
  });

  it("the log-likelihood never decreases", () => {
    const out = ml.EM(ref.data, ref.initial_means, ref.initial_covs, ref.initial_weights);
    for (let i = 1; i < out.loglik.length; i++) assert.ok(out.loglik[i] >= out.loglik[i - 1] - 1e-9, `iteration ${i}`);
  });

  it("a collapsing component is a clear error, not NaN", () => {
    const data = [[0, 0], [1, 1], [2, 2], [3, 3]];
    assert.throws(
      () => ml.EM(data, [[0, 0], [3, 3]], [[[1, 0], [0, 1]], [[1, 0], [0, 1]]], [0.5, 0.5]),
      (e: Error) => e instanceof ml.NotPositiveDefiniteError && /regCovar/.test(e.message),
    );
  });
});
