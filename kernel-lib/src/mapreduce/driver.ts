export interface IterationRecord<S> {
  iteration: number;
  state: S;
  ms: number;
}

export interface IterateResult<S> {
  state: S;
  trace: IterationRecord<S>[];
  nIter: number;
  converged: boolean;
}

/**
 * The driver loop of an iterative MapReduce algorithm (the w261 HW6 homework's `while not_stopping`): run `step` (usually one
 * job) per iteration from the current state until `converged(previous, next)` or `maxIter`, recording each state.
 */
export async function iterate<S>(options: {
  initial: S;
  step: (state: S, iteration: number) => Promise<S> | S;
  converged?: (previous: S, next: S) => boolean;
  maxIter: number;
  onIteration?: (record: IterationRecord<S>) => void;
}): Promise<IterateResult<S>> {
  let state = options.initial;
  const trace: IterationRecord<S>[] = [{ iteration: 0, state, ms: 0 }];
  for (let iteration = 1; iteration <= options.maxIter; iteration++) {
    const t = performance.now();
    const next = await options.step(state, iteration);
    const record = { iteration, state: next, ms: performance.now() - t };
    trace.push(record);
    options.onIteration?.(record);
    const done = options.converged?.(state, next) ?? false;
    state = next;
    if (done) return { state, trace, nIter: iteration, converged: true };
  }
  return { state, trace, nIter: options.maxIter, converged: false };
}
