/**
 * The kernel's supervisor thread (a worker; started by supervisor-link.ts). It never runs a cell, so it stays
 * responsive whatever the main thread does:
 * - it reads the host's requests and hands them to the main thread;
 * - it sends the prints the main thread batched (stream-buffer.ts) once they have waited a few milliseconds, so a
 *   print is not held back while the main thread computes;
 * - when the host is gone (the request pipe ends, or the kernel's parent changed) it ends the kernel's process group,
 *   even while a cell spins: ipykernel's parent poller;
 * - when a cell it was asked to interrupt is still running and the main thread answers no ping for a second, it asks
 *   the main thread (through the inspector's Runtime.evaluate, which runs inside whatever the main thread is running)
 *   to stop the code it is running, if that is the cell's (runaway-stop.ts decides, on the main thread). That reaches
 *   code a SIGINT cannot: code resumed after an `await` and timer callbacks run outside the script that breakOnSigint
 *   guards. It asks again every RETRY_MS while the main thread stays unresponsive.
 * If none of this stops a cell, the host kills the process group after its grace period.
 */
import * as inspector from "node:inspector";
import * as net from "node:net";
import { parentPort, workerData } from "node:worker_threads";
import { LineSplitter } from "../protocol/json-lines";
import { StreamBuffer } from "./stream-buffer";
import { FromSupervisor, STOP_SOURCE_URL, SupervisorData, ToSupervisor } from "./supervisor-messages";

/** How long the main thread may leave a ping unanswered, while a cell is being interrupted, before it is stopped. */
const UNRESPONSIVE_MS = 1000;
/** How soon to ask again when the main thread declined to stop (it was in kernel code) and is still unresponsive. */
const RETRY_MS = 100;
const PARENT_POLL_MS = 1000;

class Supervisor {
  private readonly port = parentPort!;
  private readonly stopFunction: string;
  private readonly parentPid = process.ppid;
  /** Cells being interrupted that have not settled yet. */
  private readonly interrupting = new Set<string>();
  private pings = 0;
  private pongs = 0;
  private session: inspector.Session | undefined;

  constructor(data: SupervisorData) {
    this.stopFunction = data.stopFunction;
    const requests = new net.Socket({ fd: data.requestsFd, readable: true, writable: false });
    const lines = new LineSplitter((line) => this.onLine(line));
    requests.on("data", (chunk: Buffer) => lines.push(chunk));
    requests.on("end", () => this.hostGone());
    requests.on("close", () => this.hostGone());
    requests.on("error", () => this.hostGone());
    // The pipe's end is the prompt signal; the parent check also covers a host whose pipe some other process holds.
    setInterval(() => {
      if (process.ppid !== this.parentPid) this.hostGone();
    }, PARENT_POLL_MS).unref();
    // A failed write means the host is gone or a cell closed the fd; the main thread finds out on its next write.
    void new StreamBuffer(data.eventsFd, data.streams).flushWhenOld(() => {});
    this.port.on("message", (message: ToSupervisor) => {
      if (message.kind === "pong") this.pongs = Math.max(this.pongs, message.seq);
      else this.interrupting.delete(message.id);
    });
  }

  private post(message: FromSupervisor): void {
    this.port.postMessage(message);
  }

  private onLine(line: string): void {
    let request: unknown;
    try {
      request = JSON.parse(line);
    } catch {
      request = { type: "unreadable", line };
    }
    this.post({ kind: "request", request });
    const r = request as { type?: unknown; id?: unknown };
    if (r.type === "interrupt" && typeof r.id === "string" && !this.interrupting.has(r.id)) {
      this.interrupting.add(r.id);
      this.watch(r.id);
    }
  }

  /** Pings the main thread until cell `id` settles; asks it to stop the code it runs while no pong comes. */
  private watch(id: string): void {
    if (!this.interrupting.has(id)) return;
    const seq = ++this.pings;
    this.post({ kind: "ping", seq });
    setTimeout(() => this.check(id, seq), UNRESPONSIVE_MS);
  }

  private check(id: string, seq: number): void {
    if (!this.interrupting.has(id)) return;
    if (this.pongs >= seq) return this.watch(id);
    this.askToStop(id, (stopped) => {
      if (stopped) this.post({ kind: "terminated", id });
      setTimeout(() => this.check(id, seq), RETRY_MS);
    });
  }

  private askToStop(id: string, then: (stopped: boolean) => void): void {
    try {
      if (!this.session) {
        this.session = new inspector.Session();
        this.session.connectToMainThread();
      }
      // The sourceURL names this expression's frame, so the main thread can tell its own frames from the interrupted ones.
      const expression = `globalThis[${JSON.stringify(this.stopFunction)}](${JSON.stringify(id)})\n//# sourceURL=${STOP_SOURCE_URL}`;
      this.session.post("Runtime.evaluate", { expression, returnByValue: true }, (error, reply) => then(!error && reply?.result?.value === true));
    } catch {
      // No inspector in this runtime: the host's kill after its grace period still ends the cell.
    }
  }

  /** Ends the kernel and every process its cells started (they share its process group). */
  private hostGone(): void {
    try {
      process.kill(-process.pid, "SIGKILL");
    } catch {
      // Not a process group leader (started without `detached`): end this process alone.
    }
    process.kill(process.pid, "SIGKILL");
  }
}

new Supervisor(workerData as SupervisorData);
