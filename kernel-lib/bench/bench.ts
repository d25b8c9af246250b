/**
 * `npm run bench`: whole `fit` calls, as a user makes them, of our k-means (float64 and float32) and Gaussian mixtures
 * against the strongest libraries on this machine: scikit-learn (current, numpy 2, its BLAS as threadpoolctl reports
 * it), scikit-learn-intelex (oneDAL) and faiss-cpu, from kernel-lib/bench/.venv (scripts/bench-setup.sh). Same data,
 * same explicit start, in one run. Per case and contender:
 * - whole fit of 1 iteration, of 20 iterations (tol 0), and with default options to convergence;
 * - for k-means at float64, a 1-iteration fit from each library's default start, k-means++;
 * - from the 20-iteration fit, its profile: set-up (from the call to the start of the first pass), the first
 *   iteration, the time per iteration inside the loop (iterations 2–20) and what follows the loop (final labels and
 *   inertia). Passes are timed where each library's loop calls them: ours by wrapping the workspace's
 *   assignment pass and the EM pass, scikit-learn's by wrapping the passes its loops call (reference.py);
 *   scikit-learn-intelex and faiss run a fit in native code, so only their whole fits are timed.
 * The contenders of a case take turns within every round (the anchors in a long-lived Python process), so a slow
 * spell of this shared machine lands on every side. A figure is the best round's; "rounds" is the spread of the
 * per-round ratio of ours to the fastest anchor of that round. The weighted least squares and MapReduce rows are
 * per-iteration ((T(n + 1) − T(1)) / n), as before. `--kmeans` races only the k-means cases. `--scaling` instead times k-means and EM at n = 10³ … 10⁷ (2-D).
 */
import { ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as readline from "node:readline";
import * as ml from "../src";
import { KMeansWorkspace } from "../src/cluster/kmeans-workspace";
import { EMPass } from "../src/mixture/em-pass";
import { sharedMemory } from "../src/parallel/shared-memory";

const python = process.env.MLLAB_BENCH_PYTHON ?? path.join(__dirname, ".venv/bin/python");
const FASHION = process.env.MLLAB_FASHION_MNIST ?? "/usr/share/datasets/fashion-mnist";
const args = new Set(process.argv.slice(2));
const quick = args.has("--quick");
/** `--kmeans`: only the k-means cases (a few minutes instead of the whole table). */
const kmeansOnly = args.has("--kmeans");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "mllab-bench-"));
const ITERATIONS = quick ? 3 : 20;
const ROUNDS = quick ? 1 : 5;
/** Fits to convergence take 100+ iterations on Fashion-MNIST: fewer rounds of those. */
const CONVERGED_ROUNDS = quick ? 1 : 3;

function writeF64(name: string, data: ArrayLike<number>): string {
  const file = path.join(tmp, `${name}.f64`);
  fs.writeFileSync(file, Buffer.from(Float64Array.from(data).buffer));
  return file;
}

/** One whole fit: milliseconds, when each pass started (ms from the call), iterations, inertia or lower bound. */
interface Fit {
  ms: number;
  passes?: number[];
  nIter: number;
  value: number;
  /** The anchor's whole answer (its coefficients, for least squares). */
  raw?: Record<string, unknown>;
}

/** A fit of `iterations` iterations (tol 0), or with `null` of the library's defaults to convergence. */
type Contender = (iterations: number | null) => Promise<Fit | undefined>;

// Our passes, timed where the loops call them (as reference.py times scikit-learn's).
let passStarts: number[] = [];
let fitStart = 0;
for (const [owner, method] of [[KMeansWorkspace.prototype, "assign"], [EMPass.prototype, "run"]] as const) {
  const methods = owner as unknown as Record<string, (...a: unknown[]) => unknown>;
  const original = methods[method];
  methods[method] = function (this: unknown, ...a: unknown[]) {
    passStarts.push(performance.now() - fitStart);
    return original.apply(this, a);
  };
}

function ours(fit: (iterations: number | null) => { nIter: number; value: number }): Contender {
  return async (iterations) => {
    passStarts = [];
    fitStart = performance.now();
    const result = fit(iterations);
    const ms = performance.now() - fitStart;
    return { ms, passes: passStarts, ...result };
  };
}

/** The anchors, in one Python process that reference.py keeps serving until stdin closes. */
/** reference.py's answer to a timed fit. */
type RunAnswer = {
  skipped?: boolean;
  ms: number;
  passes: number[];
  n_iter: number;
  inertia?: number;
  lower_bound?: number;
};

class Reference {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly lines: AsyncIterator<string>;
  private nextId = 0;

  constructor() {
    // numpy's OpenBLAS picks its kernels for this CPU itself only when these are unset (some machines set them to an
    // older CPU's); reference.py then names its choice for faiss's older OpenBLAS.
    const env = { ...process.env };
    delete env.OPENBLAS_CORETYPE;
    delete env.OPENBLAS_L2_SIZE;
    this.child = spawn(python, ["-W", "ignore", path.join(__dirname, "reference.py")], { env });
    this.child.stderr.pipe(process.stderr);
    this.lines = readline.createInterface({ input: this.child.stdout })[Symbol.asyncIterator]();
  }

  info(): Promise<{ python: string; numpy: string; sklearn: string; sklearnex: string; faiss: string; blas: { library: string; version: string; kernels?: string; threads: number; file: string }[] }> {
    return this.request({ op: "info" });
  }

  /** Loads a case's data, warms its fit up and returns the contender that times it. */
  async prepare(spec: Record<string, unknown>): Promise<Contender> {
    const id = this.nextId++;
    await this.request({ op: "prepare", id, case: spec });
    return async (iterations) => {
      const answer = await this.request<RunAnswer>({ op: "run", id, iterations });
      if (answer.skipped) return undefined;
      return { ms: answer.ms, passes: answer.passes.length > 0 ? answer.passes : undefined, nIter: answer.n_iter, value: answer.inertia ?? answer.lower_bound ?? NaN, raw: answer };
    };
  }

  /** Frees every prepared case's data on the Python side. */
  reset(): Promise<unknown> {
    return this.request({ op: "reset" });
  }

  close(): void {
    this.child.stdin.end();
  }

  private async request<T>(message: Record<string, unknown>): Promise<T> {
    this.child.stdin.write(JSON.stringify(message) + "\n");
    const { value, done } = await this.lines.next();
    if (done) throw new Error(`reference.py exited (${this.child.exitCode}) on ${JSON.stringify(message).slice(0, 200)}`);
    const answer = JSON.parse(value);
    if (answer.error) throw new Error(`reference.py: ${answer.error}`);
    return answer;
  }
}

type Metric = "fit 1 iteration" | `fit ${number} iterations` | "fit to convergence" | "set-up" | "first iteration" | "per iteration, in the loop" | "after the loop";
const WHOLE_1: Metric = "fit 1 iteration", WHOLE_N: Metric = `fit ${ITERATIONS} iterations`, CONVERGED: Metric = "fit to convergence";
// The 20-iteration fit, profiled: set-up + first iteration + 19 × per iteration + after the loop = the whole fit.
const SET_UP: Metric = "set-up", FIRST: Metric = "first iteration", PER_ITERATION: Metric = "per iteration, in the loop", FINISH: Metric = "after the loop";
const METRICS: Metric[] = [WHOLE_1, WHOLE_N, CONVERGED, SET_UP, FIRST, PER_ITERATION, FINISH];

/** Per contender and metric, the milliseconds of each round (NaN where a library cannot be timed so). */
type Rounds = Record<string, Partial<Record<Metric, number[]>>>;

/**
 * A fit's profile from its pass starts (one pass per iteration, then a final one): set-up (to the first pass), the
 * first iteration, the time per iteration over iterations 2 … nIter, and what follows the loop (final labels, inertia).
 */
function loopTimes(fit: Fit): { setUp: number; first: number; perIteration: number; finish: number } {
  const p = fit.passes;
  if (!p || p.length <= fit.nIter || fit.nIter < 2) return { setUp: p?.[0] ?? NaN, first: NaN, perIteration: NaN, finish: NaN };
  return { setUp: p[0], first: p[1] - p[0], perIteration: (p[fit.nIter] - p[1]) / (fit.nIter - 1), finish: fit.ms - p[fit.nIter] };
}

/**
 * Runs every contender in turns, round after round (the order reversed every other round), after one warm-up fit
 * each. Returns the rounds' times and each contender's last fit of ITERATIONS iterations and to convergence.
 */
async function race(contenders: Record<string, Contender>): Promise<{ rounds: Rounds; last: Record<string, { n: Fit; converged?: Fit }> }> {
  const names = Object.keys(contenders);
  for (const name of names) await contenders[name](1);
  const rounds: Rounds = Object.fromEntries(names.map((n) => [n, Object.fromEntries(METRICS.map((m) => [m, [] as number[]]))]));
  const last: Record<string, { n: Fit; converged?: Fit }> = {};
  for (let round = 0; round < ROUNDS; round++) {
    for (const name of round % 2 ? [...names].reverse() : names) {
      const r = rounds[name];
      const one = await contenders[name](1);
      const n = (await contenders[name](ITERATIONS))!;
      const converged = round < CONVERGED_ROUNDS ? await contenders[name](null) : undefined;
      const { setUp, first, perIteration, finish } = loopTimes(n);
      r[WHOLE_1]!.push(one!.ms);
      r[WHOLE_N]!.push(n.ms);
      if (round < CONVERGED_ROUNDS) r[CONVERGED]!.push(converged?.ms ?? NaN);
      r[SET_UP]!.push(setUp);
      r[FIRST]!.push(first);
      r[PER_ITERATION]!.push(perIteration);
      r[FINISH]!.push(finish);
      last[name] = { n, converged: converged ?? last[name]?.converged };
    }
  }
  return { rounds, last };
}

interface Row {
  group: string;
  metric: Metric | string;
  ours: { name: string; ms: number };
  anchors: { name: string; ms: number }[];
  /** ours / the fastest anchor, per round. */
  perRound: number[];
  target?: { ratio: number; versus: string };
  agree: string;
}
const rows: Row[] = [];
const best = (xs: number[] | undefined) => (xs && xs.some(Number.isFinite) ? Math.min(...xs.filter(Number.isFinite)) : NaN);
const relative = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);

/**
 * Table rows of one case: every metric, ours against every anchor that can be timed so. `targets` gives a ratio to
 * the fastest anchor (or to those named) that a metric must reach.
 */
function report(group: string, rounds: Rounds, mine: string, anchors: string[], agree: string, targets: Partial<Record<Metric, { ratio: number; versus?: string[] }>> = {}): void {
  for (const metric of METRICS) {
    const target = targets[metric];
    const timed = (target?.versus ?? anchors).filter((a) => Number.isFinite(best(rounds[a][metric])));
    const ourRounds = rounds[mine][metric] ?? [];
    if (!Number.isFinite(best(ourRounds))) continue;
    const perRound = ourRounds.map((ms, i) => ms / Math.min(...timed.map((a) => rounds[a][metric]![i]).filter(Number.isFinite)));
    rows.push({
      group, metric, ours: { name: mine, ms: best(ourRounds) },
      anchors: anchors.map((a) => ({ name: a, ms: best(rounds[a][metric]) })),
      perRound: timed.length > 0 ? perRound : [],
      target: target && { ratio: target.ratio, versus: target.versus ? target.versus.join(", ") : "fastest anchor" },
      agree: metric === WHOLE_N ? agree : "",
    });
  }
}

async function kmeansCases(ref: Reference, label: string, X: ml.Matrix, k: number): Promise<void> {
  const init = X.selectRows(Array.from({ length: k }, (_, i) => i)); // the same start for every library
  const xFile = writeF64(`${label}-x`, X.data), initFile = writeF64(`${label}-init`, init.data);
  const X32 = new ml.Matrix(X.rows, X.cols, Float32Array.from(X.data)); // float32 data for the float32 fits, as theirs get
  const ourFit = (precision: ml.Precision, algorithm: ml.KMeansAlgorithm) => ours((iterations) => {
    const model = new ml.KMeans({ k, init, precision, algorithm, ...(iterations === null ? {} : { maxIter: iterations, tol: 0 }) }).fit(precision === "float32" ? X32 : X);
    return { nIter: model.nIter, value: model.inertia };
  });
  const theirs = (library: string, precision: string, algorithm = "lloyd") =>
    ref.prepare({ kind: "kmeans", library, precision, algorithm, x: xFile, init: initFile, n: X.rows, d: X.cols, k });
  const shape = `k-means ${label} ${X.rows}×${X.cols}, k=${k}`;
  const agreement = (last: Record<string, { n: Fit }>, mine: string, names: string[], tolerance: number) =>
    `inertia after ${ITERATIONS} iterations, rel. diff to ${names.map((n) => `${n} ${relative(last[mine].n.value, last[n].n.value).toExponential(1)}`).join(", ")} (≤ ${tolerance.toExponential(0)} ${names.every((n) => relative(last[mine].n.value, last[n].n.value) <= tolerance) ? "✓" : "✗"})`;

  const f64 = await race({
    ours: ourFit("float64", "bounded"), "ours, lloyd": ourFit("float64", "lloyd"),
    "scikit-learn lloyd": await theirs("sklearn", "float64"), "scikit-learn elkan": await theirs("sklearn", "float64", "elkan"),
    "scikit-learn-intelex": await theirs("sklearnex", "float64"),
  });
  await ref.reset();
  const anchors64 = ["scikit-learn lloyd", "scikit-learn elkan", "scikit-learn-intelex"];
  const sklearn = ["scikit-learn lloyd", "scikit-learn elkan"];
  report(`${shape}, float64`, f64.rounds, "ours", anchors64, agreement(f64.last, "ours", anchors64, 1e-6), {
    [WHOLE_N]: { ratio: 0.5 }, [WHOLE_1]: { ratio: 1, versus: sklearn },
  });
  report(`${shape}, float64, ours with algorithm "lloyd"`, f64.rounds, "ours, lloyd", anchors64, agreement(f64.last, "ours, lloyd", ["scikit-learn lloyd"], 1e-6));

  const f32 = await race({
    ours: ourFit("float32", "bounded"),
    "scikit-learn lloyd": await theirs("sklearn", "float32"), "scikit-learn elkan": await theirs("sklearn", "float32", "elkan"),
    "scikit-learn-intelex": await theirs("sklearnex", "float32"), faiss: await theirs("faiss", "float32"),
  });
  await ref.reset();
  const anchors32 = ["scikit-learn lloyd", "scikit-learn elkan", "scikit-learn-intelex", "faiss"];
  report(`${shape}, float32`, f32.rounds, "ours", anchors32, agreement(f32.last, "ours", anchors32, 1e-4), {
    [WHOLE_N]: { ratio: 0.7 }, [WHOLE_1]: { ratio: 1, versus: sklearn },
  });
  await kmeansStartCase(ref, shape, X, k, xFile);
}

/**
 * The default start as a user meets it: a 1-iteration fit from k-means++ (scikit-learn's greedy variant, 2 + ⌊ln k⌋
 * candidates a step, on our side and scikit-learn's; oneDAL's own in scikit-learn-intelex), float64, seed 0.
 */
async function kmeansStartCase(ref: Reference, shape: string, X: ml.Matrix, k: number, xFile: string): Promise<void> {
  const theirs = (library: string) => ref.prepare({ kind: "kmeans", library, precision: "float64", algorithm: "lloyd", x: xFile, init: null, n: X.rows, d: X.cols, k });
  const contenders: Record<string, Contender> = {
    ours: ours(() => {
      const model = new ml.KMeans({ k, maxIter: 1, seed: 0 }).fit(X);
      return { nIter: model.nIter, value: model.inertia };
    }),
    "scikit-learn": await theirs("sklearn"),
    "scikit-learn-intelex": await theirs("sklearnex"),
  };
  const names = Object.keys(contenders);
  for (const name of names) await contenders[name](1);
  const rounds: Rounds = Object.fromEntries(names.map((name) => [name, { [WHOLE_1]: [] as number[] }]));
  for (let round = 0; round < ROUNDS; round++) {
    for (const name of round % 2 ? [...names].reverse() : names) rounds[name][WHOLE_1]!.push((await contenders[name](1))!.ms);
  }
  await ref.reset();
  report(`${shape}, float64, k-means++ start (the default)`, rounds, "ours", names.slice(1), "");
}

/** n points of a k-component mixture in d dimensions (correlated components), and an explicit start near it. */
function mixtureData(n: number, d: number, k: number, seed: number) {
  const rng = new ml.Random(seed);
  const centres = Array.from({ length: k }, () => Array.from({ length: d }, () => rng.normal(0, 4)));
  const X = ml.Matrix.zeros(n, d);
  for (let i = 0; i < n; i++) {
    const c = i % k;
    let previous = 0;
    for (let j = 0; j < d; j++) {
      const v = rng.normal(0, 1 + 0.3 * ((c + j) % 3)) + 0.5 * previous * (c % 2);
      X.data[i * d + j] = centres[c][j] + v;
      previous = v;
    }
  }
  const means = ml.Matrix.fromRows(centres.map((row) => row.map((v) => v + rng.normal(0, 1))));
  const covariances = Array.from({ length: k }, () => ml.Matrix.fromRows(Array.from({ length: d }, (_, a) => Array.from({ length: d }, (_, b) => (a === b ? 2 : 0.1)))));
  return { X, means, covariances };
}

async function gmmCases(ref: Reference, n: number, d: number, k: number): Promise<void> {
  const { X, means, covariances } = mixtureData(n, d, k, d);
  const tag = `gmm-${d}`;
  const xFile = writeF64(`${tag}-x`, X.data), meansFile = writeF64(`${tag}-means`, means.data);
  const covFile = writeF64(`${tag}-covs`, covariances.flatMap((c) => Array.from(c.data)));
  const weights = Array.from({ length: k }, () => 1 / k);
  const ourFit = (covarianceType: "full" | "diag") => ours((iterations) => {
    const model = new ml.GaussianMixture({ k, covarianceType, init: { means, covariances, weights }, ...(iterations === null ? {} : { maxIter: iterations, tol: 0 }) }).fit(X);
    return { nIter: model.nIter, value: model.lowerBound };
  });
  const theirs = (covariance_type: string) => ref.prepare({ kind: "gmm", covariance_type, x: xFile, means: meansFile, covs: covFile, n, d, k });
  const t = await race({ full: ourFit("full"), diag: ourFit("diag"), "scikit-learn full": await theirs("full"), "scikit-learn diag": await theirs("diag") });
  await ref.reset();
  for (const type of ["full", "diag"] as const) {
    const sk = `scikit-learn ${type}`;
    const rel = relative(t.last[type].n.value, t.last[sk].n.value);
    const rounds: Rounds = { ours: t.rounds[type], "scikit-learn": t.rounds[sk] };
    report(`GMM ${n}×${d}, k=${k}, ${type}`, rounds, "ours", ["scikit-learn"], `log-likelihood after ${ITERATIONS} iterations, rel. diff ${rel.toExponential(1)} (≤ 1e-6 ${rel <= 1e-6 ? "✓" : "✗"})`, {
      [WHOLE_N]: { ratio: 0.5 }, [CONVERGED]: { ratio: 0.5 },
    });
  }
}

/** Per-iteration cases: (T(iters + 1) − T(1)) / iters, each T the best of the rounds. */
async function perIteration(group: string, contenders: Record<string, (iterations: number) => Promise<unknown> | unknown>, mine: string, iters: number, rounds: number, agree: (results: Record<string, unknown>) => string): Promise<void> {
  const names = Object.keys(contenders);
  const clock = async (name: string, n: number) => {
    const t = performance.now();
    const result = await contenders[name](n);
    // An anchor's own clock leaves out the round trip to its process.
    return { ms: (result as Fit | undefined)?.raw ? (result as Fit).ms : performance.now() - t, result };
  };
  for (const name of names) await contenders[name](1);
  const one: Record<string, number[]> = {}, many: Record<string, number[]> = {}, results: Record<string, unknown> = {};
  for (let round = 0; round < rounds; round++) {
    for (const name of round % 2 ? [...names].reverse() : names) {
      (one[name] ??= []).push((await clock(name, 1)).ms);
      const m = await clock(name, iters + 1);
      (many[name] ??= []).push(m.ms);
      results[name] = m.result;
    }
  }
  const per = (name: string, i: number) => (many[name][i] - Math.min(...one[name])) / iters;
  const anchor = names.find((n) => n !== mine)!;
  rows.push({
    group, metric: PER_ITERATION, ours: { name: mine, ms: (Math.min(...many[mine]) - Math.min(...one[mine])) / iters },
    anchors: [{ name: anchor, ms: (Math.min(...many[anchor]) - Math.min(...one[anchor])) / iters }],
    perRound: many[mine].map((_, i) => per(mine, i) / per(anchor, i)), agree: agree(results),
  });
}

async function wlsCase(ref: Reference, n: number): Promise<void> {
  const { x, y, w } = ml.generateWeightedLinearData(n, { seed: 1 });
  const learningRate = 0.5;
  const packed = new Float64Array(n * 3);
  for (let i = 0; i < n; i++) [packed[3 * i], packed[3 * i + 1], packed[3 * i + 2]] = [x[i], y[i], w[i]];
  const numpy = await ref.prepare({ kind: "wls-gd", x: writeF64("wls", packed), n, learning_rate: learningRate });
  await perIteration(`weighted least squares by gradient descent, ${n.toLocaleString("en")} points`, {
    ours: (m) => ml.weightedLinearRegressionGD(ml.Matrix.column(x), y, w, { learningRate, maxIter: m, tol: 0 }),
    numpy: (m) => numpy(m),
  }, "ours", ITERATIONS, ROUNDS, (r) => {
    const fit = r.ours as { intercept: number; coef: Float64Array }, coef = (r.numpy as Fit).raw!.coef as number[];
    return `coefficients rel. diff ${Math.max(relative(fit.intercept, coef[0]), relative(fit.coef[0], coef[1])).toExponential(1)}`;
  });
  await ref.reset();
}

/** Issue 8's claim: the local runner (all cores) beats inline on a large input. Same job, same file; time per job. */
async function mapReduceCase(n: number): Promise<void> {
  const { x, y } = ml.generateWeightedLinearData(n, { seed: 2 });
  const file = path.join(tmp, "wols.csv");
  fs.writeFileSync(file, Array.from(x, (xi, i) => `${xi},${y[i]}`).join("\n") + "\n");
  const job = ml.mapreduce.jobPath("weighted-gd");
  const jobs = (runner: "inline" | "local") => async (count: number) => {
    let gradient: number[] = [];
    for (let j = 0; j < count; j++) {
      const out = await ml.mapreduce.run(job, { runner, input: [file], params: { coef: [0, 0] } });
      gradient = (out.output[0][1] as ml.mapreduce.WeightedGDGradient).gradient;
    }
    return gradient;
  };
  await perIteration(`MapReduce weighted-GD job, ${n.toLocaleString("en")} lines, ${ml.getThreads()} threads (per job)`, { local: jobs("local"), inline: jobs("inline") }, "local", 2, quick ? 1 : 3, (r) => {
    const local = r.local as number[], inline = r.inline as number[];
    return `local vs inline gradient rel. diff ${Math.max(...inline.map((g, j) => relative(local[j], g))).toExponential(1)}`;
  });
}

const format = (ms: number) => (Number.isFinite(ms) ? (ms >= 100 ? ms.toFixed(0) : ms.toFixed(1)) : "–");

function ratioOf(r: Row): { ratio: number; versus: string } {
  const pool = r.target && r.target.versus !== "fastest anchor" ? r.anchors.filter((a) => r.target!.versus.includes(a.name)) : r.anchors;
  const timed = pool.filter((a) => Number.isFinite(a.ms));
  const fastest = timed.reduce((a, b) => (b.ms < a.ms ? b : a), timed[0] ?? { name: "–", ms: NaN });
  return { ratio: r.ours.ms / fastest.ms, versus: fastest.name };
}

function printTable(markdown: boolean): void {
  const lines: string[] = [];
  if (markdown) {
    lines.push("| case | measure | ours ms | anchors ms | ratio to the fastest | rounds | target |", "|---|---|---:|---|---:|---:|---|");
  }
  let group = "";
  for (const r of rows) {
    const { ratio, versus } = ratioOf(r);
    const spread = r.perRound.filter(Number.isFinite);
    const rounds = spread.length > 1 ? `${Math.min(...spread).toFixed(2)}–${Math.max(...spread).toFixed(2)}` : "–";
    const target = r.target ? `≤ ${r.target.ratio} × ${r.target.versus === "fastest anchor" ? "fastest" : r.target.versus} ${ratio <= r.target.ratio ? "✓" : "✗"}` : "";
    const anchors = r.anchors.map((a) => `${a.name} ${format(a.ms)}`).join(" · ");
    const caseName = r.group === group ? "" : r.group;
    group = r.group;
    if (markdown) lines.push(`| ${caseName} | ${r.metric} | ${format(r.ours.ms)} | ${anchors} | ${Number.isFinite(ratio) ? `${ratio.toFixed(2)} (${versus})` : "–"} | ${rounds} | ${target} |`);
    else lines.push(`${caseName ? `\n${caseName}${r.agree ? `  [${r.agree}]` : ""}\n` : ""}  ${r.metric.padEnd(28)} ours ${format(r.ours.ms).padStart(7)}   ${anchors.padEnd(90)} ratio ${Number.isFinite(ratio) ? ratio.toFixed(2) : "–"} (${versus}) rounds ${rounds} ${target}`);
  }
  if (markdown) {
    const agreements = [...new Set(rows.filter((r) => r.agree).map((r) => `- ${r.group}: ${r.agree}`))];
    lines.push("", ...agreements);
  }
  console.log(lines.join("\n"));
}

async function comparison(): Promise<void> {
  const ref = new Reference();
  try {
    const info = await ref.info();
    const blas = info.blas.map((b) => `${b.library} ${b.version ?? ""}${b.kernels ? ` (${b.kernels} kernels)` : ""}, ${b.threads} threads, ${b.file}`).join("; ");
    console.log(`ML Lab bench: ${os.cpus()[0]?.model ?? "cpu"}, ${os.availableParallelism()} cores, ${ml.getThreads()} threads, Node ${process.version}; ` +
      `Python ${info.python}, numpy ${info.numpy}, scikit-learn ${info.sklearn}, scikit-learn-intelex ${info.sklearnex}, faiss ${info.faiss}; BLAS seen by threadpoolctl: ${blas}; ` +
      `${ITERATIONS} iterations, best of ${ROUNDS} interleaved rounds (${CONVERGED_ROUNDS} for fits to convergence); load average ${os.loadavg().map((v) => v.toFixed(1)).join(" ")}`);
    const fashion = ml.loadIdxImages(path.join(FASHION, "train-images-idx3-ubyte.gz"), path.join(FASHION, "train-labels-idx1-ubyte.gz"), { scale: false, limit: quick ? 6000 : undefined }).images;
    await kmeansCases(ref, "Fashion-MNIST", fashion, 10);
    const digits = ml.loadMnistPackage({ shuffle: true, seed: 0 }).images;
    await kmeansCases(ref, "MNIST digits", digits, 10);
    if (!kmeansOnly) {
      await gmmCases(ref, quick ? 30_000 : 300_000, 2, 3);
      await gmmCases(ref, quick ? 10_000 : 100_000, 10, 5);
      await wlsCase(ref, quick ? 100_000 : 1_000_000);
    }
  } finally {
    ref.close();
  }
  if (!kmeansOnly) await mapReduceCase(quick ? 100_000 : 1_000_000);
  printTable(false);
  console.log("\nMarkdown:\n");
  printTable(true);
  console.log(`\nload average at the end: ${os.loadavg().map((v) => v.toFixed(1)).join(" ")}`);
}

/**
 * Working memory of a fit, as a multiple of the data's size: the most the shared-memory arena held at once, plus the
 * growth of what the JavaScript heap holds live (collected at every sample, so garbage awaiting collection is not
 * counted), with the fitted model (its labels included) still held at the last sample.
 */
function growth(dataBytes: number, fit: (sample: () => void) => ml.KMeans | ml.GaussianMixture): number {
  global.gc?.();
  const { arena } = sharedMemory();
  arena.resetPeak();
  const base = arena.peakBytes;
  const before = process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
  let peak = before;
  const sample = () => {
    global.gc?.();
    const m = process.memoryUsage();
    peak = Math.max(peak, m.heapUsed + m.arrayBuffers);
  };
  const model = fit(sample);
  sample();
  return model.isFitted ? (arena.peakBytes - base + peak - before) / dataBytes : NaN;
}

async function scaling(): Promise<void> {
  const sizes = quick ? [1e3, 1e4, 1e5] : [1e3, 1e4, 1e5, 1e6, 1e7];
  console.log(`scaling (2-D, k-means k=10 and GMM full k=3 from given starts; 5 iterations, whole fits (T(6) − T(1)) / 5; ${ml.getThreads()} threads)`);
  console.log(`${"n".padStart(10)} ${"k-means ns/pt/iter".padStart(19)} ${"GMM ns/pt/iter".padStart(15)} ${"data MiB".padStart(9)} ${"k-means mem/data".padStart(17)} ${"GMM mem/data".padStart(13)}`);
  for (const n of sizes) {
    const rng = new ml.Random(n);
    const X = ml.Matrix.zeros(n, 2);
    for (let i = 0; i < 2 * n; i++) X.data[i] = rng.normal(i % 4, 1);
    const dataBytes = X.data.byteLength;
    const init = X.selectRows(Array.from({ length: 10 }, (_, i) => i));
    const gmInit = { means: X.selectRows([0, 1, 2]), covariances: [0, 1, 2].map(() => ml.Matrix.fromRows([[1, 0], [0, 1]])) };
    const kmMemory = growth(dataBytes, (sample) => new ml.KMeans({ k: 10, init, maxIter: 5, tol: 0, onIteration: sample }).fit(X));
    const gmMemory = growth(dataBytes, (sample) => new ml.GaussianMixture({ k: 3, maxIter: 5, tol: 0, init: gmInit, keepSnapshots: false, onIteration: sample }).fit(X));
    const time = (fit: (m: number) => unknown) => {
      const t = (m: number) => {
        let bestMs = Infinity;
        for (let r = 0; r < 3; r++) {
          const s = performance.now();
          fit(m);
          bestMs = Math.min(bestMs, performance.now() - s);
        }
        return bestMs;
      };
      fit(1);
      return (t(6) - t(1)) / 5;
    };
    const km = time((m) => new ml.KMeans({ k: 10, init, maxIter: m, tol: 0 }).fit(X));
    const gm = time((m) => new ml.GaussianMixture({ k: 3, maxIter: m, tol: 0, init: gmInit, keepSnapshots: false }).fit(X));
    console.log(`${n.toExponential(0).padStart(10)} ${((km * 1e6) / n).toFixed(2).padStart(19)} ${((gm * 1e6) / n).toFixed(2).padStart(15)} ${(dataBytes / 2 ** 20).toFixed(1).padStart(9)} ${kmMemory.toFixed(2).padStart(17)} ${gmMemory.toFixed(2).padStart(13)}`);
  }
  // Wide data takes the other k-means path (Elkan's bounds; at float64, a float32 plane of the rows).
  const images = path.join(FASHION, "train-images-idx3-ubyte.gz");
  if (!fs.existsSync(images)) return;
  const X = ml.loadIdxImages(images, path.join(FASHION, "train-labels-idx1-ubyte.gz"), { scale: false, limit: quick ? 6000 : undefined }).images;
  const init = X.selectRows(Array.from({ length: 10 }, (_, i) => i));
  const memory = (precision: ml.Precision) => growth(X.data.byteLength, (sample) => new ml.KMeans({ k: 10, init, maxIter: 5, tol: 0, precision, onIteration: sample }).fit(X));
  console.log(`k-means memory / data on Fashion-MNIST ${X.rows}×${X.cols}, k=10: float64 ${memory("float64").toFixed(2)}, float32 ${memory("float32").toFixed(2)}`);
}

(args.has("--scaling") ? scaling() : comparison())
  .finally(() => fs.rmSync(tmp, { recursive: true, force: true }))
  .catch((e) => {
    console.error(e);
    process.exit(1);
  });
