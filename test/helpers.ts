import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import * as ml from "../kernel-lib/src";

export function fixture<T = any>(name: string): T {
  return JSON.parse(fs.readFileSync(path.join(__dirname, "fixtures", name), "utf8"));
}

type Nested = number | ArrayLike<number> | ReadonlyArray<Nested> | { toArray(): number[][] };

function flatten(value: Nested): number[] {
  if (typeof value === "number") return [value];
  if (typeof (value as { toArray?: unknown }).toArray === "function") return (value as { toArray(): number[][] }).toArray().flat();
  return Array.from(value as ArrayLike<Nested>).flatMap((v) => flatten(v));
}

/** Element-wise |a − b| ≤ atol + rtol·|b| over nested arrays/matrices, like numpy.allclose. */
export function assertClose(actual: Nested, expected: Nested, atol = 1e-9, rtol = 0, message = ""): void {
  const a = flatten(actual), e = flatten(expected);
  assert.equal(a.length, e.length, `${message} length ${a.length} ≠ ${e.length}`);
  for (let i = 0; i < a.length; i++) {
    const ok = Math.abs(a[i] - e[i]) <= atol + rtol * Math.abs(e[i]);
    if (!ok) assert.fail(`${message} element ${i}: ${a[i]} vs expected ${e[i]} (atol ${atol}, rtol ${rtol})`);
  }
}

export function assertRelClose(actual: number, expected: number, rtol: number, message = ""): void {
  assert.ok(Math.abs(actual - expected) <= rtol * Math.abs(expected), `${message}: ${actual} vs ${expected} (rtol ${rtol})`);
}

/** Runs `run` with the library's thread count set to `threads`, then restores it. */
export function withThreads<T>(threads: number, run: () => T): T {
  const before = ml.getThreads();
  ml.setThreads(threads);
  try {
    return run();
  } finally {
    ml.setThreads(before);
  }
}
