/** What the kernel's main thread and its supervisor thread (supervisor.ts) tell each other. */

/** Supervisor → main thread. */
export type FromSupervisor =
  /** A line the host sent (parsed, not yet checked). */
  | { kind: "request"; request: unknown }
  /** Answer with a pong as soon as you can: the supervisor is checking whether the main thread is stuck. */
  | { kind: "ping"; seq: number }
  /** The supervisor stopped the JavaScript the main thread was running, while cell `id` was being interrupted. */
  | { kind: "terminated"; id: string };

/** Main thread → supervisor. */
export type ToSupervisor = { kind: "pong"; seq: number } | { kind: "settled"; id: string };

export interface SupervisorData {
  requestsFd: number;
  eventsFd: number;
  /** The prints batched for the event channel (stream-buffer.ts), which the supervisor sends once they have waited. */
  streams: SharedArrayBuffer;
  /** Int32 flag, 1 while the main thread runs kernel code that must not be cut (tslab type-checking a cell). */
  busy: SharedArrayBuffer;
}
