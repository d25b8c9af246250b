/** A local-runner worker thread: runs the map and reduce tasks the pool posts, one at a time. */
import { parentPort } from "node:worker_threads";
import type { WorkerReply } from "./task-pool";
import { runTask, Task } from "./tasks";

parentPort!.on("message", (task: Task) => {
  let reply: WorkerReply;
  try {
    reply = { ok: true, result: runTask(task) };
  } catch (e) {
    reply = { ok: false, error: (e as Error)?.message ?? String(e) };
  }
  parentPort!.postMessage(reply);
});
