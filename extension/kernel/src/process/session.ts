/**
 * The kernel process's one stateful object: the cell compiler and executor, the cells run so far, the cell running
 * now and the requests waiting. Requests arrive through the supervisor (supervisor-link.ts); events leave through
 * the event channel. Hooks (hooks.ts) report prints, displays, scripts and callback errors here.
 *
 * Whatever a cell does, its execute request ends with exactly one `done`: `finish` is reached from a `finally`, and
 * when the supervisor had to stop the main thread (which can cut that `finally` off), from `terminated`.
 */
import { DoneStatus, isKernelRequest, KernelEvent, KernelRequest, MimeBundle } from "../protocol/messages";
import {
  CellRecord,
  describeCallbackError,
  describeDiagnostics,
  describeInterrupt,
  describeRuntimeError,
  describeValue,
  ErrorReport,
  scriptName,
} from "./cell-errors";
import { CellCompiler } from "./compiler/cell-compiler";
import { documentation, text } from "./compiler/language";
import { EventChannel } from "./event-channel";
import { Executor } from "./executor";
import { HookTarget, tslabFor } from "./hooks";
import { expandShorthandProperties, originalColumn } from "./shorthand";
import { StaticRenderer } from "./static-renderer";
import { SupervisorLink } from "./supervisor-link";

/** Output made while no cell runs (timers, callbacks) waits for the next cell, up to this many characters. */
const BETWEEN_CELLS_LIMIT = 1 << 20;
/** A cell's static chart pictures may take this long after its code ends before the cell is reported done without them. */
const STATIC_PICTURES_MS = 30_000;
/** How many finished requests the session remembers, for the supervisor's questions about late interrupts. */
const ENDED_KEPT = 1000;
/** After the supervisor stopped the main thread, how long the cell's own code path gets to report the interrupt. */
const AFTER_TERMINATION_MS = 250;

/** How long one step of reading Node's types in the background may take: what a request arriving then waits. */
const NODE_TYPES_STEP_MS = 10;
/** Node's types are read only once the kernel has had no request for this long (cells sent together run first). */
const NODE_TYPES_AFTER_IDLE_MS = 50;
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
  interruptRequested = false;
  scriptRunning = false;
  /** An error in a callback or an unhandled rejection was reported on this cell: it cannot end "ok". */
  callbackFailed = false;
  finished = false;

  /** `token`: the session's claim on the request queue, released when the cell finishes. */
  constructor(readonly id: string, readonly count: number, readonly source: string, readonly token: object) {}
}

export class Session implements HookTarget {
  private readonly compiler = new CellCompiler();
  private readonly executor = new Executor(this.compiler, process.cwd(), tslabFor(this));
  private readonly cells = new Map<number, CellRecord>();
  private executionCount = 0;
  private current: Cell | undefined;
  private readonly queue: KernelRequest[] = [];
  /** The request being worked on (execute or preload); the next starts when it is released. */
  private active: object | undefined;
  /** A cell start scheduled by pump() and not yet begun. */
  private starting: object | undefined;
  private firstCellDone: (() => void) | undefined;
  /** The step of reading Node's types that is queued (readNodeTypesInBackground); undefined once all are in. */
  private nodeTypesStep: object | undefined;
  /** When the last request arrived or was done (performance.now()). */
  private lastBusyAt = 0;
  /** Requests answered with `done`, latest last (the last ENDED_KEPT). */
  private readonly ended = new Set<string>();
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
  }

  /** Calls `callback` once, after the first cell's `done` has gone out. */
  whenFirstCellDone(callback: () => void): void {
    this.firstCellDone = callback;
  }

  /** `ml` and `display` are there from the first cell, as if the notebook began with these imports. */
  async preload(): Promise<void> {
    const token = (this.active = {});
    const outcome = await this.executor.execute('import * as ml from "ml-lab";\nimport { display } from "ml-lab";', { starting: () => scriptName(0), returned: () => {} });
    if (outcome.kind === "diagnostics") throw new Error(`could not pre-load ml-lab: ${outcome.diagnostics.map((d) => d.messageText).join("; ")}`);
    if (outcome.kind === "thrown") throw new Error(`could not pre-load ml-lab: ${describeValue(outcome.error)}`);
    this.release(token);
  }

  /**
   * Node's types, read in short steps once the kernel is ready (compiler/later-node-types.ts): only while no cell is
   * being worked on (release() takes the reading up again) and no request came in the last NODE_TYPES_AFTER_IDLE_MS,
   * and from an immediate, so that a request that arrives waits for one step at most.
   */
  readNodeTypesInBackground(): void {
    const token = (this.nodeTypesStep = {});
    setImmediate(() => {
      if (this.nodeTypesStep !== token || this.active) return;
      const idleFor = performance.now() - this.lastBusyAt;
      if (idleFor < NODE_TYPES_AFTER_IDLE_MS) {
        setTimeout(() => this.nodeTypesStep === token && this.readNodeTypesInBackground(), NODE_TYPES_AFTER_IDLE_MS - idleFor);
        return;
      }
      try {
        if (this.compiler.readNodeTypes(NODE_TYPES_STEP_MS)) this.nodeTypesStep = undefined;
        else this.readNodeTypesInBackground();
      } catch (e) {
        this.nodeTypesStep = undefined;
        this.output("stderr", `kernel: could not read Node's types ahead of need (a cell that needs them will): ${describeValue(e)}\n`);
      }
    });
  }

  // ---- requests ----------------------------------------------------------------------------------------------

  /** A request from the host, as parsed by the supervisor: anything that is not a request is reported, not trusted. */
  request(raw: unknown): void {
    this.lastBusyAt = performance.now();
    if (!isKernelRequest(raw)) {
      const r = raw as { type?: unknown; id?: unknown };
      if (r?.type === "execute" && typeof r.id === "string") {
        // Answer it, or the host would wait for this cell forever.
        this.send({ type: "error", id: r.id, ename: "BadRequest", evalue: "the cell's code is not text", traceback: ["BadRequest: the cell's code is not text"] });
        this.sendDone({ type: "done", id: r.id, status: "error", executionCount: 0, durationMs: 0 });
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
      case "signature":
        return this.signature(raw.id, raw.code, raw.offset, raw.trigger);
      case "shutdown":
        this.compiler.close();
        this.exit(0); // the exit hook sends what is batched
    }
  }

  /**
   * Starts the next queued cell once the current one is released: a tick later, so that interrupts already queued
   * land first, and from a call of its own, which a termination of the code before it cannot reach.
   */
  private pump(): void {
    if (this.active || this.queue.length === 0) return;
    const token = (this.active = {});
    this.starting = token;
    setImmediate(() => this.startNext(token));
  }

  private startNext(token: object): void {
    if (this.starting !== token) return;
    this.starting = undefined;
    const next = this.queue.shift();
    if (next?.type === "execute") void this.execute(next.id, next.code, token);
    else this.release(token);
  }

  private release(token: object): void {
    if (this.active !== token) return;
    this.active = undefined;
    this.lastBusyAt = performance.now();
    this.pump();
    if (!this.active && this.nodeTypesStep) this.readNodeTypesInBackground();
  }

  private interrupt(id: string): void {
    const cell = this.current;
    if (cell?.id === id) {
      cell.interruptRequested = true;
      // Rejects tslab's wait for the cell's promise; a synchronous script is stopped by the host's SIGINT.
      this.executor.interrupt();
      this.stopLibraryWork();
      return;
    }
    const queued = this.queue.findIndex((r) => r.type === "execute" && r.id === id);
    if (queued >= 0) {
      // It never ran, so it gets no execution count.
      this.queue.splice(queued, 1);
      this.report(id, interruptedBeforeStart());
      this.sendDone({ type: "done", id, status: "interrupted", executionCount: 0, durationMs: 0 });
    }
    // Done already (the interrupt crossed its `done`): the supervisor must stop watching it.
    this.supervisor.settled(id);
  }

  /**
   * Work the library runs outside this thread for the cell (MapReduce jobs: worker threads, a Hadoop client) would
   * outlive the interrupt, which only stops this thread's code: stop it too, so its promise rejects and nothing keeps
   * running.
   */
  private stopLibraryWork(): void {
    this.ml.mapreduce.interruptAll("the cell was interrupted");
  }

  /**
   * Whether the supervisor may stop runaway code for cell `id`: it runs now, or it has yet to start (queued, or its
   * request not yet read: the main thread was busy) while no cell runs, so what runs is code between cells.
   */
  mayStop(id: string): boolean {
    if (this.current) return this.current.id === id && !this.current.finished;
    return !this.ended.has(id);
  }

  /** Code the main thread was running was stopped while cell `id` was being interrupted (runaway-stop.ts). */
  terminated(id: string): void {
    // The stopped code may have held the event channel's lock.
    this.channel.streams.recover();
    // Pictures being rendered when the thread was stopped will never finish: start afresh.
    this.staticRenderer = this.newStaticRenderer();
    // Node drops the immediates queued behind a terminated one: a scheduled cell start may be among them, or a step
    // of reading Node's types.
    if (this.nodeTypesStep) this.readNodeTypesInBackground();
    const starting = this.starting;
    if (starting) setImmediate(() => this.startNext(starting));
    const cell = this.current;
    if (!cell || cell.id !== id) {
      this.warnings.push("An interrupt stopped code that kept the kernel busy between cells (a timer or callback).");
      return;
    }
    cell.interruptRequested = true;
    this.executor.interrupt();
    this.stopLibraryWork();
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
    const outcome = await this.executor.execute(runnable, { starting: (js) => this.scriptStarting(cell, js), returned: () => (cell.scriptRunning = false) });
    if (cell.finished) return "interrupted";
    if (outcome.kind === "diagnostics") {
      const diagnostics = outcome.diagnostics.map((d) => ({
        line: d.start.line + 1,
        column: originalColumn(d.start.line + 1, d.start.character + 1, insertions),
        message: d.fileName ? `${d.fileName}: ${d.messageText}` : d.messageText,
        code: d.code,
      }));
      this.send({ type: "error", id: cell.id, ...describeDiagnostics(diagnostics, cell.source), diagnostics });
      return "error";
    }
    if (outcome.kind === "thrown") {
      const interrupted = isInterruption(outcome.error);
      this.report(cell.id, interrupted ? this.interruptReport(cell, outcome.error) : describeRuntimeError(outcome.error, this.cells, cell.count));
      return interrupted ? "interrupted" : "error";
    }
    if (outcome.value) {
      try {
        const { value } = outcome.value;
        if (!this.ml.isDisplayHandle(value)) this.emitDisplay(cell.id, this.ml.mimeBundleOf(value), `result-${cell.count}`, false, true);
      } catch (e) {
        this.output("stderr", `could not display the cell's value: ${describeValue(read(e, "message") ?? e)}\n`);
      }
    }
    return "ok";
  }

  /** The cell's script is about to run (executor hook). */
  private scriptStarting(cell: Cell, js: string): string {
    if (cell.finished || cell.interruptRequested) throw new InterruptedBeforeStart();
    const record = this.cells.get(cell.count);
    if (record) record.js = js;
    cell.scriptRunning = true;
    // From here SIGINT interrupts the script (breakOnSigint); the host holds back its SIGINT until it sees this.
    this.send({ type: "running", id: cell.id });
    return scriptName(cell.count);
  }

  private interruptReport(cell: Cell, error: unknown): ErrorReport {
    return error instanceof InterruptedBeforeStart ? interruptedBeforeStart() : describeInterrupt(error, this.cells, cell.count);
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
    this.sendDone({ type: "done", id: cell.id, status: final, executionCount: cell.count, durationMs: performance.now() - cell.startedAt });
    this.supervisor.settled(cell.id);
    this.release(cell.token);
    const firstCellDone = this.firstCellDone;
    this.firstCellDone = undefined;
    if (firstCellDone) setImmediate(firstCellDone);
  }

  // ---- completion and hover ----------------------------------------------------------------------------------

  private complete(id: string, code: string, offset: number): void {
    this.answer({ type: "complete-reply", id, start: offset, end: offset, candidates: [] }, "completion", () => {
      const info = this.compiler.language.complete(this.executor.declarations, code, offset);
      return { type: "complete-reply", id, start: info.start, end: info.end, candidates: info.candidates };
    });
  }

  private inspect(id: string, code: string, offset: number): void {
    this.answer({ type: "inspect-reply", id, found: false }, "inspection", () => {
      const info = this.compiler.language.inspect(this.executor.declarations, code, offset);
      if (!info) return undefined;
      return {
        type: "inspect-reply",
        id,
        found: true,
        signature: text(info.displayParts),
        documentation: documentation(info.documentation, info.tags),
        start: info.textSpan?.start,
        end: info.textSpan ? info.textSpan.start + info.textSpan.length : undefined,
      };
    });
  }

  private signature(id: string, code: string, offset: number, trigger: string | undefined): void {
    this.answer({ type: "signature-reply", id, found: false }, "signature help", () => {
      const help = this.compiler.language.signatureHelp(this.executor.declarations, code, offset, trigger);
      return help && { type: "signature-reply", id, found: true, ...help };
    });
  }

  /** Answers an editor request: synchronous, reading no cell's state in flight. */
  private answer(fallback: KernelEvent, what: string, compute: () => KernelEvent | undefined): void {
    let reply = fallback;
    try {
      reply = compute() ?? fallback;
    } catch (e) {
      this.output("stderr", `kernel: ${what} failed: ${describeValue(e)}\n`);
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

  private sendDone(event: Extract<KernelEvent, { type: "done" }>): void {
    this.ended.add(event.id);
    if (this.ended.size > ENDED_KEPT) this.ended.delete(this.ended.values().next().value!);
    this.send(event);
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

