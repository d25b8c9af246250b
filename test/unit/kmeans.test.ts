import * as assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as ml from "../../kernel-lib/src";
import { initialCentroids } from "../../kernel-lib/src/cluster/init";
import { KMeansWorkspace } from "../../kernel-lib/src/cluster/kmeans-workspace";
import { assertClose, assertRelClose, fixture } from "../helpers";

const ref = fixture("kmeans.json");

describe("KMeans against scikit-learn 1.2.2 Lloyd from the same starting centroids", () => {
  for (const c of ref.cases) {
    it(c.name, () => {
      const km = new ml.KMeans({ k: 4, init: c.init ?? ref.init, maxIter: 300, tol: 1e-4 }).fit(ref.X, c.sample_weight ?? undefined);
      assertRelClose(km.inertia, c.inertia, 1e-9, "inertia");
      assertClose(km.centroids, c.centers, 1e-9, 1e-12, "centroids");
      assert.deepEqual(Array.from(km.labels), c.labels);
      assert.equal(km.nIter, c.n_iter);
      assert.equal(km.converged, true);
    });
  }
});

describe("KMeans behaviour", () => {
  const blobs = ml.generateBlobs([200, 200, 200], [[0, 0], [6, 0], [3, 5]], undefined, 1);

  it("distortion trace never increases, and the last entry is the fitted inertia", () => {
    for (const init of ["random", "k-means++", "farthest"] as const) {
      for (let seed = 0; seed < 5; seed++) {
        const km = new ml.KMeans({ k: 5, init, nInit: 1, seed }).fit(blobs.X);
        const t = km.trace.map((s) => s.inertia);
        for (let i = 1; i < t.length; i++) assert.ok(t[i] <= t[i - 1] * (1 + 1e-12), `${init} seed ${seed} iteration ${i}: ${t[i]} > ${t[i - 1]}`);
        assert.ok(km.inertia <= t[t.length - 1] * (1 + 1e-12));
      }
    }
  });

  it("inertia is exact: equal to Σ‖x − c‖² recomputed from labels", () => {
    const km = new ml.KMeans({ k: 3, seed: 3 }).fit(blobs.X);
    let direct = 0;
    for (let i = 0; i < blobs.X.rows; i++) direct += ml.squaredDistance(blobs.X.row(i), km.centroids.row(km.labels[i]));
    assertRelClose(km.inertia, direct, 1e-12, "inertia");
    assert.deepEqual(Array.from(km.predict(blobs.X)), Array.from(km.labels), "labels match the final centroids");
  });

  it("every init reaches the same optimum on well-separated blobs", () => {
    const fits = (["random", "k-means++", "farthest"] as const).map((init) => new ml.KMeans({ k: 3, init, seed: 7 }).fit(blobs.X));
    for (const km of fits) {
      assertRelClose(km.inertia, fits[0].inertia, 1e-12, "inertia");
      // The blobs (σ = 1, 6 apart) overlap by a point or two, so purity is just below 1.
      assert.ok(ml.purity(km.labels, blobs.labels) > 0.99);
    }
  });

  it("same seed, same result; nInit keeps the best run and reports all", () => {
    const a = new ml.KMeans({ k: 4, init: "random", nInit: 6, seed: 42 }).fit(blobs.X);
    const b = new ml.KMeans({ k: 4, init: "random", nInit: 6, seed: 42 }).fit(blobs.X);
    assert.deepEqual(Array.from(a.labels), Array.from(b.labels));
    assert.equal(a.runs.length, 6);
    assert.equal(a.inertia, Math.min(...a.runs.map((r) => r.inertia)));
  });

  it("k-means++ starts lower than random starts on average", () => {
    let pp = 0, rnd = 0;
    const X = ml.gen3(600, 20, 6, 10, 5).X;
    for (let seed = 0; seed < 10; seed++) {
      pp += new ml.KMeans({ k: 6, init: "k-means++", nInit: 1, maxIter: 1, seed }).fit(X).trace[0].inertia;
      rnd += new ml.KMeans({ k: 6, init: "random", nInit: 1, maxIter: 1, seed }).fit(X).trace[0].inertia;
    }
    assert.ok(pp < rnd, `k-means++ ${pp} vs random ${rnd}`);
  });

  it("farthest-first picks the most distant points", () => {
    const X = [[0, 0], [0.1, 0], [10, 0], [0, 10], [0.2, 0.1]];
    const km = new ml.KMeans({ k: 3, init: "farthest", maxIter: 1, seed: 0, keepHistory: true }).fit(X);
    const corners = km.centroids.toArray().map((c) => c.map(Math.round).join(",")).sort();
    assert.ok(corners.includes("10,0") && corners.includes("0,10"), corners.join(" "));
  });

  it("sample weights act like repeated rows", () => {
    const X = [[0], [1], [10], [11], [30]];
    const weighted = new ml.KMeans({ k: 2, init: [[0], [30]] }).fit(X, [1, 3, 1, 1, 2]);
    const repeated = new ml.KMeans({ k: 2, init: [[0], [30]] }).fit([[0], [1], [1], [1], [10], [11], [30], [30]]);
    assertClose(weighted.centroids, repeated.centroids, 1e-12);
    assertClose(weighted.inertia, repeated.inertia, 1e-9);
  });

  it("float32 data gives the same clustering", () => {
    const x32 = new ml.Matrix(blobs.X.rows, 2, Float32Array.from(blobs.X.data));
    const a = new ml.KMeans({ k: 3, seed: 1 }).fit(blobs.X);
    const b = new ml.KMeans({ k: 3, seed: 1 }).fit(x32);
    assert.deepEqual(Array.from(a.labels), Array.from(b.labels));
    assertClose(a.centroids, b.centroids, 1e-5);
  });

  it("streams every iteration through onIteration and describes itself", () => {
    const seen: number[] = [];
    const km = new ml.KMeans({ k: 3, seed: 2, onIteration: (s) => seen.push(s.iteration) }).fit(blobs.X);
    assert.deepEqual(seen, km.trace.map((s) => s.iteration));
    assert.match(km.toString(), /^KMeans k=3: \d+ iterations, inertia [\d.e+]+, converged$/);
  });
});

describe("labelling clusters (seeds 002, 003, 004)", () => {
  it("majority labels, error rate and the cluster-vs-label table", () => {
    const clusters = [0, 0, 0, 1, 1, 2, 2, 2, 2];
    const truth = ["a", "a", "b", "b", "b", "c", "c", "a", "c"];
    assert.deepEqual(ml.majorityLabels(clusters, truth, 4), ["a", "b", "c", null]);
    const table = ml.contingencyTable(clusters, truth);
    assert.deepEqual(table.classes, ["a", "b", "c"]);
    assert.deepEqual(table.counts, [[2, 1, 0], [0, 2, 0], [1, 0, 3]]);
    assert.match(table.toString(), /cluster\s+a\s+b\s+c/);
    assert.equal(ml.purity(clusters, truth), 7 / 9);
    assert.equal(ml.errorRate(["a", "b"], ["a", "c"]), 0.5);
  });

  it("CentroidClassifier labels centroids by majority and classifies by nearest centroid", () => {
    const data = ml.generateBlobs([100, 100, 100], [[0, 0], [8, 0], [0, 8]], undefined, 4);
    const names = Array.from(data.labels, (l) => ["zero", "east", "north"][l]);
    const km = new ml.KMeans({ k: 6, seed: 4 }).fit(data.X);
    const clf = ml.CentroidClassifier.fromKMeans(km, names);
    assert.equal(clf.errorRate(data.X, names), 0);
    assert.deepEqual(clf.predict([[8.2, 0.1], [0.3, 7.5]]), ["east", "north"]);
    assert.equal(clf.clusterSizes.reduce((a, b) => a + b, 0), 300);
  });

  it("k-means on the bundled Wine table matches scikit-learn from the same start", () => {
    const wine = ml.loadWine();
    const ref = fixture("wine-kmeans.json");
    assert.deepEqual(wine.X.shape, [178, 13]);
    const Z = ml.standardize(wine.X).X;
    const km = new ml.KMeans({ k: 3, init: Z.selectRows(ref.init_rows) }).fit(Z);
    assertRelClose(km.inertia, ref.inertia, 1e-9, "inertia");
    assert.deepEqual(Array.from(km.labels), ref.labels);
    assert.ok(ml.purity(km.labels, wine.labels) > 0.9, "clusters follow the cultivars");
  });
});

describe("k-means starts", () => {
  /** The plain algorithms, every distance summed in full: what the fast inits must pick, bit for bit. */
  const squared = (a: ArrayLike<number>, b: ArrayLike<number>) => {
    let s = 0;
    for (let j = 0; j < a.length; j++) s += (a[j] - b[j]) ** 2;
    return s;
  };
  function plainKMeansPlusPlus(x: ml.Matrix, k: number, w: Float64Array, rng: ml.Random): Float64Array {
    const n = x.rows, d = x.cols, trials = 2 + Math.floor(Math.log(k));
    const centres = new Float64Array(k * d);
    const first = rng.weightedIndex(w);
    centres.set(x.row(first), 0);
    let closest = Float64Array.from({ length: n }, (_, i) => squared(x.row(i), x.row(first)));
    let potential = closest.reduce((s, v, i) => s + v * w[i], 0);
    for (let c = 1; c < k; c++) {
      const weighted = Float64Array.from(closest, (v, i) => v * w[i]);
      let bestPotential = Infinity, bestId = -1, bestDist = closest;
      for (let t = 0; t < trials; t++) {
        const id = potential > 0 ? rng.weightedIndex(weighted) : rng.weightedIndex(w);
        const dist = Float64Array.from(closest, (v, i) => Math.min(v, squared(x.row(i), x.row(id))));
        const pot = dist.reduce((s, v, i) => s + w[i] * v, 0);
        if (pot < bestPotential) [bestPotential, bestId, bestDist] = [pot, id, dist];
      }
      centres.set(x.row(bestId), c * d);
      [closest, potential] = [bestDist, bestPotential];
    }
    return centres;
  }
  function plainFarthest(x: ml.Matrix, k: number, w: Float64Array, rng: ml.Random): Float64Array {
    const d = x.cols, centres = new Float64Array(k * d);
    const first = rng.weightedIndex(w);
    centres.set(x.row(first), 0);
    const closest = Float64Array.from({ length: x.rows }, (_, i) => squared(x.row(i), x.row(first)));
    for (let c = 1; c < k; c++) {
      let far = 0;
      for (let i = 1; i < x.rows; i++) if (closest[i] > closest[far]) far = i;
      centres.set(x.row(far), c * d);
      for (let i = 0; i < x.rows; i++) closest[i] = Math.min(closest[i], squared(x.row(i), x.row(far)));
    }
    return centres;
  }

  it("k-means++ and farthest-first pick what the plain algorithms pick (distances cut short once they exceed the nearest)", () => {
    const digits = ml.loadMnistPackage({ seed: 1 }).images.selectRows(Array.from({ length: 600 }, (_, i) => i));
    const rng = new ml.Random(5);
    const weights = Float64Array.from({ length: digits.rows }, () => 0.5 + rng.random());
    for (const w of [new Float64Array(digits.rows).fill(1), weights]) {
      assert.deepEqual(initialCentroids(digits, 30, "k-means++", w, new ml.Random(2)), plainKMeansPlusPlus(digits, 30, w, new ml.Random(2)));
      assert.deepEqual(initialCentroids(digits, 30, "farthest", w, new ml.Random(2)), plainFarthest(digits, 30, w, new ml.Random(2)));
    }
  });

  it("a fit's starts, measured by the SIMD seeding pass on every core, pick what the plain algorithms pick", () => {
    // Wide rows (digits) keep the candidates' distances for the centre chosen; 2-D points measure it again.
    const digits = ml.loadMnistPackage({ seed: 1 }).images.selectRows(Array.from({ length: 600 }, (_, i) => i));
    const points = ml.generateBlobs(new Array(12).fill(250), Array.from({ length: 12 }, (_, c) => [(c % 4) * 5, Math.floor(c / 4) * 5]), undefined, 4).X;
    for (const x of [digits, points]) {
      const rng = new ml.Random(5);
      const weights = Float64Array.from({ length: x.rows }, () => 0.5 + rng.random());
      for (const precision of ["float64", "float32"] as const) {
        for (const w of [new Float64Array(x.rows).fill(1), weights]) {
          const work = new KMeansWorkspace(x.rows, x.cols, 30, precision);
          try {
            work.load(x, w);
            for (const init of ["k-means++", "farthest"] as const) {
              const picked = work.seeding((distances) => initialCentroids(x, 30, init, w, new ml.Random(2), distances));
              const plain = init === "k-means++" ? plainKMeansPlusPlus(x, 30, w, new ml.Random(2)) : plainFarthest(x, 30, w, new ml.Random(2));
              assert.deepEqual(picked, plain, `${init}, ${x.cols} columns, ${precision}`);
            }
          } finally {
            work.release();
          }
        }
      }
    }
  });
});
