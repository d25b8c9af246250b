import * as path from "node:path";
import { Worker } from "node:worker_threads";
import { KERNEL_FD } from "../protocol/messages";
import { FromSupervisor, SupervisorData, ToSupervisor } from "./supervisor-messages";

export interface SupervisorHandlers {
  request(request: unknown): void;
  terminated(id: string): void;
}

/** The main thread's side of the supervisor thread (supervisor.ts): starts it, answers its pings, tells it what settled. */
export class SupervisorLink {
  private readonly worker: Worker;
  private readonly busy = new Int32Array(new SharedArrayBuffer(4));
  private handlers: SupervisorHandlers | undefined;
  private readonly early: unknown[] = [];

  constructor(streams: SharedArrayBuffer, onFailure: (error: Error) => void) {
    const workerData: SupervisorData = { requestsFd: KERNEL_FD.requests, eventsFd: KERNEL_FD.events, streams, busy: this.busy.buffer as SharedArrayBuffer };
    this.worker = new Worker(path.join(__dirname, "supervisor.js"), { workerData, stdout: false, stderr: false });
    this.worker.on("message", (message: FromSupervisor) => this.onMessage(message));
    // Without its supervisor the kernel can neither hear its host nor be interrupted: it cannot go on.
    this.worker.on("error", onFailure);
    this.worker.on("exit", (code) => onFailure(new Error(`the kernel's supervisor thread exited (code ${code})`)));
  }

  /** Requests that arrived before this are delivered now, in order. */
  listen(handlers: SupervisorHandlers): void {
    this.handlers = handlers;
    for (const request of this.early.splice(0)) handlers.request(request);
  }

  /** Marks kernel code that the supervisor must never stop (it would leave tslab's compiler half-updated). */
  setBusy(busy: boolean): void {
    Atomics.store(this.busy, 0, busy ? 1 : 0);
  }

  settled(id: string): void {
    this.post({ kind: "settled", id });
  }

  private post(message: ToSupervisor): void {
    this.worker.postMessage(message);
  }

  private onMessage(message: FromSupervisor): void {
    switch (message.kind) {
      case "ping":
        return this.post({ kind: "pong", seq: message.seq });
      case "request":
        if (this.handlers) this.handlers.request(message.request);
        else this.early.push(message.request);
        return;
      case "terminated":
        return this.handlers?.terminated(message.id);
    }
  }
}
