/**
 * Shows the progress of long library calls (progress.ts) as a live output of the running cell: a call that has run
 * for SHOW_AFTER_MS gets a display with its iteration, objective and elapsed time, redrawn in place at most every
 * REDRAW_MS, and removed when the call is over. Short calls show nothing, so notebooks do not fill with progress.
 *
 * A call's end is not reported (a loop reports steps only). The display is over when the synchronous stretch that ran
 * the call ends — when control returns to the event loop, which a return, a throw and an interrupt all reach — or
 * when another call's display takes its place.
 */
import { MIME, MimeBundle, ProgressPayload } from "../output-contract";
import type { ProgressListener } from "../progress";
import { progressLine } from "./progress-line";
import type { DisplayMessage } from "./sink";

/** A call shows its progress once it has run this long. */
export const SHOW_AFTER_MS = 750;
/** A shown progress is redrawn at most this often. */
export const REDRAW_MS = 250;
/** Objective values kept for a run's trace; past this, every other one is dropped and half as many recorded. */
const MAX_VALUES = 256;

/** One call's progress in the current synchronous stretch. */
class CallProgress {
  run = 1;
  step = 0;
  of = NaN;
  objectiveName = "";
  /** Recorded objective values of the current run: every `stride`-th step. */
  readonly values: number[] = [];
  stride = 1;
  recordedStep = 0;
  latest = NaN;
  nextDrawAt: number;
  displayId: string | undefined;

  constructor(readonly task: string, readonly startedAt: number) {
    this.nextDrawAt = startedAt + SHOW_AFTER_MS;
  }

  record(step: number, objective: number, objectiveName: string, of: number): void {
    if (step <= this.step) {
      this.run++;
      this.values.length = 0;
      this.stride = 1;
      this.recordedStep = 0;
    }
    this.step = step;
    this.of = of;
    this.objectiveName = objectiveName;
    this.latest = objective;
    if (Number.isNaN(objective) || step % this.stride !== 0) return;
    if (this.values.length === MAX_VALUES) {
      for (let i = 0; i < MAX_VALUES / 2; i++) this.values[i] = this.values[2 * i + 1];
      this.values.length = MAX_VALUES / 2;
      this.stride *= 2;
      if (step % this.stride !== 0) return;
    }
    this.values.push(objective);
    this.recordedStep = step;
  }

  bundle(now: number): MimeBundle {
    const payload: ProgressPayload = { version: 1, task: this.task, step: this.step, elapsedMs: Math.round(now - this.startedAt) };
    if (Number.isFinite(this.of)) payload.of = this.of;
    if (this.run > 1) payload.run = this.run;
    if (this.objectiveName) {
      const values = this.values.slice();
      // The latest value always shows, recorded or not.
      if (this.recordedStep !== this.step && !Number.isNaN(this.latest)) values.push(this.latest);
      payload.objective = { name: this.objectiveName, values };
    }
    return { [MIME.progress]: payload, [MIME.text]: progressLine(payload) };
  }
}

/** The listener the display layer installs while a display sink is set (sink.ts). */
export class ProgressDisplays implements ProgressListener {
  private currentCall: object | undefined;
  private current: CallProgress | undefined;
  /**
   * The calls of this synchronous stretch, so that a call resumed after a nested one (a GaussianMixture after the
   * KMeans that starts it) keeps its progress. Weak: a finished call's workspace is not kept alive for the stretch.
   */
  private calls = new WeakMap<object, CallProgress>();
  private readonly shown = new Set<CallProgress>();
  private ending = false;
  private nextId = 0;

  constructor(private readonly publish: (message: DisplayMessage) => void) {}

  step(call: object, task: string, step: number, objective: number, objectiveName: string, of: number): void {
    const now = performance.now();
    const progress = call === this.currentCall && this.current ? this.current : this.switchTo(call, task, now);
    progress.record(step, objective, objectiveName, of);
    if (now < progress.nextDrawAt) return;
    progress.nextDrawAt = now + REDRAW_MS;
    // One progress on screen at a time: the calls before this one are over (or wait for a nested call to return).
    for (const other of this.shown) if (other !== progress) this.remove(other);
    const update = progress.displayId !== undefined;
    progress.displayId ??= `mllab-progress-${process.pid}-${++this.nextId}`;
    this.shown.add(progress);
    this.send({ data: progress.bundle(now), displayId: progress.displayId, update });
  }

  private switchTo(call: object, task: string, now: number): CallProgress {
    let progress = this.calls.get(call);
    if (!progress) {
      progress = new CallProgress(task, now);
      this.calls.set(call, progress);
    }
    this.currentCall = call;
    this.current = progress;
    if (!this.ending) {
      this.ending = true;
      // Runs when the stretch that made these calls gives control back to the event loop.
      setImmediate(() => this.endStretch());
    }
    return progress;
  }

  private endStretch(): void {
    for (const progress of this.shown) this.remove(progress);
    this.calls = new WeakMap();
    this.currentCall = this.current = undefined;
    this.ending = false;
  }

  private remove(progress: CallProgress): void {
    this.shown.delete(progress);
    if (progress.displayId === undefined) return;
    this.send({ data: {}, displayId: progress.displayId, update: true });
    progress.displayId = undefined;
  }

  private send(message: DisplayMessage): void {
    try {
      this.publish(message);
    } catch {
      // Progress is a courtesy: a display that cannot be shown must not fail the fit that reported it.
    }
  }
}
