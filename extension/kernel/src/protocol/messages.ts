/**
 * What the host (host/kernel-client.ts) and the kernel process (process/) say to each other.
 *
 * The kernel process's file descriptors:
 * - fd 3, kernel → host: events, as JSON lines written synchronously, so output made while a cell runs (prints, live
 *   displays) arrives as it happens and in order. A cell can write to this fd too: each event starts on a fresh
 *   line, so a stray partial line cannot swallow the next event, and the host shows lines that are not events as the
 *   cell's output.
 * - fd 4, host → kernel: requests, as JSON lines. The kernel's supervisor thread reads them, off the main thread, so
 *   an interrupt is heard while a cell spins and the pipe's end tells the kernel its host is gone.
 * - fd 1 and 2: raw output (native code, child processes), shown on the cell running when it arrives.
 * - stdin is /dev/null: notebooks take no input.
 *
 * An interrupt is a request and a SIGINT to the kernel's process group: the SIGINT breaks a cell's synchronous
 * script (and stops the processes the cell started); the request reaches the supervisor, which stops code that runs
 * outside that script (after an `await`, in a timer). A SIGINT that arrived while tslab is still type-checking a
 * cell would be lost, so the host sends it only once the kernel has said the cell's script is running.
 */
import type { MimeBundle } from "ml-lab/output-contract";

export type { MimeBundle };

export const KERNEL_FD = { events: 3, requests: 4 } as const;

/** The kernel's exit code when its event channel is gone (the host died, or a cell closed fd 3). */
export const EXIT_CHANNEL_LOST = 75;

export type KernelRequest =
  | { type: "execute"; id: string; code: string }
  | { type: "complete"; id: string; code: string; offset: number }
  | { type: "inspect"; id: string; code: string; offset: number }
  /** Signature help at `offset`; `trigger` is the character typed that asked for it ("(" or ","), if any. */
  | { type: "signature"; id: string; code: string; offset: number; trigger?: string }
  /** Stop cell `id` if it is queued or running; the kernel keeps its state. */
  | { type: "interrupt"; id: string }
  | { type: "shutdown" };

export interface CellDiagnostic {
  /** 1-based, relative to the cell. */
  line: number;
  column: number;
  message: string;
  code?: number;
}

/** How a cell ended, as the kernel reports it (the host adds "crashed" when the process died). */
export type DoneStatus = "ok" | "error" | "interrupted";

export type KernelEvent =
  /** `stages`: milliseconds since the process started at each stage of the kernel's start (for measurements). */
  | { type: "ready"; pid: number; versions: Record<string, string>; startupMs: number; stages?: Record<string, number> }
  /** The cell passed type-checking and its script starts now: from here SIGINT can interrupt it. */
  | { type: "running"; id: string }
  | { type: "stream"; id: string; name: "stdout" | "stderr"; text: string }
  /** A display, or (update: true) the replacement of an earlier one with the same displayId. */
  | { type: "display"; id: string; displayId: string; data: MimeBundle; update: boolean; result?: boolean }
  | {
      type: "error";
      id: string;
      ename: string;
      evalue: string;
      traceback: string[];
      /** 1-based line in the cell where it happened, when known. */
      line?: number;
      diagnostics?: CellDiagnostic[];
    }
  | { type: "done"; id: string; status: DoneStatus; executionCount: number; durationMs: number }
  | { type: "complete-reply"; id: string; start: number; end: number; candidates: string[] }
  /** A hover: `signature` is TypeScript's declaration text, `documentation` the JSDoc (with its tags) as markdown. */
  | { type: "inspect-reply"; id: string; found: boolean; signature?: string; documentation?: string; start?: number; end?: number }
  | {
      type: "signature-reply";
      id: string;
      found: boolean;
      signatures?: SignatureInformation[];
      activeSignature?: number;
      activeParameter?: number;
    };

/** One signature of the function being called; documentation is markdown. */
export interface SignatureInformation {
  label: string;
  documentation: string;
  parameters: { label: string; documentation: string }[];
}

const isString = (v: unknown): v is string => typeof v === "string";
const isNumber = (v: unknown): v is number => typeof v === "number";
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * Whether a parsed line is an event the host can act on. The event fd is reachable from cells, so a line may be
 * anything: what fails this check is shown as the cell's output, never trusted.
 */
export function isKernelEvent(value: unknown): value is KernelEvent {
  if (!isObject(value)) return false;
  const e = value;
  switch (e.type) {
    case "ready":
      return isNumber(e.pid) && isObject(e.versions) && isNumber(e.startupMs);
    case "running":
      return isString(e.id);
    case "stream":
      return isString(e.id) && (e.name === "stdout" || e.name === "stderr") && isString(e.text);
    case "display":
      return isString(e.id) && isString(e.displayId) && isObject(e.data) && typeof e.update === "boolean";
    case "error":
      return isString(e.id) && isString(e.ename) && isString(e.evalue) && Array.isArray(e.traceback) && e.traceback.every(isString);
    case "done":
      return isString(e.id) && (e.status === "ok" || e.status === "error" || e.status === "interrupted") && isNumber(e.executionCount) && isNumber(e.durationMs);
    case "complete-reply":
      return isString(e.id) && isNumber(e.start) && isNumber(e.end) && Array.isArray(e.candidates);
    case "inspect-reply":
    case "signature-reply":
      return isString(e.id) && typeof e.found === "boolean";
    default:
      return false;
  }
}

/** Whether a parsed line is a request the kernel can act on (the kernel trusts its host, but not blindly). */
export function isKernelRequest(value: unknown): value is KernelRequest {
  if (!isObject(value)) return false;
  switch (value.type) {
    case "execute":
      return isString(value.id) && isString(value.code);
    case "complete":
    case "inspect":
      return isString(value.id) && isString(value.code) && isNumber(value.offset);
    case "signature":
      return isString(value.id) && isString(value.code) && isNumber(value.offset) && (value.trigger === undefined || isString(value.trigger));
    case "interrupt":
      return isString(value.id);
    case "shutdown":
      return true;
    default:
      return false;
  }
}
