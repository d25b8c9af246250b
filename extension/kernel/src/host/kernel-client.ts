import { ChildProcess } from "node:child_process";
import { Readable, Writable } from "node:stream";
import { encodeLine, LineSplitter } from "../protocol/json-lines";
import { EXIT_CHANNEL_LOST, isKernelEvent, KERNEL_FD, KernelEvent, KernelRequest } from "../protocol/messages";
import { KernelProcessOptions, signalKernelGroup, spawnKernelProcess } from "./kernel-process";
import { CellEvent, DEFAULT_OUTPUT_LIMIT_CHARS, OutputLimit } from "./output-limit";

export type { CellEvent } from "./output-limit";

export type CellStatus = "ok" | "error" | "interrupted" | "crashed";

export interface ExecuteResult {
  status: CellStatus;
  executionCount: number;
  durationMs: number;
  /** The cell ran past its timeout and was interrupted (or, failing that, its kernel stopped). */
  timedOut?: boolean;
}

export interface KernelOptions extends KernelProcessOptions {
  /** Give up if the kernel is not ready by then. Default 60 s. */
  startTimeoutMs?: number;
  /** What one cell may show, in characters; past it, output is dropped with a note. Default 8 Mi; 0: no limit. */
  outputLimitChars?: number;
  /** How the user raises the output limit, for the note (e.g. "--output-limit", a setting's name). */
  outputLimitHint?: string;
  /** How long an interrupted cell gets to stop before the kernel and its process group are killed. Default 3 s. */
  interruptGraceMs?: number;
  /** Abandons the start: the process is killed and start() rejects. */
  signal?: AbortSignal;
}

export interface ExecuteOptions {
  /** Interrupt the cell when it runs longer than this, counted from the request (nbconvert's per-cell timeout). */
  timeoutMs?: number;
  /** Called when the timeout fires, before the interrupt. */
  onTimeout?: () => void;
}

type Reply = Extract<KernelEvent, { type: "complete-reply" | "inspect-reply" | "signature-reply" }>;

interface PendingCell {
  onEvent: (event: CellEvent) => void;
  resolve: (result: ExecuteResult) => void;
  limit: OutputLimit;
  timer?: NodeJS.Timeout;
  timedOut: boolean;
}

/** Completion and hover answers are worth nothing late; a kernel busy with a cell answers them after it. */
const REPLY_TIMEOUT_MS = 10_000;
/** A kernel whose event channel ended (a cell closed fd 3) but that lives on is stopped after this long. */
const CHANNEL_END_GRACE_MS = 1000;
/** Raw output between cells is kept for the next cell up to this many characters. */
const BETWEEN_CELLS_LIMIT = 64 * 1024;
/** What a kernel that fails to start printed is quoted in the error, up to this many characters. */
const START_OUTPUT_LIMIT = 16 * 1024;
const OUT_OF_MEMORY = /JavaScript heap out of memory|Reached heap limit/;

let requestCounter = 0;
const nextId = () => `r${process.pid}-${++requestCounter}`;

/**
 * The host's handle on one kernel process. Cells run one at a time in submission order; each execute() streams its
 * events to a callback and resolves when the cell is done, was interrupted, or the process died: it never rejects
 * and never waits forever (interrupt() and the per-cell timeout end with a kill when nothing gentler works).
 */
export class KernelClient {
  readonly startupMs: number;
  readonly versions: Record<string, string>;
  private readonly cells = new Map<string, PendingCell>();
  private readonly replies = new Map<string, (event: Reply | undefined) => void>();
  private readonly exitListeners: ((description: string) => void)[] = [];
  /** Cells whose script has started (the kernel said "running"): SIGINT reaches them. */
  private readonly scriptsStarted = new Set<string>();
  /** A cell that timed out while queued behind another is interrupted once it is the running one. */
  private interruptWhenRunning: string | undefined;
  /** The cell being interrupted, and when the kernel gets killed if it has not stopped. */
  private interrupting: { id: string; kill: NodeJS.Timeout; sigintPending: boolean } | undefined;
  /** Why the host stopped the kernel itself, for the cells it takes down. */
  private killReason: string | undefined;
  private outOfMemory = false;
  private exited: string | undefined;
  private readonly betweenCells: { name: "stdout" | "stderr"; text: string }[] = [];
  private betweenCellsSize = 0;
  private readonly requests: Writable;
  private readonly graceMs: number;

  private constructor(private readonly child: ChildProcess, ready: Extract<KernelEvent, { type: "ready" }>, private readonly options: KernelOptions) {
    this.startupMs = ready.startupMs;
    this.versions = ready.versions;
    this.requests = stdio(child)[KERNEL_FD.requests] as Writable;
    // Writes after the kernel died fail with EPIPE; the exit handler reports the death.
    this.requests.on("error", () => {});
    this.graceMs = options.interruptGraceMs ?? 3000;
  }

  static start(options: KernelOptions): Promise<KernelClient> {
    const child = spawnKernelProcess(options);
    return new Promise((resolve, reject) => {
      let client: KernelClient | undefined;
      let early = "";
      const startTimeoutMs = options.startTimeoutMs ?? 60_000;
      const abort = () => fail(new Error("the kernel's start was abandoned"));
      const fail = (error: Error) => {
        clearTimeout(timer);
        options.signal?.removeEventListener("abort", abort);
        signalKernelGroup(child, "SIGKILL");
        reject(error);
      };
      const timer = setTimeout(() => fail(new Error(`the kernel did not start within ${startTimeoutMs / 1000} s${early ? `:\n${early}` : ""}`)), startTimeoutMs);
      if (options.signal?.aborted) abort();
      options.signal?.addEventListener("abort", abort, { once: true });
      const events = new LineSplitter((line) => {
        if (client) return client.onLine(line);
        const event = parseEvent(line);
        if (event?.type !== "ready") return;
        clearTimeout(timer);
        options.signal?.removeEventListener("abort", abort);
        client = new KernelClient(child, event, options);
        resolve(client);
      });
      const eventStream = stdio(child)[KERNEL_FD.events] as Readable;
      eventStream.on("data", (chunk: Buffer) => events.push(chunk));
      eventStream.on("end", () => client?.onChannelEnd());
      // Output that bypassed the event channel (native code, child processes) still reaches the running cell.
      const raw = [
        [child.stdout, "stdout"],
        [child.stderr, "stderr"],
      ] as const;
      for (const [stream, name] of raw) {
        (stream as Readable).on("data", (chunk: Buffer) => {
          if (client) client.onRawOutput(name, chunk.toString());
          else if (early.length < START_OUTPUT_LIMIT) early += chunk.toString();
        });
      }
      child.once("exit", (code, signal) => {
        signalKernelGroup(child, "SIGKILL"); // whatever the cells started goes with the kernel
        if (client) client.onProcessExit(code, signal);
        else fail(new Error(`the kernel exited during start-up (${signal ?? `code ${code}`})${early ? `:\n${early}` : ""}`));
      });
      child.once("error", (e) => {
        if (!client) fail(e);
      });
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get alive(): boolean {
    return this.exited === undefined;
  }

  /** How the process ended ("exited with code 1", "ran out of memory (…)"), once it has. */
  get exitDescription(): string | undefined {
    return this.exited;
  }

  /** Runs a cell; events stream to `onEvent`. Never rejects: a dead kernel resolves as "crashed". */
  execute(code: string, onEvent: (event: CellEvent) => void = () => {}, options: ExecuteOptions = {}): Promise<ExecuteResult> {
    const id = nextId();
    return new Promise((resolve) => {
      if (typeof code !== "string") {
        onEvent({ type: "error", id, ename: "BadCell", evalue: `the cell's source is not text (it is ${code === null ? "null" : typeof code})`, traceback: [] });
        resolve({ status: "error", executionCount: 0, durationMs: 0 });
        return;
      }
      if (this.exited) {
        onEvent(this.deathEvent(id));
        resolve({ status: "crashed", executionCount: 0, durationMs: 0 });
        return;
      }
      const limit = new OutputLimit(this.options.outputLimitChars ?? DEFAULT_OUTPUT_LIMIT_CHARS, this.options.outputLimitHint ?? "raise the output limit to see more");
      const cell: PendingCell = { onEvent, resolve, limit, timedOut: false };
      this.cells.set(id, cell);
      for (const { name, text } of this.betweenCells.splice(0)) onEvent({ type: "stream", id, name, text });
      this.betweenCellsSize = 0;
      if (options.timeoutMs !== undefined) {
        cell.timer = setTimeout(() => {
          options.onTimeout?.();
          this.timeOut(id, options.timeoutMs!);
        }, options.timeoutMs);
      }
      this.send({ type: "execute", id, code });
    });
  }

  /**
   * Stops the running cell, keeping the kernel's state when it can: an interrupt request (the kernel's supervisor
   * stops code running after an `await` or in a callback) and a SIGINT to the kernel's process group (it breaks the
   * cell's synchronous script and stops the processes the cell started). A cell still running after the grace period
   * has its kernel killed, process group and all; the cell says so, and the next cell needs a new kernel.
   */
  interrupt(): void {
    const id = this.running;
    if (!this.alive || !id || this.interrupting?.id === id) return;
    if (this.interrupting) clearTimeout(this.interrupting.kill);
    this.interrupting = { id, kill: this.killTimer(id), sigintPending: !this.scriptsStarted.has(id) };
    this.send({ type: "interrupt", id });
    if (!this.interrupting.sigintPending) this.sigint(id);
  }

  complete(code: string, offset: number): Promise<Extract<KernelEvent, { type: "complete-reply" }>> {
    return this.request({ type: "complete", id: nextId(), code, offset }).then((r) => (r?.type === "complete-reply" ? r : { type: "complete-reply", id: "", start: offset, end: offset, candidates: [] }));
  }

  inspect(code: string, offset: number): Promise<Extract<KernelEvent, { type: "inspect-reply" }>> {
    return this.request({ type: "inspect", id: nextId(), code, offset }).then((r) => (r?.type === "inspect-reply" ? r : { type: "inspect-reply", id: "", found: false }));
  }

  /** Signature help for the call around `offset`; `trigger` is the character just typed ("(" or ","), if any. */
  signatureHelp(code: string, offset: number, trigger?: string): Promise<Extract<KernelEvent, { type: "signature-reply" }>> {
    return this.request({ type: "signature", id: nextId(), code, offset, trigger }).then((r) => (r?.type === "signature-reply" ? r : { type: "signature-reply", id: "", found: false }));
  }

  onExit(listener: (description: string) => void): void {
    this.exitListeners.push(listener);
  }

  /** Ends the process (asks first when it is idle, else kills it, with its process group) and resolves when it is gone. */
  async shutdown(graceMs = 2000): Promise<void> {
    if (!this.alive) return;
    const gone = new Promise<void>((resolve) => this.child.once("exit", () => resolve()));
    this.killReason ??= "was shut down";
    if (this.running) signalKernelGroup(this.child, "SIGKILL");
    else this.send({ type: "shutdown" });
    const timer = setTimeout(() => signalKernelGroup(this.child, "SIGKILL"), graceMs);
    await gone;
    clearTimeout(timer);
  }

  /** Kills the kernel and its process group at once (the host is going away) and resolves when it is gone. */
  kill(reason = "was stopped"): Promise<void> {
    if (!this.alive) return Promise.resolve();
    this.killReason ??= reason;
    const gone = new Promise<void>((resolve) => this.child.once("exit", () => resolve()));
    signalKernelGroup(this.child, "SIGKILL");
    return gone;
  }

  // ---- internals ---------------------------------------------------------------------------------------------

  /** The cell the kernel is working on: cells run in submission order. */
  private get running(): string | undefined {
    return this.cells.keys().next().value;
  }

  private timeOut(id: string, timeoutMs: number): void {
    const cell = this.cells.get(id);
    if (!cell) return;
    cell.timedOut = true;
    this.deliver(id, { type: "stream", id, name: "stderr", text: `\nTimeout: the cell ran longer than ${formatSeconds(timeoutMs)}; interrupting it.\n` }, 0);
    if (this.running === id) this.interrupt();
    else this.interruptWhenRunning = id;
  }

  private killTimer(id: string): NodeJS.Timeout {
    return setTimeout(() => {
      if (!this.cells.has(id) || !this.alive) return;
      this.killReason = `was stopped because the cell did not stop within ${formatSeconds(this.graceMs)} of the interrupt`;
      signalKernelGroup(this.child, "SIGKILL");
    }, this.graceMs);
  }

  /** SIGINT a moment after the cell's script started, so that its SIGINT watchdog is armed. */
  private sigint(id: string): void {
    setTimeout(() => {
      if (this.alive && this.running === id) signalKernelGroup(this.child, "SIGINT");
    }, 50).unref();
  }

  private request(message: Extract<KernelRequest, { type: "complete" | "inspect" | "signature" }>): Promise<Reply | undefined> {
    if (!this.alive) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      const timer = setTimeout(() => settle(undefined), REPLY_TIMEOUT_MS);
      const settle = (reply: Reply | undefined) => {
        clearTimeout(timer);
        this.replies.delete(message.id);
        resolve(reply);
      };
      this.replies.set(message.id, settle);
      this.send(message);
    });
  }

  private send(message: KernelRequest): void {
    if (this.alive) this.requests.write(encodeLine(message));
  }

  private onLine(line: string): void {
    const event = parseEvent(line);
    // The event fd is reachable from cells (it is fd 3): a line that is not an event is something a cell wrote there.
    if (!event) return this.onRawOutput("stdout", line + "\n");
    switch (event.type) {
      case "ready":
        return;
      case "complete-reply":
      case "inspect-reply":
      case "signature-reply":
        return this.replies.get(event.id)?.(event);
      case "running":
        return this.onRunning(event.id);
      case "done":
        return this.onDone(event);
      default:
        return this.deliver(event.id, event, line.length);
    }
  }

  private onRunning(id: string): void {
    this.scriptsStarted.add(id);
    const interrupting = this.interrupting;
    if (interrupting?.id === id && interrupting.sigintPending) {
      interrupting.sigintPending = false;
      clearTimeout(interrupting.kill);
      interrupting.kill = this.killTimer(id);
      this.sigint(id);
    }
  }

  private onDone(event: Extract<KernelEvent, { type: "done" }>): void {
    const cell = this.cells.get(event.id);
    if (!cell) return;
    this.cells.delete(event.id);
    this.scriptsStarted.delete(event.id);
    clearTimeout(cell.timer);
    if (this.interrupting?.id === event.id) {
      clearTimeout(this.interrupting.kill);
      this.interrupting = undefined;
    }
    if (this.interruptWhenRunning !== undefined && this.interruptWhenRunning === this.running) {
      this.interruptWhenRunning = undefined;
      this.interrupt();
    }
    cell.resolve({ status: event.status, executionCount: event.executionCount, durationMs: event.durationMs, timedOut: cell.timedOut || undefined });
  }

  private deliver(id: string, event: CellEvent, size: number): void {
    const cell = this.cells.get(id);
    if (!cell) return;
    const sized = event.type === "stream" ? event.text.length : size;
    for (const admitted of cell.limit.admit(event, sized)) cell.onEvent(admitted);
  }

  private onRawOutput(name: "stdout" | "stderr", text: string): void {
    if (name === "stderr" && OUT_OF_MEMORY.test(text)) this.outOfMemory = true;
    const id = this.running;
    if (id) return this.deliver(id, { type: "stream", id, name, text }, text.length);
    // Between cells (a process a cell started, still printing): shown with the next cell, within reason.
    if (this.betweenCellsSize + text.length > BETWEEN_CELLS_LIMIT) return;
    this.betweenCellsSize += text.length;
    this.betweenCells.push({ name, text });
  }

  /** The kernel closed its event channel (a cell closed fd 3) yet may live on: it can report nothing more. */
  private onChannelEnd(): void {
    setTimeout(() => {
      if (!this.alive) return;
      this.killReason ??= "lost its event channel (a cell closed or broke the kernel's file descriptor 3)";
      signalKernelGroup(this.child, "SIGKILL");
    }, CHANNEL_END_GRACE_MS).unref();
  }

  private onProcessExit(code: number | null, signal: NodeJS.Signals | null): void {
    this.exited = this.describeExit(code, signal);
    if (this.interrupting) clearTimeout(this.interrupting.kill);
    for (const [id, cell] of this.cells) {
      clearTimeout(cell.timer);
      cell.onEvent(this.deathEvent(id));
      cell.resolve({ status: "crashed", executionCount: 0, durationMs: 0, timedOut: cell.timedOut || undefined });
    }
    this.cells.clear();
    for (const settle of [...this.replies.values()]) settle(undefined);
    for (const listener of this.exitListeners) listener(this.exited);
  }

  private describeExit(code: number | null, signal: NodeJS.Signals | null): string {
    if (this.killReason) return this.killReason;
    if (this.outOfMemory) {
      const cap = this.options.maxMemoryMB ? `its JavaScript heap is capped at ${this.options.maxMemoryMB} MB` : "Node's default heap limit";
      return `ran out of memory (${cap})`;
    }
    if (code === EXIT_CHANNEL_LOST) return "lost its event channel (a cell closed or broke the kernel's file descriptor 3)";
    return signal ? `was killed by ${signal}` : `exited with code ${code}`;
  }

  private deathEvent(id: string): CellEvent {
    const how = this.exited ?? "is gone";
    return {
      type: "error",
      id,
      ename: this.outOfMemory && !this.killReason ? "OutOfMemory" : "KernelDied",
      evalue: `the kernel process ${how}${this.killReason ? "" : " while running this cell"}; its state is lost, with any process the cell started. Run the cell again to start a new kernel.`,
      traceback: [],
    };
  }
}

/** The kernel's pipes by fd (Node types `stdio` as a tuple of five). */
function stdio(child: ChildProcess): (Readable | Writable | null)[] {
  return child.stdio as unknown as (Readable | Writable | null)[];
}

function parseEvent(line: string): KernelEvent | undefined {
  try {
    const value: unknown = JSON.parse(line);
    return isKernelEvent(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

function formatSeconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(1))} s`;
}
