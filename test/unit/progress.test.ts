import * as assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as ml from "../../kernel-lib/src";
import { REDRAW_MS, SHOW_AFTER_MS } from "../../kernel-lib/src/display/progress-display";
import { MIME, ProgressPayload } from "../../kernel-lib/src/output-contract";

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

/** Busy-waits: the progress listener sees time pass as it does in a long synchronous fit. */
function spin(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until);
}

/** Runs `body` with a display sink that records every message, as the kernel's sink would receive them. */
async function withSink(body: () => void): Promise<ml.DisplayMessage[]> {
  const seen: ml.DisplayMessage[] = [];
  ml.setDisplaySink((m) => seen.push(m));
  try {
    try {
      body();
    } catch {
      // The call failed; what it displayed is still checked.
    }
    await nextTurn();
    await nextTurn();
  } finally {
    ml.setDisplaySink(undefined);
  }
  return seen;
}

/** A call of `steps` steps, each taking `msPerStep`, reporting like an estimator's loop. */
function longCall(steps: number, msPerStep: number, task = "KMeans", call: object = {}, failAt = Infinity): void {
  for (let step = 1; step <= steps; step++) {
    spin(msPerStep);
    if (step === failAt) throw new ml.InvalidArgumentError("failed half way");
    ml.reportProgress(call, task, step, 1000 / step, "distortion");
  }
}

const payload = (m: ml.DisplayMessage) => m.data[MIME.progress] as ProgressPayload;

describe("progress of long library calls", () => {
  it("estimators report every iteration with its objective; a new run of the same call starts again at step 1", () => {
    const heard: [object, string, number, number, string][] = [];
    ml.setProgressListener({ step: (call, task, step, objective, name) => void heard.push([call, task, step, objective, name]) });
    try {
      const { X } = ml.generateBlobs([60, 60, 60], [[0, 0], [5, 0], [0, 5]], undefined, 1);
      const km = new ml.KMeans({ k: 3, nInit: 2, init: "random", seed: 1 }).fit(X);
      const kmSteps = heard.filter((h) => h[1] === "KMeans");
      assert.equal(kmSteps.length, km.runs.reduce((n, r) => n + r.trace.length, 0), "one report per iteration of every run");
      assert.equal(new Set(kmSteps.map((h) => h[0])).size, 1, "one call object for the whole fit");
      assert.deepEqual(kmSteps.map((h) => h[2]), km.runs.flatMap((r) => r.trace.map((s) => s.iteration)));
      assert.deepEqual(kmSteps.map((h) => h[3]), km.runs.flatMap((r) => r.trace.map((s) => s.inertia)));
      assert.equal(kmSteps[0][4], "distortion");

      heard.length = 0;
      const gm = new ml.GaussianMixture({ k: 3, seed: 0 }).fit(X);
      const gmSteps = heard.filter((h) => h[1] === "GaussianMixture");
      assert.deepEqual(gmSteps.map((h) => h[3]), gm.trace.map((s) => s.logLikelihood));
      assert.equal(gmSteps[0][4], "mean log-likelihood");
      assert.ok(heard.some((h) => h[1] === "KMeans"), "its k-means start reports as a call of its own");
      assert.notEqual(heard.find((h) => h[1] === "KMeans")![0], gmSteps[0][0]);

      heard.length = 0;
      const start = X.selectRows([0, 70, 140]);
      const cov = ml.covariance(X);
      const em = ml.EM(X, start, [cov, cov, cov], [1 / 3, 1 / 3, 1 / 3]);
      assert.deepEqual(heard.map((h) => [h[1], h[2], h[3]]), em.loglik.slice(1).map((v, i) => ["EM", i + 1, v]));

      heard.length = 0;
      const gd = ml.gradientDescent({ gradient: (p) => [2 * (p[0] - 3)], initial: [0], learningRate: 0.1, maxIter: 50 });
      assert.equal(heard.length, gd.nIter);
      assert.deepEqual(heard.map((h) => h[4]), heard.map(() => "gradient norm"));
    } finally {
      ml.setProgressListener(undefined);
    }
  });

  it("with no listener a report does nothing, and plain Node (no display sink) installs none", () => {
    ml.reportProgress({}, "KMeans", 1, 5, "distortion");
    let heard = 0;
    ml.setProgressListener({ step: () => void heard++ });
    ml.setDisplaySink(undefined);
    ml.reportProgress({}, "KMeans", 1, 5, "distortion");
    assert.equal(heard, 0, "removing the display sink removes the progress display");
  });

  it(`a call longer than ${SHOW_AFTER_MS} ms shows one live display, redrawn in place at most every ${REDRAW_MS} ms, removed when the call returns`, async () => {
    let elapsed = 0;
    const seen = await withSink(() => {
      const started = performance.now();
      longCall(60, 25);
      elapsed = performance.now() - started;
    });
    assert.ok(seen.length >= 2, `a display and its removal (${seen.length} messages)`);
    assert.equal(new Set(seen.map((m) => m.displayId)).size, 1, "one output, updated in place");
    assert.deepEqual(seen.map((m) => m.update), [false, ...seen.slice(1).map(() => true)]);
    const live = seen.slice(0, -1);
    assert.ok(live.length <= Math.ceil((elapsed - SHOW_AFTER_MS) / REDRAW_MS) + 1, `throttled: ${live.length} draws in ${elapsed.toFixed(0)} ms`);
    const first = payload(live[0]);
    assert.ok(first.elapsedMs >= SHOW_AFTER_MS, `not shown before ${SHOW_AFTER_MS} ms (${first.elapsedMs})`);
    const last = payload(live.at(-1)!);
    assert.equal(last.task, "KMeans");
    assert.ok(last.step > first.step || live.length === 1);
    assert.equal(last.objective!.name, "distortion");
    assert.equal(last.objective!.values.at(-1), 1000 / last.step, "the latest objective is shown");
    assert.equal(last.objective!.values.length, last.step, "every iteration's objective, in order");
    assert.match(live.at(-1)!.data[MIME.text] as string, new RegExp(`^KMeans: iteration ${last.step} · distortion [\\d.]+ · \\d+\\.\\d s$`));
    assert.deepEqual(seen.at(-1)!.data, {}, "the finished progress is removed: an empty bundle");
  });

  it("short calls show nothing", async () => {
    const seen = await withSink(() => {
      for (let i = 0; i < 20; i++) longCall(10, 0, "KMeans", {});
    });
    assert.deepEqual(seen, []);
  });

  it("a call that fails (or is interrupted) half way has its progress removed when control returns", async () => {
    const seen = await withSink(() => longCall(100, 20, "GaussianMixture", {}, 50));
    assert.ok(seen.length >= 2);
    assert.equal(payload(seen[0]).task, "GaussianMixture");
    assert.deepEqual(seen.at(-1)!.data, {});
  });

  it("sequential long calls show one progress at a time; a call that starts over counts runs", async () => {
    const seen = await withSink(() => {
      const a = {}, b = {};
      longCall(40, 25, "KMeans", a);
      longCall(40, 25, "KMeans", a);
      longCall(40, 25, "GaussianMixture", b);
    });
    const ids = [...new Set(seen.map((m) => m.displayId))];
    assert.equal(ids.length, 2, "one display per call");
    const removedFirst = seen.findIndex((m) => m.displayId === ids[0] && m.update && Object.keys(m.data).length === 0);
    const shownSecond = seen.findIndex((m) => m.displayId === ids[1]);
    assert.ok(removedFirst >= 0 && removedFirst < shownSecond, "the first is removed before the second appears");
    assert.ok(seen.some((m) => m.displayId === ids[0] && payload(m)?.run === 2), "the second run of the first call says run 2");
    assert.deepEqual(seen.at(-1)!.data, {});
  });

  it("a long run keeps at most 256 objective values, evenly thinned, and always the latest", async () => {
    const seen = await withSink(() => {
      const call = {};
      for (let step = 1; step <= 5000; step++) {
        if (step > 4990) spin(100);
        ml.reportProgress(call, "EM", step, -step, "log-likelihood");
      }
    });
    const last = payload(seen.at(-2)!);
    const values = last.objective!.values;
    assert.ok(values.length <= 257, `${values.length} values`);
    assert.equal(values.at(-1), -last.step);
    const gaps = new Set(values.slice(0, -1).map((v, i) => (i === 0 ? 0 : values[i - 1] - v)).slice(1));
    assert.equal(gaps.size, 1, "evenly spaced");
  });
});
