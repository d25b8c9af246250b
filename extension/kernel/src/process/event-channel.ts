import * as fs from "node:fs";
import { encodeLine } from "../protocol/json-lines";
import { EXIT_CHANNEL_LOST, KERNEL_FD, KernelEvent } from "../protocol/messages";
import { StreamBuffer, writeAll } from "./stream-buffer";

/**
 * The main thread's side of the event channel. Every event is written whole and synchronously, so output made by a
 * synchronous cell reaches the host while the cell still runs, in order. Prints are batched (stream-buffer.ts): a
 * batch goes out when it is large, when any other event follows it, or after a few milliseconds.
 */
export class EventChannel {
  readonly streams: StreamBuffer;
  /** The cell and stream of the batch being gathered. */
  private batchId = "";
  private batchName = "";

  constructor(private readonly exit: (code: number) => never, private readonly fd: number = KERNEL_FD.events) {
    this.streams = new StreamBuffer(fd);
  }

  /**
   * Sends an event, after the prints gathered before it. Throws what JSON.stringify throws (a display of a cyclic
   * value): the caller's error, not the channel's. The event is encoded before the lock is taken, since encoding may
   * run a value's toJSON, which may print.
   */
  send(event: KernelEvent): void {
    const bytes = encodeLine(event);
    this.streams.lock();
    try {
      this.streams.flush();
      writeAll(this.fd, bytes);
    } catch (e) {
      this.failed(e);
    } finally {
      this.streams.unlock();
    }
  }

  /** Adds printed text to the cell's batch. */
  sendStream(id: string, name: "stdout" | "stderr", text: string): void {
    const escaped = JSON.stringify(text).slice(1, -1);
    this.streams.lock();
    try {
      const sameBatch = this.streams.length > 0 && this.batchId === id && this.batchName === name;
      if (!sameBatch) this.streams.flush();
      const opening = sameBatch ? undefined : `\n{"type":"stream","id":${JSON.stringify(id)},"name":"${name}","text":"`;
      this.batchId = id;
      this.batchName = name;
      if (this.streams.append(opening, escaped)) return;
      this.streams.flush();
      // Too big for a batch of its own: it goes out alone.
      if (!this.streams.append(`\n{"type":"stream","id":${JSON.stringify(id)},"name":"${name}","text":"`, escaped)) writeAll(this.fd, encodeLine({ type: "stream", id, name, text }));
    } catch (e) {
      this.failed(e);
    } finally {
      this.streams.unlock();
    }
  }

  /** The process is exiting (a cell called process.exit): send the last prints, unless this thread is mid-write. */
  flushOnExit(): void {
    if (!this.streams.tryLock()) return;
    try {
      this.streams.flush();
    } catch {
      // the host is gone
    } finally {
      this.streams.unlock();
    }
  }

  private failed(e: unknown): never {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "EBADF" || code === "EPIPE" || code === "ECONNRESET") this.lost(code);
    throw e;
  }

  /** Without its channel the kernel can tell nobody anything: it ends, and the host reports why from the exit code. */
  private lost(code: string): never {
    try {
      fs.writeSync(2, `kernel: the event channel is gone (${code}); exiting\n`);
    } catch {
      // stderr may be gone too
    }
    this.exit(EXIT_CHANNEL_LOST);
  }
}
