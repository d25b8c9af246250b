import { Control, Pass } from "./memory-layout";
import type { PassExports } from "./passes";

/**
 * Claims and runs shares of a claimed pass (Control.claimed) until none is left, on each thread that takes part: the
 * control block's counter hands every share to exactly one thread, whichever is free first.
 */
export function runShares(passes: PassExports, control: Int32Array, pass: Pass, shares: number): void {
  for (let share; (share = Atomics.add(control, Control.next, 1)) < shares; ) passes.run(pass, share, shares);
}
