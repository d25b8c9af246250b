import { assertFiniteMatrix, Matrix } from "../linalg/matrix";
import { ColumnSumsArg, Pass, Result } from "./memory-layout";
import { maxOfResults, runPass, runPassBeside } from "./passes";
import { partsFor, threadsBeside } from "./pool";
import { sharedMemory } from "./shared-memory";

/**
 * Adds the column sums of `rows` rows of d values at `at` in the arena (float64, or float32 when `float32`) into the
 * d float64 at `sums`, each column in row order (bit for bit the sequential sums, on any number of threads), and
 * returns their largest magnitude: NaN or Infinity when one of them is not finite.
 */
export function addColumnSums(at: number, rows: number, d: number, float32: boolean, sums: number): number {
  const parts = Math.min(partsFor(rows * d), Math.ceil(d / 4));
  runPass(Pass.columnSums, ColumnSumsArg, { float32: float32 ? 1 : 0, x: at, n: rows, d, sums, firstPart: 0 }, parts);
  return maxOfResults(Result.value, parts);
}

/**
 * Copies X's values into the arena at `at` (as float64, or as float32 when X is float32 data and `float32`: exact
 * either way) and adds its column sums into `sums`: the one read of X a fit makes, and its check that every value
 * is finite. Returns the largest magnitude; throws NonFiniteError naming the first NaN or ±Infinity.
 *
 * The copy (JavaScript's: X is no shared memory, so only this thread can read it) goes a few MiB at a time, and the
 * worker threads take each chunk's sums while this thread copies the next one, reading it from the cache the copy
 * left it in; only the last chunk's sums are not hidden behind a copy.
 */
export function copyIn(x: Matrix, at: number, float32: boolean, sums: number, name = "X"): number {
  const { arena } = sharedMemory();
  const { rows: n, cols: d } = x;
  const bytes = float32 ? 4 : 8;
  const target = float32 ? arena.f32(at, n * d) : arena.f64(at, n * d);
  const step = Math.max(4, Math.floor(COPY_CHUNK_VALUES / d));
  const copy = (from: number) => {
    const to = Math.min(n, from + step);
    target.set(x.data.subarray(from * d, to * d), from * d);
    return to;
  };
  // Workers that take a chunk's columns between them, four columns or more each (asked only of data big enough to
  // come in chunks, which starts the pool anyway).
  const beside = n > step ? Math.min(threadsBeside(), Math.ceil(d / 4)) : 0;
  let maxAbs = 0;
  for (let from = 0, to = copy(0); from < n; ) {
    const chunk = { float32: float32 ? 1 : 0, x: at + from * d * bytes, n: to - from, d, sums };
    if (to < n && beside > 0) {
      let next = to;
      runPassBeside(Pass.columnSums, ColumnSumsArg, { ...chunk, firstPart: 1 }, beside + 1, () => (next = copy(to)));
      maxAbs = Math.max(maxAbs, maxOfResults(Result.value, beside + 1, 1));
      [from, to] = [to, next];
    } else {
      maxAbs = Math.max(maxAbs, addColumnSums(chunk.x, chunk.n, d, float32, sums));
      [from, to] = [to, to < n ? copy(to) : n];
    }
  }
  return finiteOrThrow(x, maxAbs, name);
}

/** Values per chunk of the copy: a few MiB, to stay in the last-level cache until the workers have summed them. */
const COPY_CHUNK_VALUES = 1 << 20;

/** `maxAbs` when it is finite; else X has a NaN or ±Infinity, and the error names the first. */
export function finiteOrThrow(x: Matrix, maxAbs: number, name = "X"): number {
  if (Number.isFinite(maxAbs)) return maxAbs;
  assertFiniteMatrix(x, name);
  throw new Error(`ml-lab: the column sums found a value that is not finite in ${name}, and the rescan did not`);
}
