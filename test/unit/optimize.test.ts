import * as assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as ml from "../../kernel-lib/src";
import { assertClose } from "../helpers";

const f = (x: number) => x ** 3 - 12 * x ** 2 - 6; // HW6.1

describe("numeric derivatives (Ridders)", () => {
  it("f′ and f″ of HW6.1 to ~1e-9, with an honest error estimate", () => {
    for (const x of [-6, -1.5, 0, 2.2, 6]) {
      const d1 = ml.derivativeWithError(f, x, 1);
      assertClose(d1.value, 3 * x * x - 24 * x, 1e-8);
      assert.ok(d1.error < 1e-6);
      assertClose(ml.derivative(f, x, 2), 6 * x - 24, 1e-6);
    }
    assertClose(ml.derivative(Math.sin, 1), Math.cos(1), 1e-10);
    assertClose(ml.derivative(Math.exp, 10, 2), Math.exp(10), 1e-6, 1e-8);
  });

  it("reports a non-finite neighbourhood clearly", () => {
    assert.throws(() => ml.derivative(Math.log, 0), /not finite near x=0/);
  });

  it("near a domain's edge, against the analytic derivative, with an error estimate that covers the error", () => {
    // The first trial steps (0.1 for f′, 0.5 for f″) leave each domain; the step shrinks until f is finite.
    const cases: [string, (x: number) => number, number, 1 | 2, number][] = [
      ["log′ at 0.05", Math.log, 0.05, 1, 1 / 0.05],
      ["log′ at 1e-6", Math.log, 1e-6, 1, 1e6],
      ["√′ at 0.05", Math.sqrt, 0.05, 1, 0.5 / Math.sqrt(0.05)],
      ["√′ at 1e-4", Math.sqrt, 1e-4, 1, 0.5 / Math.sqrt(1e-4)],
      ["log″ at 0.5", Math.log, 0.5, 2, -1 / 0.25],
      ["log″ at 0.05", Math.log, 0.05, 2, -1 / 0.0025],
      ["(x log x)′ at 0.05", (x) => x * Math.log(x), 0.05, 1, Math.log(0.05) + 1],
      ["asin′ at 0.99", Math.asin, 0.99, 1, 1 / Math.sqrt(1 - 0.99 ** 2)],
      ["exp′ at 700 (exp overflows at 709.8)", Math.exp, 700, 1, Math.exp(700)],
    ];
    for (const [name, fn, x, order, exact] of cases) {
      const { value, error } = ml.derivativeWithError(fn, x, order);
      const actual = Math.abs(value - exact);
      assert.ok(actual <= 1e-8 * Math.abs(exact), `${name}: ${value} vs ${exact}`);
      assert.ok(actual <= 10 * error + 1e-14 * Math.abs(exact), `${name}: error ${actual} but estimated ${error}`);
    }
  });

  it("criticalPoints and newtonRaphson inherit it: x·log x on [0.05, 2] and log x + 3 = 0 from 0.04", () => {
    const points = ml.criticalPoints((x) => x * Math.log(x), [0.05, 2]);
    assert.deepEqual(points.map((p) => [p.where, p.kind]), [["left endpoint", "local maximum"], ["interior", "local minimum"], ["right endpoint", "local maximum"]]);
    assertClose(points[1].x, 1 / Math.E, 1e-10);
    assertClose(points[1].curvature, Math.E, 1e-6); // (x log x)″ = 1/x
    const root = ml.newtonRaphson((x) => Math.log(x) + 3, 0.04);
    assert.ok(root.converged);
    assertClose(root.root, Math.exp(-3), 1e-14);
  });

  it("f must be a function returning numbers", () => {
    assert.throws(() => ml.derivative("x * x" as never, 1), (e: unknown) => e instanceof ml.DataTypeError && /f must be a function, got the string/.test((e as Error).message));
    assert.throws(() => ml.derivative(((x: number) => String(x)) as never, 1), (e: unknown) => e instanceof ml.DataTypeError && /returned the string/.test((e as Error).message));
  });
});

describe("critical points with FOC/SOC (HW6.1)", () => {
  it("x³ − 12x² − 6 on [−6, 6]: a maximum at 0, minima at both endpoints", () => {
    const points = ml.criticalPoints(f, [-6, 6]);
    assert.deepEqual(points.map((p) => [p.where, p.kind]), [
      ["left endpoint", "local minimum"],
      ["interior", "local maximum"],
      ["right endpoint", "local minimum"],
    ]);
    assertClose(points[1].x, 0, 1e-9);
    assertClose(points[1].curvature, -24, 1e-5);
    assertClose(points.map((p) => p.fx), [-654, -6, -222], 1e-6);
    assert.match(points[1].reason, /FOC.*SOC/);
  });

  it("on [−6, 12] the second root x = 8 is a minimum; analytic derivatives give the same answer", () => {
    const numeric = ml.criticalPoints(f, [-6, 12], { endpoints: false });
    const analytic = ml.criticalPoints(f, [-6, 12], { endpoints: false, df: (x) => 3 * x * x - 24 * x, d2f: (x) => 6 * x - 24 });
    assert.deepEqual(numeric.map((p) => p.kind), ["local maximum", "local minimum"]);
    assertClose(numeric.map((p) => p.x), [0, 8], 1e-8);
    assertClose(analytic.map((p) => p.x), [0, 8], 1e-12);
  });

  it("a touching zero of f′ (x³ at 0) is found and marked inconclusive", () => {
    const points = ml.criticalPoints((x) => x ** 3, [-1, 1], { endpoints: false, df: (x) => 3 * x * x, d2f: (x) => 6 * x });
    assert.equal(points.length, 1);
    assert.equal(points[0].kind, "inconclusive");
  });
});

describe("Newton–Raphson (HW6.2)", () => {
  it("x³ + 2x − 4 from x = 1: the second approximation is 1.2", () => {
    const g = (x: number) => x ** 3 + 2 * x - 4;
    const out = ml.newtonRaphson(g, 1, { df: (x) => 3 * x * x + 2 });
    assert.equal(out.trace[0].fx, -1);
    assert.equal(out.trace[0].dfx, 5);
    assertClose(out.trace[0].next, 1.2, 1e-15);
    assert.ok(out.converged);
    assertClose(g(out.root), 0, 1e-12);
    assertClose(ml.newtonRaphson(g, 1).trace[0].next, 1.2, 1e-9, 0, "numeric f′");
  });

  it("a flat tangent is a clear error", () => {
    assert.throws(() => ml.newtonRaphson((x) => x * x + 1, 0, { df: (x) => 2 * x }), /tangent is flat/);
  });
});

describe("gradient descent", () => {
  it("minimises a quadratic and records its trace", () => {
    const out = ml.gradientDescent({ initial: [5, -3], gradient: (p) => [2 * (p[0] - 1), 4 * (p[1] + 2)], objective: (p) => (p[0] - 1) ** 2 + 2 * (p[1] + 2) ** 2, learningRate: 0.1, tol: 1e-24 });
    assert.ok(out.converged);
    assertClose(out.params, [1, -2], 1e-10);
    const objectives = out.trace.map((s) => s.objective!);
    for (let i = 1; i < objectives.length; i++) assert.ok(objectives[i] <= objectives[i - 1]);
  });

  it("divergence is reported, not returned as NaN", () => {
    assert.throws(() => ml.gradientDescent({ initial: [1], gradient: (p) => [2 * p[0]], learningRate: 5, maxIter: 5000 }), /lower the learning rate/);
  });
});
