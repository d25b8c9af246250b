import * as assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as ml from "../../kernel-lib/src";
import { assertClose, assertRelClose, fixture } from "../helpers";

const ref = fixture("linalg.json");

describe("linear algebra against numpy", () => {
  for (const c of ref.cases) {
    const d = c.spd.length;
    it(`${d}×${d}: cholesky, solve, inverse, det, logdet, eigh`, () => {
      const { L, jitterUsed } = ml.cholesky(c.spd);
      assert.equal(jitterUsed, 0);
      assertClose(L, c.cholesky, 1e-12, 1e-10);
      assertClose(ml.choleskySolve(L, c.b), c.solve, 1e-10, 1e-10);
      assertClose(ml.solve(c.spd, c.b), c.solve, 1e-10, 1e-10);
      assertClose(ml.inverse(c.spd), c.inverse, 1e-12, 1e-10);
      assertRelClose(ml.determinant(c.spd), c.det, 1e-10, "det");
      assertClose(ml.choleskyLogDet(L), c.logdet, 1e-10);
      assert.deepEqual(ml.logDeterminant(c.spd).sign, 1);
      assertClose(ml.logDeterminant(c.spd).logAbsDet, c.logdet, 1e-10);
      const eig = ml.symmetricEigen(c.spd);
      assertClose(eig.values, c.eigenvalues, 1e-10, 1e-10);
      // Eigenvectors are defined up to sign: compare |v·v_ref| = 1 per column, and A·v = λv.
      for (let j = 0; j < d; j++) {
        const v = eig.vectors.column(j);
        const vr = c.eigenvectors.map((row: number[]) => row[j]);
        assertClose(Math.abs(ml.dot(v, vr)), 1, 1e-9);
        assertClose(ml.matvec(c.spd, v), v.map((x) => x * eig.values[j]), 1e-9);
      }
      assertRelClose(ml.determinant(c.general), c.general_det, 1e-9, "general det");
      assertClose(ml.inverse(c.general), c.general_inverse, 1e-9, 1e-9);
      assertClose(ml.solve(c.general, c.b), c.general_solve, 1e-9, 1e-9);
    });
  }

  it("matmul, transpose, outer, add, subtract, scale", () => {
    const a = [[1, 2, 3], [4, 5, 6]];
    assertClose(ml.matmul(a, ml.transpose(a)), [[14, 32], [32, 77]], 0);
    assertClose(ml.outer([1, 2], [3, 4, 5]), [[3, 4, 5], [6, 8, 10]], 0);
    assertClose(ml.subtract(ml.add(a, a), ml.scale(a, 2)), [[0, 0, 0], [0, 0, 0]], 0);
    assert.throws(() => ml.matmul(a, a), ml.ShapeError);
  });

  it("2×2 eigen closed form handles diagonal and repeated eigenvalues", () => {
    assertClose(ml.symmetricEigen([[3, 0], [0, 1]]).values, [1, 3], 1e-15);
    const iso = ml.symmetricEigen([[2, 0], [0, 2]]);
    assertClose(iso.values, [2, 2], 1e-15);
    assertClose(ml.matmul(ml.transpose(iso.vectors), iso.vectors), [[1, 0], [0, 1]], 1e-15);
  });

  it("least squares by QR equals the normal-equations solution on a well-conditioned problem", () => {
    const A = [[1, 1], [1, 2], [1, 3], [1, 4]];
    const b = [6, 5, 7, 10];
    assertClose(ml.leastSquares(A, b), [3.5, 1.4], 1e-12);
    assert.throws(() => ml.leastSquares([[1, 2], [2, 4], [3, 6]], [1, 2, 3]), ml.SingularMatrixError);
  });

  it("errors: non-square, singular, not positive definite, jitter rescue", () => {
    assert.throws(() => ml.inverse([[1, 2, 3], [4, 5, 6]]), ml.ShapeError);
    assert.throws(() => ml.inverse([[1, 2], [2, 4]]), ml.SingularMatrixError);
    assert.throws(() => ml.cholesky([[1, 2], [2, 1]]), ml.NotPositiveDefiniteError);
    assert.throws(() => ml.cholesky([[1, 2], [3, 1]]), /symmetric/);
    assert.throws(() => ml.cholesky([[1, NaN], [NaN, 1]]), ml.NonFiniteError);
    const rescued = ml.cholesky([[1, 1], [1, 1]], { jitter: 1e-10 });
    assert.ok(rescued.jitterUsed > 0 && rescued.jitterUsed <= 1e-4);
    // Indefinite (eigenvalues 3 and −1): no small jitter rescues it, and the message says what was tried.
    assert.throws(() => ml.cholesky([[1, 2], [2, 1]], { jitter: 1e-10, maxJitter: 1e-6 }), /even with .* added to the diagonal.*regularis/);
    assert.equal(ml.logDeterminant([[1, 2], [2, 4]]).sign, 0);
  });

  it("Matrix: construction, views, conversion and shape errors", () => {
    const m = ml.Matrix.fromRows([[1, 2], [3, 4], [5, 6]]);
    assert.deepEqual(m.shape, [3, 2]);
    assert.deepEqual(Array.from(m.row(1)), [3, 4]);
    assert.deepEqual(Array.from(m.column(1)), [2, 4, 6]);
    assert.deepEqual(m.selectRows([2, 0]).toArray(), [[5, 6], [1, 2]]);
    assert.throws(() => ml.Matrix.fromRows([[1, 2], [3]]), /ragged: row 0 has 2 values but row 1 has 1/);
    assert.throws(() => new ml.Matrix(2, 2, new Float64Array(3)), ml.ShapeError);
    assert.throws(() => ml.toMatrix([1, 2, 3] as never), /Matrix.column/);
  });
});
