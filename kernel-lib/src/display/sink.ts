import { MIME, MimeBundle } from "../output-contract";
import { setProgressListener } from "../progress";
import { ProgressDisplays } from "./progress-display";

export interface DisplayMessage {
  /** The representations; with `update: true`, an empty bundle removes the output (see MimeBundle). */
  data: MimeBundle;
  /** Stable id of the output; a message with `update: true` replaces the output with that id. */
  displayId: string;
  update: boolean;
}

export type DisplaySink = (message: DisplayMessage) => void;

const SINK_KEY = Symbol.for("mllab.displaySink");
type GlobalWithSink = typeof globalThis & { [SINK_KEY]?: DisplaySink };

/**
 * Where displays go. The notebook kernel installs a sink; in plain Node nothing is installed and displays
 * print their text/plain form. Kept on globalThis so that two copies of the library share one sink.
 *
 * While a sink is set, long library calls show their progress through it (progress-display.ts); in plain Node they
 * stay silent.
 */
export function setDisplaySink(sink: DisplaySink | undefined): void {
  (globalThis as GlobalWithSink)[SINK_KEY] = sink;
  setProgressListener(sink ? new ProgressDisplays(publishDisplay) : undefined);
}

export function publishDisplay(message: DisplayMessage): void {
  const sink = (globalThis as GlobalWithSink)[SINK_KEY];
  if (sink) {
    sink(message);
    return;
  }
  const text = message.data[MIME.text];
  if (message.update && Object.keys(message.data).length === 0) return;
  process.stdout.write(`${typeof text === "string" ? text : JSON.stringify(message.data)}\n`);
}
