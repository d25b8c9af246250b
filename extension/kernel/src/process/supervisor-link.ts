import { randomUUID } from "node:crypto";
import * as path from "node:path";
import { Worker } from "node:worker_threads";
import { KERNEL_FD } from "../protocol/messages";
import { RunawayStop } from "./runaway-stop";
import { FromSupervisor, SupervisorData, ToSupervisor } from "./supervisor-messages";

export interface SupervisorHandlers {
  request(request: unknown): void;
  /** Whether cell `id` may be stopped now: it is the one running, or it is queued and no cell runs. */
  mayStop(id: string): boolean;
  terminated(id: string): void;
}

/** The main thread's side of the supervisor thread (supervisor.ts): starts it, answers its pings, tells it what settled. */
export class SupervisorLink {
  private readonly worker: Worker;
  private handlers: SupervisorHandlers | undefined;
  private readonly early: unknown[] = [];
  private readonly runaway = new RunawayStop((id) => this.handlers?.mayStop(id) ?? false);

  constructor(streams: SharedArrayBuffer, onFailure: (error: Error) => void) {
    // Hidden, and named afresh for each kernel: only the supervisor's expression calls it.
    const stopFunction = `__mllab_stop_${randomUUID().replace(/-/g, "")}`;
    Object.defineProperty(globalThis, stopFunction, { value: (id: string) => this.runaway.stop(id), enumerable: false });
    const workerData: SupervisorData = { requestsFd: KERNEL_FD.requests, eventsFd: KERNEL_FD.events, streams, stopFunction };
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
        this.runaway.release();
        return this.handlers?.terminated(message.id);
    }
  }
}
