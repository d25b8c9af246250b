/** A local-runner worker thread: runs map and reduce tasks posted by the main thread, one at a time. */
import { parentPort } from "node:worker_threads";
import { runMapTask, runReduceTask } from "./engine";
import { InputSplit, readSplit } from "./input";
import { loadJob } from "./load-job";

export type TaskRequest =
  | { id: number; kind: "map"; jobPath: string; params: unknown; stepNum: number; split?: InputSplit; lines?: string[] }
  | { id: number; kind: "reduce"; jobPath: string; params: unknown; stepNum: number; lines: string[] };

parentPort!.on("message", (task: TaskRequest) => {
  try {
    const job = loadJob(task.jobPath);
    let result;
    if (task.kind === "map") {
      const input = task.split ? readSplit(task.split) : { lines: task.lines!, where: (i: number) => `line ${i + 1} of map task ${task.id}'s input` };
      result = runMapTask(job, task.params, task.stepNum, input);
    } else {
      result = runReduceTask(job, task.params, task.stepNum, task.lines);
    }
    parentPort!.postMessage({ id: task.id, ok: true, result });
  } catch (e) {
    parentPort!.postMessage({ id: task.id, ok: false, error: (e as Error).message ?? String(e) });
  }
});
