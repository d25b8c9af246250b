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
 * is finite. Returns the largest magnitude; throws NonFiniteError naming the first NaN or ±Infinity.
 */
export function copyIn(x: Matrix, at: number, float32: boolean, sums: number, name = "X"): number {
  const { arena } = sharedMemory();
  (float32 ? arena.f32(at, x.data.length) : arena.f64(at, x.data.length)).set(x.data);
  return finiteOrThrow(x, addColumnSums(at, x.rows, x.cols, float32, sums), name);
}

/** `maxAbs` when it is finite; else X has a NaN or ±Infinity, and the error names the first. */
export function finiteOrThrow(x: Matrix, maxAbs: number, name = "X"): number {
  if (Number.isFinite(maxAbs)) return maxAbs;
  assertFiniteMatrix(x, name);
  throw new Error(`ml-lab: the column sums found a value that is not finite in ${name}, and the rescan did not`);
}
