import { MAX_SEED_CANDIDATES, Pass, SeedArg } from "../parallel/memory-layout";
import { runPassClaimed } from "../parallel/passes";
import { sharedMemory } from "../parallel/shared-memory";
import type { SeedDistances } from "./init";

/** Rows a fit has in the shared memory, as the seeding pass reads them (byte offsets; `weights` 0 when all are 1). */
export interface SharedRows {
  x: number;
  float32: boolean;
  n: number;
  d: number;
  weights: number;
  /** The shares the pass is cut into, claimed in turn by `threads` threads (the same shares whatever the threads). */
  shares: number;
  threads: number;
}

/**
 * Runs `start` with SeedDistances measured by the seeding pass (wasm/seeding.ts) on `rows`, on every core, at the
 * rows' precision; its buffers live in the shared memory's arena until `start` returns. Rows shifted by a constant
 * (a copy not yet centred, or centred) give the same distances up to rounding.
 */
export function withSharedSeedDistances<T>(rows: SharedRows, start: (distances: SeedDistances) => T): T {
  const { n, d } = rows;
  const { arena } = sharedMemory();
  const mark = arena.mark();
  try {
    // Wide rows keep the last candidates' minima (n f64 each, at most a quarter of the data's size): the centre chosen
    // among them is then taken from them, not measured again (a second read of the data per step).
    const keep = MAX_SEED_CANDIDATES * 8 * 4 <= d * (rows.float32 ? 4 : 8);
    const at = {
      closest: arena.alloc(n * 8, { zero: false }),
      candidates: arena.alloc(MAX_SEED_CANDIDATES * 4),
      potentials: arena.alloc(rows.shares * MAX_SEED_CANDIDATES * 8),
      distances: keep ? arena.alloc(MAX_SEED_CANDIDATES * n * 8, { zero: false }) : 0,
    };
    const closest = arena.f64(at.closest, n).fill(Infinity);
    /** The candidates whose minima `distances` holds, and their potentials. */
    let kept: { candidates: readonly number[]; potentials: Float64Array } | undefined;

    const measure = (candidates: readonly number[], fold: boolean): Float64Array => {
      arena.i32(at.candidates, candidates.length).set(candidates);
      const args = {
        float32: rows.float32 ? 1 : 0, x: rows.x, d, n, weights: rows.weights, closest: at.closest, candidates: at.candidates,
        count: candidates.length, potentials: at.potentials, distances: fold ? 0 : at.distances, fold: fold ? 1 : 0,
      };
      runPassClaimed(Pass.seed, SeedArg, args, rows.shares, rows.threads);
      const sums = new Float64Array(candidates.length);
      for (let share = 0; share < rows.shares; share++) {
        const part = arena.f64(at.potentials + share * MAX_SEED_CANDIDATES * 8, candidates.length);
        for (let t = 0; t < candidates.length; t++) sums[t] += part[t];
      }
      return sums;
    };

    return start({
      closest,
      add(centre) {
        // (Kept minima are against `closest` as it was: good for one centre added, not for the next.)
        const last = kept;
        kept = undefined;
        const t = last ? last.candidates.indexOf(centre) : -1;
        if (t < 0) return measure([centre], true)[0];
        closest.set(arena.f64(at.distances + t * n * 8, n));
        return last!.potentials[t];
      },
      potentials(candidates) {
        const out = new Float64Array(candidates.length);
        for (let from = 0; from < candidates.length; from += MAX_SEED_CANDIDATES) {
          const batch = candidates.slice(from, from + MAX_SEED_CANDIDATES);
          const potentials = measure(batch, false);
          out.set(potentials, from);
          kept = keep ? { candidates: batch, potentials } : undefined;
        }
        return out;
      },
    });
  } finally {
    arena.release(mark);
  }
}
