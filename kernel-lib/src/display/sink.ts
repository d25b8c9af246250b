import { MIME, MimeBundle } from "../output-contract";

export interface DisplayMessage {
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
 */
export function setDisplaySink(sink: DisplaySink | undefined): void {
  (globalThis as GlobalWithSink)[SINK_KEY] = sink;
}

export function publishDisplay(message: DisplayMessage): void {
  const sink = (globalThis as GlobalWithSink)[SINK_KEY];
  if (sink) {
    sink(message);
    return;
  }
  const text = message.data[MIME.text];
  process.stdout.write(`${typeof text === "string" ? text : JSON.stringify(message.data)}\n`);
}
