/** A pool thread: instantiates the kernels on the shared memory, then runs its share of every job posted. */
import { MessagePort, parentPort, workerData } from "node:worker_threads";
import { CTRL, Job, KernelExports, runJob } from "./jobs";

const { memory, wasm, part, generation, port } = workerData as {
  memory: WebAssembly.Memory; wasm: WebAssembly.Module; part: number; generation: number; port: MessagePort;
};
const kernels = new WebAssembly.Instance(wasm, { env: { memory } }).exports as unknown as KernelExports;
const control = new Int32Array(memory.buffer, 0, 16);

Atomics.add(control, CTRL.ready, 1);
Atomics.notify(control, CTRL.ready);
let seen = generation;
for (;;) {
  Atomics.wait(control, CTRL.generation, seen);
  seen = Atomics.load(control, CTRL.generation);
  const job = Atomics.load(control, CTRL.job) as Job;
  if (job === Job.Stop) break;
  const parts = Atomics.load(control, CTRL.parts);
  try {
    // memory.buffer is re-read per job: the arena may have grown the memory since the last one.
    if (part < parts) runJob(job, part, parts, memory.buffer, kernels);
  } catch (e) {
    Atomics.store(control, CTRL.failed, 1);
    port.postMessage(`thread ${part}: ${(e as Error).stack ?? e}`);
  }
  Atomics.add(control, CTRL.done, 1);
  Atomics.notify(control, CTRL.done);
}
parentPort?.close();
