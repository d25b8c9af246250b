/** One message as a line on a channel: it starts on a fresh line (see messages.ts) and ends with a newline. */
export function encodeLine(message: unknown): Buffer {
  return Buffer.from("\n" + JSON.stringify(message) + "\n", "utf8");
}

/**
 * Splits a byte stream into its non-empty lines, decoded as UTF-8 only once a line is whole (a character split
 * across two chunks stays intact). Time and copying are linear in the bytes, however they are chunked.
 */
export class LineSplitter {
  private pending: Buffer[] = [];

  constructor(private readonly onLine: (line: string) => void) {}

  push(chunk: Buffer): void {
    let start = 0;
    for (let newline = chunk.indexOf(10); newline >= 0; newline = chunk.indexOf(10, start)) {
      const tail = chunk.subarray(start, newline);
      const line = this.pending.length > 0 ? Buffer.concat([...this.pending, tail]) : tail;
      this.pending = [];
      start = newline + 1;
      if (line.length > 0) this.onLine(line.toString("utf8"));
    }
    if (start < chunk.length) this.pending.push(chunk.subarray(start));
  }

  /** What is left after the last newline (a line the writer never finished). */
  rest(): string {
    const text = Buffer.concat(this.pending).toString("utf8");
    this.pending = [];
    return text;
  }
}
