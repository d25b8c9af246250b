import { MimeBundle } from "ml-lab/output-contract";
import { withStaticFallback } from "./static-charts";

/**
 * Adds static SVG fallbacks to displays without holding up the cell: the display goes out at once, its SVG
 * follows as an update. A live display updated 100 times during a fit is rendered only for its latest data.
 */
export class StaticRenderer {
  private readonly latest = new Map<string, MimeBundle>();
  private readonly isResult = new Map<string, boolean>();
  private readonly running = new Map<string, Promise<void>>();

  constructor(private readonly emit: (displayId: string, data: MimeBundle, result: boolean) => void, private readonly warn: (message: string) => void) {}

  /** `result`: the display is a cell's value (an execute_result), which its update must say too. */
  request(displayId: string, data: MimeBundle, result: boolean): void {
    this.latest.set(displayId, data);
    this.isResult.set(displayId, result);
    if (!this.running.has(displayId)) this.running.set(displayId, this.drain(displayId));
  }

  /** Resolves when every requested fallback has been sent. */
  async settle(): Promise<void> {
    while (this.running.size > 0) await Promise.all(this.running.values());
  }

  private async drain(displayId: string): Promise<void> {
    try {
      for (let data = this.latest.get(displayId); data; data = this.latest.get(displayId)) {
        this.latest.delete(displayId);
        try {
          const full = await withStaticFallback(data);
          if (full && !this.latest.has(displayId)) this.emit(displayId, full, this.isResult.get(displayId) ?? false);
        } catch (e) {
          this.warn(`could not render a static picture of a chart: ${(e as Error).message}`);
        }
      }
    } finally {
      this.running.delete(displayId);
      this.isResult.delete(displayId);
    }
  }
}
