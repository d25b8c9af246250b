/** A pool thread: instantiates the WebAssembly passes on the shared memory, then runs its share of every pass posted. */
import { MessagePort, parentPort, workerData } from "node:worker_threads";
import { CONTROL_INTS, Control, Pass } from "./memory-layout";
import type { PassExports } from "./passes";
import { runShares } from "./claim";

const { memory, wasm, part, generation, epoch, port } = workerData as {
  memory: WebAssembly.Memory; wasm: WebAssembly.Module; part: number; generation: number; epoch: number; port: MessagePort;
};
const passes = new WebAssembly.Instance(wasm, { env: { memory } }).exports as unknown as PassExports;
const control = new Int32Array(memory.buffer, 0, CONTROL_INTS);

Atomics.add(control, Control.ready, 1);
Atomics.notify(control, Control.ready);
let seen = generation;
for (;;) {
  Atomics.wait(control, Control.generation, seen);
  seen = Atomics.load(control, Control.generation);
  // The pool this worker belongs to was stopped (resized or replaced): leave without touching any share.
  if (Atomics.load(control, Control.epoch) !== epoch) break;
  const pass = Atomics.load(control, Control.pass) as Pass;
  const parts = Atomics.load(control, Control.parts);
  try {
    if (Atomics.load(control, Control.claimed)) runShares(passes, control, pass, parts);
    else if (part < parts) passes.run(pass, part, parts);
  } catch (e) {
    Atomics.store(control, Control.failed, 1);
    port.postMessage(`thread ${part}: ${(e as Error).stack ?? e}`);
  }
  Atomics.add(control, Control.done, 1);
  Atomics.notify(control, Control.done);
}
parentPort?.close();
