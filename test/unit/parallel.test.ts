import * as assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import * as ml from "../../kernel-lib/src";
import { nearestCentroids } from "../../kernel-lib/src/cluster/distances";
import { KMeansWorkspace } from "../../kernel-lib/src/cluster/kmeans-workspace";
import { sharedMemory } from "../../kernel-lib/src/parallel/shared-memory";
import { withThreads } from "../helpers";

/** Blobs big enough (rows × cols × k ≥ 2¹⁹) that fits run on the thread pool, not just the calling thread. */
function blobs(n: number, d: number, centres: number, seed: number): ml.Matrix {
  const rng = new ml.Random(seed);
  const X = ml.Matrix.zeros(n, d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) X.data[i * d + j] = 5 * ((i % centres) === j % centres ? 1 : 0) + rng.normal(0, 1);
  return X;
}

describe("parallel SIMD passes (shared memory + worker threads)", () => {
  after(() => ml.setThreads(Math.max(2, ml.getThreads())));
  const X = blobs(12_001, 48, 8, 3); // an odd row count exercises the two-row passes' last single row

  it("k-means gives the same labels and inertia on 1 and 2 threads, and the inertia is exact for its centroids", () => {
    const fit = (threads: number) => withThreads(threads, () => new ml.KMeans({ k: 8, seed: 4, maxIter: 50 }).fit(X));
    const one = fit(1), two = fit(2);
    assert.deepEqual(Array.from(two.labels), Array.from(one.labels));
    assert.ok(Math.abs(two.inertia - one.inertia) <= 1e-9 * one.inertia, `${two.inertia} vs ${one.inertia}`);
    // The reference: the plain scalar loop over the centroids the fit returned.
    const check = nearestCentroids(X.data, X.rows, X.cols, two.centroids.data, 8);
    assert.deepEqual(Array.from(check.labels), Array.from(two.labels));
    assert.ok(Math.abs(check.inertia - two.inertia) <= 1e-9 * check.inertia, `${check.inertia} vs ${two.inertia}`);
  });

  it("float32 k-means agrees with float64 to single precision and frees its working memory", () => {
    const mark = sharedMemory().arena.mark();
    const init = X.selectRows([0, 1, 2, 3, 4, 5, 6, 7]);
    const f64 = new ml.KMeans({ k: 8, init, maxIter: 20 }).fit(X);
    const f32 = new ml.KMeans({ k: 8, init, maxIter: 20, precision: "float32" }).fit(X);
    assert.ok(Math.abs(f32.inertia - f64.inertia) <= 1e-5 * f64.inertia, `${f32.inertia} vs ${f64.inertia}`);
    const agree = f32.labels.filter((l, i) => l === f64.labels[i]).length / X.rows;
    assert.ok(agree > 0.999, `labels agree for ${agree}`);
    assert.equal(sharedMemory().arena.mark(), mark);
    assert.throws(() => new ml.KMeans({ k: 2, precision: "float16" as never }), /precision must be one of "float64", "float32", got "float16"/);
  });

  it("the bounded algorithm gives Lloyd's iterates: same labels, same per-iteration distortion, fewer searches", () => {
    // Every kind of bounds: Elkan's (48-D; 12-D float64), Hamerly's (8-D float64; 12-D float32) and Hamerly's with no
    // stored upper bound (rows of ≤ 32 bytes: 2-D, 3-D, 8-D float32).
    const cases = [[X, 8, 1], [blobs(8000, 8, 5, 4), 10, 2], [blobs(8000, 12, 5, 6), 10, 7], [blobs(5000, 3, 6, 2), 12, 5], [blobs(20_000, 2, 4, 8), 10, 3]] as const;
    for (const [data, k, seed] of cases) {
      for (const precision of ["float64", "float32"] as const) {
        const options = { k, seed, maxIter: 60, tol: 0, precision };
        const bounded = new ml.KMeans({ ...options, algorithm: "bounded" }).fit(data);
        const lloyd = new ml.KMeans({ ...options, algorithm: "lloyd" }).fit(data);
        assert.equal(bounded.nIter, lloyd.nIter, `${precision} k=${k}`);
        assert.deepEqual(Array.from(bounded.labels), Array.from(lloyd.labels));
        // Both move rows between the cluster sums in the same order, so the sums, hence the centroids, agree to the bit.
        assert.deepEqual(bounded.centroids.toArray(), lloyd.centroids.toArray(), `${precision} k=${k}: centroids, bit for bit`);
        bounded.trace.forEach((step, i) => {
          const ref = lloyd.trace[i];
          // float32 "lloyd" sums its squared differences in single precision; the bounded pass works from float64 sums.
          const tolerance = precision === "float64" ? 1e-9 : 1e-6;
          assert.ok(Math.abs(step.inertia - ref.inertia) <= tolerance * ref.inertia, `${precision} iteration ${i + 1}: ${step.inertia} vs ${ref.inertia}`);
          assert.equal(step.changed, ref.changed);
        });
        const searched = bounded.trace.reduce((s, t) => s + t.searched, 0), all = lloyd.trace.reduce((s, t) => s + t.searched, 0);
        assert.ok(searched < 0.7 * all, `${precision} k=${k}: searched ${searched} of ${all}`);
      }
    }
  });

  it("float64's Elkan search on its float32 plane keeps every measured distance as a bound, as float32's does", () => {
    // The same iterates at both precisions; a float64 pass that measured only the centroids left after the exact
    // upper bound kept looser bounds and searched 1.8 times as many rows here.
    const options = { k: 12, seed: 3, maxIter: 60, tol: 0 };
    const f64 = new ml.KMeans(options).fit(X);
    const f32 = new ml.KMeans({ ...options, precision: "float32" }).fit(X);
    assert.deepEqual(f64.trace.map((t) => t.changed), f32.trace.map((t) => t.changed));
    const searched = (fit: ml.KMeans) => fit.trace.reduce((s, t) => s + t.searched, 0);
    assert.ok(searched(f64) <= 1.05 * searched(f32), `float64 searched ${searched(f64)} rows, float32 ${searched(f32)}`);
  });

  it("a fit's last pass takes the exact inertia as it assigns: the inertia pass's value, bit for bit, every kind of pass", () => {
    // Elkan's bounds (50-D; 7-D float64, on its float32 plane), Hamerly's (7-D float32), Hamerly's with no stored upper
    // bound (3-D), and Lloyd's: odd n, d ∤ 4, k ∤ 4, with and without weights, on two threads.
    for (const [n, d, k] of [[6001, 50, 7], [7001, 7, 5], [9001, 3, 6]] as const) {
      const data = blobs(n, d, k, n + d);
      const weights = Float64Array.from({ length: n }, (_, i) => 0.5 + (i % 3));
      for (const precision of ["float64", "float32"] as const) {
        for (const algorithm of ["bounded", "lloyd"] as const) {
          for (const weighted of [false, true]) {
            const work = new KMeansWorkspace(n, d, k, precision, algorithm);
            try {
              const { mean } = work.load(data, weighted ? weights : undefined);
              let centres = Float64Array.from({ length: k * d }, (_, i) => data.data[(3 * Math.floor(i / d) + 1) * d + (i % d)] - mean[i % d]);
              if (precision === "float32") centres = centres.map(Math.fround);
              work.resetLabels();
              for (let step = 0; step < 3; step++) {
                const { sums, counts } = work.assign(centres);
                centres = sums.map((v, i) => (counts[Math.floor(i / d)] > 0 ? v / counts[Math.floor(i / d)] : 0));
              }
              const fused = work.assign(centres, true).inertia;
              const separate = work.inertia(centres);
              assert.ok(Number.isFinite(fused) && fused > 0);
              assert.equal(fused, separate, `${n}×${d}, k=${k}, ${precision}, ${algorithm}${weighted ? ", weighted" : ""}`);
            } finally {
              work.release();
            }
          }
        }
      }
    }
  });

  it("a first pass finds every row's nearest centroid for every k (groups of four, a pair, a single), odd n, d ∤ 4", () => {
    // The first pass measures two rows against all k centroids in groups of four, then a pair, then one: each k from
    // 1 to 11 exercises a different mix, and d = 13 and 30 the vector loops' tails. Its labels must be the plain
    // scalar search's (float32: except where two centroids are within the products' rounding of each other).
    const rng = new ml.Random(11);
    for (const d of [13, 30]) {
      const X = ml.Matrix.zeros(101, d);
      for (let i = 0; i < X.data.length; i++) X.data[i] = rng.normal(0, 1);
      for (let k = 1; k <= 11; k++) {
        for (const precision of ["float64", "float32"] as const) {
          for (const algorithm of ["bounded", "lloyd"] as const) {
            const ws = new KMeansWorkspace(X.rows, d, k, precision, algorithm);
            try {
              const { mean } = ws.load(X);
              const centres = Float64Array.from({ length: k * d }, (_, i) => X.data[(3 * Math.floor(i / d) + 1) * d + (i % d)] - mean[i % d] + 0.3 * rng.normal(0, 1));
              ws.resetLabels();
              ws.assign(centres);
              const rows = Float64Array.from(ws.x), seen = precision === "float32" ? Float64Array.from(Float32Array.from(centres)) : centres;
              const check = nearestCentroids(rows, X.rows, d, seen, k);
              for (let i = 0; i < X.rows; i++) {
                if (ws.labels[i] === check.labels[i]) continue;
                const distance = (q: number) => rows.subarray(i * d, (i + 1) * d).reduce((s, v, j) => s + (v - seen[q * d + j]) ** 2, 0);
                const [mine, theirs] = [distance(ws.labels[i]), distance(check.labels[i])];
                assert.ok(precision === "float32" && mine - theirs <= 1e-5 * (mine + theirs), `${precision} ${algorithm} k=${k} d=${d} row ${i}: ${ws.labels[i]} (${mine}) vs ${check.labels[i]} (${theirs})`);
              }
            } finally {
              ws.release();
            }
          }
        }
      }
    }
  });

  it("float64 Elkan decides near ties that its float32 plane cannot tell apart on the float64 rows", () => {
    // Two centroids c and −c; every row lies 1e-6 · (1…5) to one side of the plane midway between them, so its two
    // squared distances differ by ~1e-7 relative: within the float32 plane's rounding, far above float64's.
    const n = 4001, d = 32, k = 2;
    const rng = new ml.Random(11);
    const c = Float64Array.from({ length: d }, () => rng.normal(0, 1));
    const X = ml.Matrix.zeros(n, d);
    for (let i = 0; i < n; i++) {
      let dot = 0;
      for (let j = 1; j < d; j++) dot += (X.data[i * d + j] = rng.normal(0, 1)) * c[j];
      X.data[i * d] = (-dot + (i % 2 ? -1 : 1) * 1e-6 * (1 + (i % 5))) / c[0]; // x·c = ±1e-6 · (1…5)
    }
    const side = (i: number) => (i % 2 ? 1 : 0);
    const far = Float64Array.from({ length: 2 * d }, (_, m) => (m === 1 ? 50 : m === d + 1 ? -50 : 0));
    const pair = Float64Array.from([...c, ...c.map((v) => -v)]);
    for (const algorithm of ["bounded", "lloyd"] as const) {
      const work = new KMeansWorkspace(n, d, k, "float64", algorithm);
      try {
        const { mean } = work.load(X);
        const centred = (c: Float64Array) => c.map((v, i) => v - mean[i % d]); // the workspace holds X − its column means
        work.resetLabels();
        work.assign(centred(far)); // the first pass, far away: every bound is loose for the next
        const step = work.assign(centred(pair));
        const wrong = Array.from(work.labels).filter((label, i) => label !== side(i)).length;
        assert.equal(wrong, 0, `${algorithm}: ${wrong} rows on the wrong side`);
        if (algorithm === "bounded") assert.ok(step.searched > n / 2, `searched ${step.searched}`);
        // A run's first pass, which measures every row on the plane too, decides the same ties.
        work.resetLabels();
        work.assign(centred(pair));
        const wrongFirst = Array.from(work.labels).filter((label, i) => label !== side(i)).length;
        assert.equal(wrongFirst, 0, `${algorithm}, first pass: ${wrongFirst} rows on the wrong side`);
      } finally {
        work.release();
      }
    }
  });

  it("bounded k-means relocates an emptied cluster as Lloyd does", () => {
    // Two far groups and three starting centroids, one of them far from everything: it empties at once.
    const data = ml.Matrix.fromRows([...Array.from({ length: 300 }, (_, i) => [i % 3, (i % 7) / 7]), ...Array.from({ length: 300 }, (_, i) => [50 + (i % 5), (i % 4) / 4])]);
    const init = ml.Matrix.fromRows([[1, 0.5], [52, 0.5], [1000, 1000]]);
    const bounded = new ml.KMeans({ k: 3, init, maxIter: 50 }).fit(data);
    const lloyd = new ml.KMeans({ k: 3, init, maxIter: 50, algorithm: "lloyd" }).fit(data);
    assert.deepEqual(Array.from(bounded.labels), Array.from(lloyd.labels));
    assert.ok(Math.abs(bounded.inertia - lloyd.inertia) <= 1e-9 * lloyd.inertia);
    assert.equal(new Set(bounded.labels).size, 3);
  });

  it("sample weights reach the kernels: weight 2 equals a duplicated row", () => {
    const small = blobs(3000, 40, 5, 9);
    const init = small.selectRows([0, 1, 2, 3, 4]);
    const weights = Float64Array.from({ length: small.rows }, (_, i) => (i % 7 === 0 ? 2 : 1));
    const duplicated = small.selectRows(Array.from({ length: small.rows }, (_, i) => i).flatMap((i) => (i % 7 === 0 ? [i, i] : [i])));
    const weighted = new ml.KMeans({ k: 5, init, maxIter: 30 }).fit(small, weights);
    const plain = new ml.KMeans({ k: 5, init, maxIter: 30 }).fit(duplicated);
    assert.ok(Math.abs(weighted.inertia - plain.inertia) <= 1e-9 * plain.inertia);
  });

  for (const [covarianceType, d] of [["full", 3], ["diag", 3], ["full", 2], ["diag", 2]] as const) {
    it(`GMM (${covarianceType}, ${d}-D${d === 2 ? ", the SIMD pass" : ""}) runs the fused pass identically on 1 and 2 threads`, () => {
      const Y = blobs(60_001, d, 3, 5);
      const fit = (threads: number) => withThreads(threads, () => new ml.GaussianMixture({ k: 3, covarianceType, seed: 2, maxIter: 30 }).fit(Y));
      const one = fit(1), two = fit(2);
      assert.equal(two.nIter, one.nIter);
      assert.ok(Math.abs(two.lowerBound - one.lowerBound) <= 1e-12 * Math.abs(one.lowerBound));
      assert.deepEqual(Array.from(two.predict(Y)), Array.from(one.predict(Y)));
    });
  }

  it("the 2-D SIMD EM pass follows the Coursera EM assignment's step-by-step EM (full covariances, an odd number of rows)", () => {
    const data = ml.generateMoGData(30_001, [[0, 0], [4, 1], [1, 5]], [[[1, 0.3], [0.3, 1]], [[0.6, 0], [0, 1.4]], [[1, -0.5], [-0.5, 0.9]]], [0.3, 0.4, 0.3], 4);
    const init = { means: [[1, 1], [3, 0], [0, 4]], covariances: [0, 1, 2].map(() => [[1, 0], [0, 1]]), weights: [1 / 3, 1 / 3, 1 / 3] };
    const reference = ml.EM(data.X, init.means, init.covariances, init.weights, { maxIter: 5, thresh: 0 });
    const fused = new ml.GaussianMixture({ k: 3, regCovar: 0, maxIter: reference.nIter, tol: 0, init }).fit(data.X);
    fused.means.toArray().flat().forEach((v, i) => assert.ok(Math.abs(v - reference.means.toArray().flat()[i]) < 1e-9, `mean ${i}: ${v}`));
    fused.covariances.flatMap((c) => c.toArray().flat()).forEach((v, i) => assert.ok(Math.abs(v - reference.covs.flatMap((c) => c.toArray().flat())[i]) < 1e-9));
  });

  it("a fit below the threading threshold reads back only the shares it ran (no stale result from an earlier job)", () => {
    // 10,000 × 3 rows, k=3: enough work to be near the threshold. Before, EM sized its shares for every thread but
    // ran on one, and added the second share's stale log-likelihood left by the previous pool job.
    const Y = blobs(10_000, 3, 3, 8);
    const fit = () => new ml.GaussianMixture({ k: 3, seed: 1, maxIter: 5, tol: 0 }).fit(Y).lowerBound;
    const first = fit();
    new ml.KMeans({ k: 10, seed: 1, maxIter: 3, algorithm: "lloyd" }).fit(blobs(40_000, 20, 10, 9)); // writes every share's result
    assert.equal(fit(), first);
    assert.equal(withThreads(1, fit), first);
  });

  it("setThreads checks its argument", () => {
    assert.throws(() => ml.setThreads(0), /threads must be an integer from 1 to 64, got 0/);
  });
});
