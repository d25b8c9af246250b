import * as fs from "node:fs";

/**
 * A cell's prints, gathered into one stream event in memory shared by the kernel's main thread and its supervisor
 * thread, so that a cell printing a million lines sends a few dozen events instead of a million. The main thread
 * appends; whichever thread comes first writes the event out: the main thread when the batch is large or another
 * event must follow it (order is kept), the supervisor when the batch has waited BATCH_MS, so a print is never held
 * back while the main thread is busy with something else (a synchronous cell, a fit). One lock word keeps the two
 * threads' writes to the event fd whole.
 *
 * The batch is kept as bytes ready to go: an event's JSON up to the opening quote of its text, then the text,
 * already escaped; whoever flushes adds the closing `"}` and the newline.
 */
const LOCK = 0;
const LENGTH = 1;
const HEADER_BYTES = 8;
const FREE = 0;
const MAIN = 1;
const SUPERVISOR = 2;
const CLOSING = Buffer.from('"}\n');

/** Room for one batch; a batch is sent once it holds FLUSH_BYTES. */
const CAPACITY = 1 << 20;
const FLUSH_BYTES = 256 * 1024;
/** The longest a print waits for the rest of its batch. */
export const BATCH_MS = 20;

const sleeper = new Int32Array(new SharedArrayBuffer(4));

/**
 * Writes all of `bytes` to `fd`, synchronously. The pipe may be non-blocking: EAGAIN is retried after a short sleep
 * (the host is draining it), so a cell that prints a lot is slowed down, never cut. Other errors are thrown.
 */
export function writeAll(fd: number, bytes: Uint8Array): void {
  let offset = 0;
  while (offset < bytes.length) {
    try {
      offset += fs.writeSync(fd, bytes, offset, bytes.length - offset);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EAGAIN") throw e;
      Atomics.wait(sleeper, 0, 0, 1);
    }
  }
}

export class StreamBuffer {
  readonly shared: SharedArrayBuffer;
  private readonly words: Int32Array;
  private readonly bytes: Buffer;

  constructor(private readonly fd: number, shared?: SharedArrayBuffer) {
    this.shared = shared ?? new SharedArrayBuffer(HEADER_BYTES + CAPACITY + CLOSING.length);
    this.words = new Int32Array(this.shared, 0, 2);
    this.bytes = Buffer.from(this.shared, HEADER_BYTES);
  }

  get length(): number {
    return Atomics.load(this.words, LENGTH);
  }

  // ---- main thread -------------------------------------------------------------------------------------------

  /** Takes the lock for the main thread, waiting for the supervisor to finish a write if it is writing. */
  lock(): void {
    while (Atomics.compareExchange(this.words, LOCK, FREE, MAIN) !== FREE) Atomics.wait(this.words, LOCK, SUPERVISOR, 1);
  }

  /** Takes the lock unless the main thread holds it already (it exits from inside a write); waits out the supervisor. */
  tryLock(): boolean {
    for (;;) {
      const holder = Atomics.compareExchange(this.words, LOCK, FREE, MAIN);
      if (holder === FREE) return true;
      if (holder === MAIN) return false;
      Atomics.wait(this.words, LOCK, SUPERVISOR, 1);
    }
  }

  unlock(): void {
    Atomics.store(this.words, LOCK, FREE);
  }

  /** After the supervisor stopped the main thread, which may have been holding the lock. */
  recover(): void {
    Atomics.compareExchange(this.words, LOCK, MAIN, FREE);
  }

  /**
   * Adds escaped text (JSON string content, without quotes) to the batch; `opening` starts a new batch. Returns false,
   * changing nothing, when it does not fit: the caller flushes and tries again, or sends the text as its own event.
   * Caller holds the lock.
   */
  append(opening: string | undefined, escaped: string): boolean {
    const start = this.length;
    let end = start;
    for (const text of opening === undefined ? [escaped] : [opening, escaped]) {
      // UTF-8 takes at most 3 bytes per UTF-16 unit: count exactly only when that bound does not fit.
      if (text.length * 3 > CAPACITY - end && Buffer.byteLength(text) > CAPACITY - end) return false;
      end += this.bytes.write(text, end, CAPACITY - end);
    }
    Atomics.store(this.words, LENGTH, end);
    // Wakes the supervisor's wait for a batch to age.
    if (start === 0) Atomics.notify(this.words, LENGTH);
    if (end >= FLUSH_BYTES) this.flush();
    return true;
  }

  /** Writes the batch out as one event. Caller holds the lock (either thread). */
  flush(): void {
    const length = this.length;
    if (length === 0) return;
    this.bytes.set(CLOSING, length);
    Atomics.store(this.words, LENGTH, 0);
    writeAll(this.fd, this.bytes.subarray(0, length + CLOSING.length));
  }

  // ---- supervisor thread -------------------------------------------------------------------------------------

  /** Sends each batch once it is BATCH_MS old, unless the main thread sent it first. Runs for the thread's life. */
  async flushWhenOld(onError: (e: unknown) => void): Promise<void> {
    for (;;) {
      const wait = Atomics.waitAsync(this.words, LENGTH, 0);
      if (wait.async) await wait.value;
      await new Promise((resolve) => setTimeout(resolve, BATCH_MS));
      if (Atomics.compareExchange(this.words, LOCK, FREE, SUPERVISOR) !== FREE) continue;
      try {
        this.flush();
      } catch (e) {
        onError(e);
      } finally {
        Atomics.store(this.words, LOCK, FREE);
        Atomics.notify(this.words, LOCK);
      }
    }
  }
}
