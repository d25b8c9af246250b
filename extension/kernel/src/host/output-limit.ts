import type { KernelEvent } from "../protocol/messages";

export type CellEvent = Extract<KernelEvent, { type: "stream" | "display" | "error" }>;

/** Default limit on what one cell may show: generous for logs, far below what would choke an editor. */
export const DEFAULT_OUTPUT_LIMIT_CHARS = 8 * 1024 * 1024;

/**
 * One cell's output budget, counted in characters of text and of display payloads. Past it, prints and new displays
 * are dropped and one note says so (never silently); errors always pass, and updates of displays already shown still
 * replace them (they take no more room).
 */
export class OutputLimit {
  private used = 0;
  private noted = false;
  private readonly hidden = new Set<string>();

  constructor(private readonly limit: number, private readonly how: string) {}

  /** The events to deliver for `event`: itself, a shortened copy and a note, or nothing. `size`: its payload size. */
  admit(event: CellEvent, size: number): CellEvent[] {
    if (event.type === "error" || this.limit <= 0) return [event];
    if (event.type === "display" && event.update) return this.hidden.has(event.displayId) ? [] : [event];
    const room = this.limit - this.used;
    if (size <= room) {
      this.used += size;
      return [event];
    }
    this.used = this.limit;
    if (event.type === "display") this.hidden.add(event.displayId);
    const kept: CellEvent[] = event.type === "stream" && room > 0 ? [{ ...event, text: event.text.slice(0, room) }] : [];
    if (!this.noted) {
      this.noted = true;
      const mib = (this.limit / 1048576).toFixed(this.limit % 1048576 === 0 ? 0 : 1);
      const text = `\n[output truncated: this cell's output passed ${mib} MB; the rest is not shown (${this.how})]\n`;
      kept.push({ type: "stream", id: event.id, name: "stderr", text });
    }
    return kept;
  }
}
