/**
 * The one step loop every runner shares (mrjob's MRJobRunner.run): load and check the job, run its steps in order,
 * each step's output being the next one's input, read the last step's output, and clean up on every exit path.
 * A runner only says how a step's tasks run and where their files live (mrjob's sim/inline/local/hadoop split).
 */
import { Counters, mergeCounters } from "./engine";
import { MapReduceError, MapReduceInterruptedError } from "./errors";
import { KeyValue, stepsOf } from "./job";
import { InterruptReason, trackJob } from "./interrupt";
import { loadJob } from "./load-job";
import { RunnerName, RunOptions } from "./options";
import { decodePair } from "./protocol";

export interface RunResult {
  /** The last step's pairs, in output order (partition by partition). */
  output: KeyValue[];
  counters: Counters;
  /** Wall time per step, ms. */
  stepTimes: number[];
  runner: RunnerName;
}

export interface StepOutcome<Location> {
  output: Location[];
  counters: Counters;
}

/** How one runner runs a step; `Location` is where data lives (a local file, a Hadoop path). */
export interface StepRunner<Location> {
  readonly name: RunnerName;
  /** Sets up (work folders, uploads) and returns step 0's input. */
  prepare(signal: AbortSignal): Promise<Location[]>;
  /** Runs every task of one step; stops them and rejects when `signal` aborts. */
  runStep(stepNum: number, input: Location[], last: boolean, signal: AbortSignal): Promise<StepOutcome<Location>>;
  /** The last step's output lines (JSON protocol), in order. */
  readOutput(output: Location[], signal: AbortSignal): Promise<string[]>;
  /** Removes whatever prepare and the steps made; runs on every exit path. */
  cleanup(): Promise<void>;
}

export async function runSteps<Location>(jobPath: string, options: RunOptions, runner: StepRunner<Location>): Promise<RunResult> {
  const job = loadJob(jobPath); // fails fast, in this thread, on a bad module
  const params = options.params ?? null;
  const steps = stepsOf(job, params).length;
  const tracked = trackJob(options.signal);
  const { signal } = tracked;
  const counters: Counters = {};
  const stepTimes: number[] = [];
  let failed = false;
  try {
    stopIfAborted(signal);
    let data = await runner.prepare(signal);
    for (let stepNum = 0; stepNum < steps; stepNum++) {
      stopIfAborted(signal);
      const t = performance.now();
      const outcome = await runner.runStep(stepNum, data, stepNum === steps - 1, signal);
      mergeCounters(counters, outcome.counters);
      data = outcome.output;
      stepTimes.push(performance.now() - t);
    }
    stopIfAborted(signal);
    const lines = await runner.readOutput(data, signal);
    return { output: lines.map((line, i) => decodePair(line, () => `output line ${i + 1}`)), counters, stepTimes, runner: runner.name };
  } catch (e) {
    failed = true;
    if (signal.aborted && !(e instanceof MapReduceInterruptedError)) throw interrupted(job.name, signal);
    throw e;
  } finally {
    tracked.done();
    // A cleanup that fails after the job failed must not hide the job's own error.
    await runner.cleanup().catch((e) => {
      if (!failed) throw e;
    });
  }
}

function stopIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw new MapReduceError("aborted"); // replaced by `interrupted` in runSteps' catch
}

function interrupted(name: string, signal: AbortSignal): MapReduceInterruptedError {
  const why = signal.reason instanceof InterruptReason ? signal.reason.message : String(signal.reason);
  return new MapReduceInterruptedError(`job "${name}" was stopped: ${why}; its tasks were stopped and its work folder removed, and the next job starts afresh`);
}
