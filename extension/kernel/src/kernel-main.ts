/**
 * The kernel process: runs TypeScript cells with tslab's converter and executor, ml-lab pre-loaded, in the
 * notebook's folder (its cwd). Started by KernelClient; speaks the protocol in protocol.ts.
 */
import { format } from "node:util";
import vm = require("node:vm");
import { LineDecoder, sendEvent } from "./channel";
import { CellRecord, describeDiagnostics, describeRuntimeError, parseDiagnostic, scriptName } from "./errors";
import { forwardBundledModules } from "./forward-modules";
import { CellDiagnostic, KernelRequest, MimeBundle } from "./protocol";
import { expandShorthandProperties, originalColumn } from "./shorthand";
import { StaticRenderer } from "./static-renderer";

const startedAt = performance.now();
forwardBundledModules(process.cwd());
// eslint-disable-next-line @typescript-eslint/no-var-requires
const ml = require("ml-lab") as typeof import("ml-lab");
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { createConverter } = require("tslab/dist/converter") as typeof import("tslab/dist/converter");
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { createExecutor } = require("tslab/dist/executor") as typeof import("tslab/dist/executor");

/** The cell being executed; output produced after it finished (timers) is attributed to the last cell. */
let current: { id: string; count: number } | undefined;
let lastId = "";
let executionCount = 0;
const cells = new Map<number, CellRecord>();
const outputId = () => current?.id ?? lastId;

// Everything the cell prints goes through the one ordered event channel.
for (const name of ["stdout", "stderr"] as const) {
  const stream = process[name];
  stream.write = ((chunk: string | Uint8Array, encoding?: BufferEncoding | ((e?: Error) => void), callback?: (e?: Error) => void) => {
    const text = typeof chunk === "string" ? chunk : Buffer.from(chunk).toString(typeof encoding === "string" ? encoding : "utf8");
    sendEvent({ type: "stream", id: outputId(), name, text });
    (typeof encoding === "function" ? encoding : callback)?.();
    return true;
  }) as typeof stream.write;
}

const staticRenderer = new StaticRenderer(
  (displayId, data, result) => sendEvent({ type: "display", id: outputId(), displayId, data, update: true, result }),
  (message) => process.stderr.write(message + "\n"),
);

function emitDisplay(data: MimeBundle, displayId: string, update: boolean, result = false): void {
  sendEvent({ type: "display", id: outputId(), displayId, data, update, result });
  staticRenderer.request(displayId, data, result);
}

ml.setDisplaySink(({ data, displayId, update }) => emitDisplay(data, displayId, update));
// tslab's own display API (`import * as tslab from "tslab"`) lands here too.
let tslabDisplays = 0;
// eslint-disable-next-line @typescript-eslint/no-var-requires
require("tslab/dist/jupyter").lastWriteDisplayData = (message: { data: MimeBundle; transient?: { display_id?: string } }, update: boolean) =>
  emitDisplay(message.data, message.transient?.display_id ?? `tslab-${++tslabDisplays}`, update);

// Name each cell's script after its execution count, so stack traces say which cell and can be mapped to its lines.
const runInThisContext = vm.runInThisContext;
vm.runInThisContext = function (code: string, options?: vm.RunningScriptOptions | string) {
  if (current && typeof options === "object" && options.filename === undefined) {
    const cell = cells.get(current.count);
    if (cell) cell.js = code;
    options = { ...options, filename: scriptName(current.count) };
    // From here SIGINT interrupts the script (breakOnSigint); the host holds back interrupts until it sees this.
    if (current.id) sendEvent({ type: "running", id: current.id });
  }
  return runInThisContext.call(vm, code, options);
};

// tslab reports through this console: the last expression's value via log, diagnostics and errors via error.
let diagnostics: CellDiagnostic[] = [];
let thrown: { error: unknown } | undefined;
let lastValue: { value: unknown } | undefined;
const executorConsole = {
  log: (value: unknown) => {
    lastValue = { value };
  },
  error: (...args: unknown[]) => {
    const diagnostic = parseDiagnostic(args);
    if (diagnostic) diagnostics.push(diagnostic);
    else if (args.length === 1) thrown = { error: args[0] };
    else process.stderr.write(format(...args) + "\n");
  },
};

const node = createConverter();
let browser: ReturnType<typeof createConverter> | undefined;
const executor = createExecutor(
  process.cwd(),
  {
    node,
    // Only `//%browser` cells need the browser converter; creating one costs seconds, so do it on demand.
    get browser() {
      return (browser ??= createConverter({ isBrowser: true }));
    },
    close: () => {
      node.close();
      browser?.close();
    },
  },
  executorConsole,
);

// While a script runs, breakOnSigint turns SIGINT into an exception and this handler is not called; once the
// script has returned and the cell awaits, tslab's interrupt rejects the await.
process.on("SIGINT", () => executor.interrupt());

const INTERRUPTED = /interrupted by `SIGINT`|Interrupted asynchronously/;

async function execute(id: string, code: string): Promise<void> {
  const count = ++executionCount;
  const started = performance.now();
  current = { id, count };
  cells.set(count, { count, source: code });
  diagnostics = [];
  thrown = undefined;
  lastValue = undefined;
  let status: "ok" | "error" | "interrupted" = "ok";
  const { code: runnable, insertions } = expandShorthandProperties(code);
  try {
    const ok = await executor.execute(runnable);
    if (!ok && !thrown && diagnostics.length === 0) thrown = { error: new Error("the cell failed") };
  } catch (e) {
    thrown = { error: e };
  }
  if (diagnostics.length > 0) {
    diagnostics = diagnostics.map((d) => ({ ...d, column: originalColumn(d.line, d.column, insertions) }));
    sendEvent({ type: "error", id, ...describeDiagnostics(diagnostics, code), diagnostics });
    status = "error";
  } else if (thrown) {
    const report = describeRuntimeError(thrown.error, cells, count);
    const interrupted = thrown.error instanceof Error && INTERRUPTED.test(thrown.error.message);
    status = interrupted ? "interrupted" : "error";
    const interruptedReport = {
      ...report,
      ename: "Interrupted",
      evalue: "the cell was interrupted; the kernel's state is kept",
      // Keep where it stopped (cell frames), drop the raw "Script execution was interrupted" line.
      traceback: ["Interrupted: the cell was interrupted; the kernel's state is kept", ...report.traceback.filter((l) => /^\s+at /.test(l))],
    };
    sendEvent({ type: "error", id, ...(interrupted ? interruptedReport : report) });
  } else if ((lastValue as { value: unknown } | undefined) && !ml.isDisplayHandle(lastValue!.value)) {
    try {
      emitDisplay(ml.mimeBundleOf(lastValue!.value), `result-${count}`, false, true);
    } catch (e) {
      process.stderr.write(`could not display the cell's value: ${(e as Error).message}\n`);
    }
  }
  await staticRenderer.settle();
  lastId = id;
  current = undefined;
  sendEvent({ type: "done", id, status, executionCount: count, durationMs: performance.now() - started });
}

function complete(id: string, code: string, offset: number): void {
  const info = executor.complete(code, offset);
  sendEvent({ type: "complete-reply", id, start: info.start, end: info.end, candidates: info.candidates });
}

function inspect(id: string, code: string, offset: number): void {
  const info = executor.inspect(code, offset);
  if (!info) {
    sendEvent({ type: "inspect-reply", id, found: false });
    return;
  }
  const text = (parts?: { text: string }[]) => (parts ?? []).map((p) => p.text).join("");
  sendEvent({
    type: "inspect-reply",
    id,
    found: true,
    signature: text(info.displayParts),
    documentation: text(info.documentation),
    start: info.textSpan?.start,
    end: info.textSpan ? info.textSpan.start + info.textSpan.length : undefined,
  });
}

let queue: Promise<void> = Promise.resolve();
function handle(request: KernelRequest): void {
  queue = queue.then(async () => {
    switch (request.type) {
      case "execute":
        return execute(request.id, request.code);
      case "complete":
        return complete(request.id, request.code, request.offset);
      case "inspect":
        return inspect(request.id, request.code, request.offset);
      case "shutdown":
        executor.close();
        process.exit(0);
    }
  }).catch((e) => {
    process.stderr.write(`kernel: ${(e as Error).stack}\n`);
  });
}

/** `ml` and `display` are there from the first cell, as if the notebook began with these imports. */
async function preload(): Promise<void> {
  current = { id: "", count: 0 };
  const ok = await executor.execute('import * as ml from "ml-lab";\nimport { display } from "ml-lab";');
  current = undefined;
  if (!ok) throw new Error(`could not pre-load ml-lab: ${diagnostics.map((d) => d.message).join("; ")}`);
  diagnostics = [];
}

preload().then(
  () => {
    const decoder = new LineDecoder((line) => handle(JSON.parse(line) as KernelRequest));
    process.stdin.on("data", (chunk) => decoder.push(chunk));
    // The host is gone (closed our stdin): never linger as an orphan.
    process.stdin.on("end", () => process.exit(0));
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const versions = { ...require("tslab").versions, mlLab: require("ml-lab/package.json").version };
    sendEvent({ type: "ready", pid: process.pid, versions, startupMs: performance.now() - startedAt });
  },
  (e) => {
    process.stderr.write(`kernel failed to start: ${(e as Error).message}\n`);
    process.exit(70);
  },
);
