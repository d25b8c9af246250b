import { checkOptions, INLINE_OPTIONS, RunOptions } from "./options";
import { SimRunner } from "./sim";
import { runSteps, RunResult } from "./step-loop";
import { runTask } from "./tasks";

/**
 * Every step in this thread, one map task per input file and one reduce task: the reference the other runners must
 * match. A task cannot be stopped halfway (it is synchronous code in this thread); `signal` is checked between tasks.
 */
export async function runInline(jobPath: string, options: RunOptions): Promise<RunResult> {
  checkOptions(options, "inline", INLINE_OPTIONS);
  return runSteps(jobPath, options, new SimRunner("inline", jobPath, options, { mapTasks: 1, partitions: 1, parallel: false }, async (task, signal) => {
    signal.throwIfAborted();
    return runTask(task);
  }));
}
