import { ChildProcess, spawn } from "node:child_process";
import * as path from "node:path";
import { Readable } from "node:stream";
import { LineDecoder } from "./channel";
import { KernelEvent, KernelRequest } from "./protocol";

export type CellStatus = "ok" | "error" | "interrupted" | "crashed";

export interface ExecuteResult {
  status: CellStatus;
  executionCount: number;
  durationMs: number;
}

/** Events of one cell as they arrive (streams, displays and their updates, errors). */
export type CellEvent = Extract<KernelEvent, { type: "stream" | "display" | "error" }>;

export interface KernelOptions {
  /** The notebook's folder: module resolution and relative paths start there. */
  cwd: string;
  /** The Node binary to run the kernel with; default: the current one. */
  nodePath?: string;
  env?: NodeJS.ProcessEnv;
  /** Give up if the kernel is not ready by then. Default 60 s. */
  startTimeoutMs?: number;
}

interface PendingCell {
  onEvent: (event: CellEvent) => void;
  resolve: (result: ExecuteResult) => void;
}

let requestCounter = 0;
const nextId = () => `r${process.pid}-${++requestCounter}`;

/**
 * The host's handle on one kernel process. Cells run one at a time in submission order; each execute()
 * streams its events to a callback and resolves when the cell is done, interrupted, or the process died.
 */
export class KernelClient {
  readonly startupMs: number;
  readonly versions: Record<string, string>;
  private readonly cells = new Map<string, PendingCell>();
  private readonly replies = new Map<string, (event: KernelEvent) => void>();
  private readonly exitListeners: ((description: string) => void)[] = [];
  private running: string | undefined;
  /** Cells whose script has started (the kernel said "running"): SIGINT reaches them. */
  private readonly scriptsStarted = new Set<string>();
  /** A cell the user interrupted before its script started: SIGINT goes out when it does. */
  private interruptWanted: string | undefined;
  private exited: string | undefined;

  private constructor(private readonly child: ChildProcess, ready: Extract<KernelEvent, { type: "ready" }>) {
    this.startupMs = ready.startupMs;
    this.versions = ready.versions;
  }

  static start(options: KernelOptions): Promise<KernelClient> {
    const child = spawn(options.nodePath ?? process.execPath, [path.join(__dirname, "kernel-main.js")], {
      cwd: options.cwd,
      // In desktop VS Code the extension host's execPath is Electron; this makes it behave as plain Node.
      env: { ...process.env, ...options.env, NODE_OPTIONS: "", ELECTRON_RUN_AS_NODE: "1" },
      stdio: ["pipe", "pipe", "pipe", "pipe"],
    });
    return new Promise((resolve, reject) => {
      let client: KernelClient | undefined;
      let early = "";
      const timer = setTimeout(() => {
        child.kill("SIGKILL");
        reject(new Error(`the kernel did not start within ${(options.startTimeoutMs ?? 60_000) / 1000} s`));
      }, options.startTimeoutMs ?? 60_000);
      const decoder = new LineDecoder((line) => {
        const event = JSON.parse(line) as KernelEvent;
        if (event.type === "ready" && !client) {
          clearTimeout(timer);
          client = new KernelClient(child, event);
          client.listen();
          resolve(client);
        } else {
          client?.dispatch(event);
        }
      });
      (child.stdio[3] as Readable).on("data", (chunk: Buffer) => decoder.push(chunk));
      // Output that bypassed process.stdout (native code, child processes) still reaches the running cell.
      for (const name of ["stdout", "stderr"] as const) {
        child[name]!.on("data", (chunk: Buffer) => {
          if (client) client.rawOutput(name, chunk.toString());
          else early += chunk.toString();
        });
      }
      child.once("exit", (code, signal) => {
        clearTimeout(timer);
        if (!client) reject(new Error(`the kernel exited during start-up (${signal ?? `code ${code}`})${early ? `:\n${early}` : ""}`));
      });
      child.once("error", (e) => {
        clearTimeout(timer);
        if (!client) reject(e);
      });
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get alive(): boolean {
    return this.exited === undefined;
  }

  /** Runs a cell; events stream to `onEvent`. Never rejects: a dead kernel resolves as "crashed". */
  execute(code: string, onEvent: (event: CellEvent) => void = () => {}): Promise<ExecuteResult> {
    const id = nextId();
    return new Promise((resolve) => {
      if (this.exited) {
        onEvent(crashEvent(id, this.exited));
        resolve({ status: "crashed", executionCount: 0, durationMs: 0 });
        return;
      }
      this.cells.set(id, { onEvent, resolve });
      this.send({ type: "execute", id, code });
    });
  }

  /** Stops the running cell; the kernel keeps its state. Early interrupts wait for the cell's script to start. */
  interrupt(): void {
    if (!this.alive || !this.running) return;
    if (this.scriptsStarted.has(this.running)) this.signalUntilDone(this.running);
    else this.interruptWanted = this.running;
  }

  /**
   * One SIGINT, a moment after the cell's script started (so its SIGINT watchdog is armed), and one more only if
   * the cell is still running two seconds later. Not a rapid series: a second signal that lands while Node swaps the
   * watchdog back for the process's handlers can end the kernel.
   */
  private signalUntilDone(id: string): void {
    const send = (retry: boolean) => {
      if (!this.alive || this.running !== id) return;
      this.child.kill("SIGINT");
      if (retry) setTimeout(() => send(false), 2000).unref();
    };
    setTimeout(() => send(true), 50).unref();
  }

  complete(code: string, offset: number): Promise<Extract<KernelEvent, { type: "complete-reply" }>> {
    return this.request({ type: "complete", id: nextId(), code, offset }) as never;
  }

  inspect(code: string, offset: number): Promise<Extract<KernelEvent, { type: "inspect-reply" }>> {
    return this.request({ type: "inspect", id: nextId(), code, offset }) as never;
  }

  onExit(listener: (description: string) => void): void {
    this.exitListeners.push(listener);
  }

  /** Ends the process (asks first, then kills) and resolves when it is gone. */
  async shutdown(graceMs = 2000): Promise<void> {
    if (!this.alive) return;
    const gone = new Promise<void>((resolve) => this.child.once("exit", () => resolve()));
    if (this.running) this.child.kill("SIGKILL");
    else this.send({ type: "shutdown" });
    const timer = setTimeout(() => this.child.kill("SIGKILL"), graceMs);
    await gone;
    clearTimeout(timer);
  }

  private request(message: Extract<KernelRequest, { id: string }>): Promise<KernelEvent> {
    if (!this.alive) return Promise.reject(new Error(`the kernel is not running (${this.exited})`));
    return new Promise((resolve) => {
      this.replies.set(message.id, resolve);
      this.send(message);
    });
  }

  private send(message: KernelRequest): void {
    this.child.stdin!.write(JSON.stringify(message) + "\n");
    if (message.type === "execute") this.running ??= message.id;
  }

  private listen(): void {
    this.child.once("exit", (code, signal) => {
      this.exited = signal ? `killed by ${signal}` : `exited with code ${code}`;
      for (const [id, cell] of this.cells) {
        cell.onEvent(crashEvent(id, this.exited));
        cell.resolve({ status: "crashed", executionCount: 0, durationMs: 0 });
      }
      this.cells.clear();
      this.running = undefined;
      for (const listener of this.exitListeners) listener(this.exited);
    });
    // Closing our end of stdin tells the kernel to exit; make sure the host's own exit does that too.
    this.child.stdin!.on("error", () => {});
  }

  private dispatch(event: KernelEvent): void {
    if (event.type === "complete-reply" || event.type === "inspect-reply") {
      this.replies.get(event.id)?.(event);
      this.replies.delete(event.id);
      return;
    }
    if (event.type === "ready") return;
    if (event.type === "running") {
      this.scriptsStarted.add(event.id);
      if (this.interruptWanted === event.id) {
        this.interruptWanted = undefined;
        this.signalUntilDone(event.id);
      }
      return;
    }
    const cell = this.cells.get(event.id);
    if (event.type === "done") {
      this.cells.delete(event.id);
      this.scriptsStarted.delete(event.id);
      if (this.interruptWanted === event.id) this.interruptWanted = undefined;
      this.running = this.cells.keys().next().value;
      cell?.resolve({ status: event.status, executionCount: event.executionCount, durationMs: event.durationMs });
      return;
    }
    cell?.onEvent(event);
  }

  private rawOutput(name: "stdout" | "stderr", text: string): void {
    const id = this.running;
    if (id) this.cells.get(id)?.onEvent({ type: "stream", id, name, text });
  }
}

function crashEvent(id: string, how: string): CellEvent {
  return {
    type: "error",
    id,
    ename: "KernelDied",
    evalue: `the kernel process ${how} while running this cell; its state is lost. Run the cell again to start a new kernel.`,
    traceback: [],
  };
}
