/**
 * Every global patch the kernel process makes, in one place. Each hook hands what it sees to the session; none keeps
 * state of its own.
 */
import { MimeBundle } from "../protocol/messages";
import { forwardBundledModules } from "./forward-modules";

/** What the hooks report to (the session). */
export interface HookTarget {
  output(name: "stdout" | "stderr", text: string): void;
  display(data: MimeBundle, displayId: string, update: boolean): void;
  /** Code outside any cell's script threw, or a promise was rejected with no handler. */
  callbackError(error: unknown, kind: "exception" | "rejection"): void;
  /** The process is exiting (a cell called process.exit): last chance to send what is pending. */
  exiting(): void;
}

/**
 * tslab itself, for a cell's `import … from "tslab"`, its display API (`tslab.display`) landing in `target` as
 * ml-lab's displays do. Loaded when a cell first asks for it, not with the kernel: tslab's Jupyter module, which
 * that API writes through, brings tslab's own converter and semver (a few per cent of a kernel's start), and few
 * notebooks use it.
 */
export function tslabFor(target: HookTarget): () => unknown {
  let tslab: unknown;
  return () => {
    if (tslab !== undefined) return tslab;
    let displays = 0;
    // (tslab passes `update` undefined for a display without an id: the protocol's `update` is a boolean.)
    require("tslab/dist/jupyter").lastWriteDisplayData = (message: { data: MimeBundle; transient?: { display_id?: string } }, update: boolean | undefined) =>
      target.display(message.data, message.transient?.display_id ?? `tslab-${++displays}`, update === true);
    return (tslab = require("tslab"));
  };
}

/** Before tslab and ml-lab load: module resolution for the type checker and for `require`. */
export function installModuleHooks(cwd: string): void {
  forwardBundledModules(cwd);
}

export function installHooks(target: HookTarget, ml: typeof import("ml-lab")): void {
  // Everything a cell prints goes through the one ordered event channel.
  for (const name of ["stdout", "stderr"] as const) {
    const stream = process[name];
    stream.write = ((chunk: string | Uint8Array, encoding?: BufferEncoding | ((e?: Error) => void), callback?: (e?: Error) => void) => {
      const text = typeof chunk === "string" ? chunk : Buffer.from(chunk).toString(typeof encoding === "string" ? encoding : "utf8");
      target.output(name, text);
      (typeof encoding === "function" ? encoding : callback)?.();
      return true;
    }) as typeof stream.write;
  }

  ml.setDisplaySink(({ data, displayId, update }) => target.display(data, displayId, update));

  // As ipykernel does: an error in a callback is reported and the kernel lives on.
  process.on("uncaughtException", (error) => target.callbackError(error, "exception"));
  process.on("unhandledRejection", (reason) => target.callbackError(reason, "rejection"));
  // While a cell's script runs, breakOnSigint turns SIGINT into an exception; at any other time SIGINT must not end
  // the kernel (Node's default). The interrupt itself arrives as a request (see protocol/messages.ts).
  process.on("SIGINT", () => {});
  process.on("exit", () => target.exiting());
}
