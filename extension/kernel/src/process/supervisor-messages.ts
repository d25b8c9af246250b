/** What the kernel's main thread and its supervisor thread (supervisor.ts) tell each other. */

/** Supervisor → main thread. */
export type FromSupervisor =
  /** A line the host sent (parsed, not yet checked). */
  | { kind: "request"; request: unknown }
  /** Answer with a pong as soon as you can: the supervisor is checking whether the main thread is stuck. */
  | { kind: "ping"; seq: number }
  /** The main thread stopped the code it was running at the supervisor's request, while cell `id` was being interrupted. */
  | { kind: "terminated"; id: string };

/** Main thread → supervisor. */
export type ToSupervisor = { kind: "pong"; seq: number } | { kind: "settled"; id: string };

export interface SupervisorData {
  requestsFd: number;
  eventsFd: number;
  /** The prints batched for the event channel (stream-buffer.ts), which the supervisor sends once they have waited. */
  streams: SharedArrayBuffer;
  /** The global through which the supervisor asks the main thread to stop runaway code (runaway-stop.ts). */
  stopFunction: string;
}

/** The sourceURL of the supervisor's stop expression: frames below it are the code it interrupted (runaway-stop.ts). */
export const STOP_SOURCE_URL = "mllab-supervisor-stop";
