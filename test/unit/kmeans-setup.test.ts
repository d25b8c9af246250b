import { strict as assert } from "node:assert";
import { describe, it } from "node:test";
import * as ml from "../../kernel-lib/src";
import { KMeansWorkspace } from "../../kernel-lib/src/cluster/kmeans-workspace";
import { sharedMemory } from "../../kernel-lib/src/parallel/shared-memory";
import { withThreads } from "../helpers";

/** What the workspace keeps per row besides the centred copy (white-box: its buffers in the shared memory). */
function kept(work: KMeansWorkspace, n: number, d: number) {
  const { ptr } = work as unknown as { ptr: { plane: number; planeSlack: number; norms: number } };
  const { arena } = sharedMemory();
  return {
    plane: ptr.plane ? arena.f32(ptr.plane, n * d) : undefined,
    slack: ptr.planeSlack ? arena.f64(ptr.planeSlack, n) : undefined,
    norms: ptr.norms ? arena.f64(ptr.norms, n) : undefined,
  };
}

/**
 * The set-up as plain loops: column means summed in row order (rounded to float32 for float32 data in a float32 fit),
 * X − mean in float64, rounded once to the precision.
 */
function reference(X: ml.Matrix, float32: boolean) {
  const { rows: n, cols: d } = X;
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] += X.data[i * d + j];
  for (let j = 0; j < d; j++) mean[j] /= n;
  if (float32 && X.data instanceof Float32Array) for (let j = 0; j < d; j++) mean[j] = Math.fround(mean[j]);
  const centred = float32 ? new Float32Array(n * d) : new Float64Array(n * d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) centred[i * d + j] = X.data[i * d + j] - mean[j];
  let squares = 0;
  for (let i = 0; i < n * d; i++) squares += centred[i] * centred[i];
  return { mean, centred, squares };
}

/** x·x as the float32 passes' dot product (wasm/row-math.ts dotF32) sums it: 16 float32 lanes, then 4, then one by one. */
function dotF32Order(x: Float64Array | Float32Array): number {
  const f = Math.fround, lanes = new Array<number>(16).fill(0);
  let j = 0;
  for (; j + 16 <= x.length; j += 16) for (let l = 0; l < 16; l++) lanes[l] = f(lanes[l] + f(x[j + l] * x[j + l]));
  for (; j + 4 <= x.length; j += 4) for (let l = 0; l < 4; l++) lanes[l] = f(lanes[l] + f(x[j + l] * x[j + l]));
  let s = 0;
  for (let l = 0; l < 4; l++) s += f(f(lanes[l] + lanes[4 + l]) + f(lanes[8 + l] + lanes[12 + l]));
  for (; j < x.length; j++) s += f(x[j] * x[j]);
  return s;
}

function data(n: number, d: number, seed: number, float32: boolean): ml.Matrix {
  const rng = new ml.Random(seed);
  const values = Float64Array.from({ length: n * d }, (_, i) => 1000 + 50 * (i % 7) + rng.normal(0, 30) * (1 + (i % d)));
  return new ml.Matrix(n, d, float32 ? Float32Array.from(values) : values);
}

describe("a k-means fit's set-up: the copy with its column sums, then the centring, give the plain computation's values", () => {
  // 5001 × 120 takes two threads and, for a float32 fit of float64 data, two chunks of the staging buffer; 9001 × 123
  // (over 2^20 values, d not a multiple of 4, n not of 4) is copied in two chunks, each summed as it arrives.
  for (const [n, d, k] of [[5001, 120, 3], [9001, 123, 3], [3001, 2, 3]] as const) {
    for (const precision of ["float64", "float32"] as const) {
      for (const input of ["float64", "float32"] as const) {
        it(`${n}×${d}, ${input} data, ${precision} fit: the same means and centred rows bit for bit, the plane and its slacks, the row norms`, () => {
          const X = data(n, d, n + d, input === "float32");
          const work = new KMeansWorkspace(n, d, k, precision, "bounded");
          try {
            const loaded = work.load(X);
            work.centre();
            const ref = reference(X, precision === "float32");
            assert.equal(loaded.exponent, 0);
            assert.deepEqual(Array.from(loaded.mean), Array.from(ref.mean), "column means");
            assert.deepEqual(Array.from(work.x), Array.from(ref.centred), "centred rows");
            assert.ok(Math.abs(work.sumSquares - ref.squares) <= 1e-12 * ref.squares, `Σ‖x‖² ${work.sumSquares} vs ${ref.squares}`);
            const { plane, slack, norms } = kept(work, n, d);
            if (precision === "float64" && d > 2) {
              assert.ok(plane && slack && norms, "a float64 Elkan fit keeps a float32 plane, and its rows' norms");
              assert.deepEqual(Array.from(plane), Array.from(Float32Array.from(ref.centred)), "the plane is the centred rows rounded to float32");
              for (let i = 0; i < n; i++) {
                let s = 0;
                for (let j = 0; j < d; j++) s += (ref.centred[i * d + j] - plane[i * d + j]) ** 2;
                const exact = Math.sqrt(s);
                assert.ok(slack[i] >= exact && slack[i] <= exact * (1 + 1e-11), `row ${i}: slack ${slack[i]} vs ${exact}`);
                let hh = 0;
                for (let j = 0; j < d; j++) hh += plane[i * d + j] ** 2;
                assert.ok(Math.abs(norms[i] - hh) <= 1e-13 * hh, `row ${i}: ‖h‖² ${norms[i]} vs ${hh}`);
              }
            } else assert.equal(plane, undefined);
            if (precision === "float32" && d > 2) {
              assert.ok(norms, "a float32 Elkan fit keeps ‖x‖² per row");
              for (let i = 0; i < n; i++) {
                let s = 0;
                for (let j = 0; j < d; j++) s += ref.centred[i * d + j] ** 2;
                assert.ok(Math.abs(norms[i] - s) <= 1e-5 * s, `row ${i}: ‖x‖² ${norms[i]} vs ${s}`);
                assert.equal(norms[i], dotF32Order(ref.centred.subarray(i * d, (i + 1) * d)), `row ${i}: ‖x‖² summed as the passes' dot products sum it`);
              }
            }
          } finally {
            work.release();
          }
        });
      }
    }
  }

  it("weights enter Σ w‖x‖², which the bounded passes' distortion starts from", () => {
    const X = data(4001, 6, 1, false);
    const weights = Float64Array.from({ length: X.rows }, (_, i) => (i % 5) / 2);
    const bounded = new ml.KMeans({ k: 4, seed: 3, maxIter: 5, tol: 0 }).fit(X, weights);
    const lloyd = new ml.KMeans({ k: 4, seed: 3, maxIter: 5, tol: 0, algorithm: "lloyd" }).fit(X, weights);
    bounded.trace.forEach((t, i) => assert.ok(Math.abs(t.inertia - lloyd.trace[i].inertia) <= 1e-10 * lloyd.trace[i].inertia, `iteration ${i + 1}`));
  });

  it("the column-sums pass finds a NaN or ±Infinity anywhere, and the error names the first", () => {
    const X = data(5001, 120, 2, false);
    X.data[4999 * 120 + 77] = NaN; // in the second thread's columns and, staged, the second chunk
    X.data[5000 * 120 + 3] = -Infinity;
    for (const precision of ["float64", "float32"] as const) {
      assert.throws(() => new ml.KMeans({ k: 3, precision }).fit(X), (e: Error) => e instanceof ml.NonFiniteError && /X contains NaN at row 4999, column 77/.test(e.message));
    }
    // Among the columns summed four at a time: in the copy's first chunk (summed by the workers while the next one is
    // copied, or on one thread in turn), or in its last.
    for (const [row, column, value] of [[100, 9, Infinity], [100, 9, NaN], [8600, 5, NaN]] as const) {
      const Z = data(9001, 123, 5, true);
      Z.data[row * 123 + column] = value;
      for (const threads of [1, 2]) {
        withThreads(threads, () => assert.throws(() => new ml.KMeans({ k: 3, precision: "float32" }).fit(Z), new RegExp(`X contains ${value} at row ${row}, column ${column}`)));
      }
    }
    const Y = data(3001, 2, 3, true);
    Y.data[2 * 3000 + 1] = Infinity;
    assert.throws(() => new ml.KMeans({ k: 3, precision: "float32" }).fit(Y), /X contains Infinity at row 3000, column 1/);
  });

  it("rows beyond the safe magnitudes are scaled by a power of two first, then summed and centred (a staged float32 fit too)", () => {
    for (const precision of ["float64", "float32"] as const) {
      const X = data(5001, 120, 4, false);
      const scale = precision === "float64" ? 2 ** 700 : 2 ** 100;
      const big = new ml.Matrix(X.rows, X.cols, Float64Array.from(X.data, (v) => v * scale));
      const work = new KMeansWorkspace(X.rows, X.cols, 3, precision, "bounded");
      try {
        const loaded = work.load(big);
        work.centre();
        const ref = reference(new ml.Matrix(X.rows, X.cols, Float64Array.from(big.data, (v) => v * 2 ** -loaded.exponent)), precision === "float32");
        assert.ok(loaded.exponent > 0);
        assert.deepEqual(Array.from(loaded.mean), Array.from(ref.mean));
        assert.deepEqual(Array.from(work.x), Array.from(ref.centred));
      } finally {
        work.release();
      }
    }
  });
});

describe("a k-means fit on wide data centres its rows in its first pass, block by block, as it measures them", () => {
  /** Everything a pass leaves in the workspace: centred rows, plane, slacks, norms, labels, bounds. */
  function state(work: KMeansWorkspace, n: number, d: number, k: number) {
    const { ptr } = work as unknown as { ptr: { upper: number; lower: number } };
    const { arena } = sharedMemory();
    const { plane, slack, norms } = kept(work, n, d);
    return {
      x: Array.from(work.x), plane: plane && Array.from(plane), slack: slack && Array.from(slack), norms: norms && Array.from(norms),
      labels: Array.from(work.labels), upper: Array.from(arena.f32(ptr.upper, n)), lower: Array.from(arena.f32(ptr.lower, n * k)),
    };
  }

  // 5001 × 120 and k = 4: Elkan's bounds, two threads for the centre pass and for the k-means passes alike.
  const n = 5001, d = 120, k = 4;
  for (const precision of ["float64", "float32"] as const) {
    for (const weighted of [false, true]) {
      it(`${precision}${weighted ? ", weighted" : ""}: the same centred data, plane, sums, labels and bounds as centring first, bit for bit; the bounds hold`, () => {
        const X = data(n, d, 7, precision === "float32");
        const weights = weighted ? Float64Array.from({ length: n }, (_, i) => 0.5 + (i % 3)) : undefined;
        const separate = new KMeansWorkspace(n, d, k, precision, "bounded");
        const fused = new KMeansWorkspace(n, d, k, precision, "bounded");
        try {
          const { mean } = separate.load(X, weights);
          fused.load(X, weights);
          assert.deepEqual(Array.from(fused.x), Array.from(X.data), "until its first pass, the workspace holds the rows as copied in");
          // Starts: four rows, centred, as a fit's explicit start.
          const start = Float64Array.from([0, 1, 2, 3].flatMap((i) => Array.from(X.row(i * 1000), (v, j) => v - mean[j])));
          if (precision === "float32") for (let i = 0; i < start.length; i++) start[i] = Math.fround(start[i]);
          separate.centre();
          for (const work of [separate, fused]) work.resetLabels();
          const a = separate.assign(start), b = fused.assign(start);
          assert.deepEqual(state(fused, n, d, k), state(separate, n, d, k));
          assert.equal(fused.sumSquares, separate.sumSquares);
          assert.deepEqual(b, a, "the pass's distortion, counts and sums");
          // The bounds are bounds: upper ≥ the distance to the own centroid, lower ≥ none of the true distances.
          const { x, labels, upper, lower } = state(fused, n, d, k);
          for (let i = 0; i < n; i++) {
            for (let q = 0; q < k; q++) {
              let s = 0;
              for (let j = 0; j < d; j++) s += (x[i * d + j] - start[q * d + j]) ** 2;
              const exact = Math.sqrt(s);
              assert.ok(lower[i * k + q] <= exact, `row ${i}, centroid ${q}: lower bound ${lower[i * k + q]} > ${exact}`);
              if (q === labels[i]) assert.ok(upper[i] >= exact, `row ${i}: upper bound ${upper[i]} < ${exact}`);
            }
          }
          // The next pass starts from those bounds alike.
          const next = start.map((v, i) => v + ((i % 5) - 2) * 0.5);
          assert.deepEqual(fused.assign(next), separate.assign(next));
          assert.deepEqual(state(fused, n, d, k), state(separate, n, d, k));
        } finally {
          fused.release();
          separate.release();
        }
      });
    }
  }
});
