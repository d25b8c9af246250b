/**
 * The kernel protocol. Host → kernel: JSON lines on the kernel's stdin. Kernel → host: JSON lines on fd 3,
 * written synchronously so that output produced while a cell runs (prints, live displays) arrives as it happens
 * and in order. Interrupt is SIGINT, not a message, because a busy cell never reads its stdin; a SIGINT that
 * arrives while tslab is still type-checking a cell (synchronously) would be lost, so the host sends it only after
 * the kernel has announced that the cell's script is running.
 */
export type MimeBundle = Record<string, unknown>;

export type KernelRequest =
  | { type: "execute"; id: string; code: string }
  | { type: "complete"; id: string; code: string; offset: number }
  | { type: "inspect"; id: string; code: string; offset: number }
  | { type: "shutdown" };

export interface CellDiagnostic {
  /** 1-based, relative to the cell. */
  line: number;
  column: number;
  message: string;
  code?: number;
}

export type KernelEvent =
  | { type: "ready"; pid: number; versions: Record<string, string>; startupMs: number }
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
  | { type: "done"; id: string; status: "ok" | "error" | "interrupted"; executionCount: number; durationMs: number }
  | { type: "complete-reply"; id: string; start: number; end: number; candidates: string[] }
  | { type: "inspect-reply"; id: string; found: boolean; signature?: string; documentation?: string; start?: number; end?: number };

/** The fd the kernel writes its events to. */
export const EVENT_FD = 3;
