/**
 * Progress of long library calls. The loops of the estimators report each step here; whoever listens shows it (in a
 * notebook, the display layer: see display/progress-display.ts). The library itself shows nothing, and imports
 * nothing: with no listener a report is one global read and a return, with no allocation, so a loop can report
 * every iteration.
 */

/** What a listener hears. Positional arguments, so that a report allocates nothing. */
export interface ProgressListener {
  /**
   * One step of a long call, after the step is done.
   * - `call`: the same object for every step of one call (its workspace, its list of runs); another object is
   *   another call. A call that starts over at a step ≤ its last one has begun another run (nInit).
   * - `task`: what runs, for people ("KMeans", "GaussianMixture", "EM").
   * - `objective`, `objectiveName`: the value the call optimises after this step (NaN and "" when it has none).
   * - `of`: the number of steps when it is known in advance; NaN otherwise (an iterative fit stops when it converges).
   */
  step(call: object, task: string, step: number, objective: number, objectiveName: string, of: number): void;
}

// On globalThis, as the display sink is, so that two copies of the library report to the one listener.
const LISTENER = Symbol.for("mllab.progressListener");
type GlobalWithListener = typeof globalThis & { [LISTENER]?: ProgressListener };

/** Installs (or, with undefined, removes) the one listener that hears every report. */
export function setProgressListener(listener: ProgressListener | undefined): void {
  (globalThis as GlobalWithListener)[LISTENER] = listener;
}

/** Reports one step of a long call to the listener, if there is one. See ProgressListener.step for the arguments. */
export function reportProgress(call: object, task: string, step: number, objective = NaN, objectiveName = "", of = NaN): void {
  const listener = (globalThis as GlobalWithListener)[LISTENER];
  if (listener !== undefined) listener.step(call, task, step, objective, objectiveName, of);
}
