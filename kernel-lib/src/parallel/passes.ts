import { Pass, Result, RESULT_STRIDE, RESULTS_BYTE } from "./memory-layout";
import { runBeside, runClaimed, runParallel, SerialSteps } from "./pool";
import { sharedMemory } from "./shared-memory";

/** The WebAssembly module's exports: one entry that runs a share of any pass (wasm/passes.ts). */
export interface PassExports {
  run(pass: Pass, part: number, parts: number): void;
}

/** A pass's arguments by name: every slot of its layout (an enum of memory-layout.ts), as a number. */
export type PassArgs<Layout> = { [Name in keyof Layout]: number };

/**
 * Runs `pass` over `parts` shares (from partsFor: share 0 on the calling thread, the others on the pool's workers)
 * with `args` written into their slots of `layout`, the enum the pass reads them by; returns when every share is done.
 */
export function runPass<Layout extends Record<string, string | number>>(pass: Pass, layout: Layout, args: PassArgs<Layout>, parts: number): void {
  runParallel(pass, parts, writer(layout, args));
}

/**
 * runPass over `shares` shares (≤ MAX_PARTS) that `threads` threads (from partsFor) claim in turn: a thread that is
 * done takes the next share left, so a thread slowed down (by other work on the machine, by harder rows) holds up
 * none of the others. The pass must write each share's outputs by share, not by thread. `steps`: serial passes with
 * the same arguments just before and after it (pool.ts's SerialSteps).
 */
export function runPassClaimed<Layout extends Record<string, string | number>>(
  pass: Pass, layout: Layout, args: PassArgs<Layout>, shares: number, threads: number, steps?: SerialSteps,
): void {
  runClaimed(pass, shares, threads, writer(layout, args), steps);
}

function writer<Layout extends Record<string, string | number>>(layout: Layout, args: PassArgs<Layout>): (slots: Float64Array) => void {
  return (slots) => {
    for (const name of Object.keys(args) as (keyof Layout & string)[]) slots[layout[name] as number] = args[name];
  };
}

/** runPass's shares 1 … parts − 1 on the workers, while the calling thread runs `beside` (pool.ts's runBeside). */
export function runPassBeside<Layout extends Record<string, string | number>>(pass: Pass, layout: Layout, args: PassArgs<Layout>, parts: number, beside: () => void): void {
  runBeside(pass, parts, writer(layout, args), beside);
}

/** The f64 field `field` of every share's results, summed in share order. */
export function sumOfResults(field: Result.value | Result.second, parts: number): number {
  const { memory } = sharedMemory();
  let total = 0;
  for (let part = 0; part < parts; part++) total += new Float64Array(memory.buffer, RESULTS_BYTE + part * RESULT_STRIDE + field, 1)[0];
  return total;
}

/** The i32 counter `field` of every share's results, summed. */
export function countOfResults(field: Result.changed | Result.searched, parts: number): number {
  const { memory } = sharedMemory();
  let total = 0;
  for (let part = 0; part < parts; part++) total += new Int32Array(memory.buffer, RESULTS_BYTE + part * RESULT_STRIDE + field, 1)[0];
  return total;
}

/** The largest value of the f64 field `field` over shares firstPart … parts − 1 (NaN when one is NaN). */
export function maxOfResults(field: Result.value, parts: number, firstPart = 0): number {
  const { memory } = sharedMemory();
  let max = 0;
  for (let part = firstPart; part < parts; part++) max = Math.max(max, new Float64Array(memory.buffer, RESULTS_BYTE + part * RESULT_STRIDE + field, 1)[0]);
  return max;
}

/**
 * Per-share scratch of the k-means passes (at most the Elkan pass's, wasm/kmeans.ts: 3k + 1 f64 of products and a
 * bound, k centroid indices, two blocks' worth (64 each) of row indices), padded to whole 256-byte blocks so that no
 * two threads' scratch shares a cache line.
 */
export function kmeansScratchBytes(k: number): number {
  return Math.ceil(((3 * k + 1) * 8 + k * 4 + 2 * 64 * 4) / 256) * 256 + 256;
}

/**
 * Per-share scratch of the EM pass (wasm/gmm.ts): the 2-D pass's packed factors (3k f64) and 7k vectors, or the
 * general pass's 2d + k + k·(1 + d + S2 values) vectors, whichever is more, padded as above.
 */
export function mixtureScratchBytes(k: number, d: number): number {
  const general = 16 * (2 * d + k + k * (1 + d + (d * (d + 1)) / 2));
  return Math.ceil(Math.max(24 * k + 16 * 7 * k, general) / 256) * 256 + 256;
}
