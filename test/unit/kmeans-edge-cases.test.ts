import * as assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import * as ml from "../../kernel-lib/src";
import { KMeansWorkspace } from "../../kernel-lib/src/cluster/kmeans-workspace";
import { assertClose, assertRelClose, fixture, withThreads } from "../helpers";

const edge = fixture("kmeans-edge-cases.json");

describe("k-means edge cases against scikit-learn 1.2.2 (zero weights, coinciding starts, strict convergence)", () => {
  for (const c of edge.cases) {
    for (const algorithm of ["lloyd", "bounded"] as const) {
      it(`${c.name} (${algorithm})`, () => {
        const km = new ml.KMeans({ k: c.init.length, init: c.init, tol: c.tol, maxIter: 300, algorithm }).fit(c.X, c.sample_weight ?? undefined);
        assert.equal(km.nIter, c.n_iter, "iterations");
        assert.deepEqual(Array.from(km.labels), c.labels);
        assertClose(km.centroids, c.centers, 1e-9, 1e-12, "centroids");
        assertRelClose(km.inertia, c.inertia, 1e-9, "inertia");
      });
    }
  }

  it("a cluster relocated to a zero-weight row has no weight, so its centre is the data's mean (scikit-learn's rule)", () => {
    const c = edge.cases.find((x: { name: string }) => x.name === "farthest row has zero weight");
    const km = new ml.KMeans({ k: 3, init: c.init }).fit(c.X, c.sample_weight);
    assertClose(km.centroids.row(2), ml.columnMeans(c.X), 1e-12);
    // The rule this replaced skipped zero-weight rows and moved the centre to the farthest weighted row instead.
    assert.ok(Math.abs(km.centroids.get(2, 0) - 10) > 4, `centre ${km.centroids.row(2)}`);
  });

  it("a fit whose labels stop changing stops there, even with tol 0", () => {
    for (const c of edge.cases.filter((x: { tol: number }) => x.tol === 0)) {
      const km = new ml.KMeans({ k: 4, init: c.init, tol: 0 }).fit(c.X);
      assert.ok(km.converged);
      assert.equal(km.trace[km.trace.length - 1].changed, 0);
      assert.ok(km.trace.slice(1, -1).every((t) => t.changed > 0), "it stops at the first iteration without a change");
    }
  });
});

/** n rows drawn from a handful of distinct points, so that k > distinct points forces centroids to coincide. */
function fewDistinct(distinct: number, n: number, d: number, seed: number): ml.Matrix {
  const rng = new ml.Random(seed);
  const points = Array.from({ length: distinct }, () => Array.from({ length: d }, () => Math.round(rng.normal(0, 3) * 8) / 8 + 0.1));
  const X = ml.Matrix.zeros(n, d);
  for (let i = 0; i < n; i++) X.data.set(points[rng.int(distinct)], i * d);
  return X;
}

describe('"bounded" and "lloyd" give identical iterates with exact ties (k above the number of distinct points)', () => {
  after(() => ml.setThreads(Math.max(2, ml.getThreads())));
  // Each shape exercises one kind of bounds — Hamerly's without a stored upper bound (2-D), Hamerly's (5-D), Elkan's
  // (24-D) — and is large enough (rows × cols × k ≥ 2¹⁹) to be split across two threads.
  const shapes = [
    { distinct: 5, n: 30_000, d: 2, k: 10 },
    { distinct: 6, n: 12_000, d: 5, k: 10 },
    { distinct: 7, n: 3_000, d: 24, k: 10 },
  ];
  for (const threads of [1, 2]) {
    for (const { distinct, n, d, k } of shapes) {
      it(`${d}-D, ${distinct} distinct points, k=${k}, ${threads} thread${threads > 1 ? "s" : ""}: float64 and float32, every init`, () => withThreads(threads, () => {
        for (const precision of ["float64", "float32"] as const) {
          for (const init of ["random", "k-means++", "farthest"] as const) {
            for (const seed of threads === 1 ? [1, 2] : [3]) {
              const X = fewDistinct(distinct, n, d, seed + 10 * d);
              const options = { k, init, seed, nInit: 1, maxIter: 40, precision };
              const bounded = new ml.KMeans({ ...options, algorithm: "bounded" }).fit(X);
              const lloyd = new ml.KMeans({ ...options, algorithm: "lloyd" }).fit(X);
              const what = `${precision} ${init} seed ${seed}`;
              assert.equal(bounded.nIter, lloyd.nIter, `${what}: iterations`);
              assert.deepEqual(bounded.trace.map((t) => t.changed), lloyd.trace.map((t) => t.changed), `${what}: labels changed per iteration`);
              assert.deepEqual(Array.from(bounded.labels), Array.from(lloyd.labels), `${what}: labels`);
              assert.deepEqual(bounded.centroids.toArray(), lloyd.centroids.toArray(), `${what}: centroids, bit for bit`);
              assert.equal(bounded.inertia, lloyd.inertia, `${what}: inertia`);
            }
          }
        }
      }));
    }
  }

  it("a row on two coinciding centroids goes to the lower index, in the first pass and in bounded passes after it", () => {
    for (const d of [2, 5, 24]) {
      const X = fewDistinct(4, 400, d, d);
      const p = Array.from(X.row(0)), q = Array.from(X.row(1)).map((v) => v + 50);
      // Centroids 1 and 3 coincide at row 0's point; 0 and 2 are far away. Every row equal to row 0 must go to 1.
      const centres = Float64Array.from([...q, ...p, ...q.map((v) => v + 50), ...p]);
      const atP = Array.from({ length: X.rows }, (_, i) => i).filter((i) => Array.from(X.row(i)).every((v, j) => v === p[j]));
      for (const algorithm of ["bounded", "lloyd"] as const) {
        for (const precision of ["float64", "float32"] as const) {
          const work = new KMeansWorkspace(X.rows, d, 4, precision, algorithm);
          try {
            const { mean } = work.load(X);
            work.resetLabels();
            for (let pass = 0; pass < 3; pass++) {
              work.assign(centres.map((v, i) => v - mean[i % d])); // the workspace holds X − its column means
              assert.deepEqual(atP.map((i) => work.labels[i]), atP.map(() => 1), `${d}-D ${algorithm} ${precision} pass ${pass}`);
            }
          } finally {
            work.release();
          }
        }
      }
    }
  });
});

describe("bounded passes re-examine a row when a lower-indexed centroid lands exactly on its own", () => {
  it("pass 1: centroid 0 a hair from the rows' point, 1 on it; pass 3: centroid 0 moves onto it; the rows go to 0", () => {
    // Hamerly's bounds without a stored upper bound (2-D), with one (5-D, k > d), and Elkan's (24-D).
    for (const [d, k] of [[2, 3], [5, 6], [24, 3]]) {
      const X = fewDistinct(3, 300, d, 3 * d);
      const p = Array.from(X.row(0));
      const atP = Array.from({ length: X.rows }, (_, i) => i).filter((i) => Array.from(X.row(i)).every((v, j) => v === p[j]));
      const far = Array.from({ length: k - 2 }, (_, f) => p.map((v) => v + 1000 * (f + 1)));
      const near = p.map((v, j) => (j === 0 ? v + 1e-7 : v));
      for (const algorithm of ["bounded", "lloyd"] as const) {
        const work = new KMeansWorkspace(X.rows, d, k, "float64", algorithm);
        try {
          const { mean } = work.load(X);
          work.resetLabels();
          for (const centres of [[near, p, ...far], [near, p, ...far], [p, p, ...far]]) work.assign(Float64Array.from(centres.flat(), (v, i) => v - mean[i % d]));
          assert.deepEqual(atP.map((i) => work.labels[i]), atP.map(() => 0), `${d}-D ${algorithm}`);
        } finally {
          work.release();
        }
      }
    }
  });
});

describe("k-means on extreme magnitudes: rescaled exactly, or the overflow reported", () => {
  const base = ml.generateBlobs([150, 150, 150], [[0, 0, 0], [5, 5, 0], [0, 5, 5]], undefined, 3).X;
  const times = (m: ml.Matrix, e: number) => new ml.Matrix(m.rows, m.cols, Float64Array.from(m.data, (v) => v * 2 ** e));
  const init = base.selectRows([0, 1, 2]);
  const reference = new ml.KMeans({ k: 3, init }).fit(base);

  it("X·2^-600 (values near 1e-181): the same labels and centroids ×2^-600, the inertia ×2^-1200", () => {
    for (const algorithm of ["bounded", "lloyd"] as const) {
      const km = new ml.KMeans({ k: 3, init: times(init, -600), algorithm }).fit(times(base, -600));
      assert.deepEqual(Array.from(km.labels), Array.from(reference.labels));
      assert.deepEqual(km.centroids.toArray(), times(reference.centroids, -600).toArray());
      assert.equal(km.inertia, reference.inertia * 2 ** -600 * 2 ** -600);
      assert.equal(km.nIter, reference.nIter);
    }
  });

  it("X·2^600 (values near 1e181): the inertia (~1e363) is beyond float64, and the error says so and how to fix it", () => {
    assert.throws(() => new ml.KMeans({ k: 3, init: times(init, 600) }).fit(times(base, 600)), (e: unknown) => {
      assert.ok(e instanceof ml.NumericRangeError, String(e));
      assert.match((e as Error).message, /inertia at iteration 1 is about [\d.]+e\+36\d, beyond float64's range.*divide X by a constant/);
      return true;
    });
  });

  it("rows of ±1e200 in two exact groups: right labels, centroids ±1e200 and inertia 0 (was NaN with wrong labels)", () => {
    const X = [[1e200, 1e200], [1e200, 1e200], [-1e200, -1e200], [-1e200, -1e200], [1e200, 1e200]];
    for (const algorithm of ["bounded", "lloyd"] as const) {
      for (const precision of ["float64", "float32"] as const) {
        const km = new ml.KMeans({ k: 2, init: [[1e200, 1e200], [-1e200, -1e200]], algorithm, precision }).fit(X);
        assert.deepEqual(Array.from(km.labels), [0, 0, 1, 1, 0]);
        if (precision === "float64") assert.deepEqual(km.centroids.toArray(), [[1e200, 1e200], [-1e200, -1e200]]);
        else assertClose(km.centroids, [[1e200, 1e200], [-1e200, -1e200]], 0, 2 ** -23); // the float32 grid
        assert.equal(km.inertia, 0);
        assert.deepEqual(Array.from(km.predict([[9e199, 1e200], [-1.1e200, -1.3e200], [1.7e308, 1e308]])), [0, 1, 0]);
      }
    }
  });

  it("float32 kernels on values beyond float32's range (2^150) give float64's clustering", () => {
    const big = times(base, 150);
    const km = new ml.KMeans({ k: 3, init: times(init, 150), precision: "float32" }).fit(big);
    assert.deepEqual(Array.from(km.labels), Array.from(reference.labels));
    assertClose(km.centroids, times(reference.centroids, 150), 1e-5 * 2 ** 150); // single precision, relative to the data's scale
  });

  it("sample weights of 1e300 or 1e-300 fit as weights near 1 do (their scale does not matter)", () => {
    const rng = new ml.Random(5);
    const w = Float64Array.from({ length: base.rows }, () => 0.5 + rng.random());
    const plain = new ml.KMeans({ k: 3, init }).fit(base, w);
    for (const factor of [2 ** 990, 2 ** -990]) {
      const km = new ml.KMeans({ k: 3, init }).fit(base, w.map((v) => v * factor));
      assert.deepEqual(Array.from(km.labels), Array.from(plain.labels));
      assert.deepEqual(km.centroids.toArray(), plain.centroids.toArray());
      assert.equal(km.inertia, plain.inertia * factor);
    }
  });

  it("predict and distortion rescale new data too", () => {
    const big = times(base, 700);
    assert.deepEqual(Array.from(reference.predict(base)), Array.from(reference.labels));
    const scaled = new ml.KMeans({ k: 3, init: times(init, 700) });
    assert.throws(() => scaled.fit(big), ml.NumericRangeError);
    assert.throws(() => reference.distortion(big), (e: unknown) => e instanceof ml.NumericRangeError && /distortion of X/.test((e as Error).message));
  });
});
