import { assertFiniteMatrix, Matrix } from "../linalg/matrix";
import { ColumnSumsArg, Pass, Result } from "./memory-layout";
import { maxOfResults, runPass } from "./passes";
import { partsFor } from "./pool";
import { sharedMemory } from "./shared-memory";

/**
 * Adds the column sums of `rows` rows of d values at `at` in the arena (float64, or float32 when `float32`) into the
 * d float64 at `sums`, each column in row order (bit for bit the sequential sums, on any number of threads), and
 * returns their largest magnitude: NaN or Infinity when one of them is not finite.
 */
export function addColumnSums(at: number, rows: number, d: number, float32: boolean, sums: number): number {
  const parts = Math.min(partsFor(rows * d), Math.ceil(d / 4));
  runPass(Pass.columnSums, ColumnSumsArg, { float32: float32 ? 1 : 0, x: at, n: rows, d, sums }, parts);
  return maxOfResults(Result.value, parts);
}

/**
 * Copies X's values into the arena at `at` (as float64, or as float32 when X is float32 data and `float32`: exact
 * either way) and adds its column sums into `sums`: the one read of X a fit makes, and its check that every value
 * is finite. Returns the largest magnitude; throws NonFiniteError naming the first NaN or ±Infinity. The copy goes a
 * few MiB at a time, each chunk's sums taken at once, while the chunk is still in the cache the copy left it in.
 */
export function copyIn(x: Matrix, at: number, float32: boolean, sums: number, name = "X"): number {
  const { arena } = sharedMemory();
  const { rows: n, cols: d } = x;
  const bytes = float32 ? 4 : 8;
  const target = float32 ? arena.f32(at, n * d) : arena.f64(at, n * d);
  const step = Math.max(4, Math.floor(COPY_CHUNK_VALUES / d));
  let maxAbs = 0;
  for (let from = 0; from < n; from += step) {
    const rows = Math.min(step, n - from);
    target.set(x.data.subarray(from * d, (from + rows) * d), from * d);
    maxAbs = Math.max(maxAbs, addColumnSums(at + from * d * bytes, rows, d, float32, sums));
  }
  return finiteOrThrow(x, maxAbs, name);
}

/** Values per chunk of the copy: enough to wake every thread (partsFor), few enough to stay in the last-level cache. */
const COPY_CHUNK_VALUES = 1 << 20;

/** `maxAbs` when it is finite; else X has a NaN or ±Infinity, and the error names the first. */
export function finiteOrThrow(x: Matrix, maxAbs: number, name = "X"): number {
  if (Number.isFinite(maxAbs)) return maxAbs;
  assertFiniteMatrix(x, name);
  throw new Error(`ml-lab: the column sums found a value that is not finite in ${name}, and the rescan did not`);
}
