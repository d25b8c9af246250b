/**
 * A job never succeeds on garbage: what JSON cannot carry, malformed jobs and steps, and misused options fail with
 * an MlLabError that names the place (step, role, input line) and the fix, on every runner.
 */
import * as assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import * as ml from "../../kernel-lib/src";
import { mr, runners, scratch } from "./helpers";

const s = scratch("mllab-mr-errors-");
after(() => s.cleanup());

/** Asserts a promise rejects with an MlLabError (a MapReduceError) whose message matches every pattern. */
async function failsWith(promise: Promise<unknown>, ...patterns: RegExp[]): Promise<void> {
  await assert.rejects(promise, (e: Error) => {
    assert.ok(e instanceof ml.MlLabError, `not an MlLabError: ${e?.constructor?.name}: ${e?.message}`);
    assert.ok(e instanceof mr.MapReduceError, `not a MapReduceError: ${e.message}`);
    for (const p of patterns) assert.match(e.message, p);
    return true;
  });
}

describe("MapReduceError", () => {
  it("is an MlLabError, named after its class", () => {
    const e = new mr.MapReduceError("x");
    assert.ok(e instanceof ml.MlLabError && e instanceof Error);
    assert.equal(e.name, "MapReduceError");
    assert.equal(new mr.MapReduceTimeoutError("x").name, "MapReduceTimeoutError");
    assert.ok(new mr.MapReduceInterruptedError("x") instanceof mr.MapReduceError);
  });
});

describe("defineJob and steps(): malformed jobs fail with the fix named", () => {
  const define = (job: unknown) => () => mr.defineJob(job as ml.mapreduce.MRJob);
  const throwsFix = (fn: () => unknown, pattern: RegExp) =>
    assert.throws(fn, (e: Error) => e instanceof mr.MapReduceError && e instanceof ml.MlLabError && pattern.test(e.message));

  it("defineJob checks the job's shape (a MapReduceError, not a TypeError)", () => {
    throwsFix(define(undefined), /job must be an object \{ name, steps\(params\) => \[step, …\] \}, got undefined/);
    throwsFix(define({ steps: () => [] }), /job\.name must be a non-empty string/);
    throwsFix(define({ name: "x", steps: [{ mapper() {} }] }), /steps as a function of params.*wrap the array in a function: steps: \(\) => \[ … \]/);
    throwsFix(define({ name: "x", mapper() {}, steps: () => [] }), /unknown field "mapper".*go in the steps/);
  });

  for (const [name, run] of runners) {
    it(`${name}: steps() returning [] or a non-array, bad steps and a throwing steps() fail before any task runs`, async () => {
      const input = s.write(`in-${name}.txt`, "a\nb\n");
      await failsWith(run(s.job("() => []"), { input: [input] }), /steps\(params\) returned no steps; return at least one/);
      await failsWith(run(s.job("() => ({ mapper() {} })"), { input: [input] }), /steps\(params\) must return an array of steps, got an object/);
      await failsWith(run(s.job("() => [{ mapper: (k, v) => [[v, 1]], reduce: (k, vs) => [[k, vs.length]] }]"), { input: [input] }), /step 0 has an unknown field "reduce" \(did you mean "reducer"\?\)/);
      await failsWith(run(s.job("() => [{ mapper_final() {} }]"), { input: [input] }), /unknown field "mapper_final" \(did you mean "mapperFinal"\?\)/);
      await failsWith(run(s.job("() => [{ mapper: 'x => x' }]"), { input: [input] }), /step 0: mapper must be a function, got "x => x"/);
      await failsWith(run(s.job("() => [{ mapper: (k, v) => [[v, 1]] }, {}]"), { input: [input] }), /step 1 has no mapper, combiner or reducer/);
      await failsWith(run(s.job("() => [{ mapper: (k, v) => [[v, 1]], combinerFinal() {} }]"), { input: [input] }), /combinerFinal but no combiner/);
      await failsWith(run(s.job("(p) => { throw new Error('no params ' + p) }"), { input: [input] }), /steps\(params\) threw: no params null/);
    });
  }
});

describe("what JSON cannot carry fails the task, naming step, role and input line", () => {
  // Each mapper emits its case for the line "bad"; every other line is fine.
  const cases: [string, string, RegExp][] = [
    ["undefined", "undefined", /emitted undefined in the value \(JSON would write null or drop it; emit null for "no value"\)/],
    ["Infinity", "1 / 0", /emitted Infinity in the value \(JSON would write null/],
    ["-Infinity", "-1 / 0", /emitted -Infinity in the value/],
    ["NaN", "Number('x')", /emitted NaN in the value/],
    ["a Map", "new Map([[1, 2]])", /emitted a Map in the value \(JSON would write \{\}; emit Object\.fromEntries\(map\)/],
    ["a Set", "new Set([1])", /emitted a Set in the value \(JSON would write \{\}; emit \[\.\.\.set\]\)/],
    ["a BigInt", "10n", /emitted a BigInt \(10n\) in the value \(JSON cannot write it/],
    ["a function", "() => 1", /emitted a function in the value \(JSON would drop it\)/],
    ["a Date", "new Date(0)", /emitted a Date in the value \(JSON would give back a string/],
    ["a typed array", "new Float64Array(2)", /emitted a Float64Array in the value \(JSON would write an object with numbered keys; emit Array\.from/],
    ["a class instance", "new (class Point { constructor() { this.x = 1 } })()", /emitted a Point in the value \(JSON would give back a plain object without its class/],
    ["NaN deep inside", "{ sums: [1, [2, NaN]] }", /emitted NaN in the value at \.sums\[1\]\[1\]/],
    ["undefined in an object", "{ a: 1, b: undefined }", /emitted undefined in the value at \.b/],
    ["a hole", "[1, , 3]", /emitted an array with a hole in the value at \[1\]/],
    ["a cycle", "(() => { const o = { a: [] }; o.a.push(o); return o; })()", /emitted a circular reference in the value at \.a\[0\]/],
  ];
  for (const [name, run] of runners) {
    it(`${name}: every unencodable value fails the job with the step, the role, the file and line, and the fix`, async () => {
      const input = s.write(`values-${name}.txt`, "ok\nok\nbad\nok\n");
      for (const [what, expr, pattern] of cases) {
        const job = s.job(`() => [{ mapper: (_k, line) => [[line, line === "bad" ? ${expr} : 1]] }]`);
        await failsWith(run(job, { input: [input] }), /step 0 mapper failed on .*values-\w+\.txt line 3 "bad": /, pattern).catch((e) => assert.fail(`${what}: ${e.message}`));
      }
      const badKey = s.job(`() => [{ mapper: (_k, line) => [[line === "bad" ? Infinity : line, 1]] }]`);
      await failsWith(run(badKey, { input: [input] }), /line 3 "bad": emitted Infinity in the key/);
    });

    it(`${name}: a reducer or combiner that emits NaN or undefined fails naming its role and key`, async () => {
      const input = s.write(`sum-${name}.txt`, "a,1\nb,2\na,x\n");
      // The homework's CSV sum: a malformed field becomes NaN instead of quietly counting as 0.
      const sum = s.job(`() => [{ mapper: (_k, line) => [[line.split(",")[0], Number(line.split(",")[1])]], reducer: (k, vs) => [[k, vs.reduce((a, b) => a + b, 0)]] }]`);
      await failsWith(run(sum, { input: [input] }), /step 0 mapper failed on .*sum-\w+\.txt line 3 "a,x": emitted NaN in the value/);
      const reducer = s.job(`() => [{ mapper: (_k, line) => [[line.split(",")[0], 1]], reducer: (k, vs) => [[k, k === "a" ? undefined : vs.length]] }]`);
      await failsWith(run(reducer, { input: [input] }), /step 0 reducer failed on key "a": emitted undefined in the value/);
      const combiner = s.job(`() => [{ mapper: (_k, line) => [[line.split(",")[0], 1]], combiner: (k, vs) => [[k, new Set(vs)]], reducer: (k, vs) => [[k, vs.length]] }]`);
      await failsWith(run(combiner, { input: [input] }), /step 0 combiner failed on key "[ab]": emitted a Set in the value/);
    });

    it(`${name}: a bare value, a lone pair, a string or a Promise where pairs belong fails with the shape to return`, async () => {
      const input = s.write(`shape-${name}.txt`, "x y\n");
      await failsWith(run(s.job(`() => [{ mapper: function* (_k, line) { yield line.length } }]`), { input: [input] }), /step 0 mapper failed on .*line 1 "x y": emitted 3 where a \[key, value\] pair was expected; yield \[key, value\]/);
      await failsWith(run(s.job(`() => [{ mapper: (_k, line) => [line, 1] }]`), { input: [input] }), /emitted "x y" where a \[key, value\] pair was expected.*one pair is \[\[key, value\]\]/);
      await failsWith(run(s.job(`() => [{ mapper: (_k, line) => line }]`), { input: [input] }), /returned "x y"; return an array of \[key, value\] pairs/);
      await failsWith(run(s.job(`() => [{ mapper: async (_k, line) => [[line, 1]] }]`), { input: [input] }), /returned a Promise: mappers, combiners and reducers run synchronously/);
      await failsWith(run(s.job(`() => [{ mapper: (_k, line) => [[line, 1, 2]] }]`), { input: [input] }), /emitted an array of 3 where a \[key, value\] pair was expected/);
    });
  }

  it("a job's own error names where it was thrown", async () => {
    const input = s.write("thrown.txt", "a\n");
    const job = s.job(`() => [{ mapper: (_k, line) => [[line, line.missing.length]] }]`, "thrower");
    await failsWith(mr.runInline(job, { input: [input] }), /step 0 mapper failed on .*thrown\.txt line 1 "a": Cannot read properties of undefined .*\(thrown at .*thrower\.js:2:\d+\)/);
  });
});

describe("options: misuse fails before the job starts, naming the option", () => {
  const input = s.write("opts.txt", "a\n");
  const job = s.job("() => [{ mapper: (_k, line) => [[line, 1]] }]");
  it("input, params, workers, signal, sortBufferMb, unknown options and runner names", async () => {
    await failsWith(mr.runLocal(job, { input: [] }), /options\.input must be a non-empty array of file paths/);
    await failsWith(mr.runInline(job, { input: "opts.txt" as unknown as string[] }), /options\.input must be a non-empty array/);
    await failsWith(mr.runInline(job, { input: [input], params: { coef: [1, NaN] } }), /options\.params reach every task as JSON, which cannot carry NaN at \.coef\[1\]/);
    await failsWith(mr.runLocal(job, { input: [input], workers: 0 }), /options\.workers must be a whole number of threads from 1 to 256, got 0/);
    await failsWith(mr.runLocal(job, { input: [input], signal: "stop" as unknown as AbortSignal }), /options\.signal must be an AbortSignal/);
    await failsWith(mr.runInline(job, { input: [input], sortBufferMb: -1 }), /options\.sortBufferMb must be a number/);
    await failsWith(mr.runLocal(job, { input: [input], inputs: ["x"] } as ml.mapreduce.LocalOptions), /unknown option "inputs"; the local runner takes input, params/);
    await failsWith(mr.runInline(job, { input: [input], taskTimeoutMs: 10 } as ml.mapreduce.RunOptions), /unknown option "taskTimeoutMs" \(the inline runner runs tasks in this thread and cannot stop one: use runner "local"\)/);
    await failsWith(mr.runLocal(job, { input: [input], classpath: "x" } as ml.mapreduce.LocalOptions), /classpath is an option of the hadoop runner/);
    await failsWith(mr.run(job, { input: [input], runner: "spark" as "local" }), /options\.runner must be "inline", "local" or "hadoop", got "spark"/);
    await failsWith(mr.runInline(job, { input: [s.dir] }), /is not a file; list the files in it/);
    assert.throws(() => mr.jobPath("kmeans" as "gmm-em"), /ships the jobs "weighted-gd" and "gmm-em", not "kmeans"/);
  });
});
