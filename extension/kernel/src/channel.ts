import * as fs from "node:fs";
import { EVENT_FD, KernelEvent } from "./protocol";

const sleeper = new Int32Array(new SharedArrayBuffer(4));

/**
 * Writes one event as a JSON line, synchronously. The pipe may be non-blocking, so EAGAIN is retried
 * after a short sleep (the host is draining it); a cell that prints a lot is slowed down, never lost.
 */
export function sendEvent(event: KernelEvent, fd = EVENT_FD): void {
  const bytes = Buffer.from(JSON.stringify(event) + "\n", "utf8");
  let offset = 0;
  while (offset < bytes.length) {
    try {
      offset += fs.writeSync(fd, bytes, offset, bytes.length - offset);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== "EAGAIN") throw e;
      Atomics.wait(sleeper, 0, 0, 1);
    }
  }
}

/** Splits a byte stream into JSON lines (used on both ends). */
export class LineDecoder {
  private buffer = "";
  constructor(private readonly onLine: (line: string) => void) {}

  push(chunk: Buffer | string): void {
    this.buffer += chunk.toString();
    let newline: number;
    while ((newline = this.buffer.indexOf("\n")) >= 0) {
      const line = this.buffer.slice(0, newline);
      this.buffer = this.buffer.slice(newline + 1);
      if (line.trim() !== "") this.onLine(line);
    }
  }
}
