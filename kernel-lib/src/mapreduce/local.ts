import * as os from "node:os";
import { checkOptions, LOCAL_OPTIONS, LocalOptions } from "./options";
import { SimRunner } from "./sim";
import { runSteps, RunResult } from "./step-loop";
import { TaskPool } from "./task-pool";

/**
 * Every local core: map tasks over input splits (byte ranges read by each worker thread), and a reduce task per
 * partition, on a pool of worker threads, as Hadoop runs a job. `taskTimeoutMs` bounds each task; `signal` (or
 * `interruptAll()`) stops the job's tasks, replacing their threads.
 */
export async function runLocal(jobPath: string, options: LocalOptions): Promise<RunResult> {
  checkOptions(options, "local", LOCAL_OPTIONS);
  const workers = options.workers ?? (os.availableParallelism?.() ?? os.cpus().length);
  const pool = TaskPool.shared(workers);
  const shape = { mapTasks: workers * 2, partitions: workers, parallel: true };
  return runSteps(jobPath, options, new SimRunner("local", jobPath, options, shape, (task, signal) => pool.run(task, { signal, timeoutMs: options.taskTimeoutMs })));
}
