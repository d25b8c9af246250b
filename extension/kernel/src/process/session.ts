/**
 * The kernel process's one stateful object: tslab's converter and executor, the cells run so far, the cell running
 * now and the requests waiting. Requests arrive through the supervisor (supervisor-link.ts); events leave through
 * the event channel. Hooks (hooks.ts) report prints, displays, scripts and callback errors here.
 *
 * Whatever a cell does, its execute request ends with exactly one `done`: `finish` is reached from a `finally`, and
 * when the supervisor had to stop the main thread (which can cut that `finally` off), from `terminated`.
 */
import { format } from "node:util";
import { CellDiagnostic, DoneStatus, isKernelRequest, KernelEvent, KernelRequest, MimeBundle } from "../protocol/messages";
import {
  CellRecord,
  describeCallbackError,
  describeDiagnostics,
  describeInterrupt,
  describeRuntimeError,
  describeValue,
  ErrorReport,
  parseDiagnostic,
  scriptName,
} from "./cell-errors";
import { EventChannel } from "./event-channel";
import { HookTarget } from "./hooks";
import { expandShorthandProperties, originalColumn } from "./shorthand";
import { StaticRenderer } from "./static-renderer";
import { SupervisorLink } from "./supervisor-link";

type Executor = ReturnType<typeof import("tslab/dist/executor").createExecutor>;

/** Output made while no cell runs (timers, callbacks) waits for the next cell, up to this many characters. */
const BETWEEN_CELLS_LIMIT = 1 << 20;
/** A cell's static chart pictures may take this long after its code ends before the cell is reported done without them. */
const STATIC_PICTURES_MS = 30_000;
/** After the supervisor stopped the main thread, how long the cell's own code path gets to report the interrupt. */
const AFTER_TERMINATION_MS = 250;

const INTERRUPTED = /interrupted by `SIGINT`|Interrupted asynchronously/;

/** Thrown in place of a cell's script when the cell was interrupted before its script began. */
class InterruptedBeforeStart extends Error {
  constructor() {
    super("Interrupted before the cell's script started");
  }
}

/** One execute request, from its start to its `done`. */
class Cell {
  readonly startedAt = performance.now();
  diagnostics: CellDiagnostic[] = [];
  thrown: { error: unknown } | undefined;
  lastValue: { value: unknown } | undefined;
  interruptRequested = false;
  scriptRunning = false;
  /** An error in a callback or an unhandled rejection was reported on this cell: it cannot end "ok". */
  callbackFailed = false;
  finished = false;

  /** `token`: the session's claim on the request queue, released when the cell finishes. */
  constructor(readonly id: string, readonly count: number, readonly source: string, readonly token: object) {}
}

export class Session implements HookTarget {
  private readonly executor: Executor;
  private readonly closeConverters: () => void;
  private readonly cells = new Map<number, CellRecord>();
  private executionCount = 0;
  private current: Cell | undefined;
  private readonly queue: KernelRequest[] = [];
  /** The request being worked on (execute or preload); the next starts when it is released. */
  private active: object | undefined;
  private readonly betweenCells: Extract<KernelEvent, { type: "stream" | "display" }>[] = [];
  private betweenCellsSize = 0;
  private betweenCellsDropped = 0;
  private readonly warnings: string[] = [];
  private staticRenderer: StaticRenderer;

  constructor(
    private readonly channel: EventChannel,
    private readonly supervisor: SupervisorLink,
    private readonly ml: typeof import("ml-lab"),
    private readonly exit: (code: number) => never,
  ) {
    this.staticRenderer = this.newStaticRenderer();
    const { createConverter } = require("tslab/dist/converter") as typeof import("tslab/dist/converter");
    const { createExecutor } = require("tslab/dist/executor") as typeof import("tslab/dist/executor");
    const node = createConverter();
    let browser: ReturnType<typeof createConverter> | undefined;
    this.closeConverters = () => {
      node.close();
      browser?.close();
    };
    // tslab reports through this console: the last expression's value via log, diagnostics and errors via error.
    const executorConsole = {
      log: (value: unknown) => {
        if (this.current) this.current.lastValue = { value };
      },
      error: (...args: unknown[]) => {
        const diagnostic = parseDiagnostic(args);
        if (diagnostic) this.current?.diagnostics.push(diagnostic);
        else if (args.length === 1 && this.current) this.current.thrown ??= { error: args[0] };
        else this.output("stderr", safeFormat(args) + "\n");
      },
    };
    this.executor = createExecutor(
      process.cwd(),
      {
        node,
        // Only `//%browser` cells need the browser converter; creating one costs seconds, so do it on demand.
        get browser() {
          return (browser ??= createConverter({ isBrowser: true }));
        },
        close: () => this.closeConverters(),
      },
      executorConsole,
    );
  }

  /** `ml` and `display` are there from the first cell, as if the notebook began with these imports. */
  async preload(): Promise<void> {
    const token = (this.active = {});
    const cell = (this.current = new Cell("", 0, "", token));
    const ok = await this.executor.execute('import * as ml from "ml-lab";\nimport { display } from "ml-lab";');
    this.current = undefined;
    if (!ok) throw new Error(`could not pre-load ml-lab: ${cell.diagnostics.map((d) => d.message).join("; ") || describeValue(cell.thrown?.error)}`);
    this.release(token);
  }

  // ---- requests ----------------------------------------------------------------------------------------------

  /** A request from the host, as parsed by the supervisor: anything that is not a request is reported, not trusted. */
  request(raw: unknown): void {
    if (!isKernelRequest(raw)) {
      const r = raw as { type?: unknown; id?: unknown };
      if (r?.type === "execute" && typeof r.id === "string") {
        // Answer it, or the host would wait for this cell forever.
        this.send({ type: "error", id: r.id, ename: "BadRequest", evalue: "the cell's code is not text", traceback: ["BadRequest: the cell's code is not text"] });
        this.send({ type: "done", id: r.id, status: "error", executionCount: 0, durationMs: 0 });
      } else {
        this.output("stderr", `kernel: ignored a request it cannot read: ${describeValue(raw).slice(0, 200)}\n`);
      }
      return;
    }
    switch (raw.type) {
      case "execute":
        this.queue.push(raw);
        return this.pump();
      case "interrupt":
        return this.interrupt(raw.id);
      // Completion and hover are synchronous and read no cell's state in flight: they need not wait for a cell.
      case "complete":
        return this.complete(raw.id, raw.code, raw.offset);
      case "inspect":
        return this.inspect(raw.id, raw.code, raw.offset);
      case "shutdown":
        this.closeConverters();
        this.exit(0); // the exit hook sends what is batched
    }
  }

  /** Starts the next queued cell once the current one is released; a tick later, so already-queued interrupts land first. */
  private pump(): void {
    if (this.active || this.queue.length === 0) return;
    const token = (this.active = {});
    setImmediate(() => {
      const next = this.queue.shift();
      if (next?.type === "execute") void this.execute(next.id, next.code, token);
      else this.release(token);
    });
  }

  private release(token: object): void {
    if (this.active !== token) return;
    this.active = undefined;
    this.pump();
  }

  private interrupt(id: string): void {
    const cell = this.current;
    if (cell?.id === id) {
      cell.interruptRequested = true;
      // Rejects tslab's wait for the cell's promise; a synchronous script is stopped by the host's SIGINT.
      this.executor.interrupt();
      return;
    }
    const queued = this.queue.findIndex((r) => r.type === "execute" && r.id === id);
    if (queued >= 0) {
      // It never ran, so it gets no execution count.
      this.queue.splice(queued, 1);
      this.report(id, interruptedBeforeStart());
      this.send({ type: "done", id, status: "interrupted", executionCount: 0, durationMs: 0 });
    }
    // Done already (the interrupt crossed its `done`): the supervisor must stop watching it.
    this.supervisor.settled(id);
  }

  /** The supervisor stopped the main thread's JavaScript while cell `id` was being interrupted. */
  terminated(id: string): void {
    // The stopped code may have held the event channel's lock.
    this.channel.streams.recover();
    // Pictures being rendered when the thread was stopped will never finish: start afresh.
    this.staticRenderer = this.newStaticRenderer();
    const cell = this.current;
    if (!cell || cell.id !== id) {
      this.warnings.push("An interrupt stopped code that kept the kernel busy between cells (a timer or callback).");
      return;
    }
    cell.interruptRequested = true;
    this.executor.interrupt();
    const cut = () => {
      if (cell.finished) return;
      const evalue = "the cell was stopped; the kernel's state is kept";
      this.report(cell.id, { ename: "Interrupted", evalue, traceback: [`Interrupted: ${evalue}`] });
      this.finish(cell, "interrupted");
    };
    // A script stopped mid-run never returns to `execute`; a cell stopped while awaiting ends through tslab's interrupt.
    if (cell.scriptRunning) cut();
    else setTimeout(cut, AFTER_TERMINATION_MS);
  }

  // ---- execute -----------------------------------------------------------------------------------------------

  private async execute(id: string, source: string, token: object): Promise<void> {
    const cell = this.begin(id, source, token);
    let status: DoneStatus = "error";
    try {
      status = await this.run(cell);
    } catch (e) {
      // A fault of the kernel itself: the cell still ends, with the fault shown.
      this.report(id, { ename: "KernelError", evalue: describeValue(e), traceback: [`KernelError: ${describeValue(e)}`] });
    } finally {
      this.supervisor.setBusy(false);
      await this.settleStaticPictures(cell);
      // Unhandled rejections are processed after the current tick: let them land on this cell.
      await new Promise((resolve) => setImmediate(resolve));
      this.finish(cell, status);
    }
  }

  private begin(id: string, source: string, token: object): Cell {
    const cell = new Cell(id, ++this.executionCount, source, token);
    this.current = cell;
    this.cells.set(cell.count, { count: cell.count, source });
    for (const warning of this.warnings.splice(0)) this.send({ type: "stream", id, name: "stderr", text: `Warning: ${warning}\n` });
    for (const event of this.betweenCells.splice(0)) this.sendOutput({ ...event, id });
    if (this.betweenCellsDropped > 0) {
      this.send({ type: "stream", id, name: "stderr", text: `(${this.betweenCellsDropped} more characters of output made between cells were not kept)\n` });
    }
    this.betweenCellsSize = this.betweenCellsDropped = 0;
    return cell;
  }

  private async run(cell: Cell): Promise<DoneStatus> {
    const { code: runnable, insertions } = expandShorthandProperties(cell.source);
    this.supervisor.setBusy(true);
    let ok = false;
    try {
      ok = await this.executor.execute(runnable);
    } catch (e) {
      cell.thrown ??= { error: e };
    }
    this.supervisor.setBusy(false);
    if (cell.finished) return "interrupted";
    if (cell.diagnostics.length > 0) {
      const diagnostics = cell.diagnostics.map((d) => ({ ...d, column: originalColumn(d.line, d.column, insertions) }));
      this.send({ type: "error", id: cell.id, ...describeDiagnostics(diagnostics, cell.source), diagnostics });
      return "error";
    }
    if (!ok && !cell.thrown) cell.thrown = { error: new Error("the cell failed") };
    if (cell.thrown) {
      const interrupted = isInterruption(cell.thrown.error);
      this.report(cell.id, interrupted ? this.interruptReport(cell) : describeRuntimeError(cell.thrown.error, this.cells, cell.count));
      return interrupted ? "interrupted" : "error";
    }
    if (cell.lastValue) {
      try {
        const { value } = cell.lastValue;
        if (!this.ml.isDisplayHandle(value)) this.emitDisplay(cell.id, this.ml.mimeBundleOf(value), `result-${cell.count}`, false, true);
      } catch (e) {
        this.output("stderr", `could not display the cell's value: ${describeValue(read(e, "message") ?? e)}\n`);
      }
    }
    return "ok";
  }

  private interruptReport(cell: Cell): ErrorReport {
    return cell.thrown?.error instanceof InterruptedBeforeStart ? interruptedBeforeStart() : describeInterrupt(cell.thrown?.error, this.cells, cell.count);
  }

  private async settleStaticPictures(cell: Cell): Promise<void> {
    if (cell.finished) return;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), STATIC_PICTURES_MS)));
    if (await Promise.race([this.staticRenderer.settle().then(() => false), late])) {
      this.output("stderr", `the static pictures of this cell's charts were not ready after ${STATIC_PICTURES_MS / 1000} s\n`);
    }
    clearTimeout(timer);
  }

  /** Sends the cell's `done`, once, and lets the next request start. */
  private finish(cell: Cell, status: DoneStatus): void {
    if (cell.finished) return;
    cell.finished = true;
    if (this.current === cell) this.current = undefined;
    const final = status === "ok" && cell.callbackFailed ? "error" : status;
    this.send({ type: "done", id: cell.id, status: final, executionCount: cell.count, durationMs: performance.now() - cell.startedAt });
    this.supervisor.settled(cell.id);
    this.release(cell.token);
  }

  // ---- completion and hover ----------------------------------------------------------------------------------

  private complete(id: string, code: string, offset: number): void {
    let reply: KernelEvent = { type: "complete-reply", id, start: offset, end: offset, candidates: [] };
    this.supervisor.setBusy(true);
    try {
      const info = this.executor.complete(code, offset);
      reply = { type: "complete-reply", id, start: info.start, end: info.end, candidates: info.candidates };
    } catch (e) {
      this.output("stderr", `kernel: completion failed: ${describeValue(e)}\n`);
    } finally {
      this.supervisor.setBusy(false);
    }
    this.send(reply);
  }

  private inspect(id: string, code: string, offset: number): void {
    let reply: KernelEvent = { type: "inspect-reply", id, found: false };
    this.supervisor.setBusy(true);
    try {
      const info = this.executor.inspect(code, offset);
      if (info) {
        const text = (parts?: { text: string }[]) => (parts ?? []).map((p) => p.text).join("");
        reply = {
          type: "inspect-reply",
          id,
          found: true,
          signature: text(info.displayParts),
          documentation: text(info.documentation),
          start: info.textSpan?.start,
          end: info.textSpan ? info.textSpan.start + info.textSpan.length : undefined,
        };
      }
    } catch (e) {
      this.output("stderr", `kernel: inspection failed: ${describeValue(e)}\n`);
    } finally {
      this.supervisor.setBusy(false);
    }
    this.send(reply);
  }

  // ---- hook target -------------------------------------------------------------------------------------------

  output(name: "stdout" | "stderr", text: string): void {
    this.emit({ type: "stream", id: "", name, text });
  }

  display(data: MimeBundle, displayId: string, update: boolean): void {
    this.emitDisplay(this.current?.id, data, displayId, update, false);
  }

  scriptStarting(js: string): string | undefined {
    const cell = this.current;
    if (!cell || cell.finished) return undefined;
    if (cell.interruptRequested) throw new InterruptedBeforeStart();
    const record = this.cells.get(cell.count);
    if (record) record.js = js;
    cell.scriptRunning = true;
    this.supervisor.setBusy(false);
    // From here SIGINT interrupts the script (breakOnSigint); the host holds back its SIGINT until it sees this.
    if (cell.id) this.send({ type: "running", id: cell.id });
    return scriptName(cell.count);
  }

  scriptReturned(): void {
    if (this.current) this.current.scriptRunning = false;
  }

  exiting(): void {
    this.channel.flushOnExit();
  }

  callbackError(error: unknown, kind: "exception" | "rejection"): void {
    const cell = this.current;
    const report = describeCallbackError(error, kind, this.cells, cell?.count);
    if (cell?.id && !cell.finished) {
      cell.callbackFailed = true;
      this.report(cell.id, report);
    } else {
      this.warnings.push(`while no cell was running, ${report.traceback.join("\n")}`);
    }
  }

  // ---- events ------------------------------------------------------------------------------------------------

  private emitDisplay(id: string | undefined, data: MimeBundle, displayId: string, update: boolean, result: boolean): void {
    this.emit({ type: "display", id: id ?? "", displayId, data, update, result });
    this.staticRenderer.request(displayId, data, result);
  }

  /** Output of the running cell goes out at once; output made between cells waits for the next cell. */
  private emit(event: Extract<KernelEvent, { type: "stream" | "display" }>): void {
    const cell = this.current;
    if (cell?.id && !cell.finished) return this.sendOutput({ ...event, id: cell.id });
    if (cell) return; // the pre-load prints nothing worth showing
    const size = event.type === "stream" ? event.text.length : 1024;
    if (this.betweenCellsSize + size > BETWEEN_CELLS_LIMIT) {
      this.betweenCellsDropped += size;
      return;
    }
    this.betweenCellsSize += size;
    this.betweenCells.push(event);
  }

  private sendOutput(event: Extract<KernelEvent, { type: "stream" | "display" }>): void {
    if (event.type === "stream") this.channel.sendStream(event.id, event.name, event.text);
    else this.send(event);
  }

  private report(id: string, report: ErrorReport): void {
    this.send({ type: "error", id, ...report });
  }

  private send(event: KernelEvent): void {
    this.channel.send(event);
  }

  private newStaticRenderer(): StaticRenderer {
    return new StaticRenderer(
      (displayId, data, result) => this.emit({ type: "display", id: "", displayId, data, update: true, result }),
      (message) => this.output("stderr", message + "\n"),
    );
  }
}

function interruptedBeforeStart(): ErrorReport {
  const evalue = "the cell was interrupted before it started; the kernel's state is kept";
  return { ename: "Interrupted", evalue, traceback: [`Interrupted: ${evalue}`] };
}

function isInterruption(error: unknown): boolean {
  if (error instanceof InterruptedBeforeStart) return true;
  const message = read(error, "message");
  return read(error, "code") === "ERR_SCRIPT_EXECUTION_INTERRUPTED" || (typeof message === "string" && INTERRUPTED.test(message));
}

function read(value: unknown, key: string): unknown {
  try {
    return value !== null && typeof value === "object" ? (value as Record<string, unknown>)[key] : undefined;
  } catch {
    return undefined;
  }
}

function safeFormat(args: unknown[]): string {
  try {
    return format(...args);
  } catch {
    return args.map(describeValue).join(" ");
  }
}
