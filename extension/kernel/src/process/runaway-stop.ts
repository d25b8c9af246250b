/**
 * The main thread's half of stopping runaway code (the supervisor thread holds the other, supervisor.ts).
 *
 * The supervisor cannot safely stop the main thread's JavaScript itself: the inspector's `Runtime.terminateExecution`
 * lands on whatever JavaScript runs next, and if the cell had just finished, that would be the kernel's own code or the
 * next cell. So the supervisor only asks, through `Runtime.evaluate`, which V8 runs on the main thread as an
 * interrupt inside the code that is running there; the decision is taken here, where nothing can change under it:
 * - the cell being interrupted must still be the one running (or, for code spinning between cells, be yet to start);
 * - the innermost code on the stack must be the cell's (its script, a callback it made, a library it called), not
 *   the kernel's (type-checking, printing, sending events), and not an idle event loop.
 * Only then is this code terminated, by this thread's own inspector session. A termination lives until the current
 * call from the event loop returns (the inspector then cancels it), so it cannot reach a later cell, which always
 * starts from a call of its own (session.ts starts cells from setImmediate).
 */
import * as inspector from "node:inspector";
import * as path from "node:path";
import { STOP_SOURCE_URL } from "./supervisor-messages";

/** File names of code the supervisor must never cut: this kernel, tslab, and the TypeScript that checks cells. */
const KERNEL_DIRS = [path.resolve(__dirname, ".."), packageDir("tslab"), packageDir("@tslab/typescript-for-tslab")];
const CELL_SCRIPT = /^<cell \d+>$/;
const STACK_LIMIT = 200;

const captureStackTrace = Error.captureStackTrace;

export class RunawayStop {
  private session: inspector.Session | undefined;

  /** `mayStop(id)`: whether cell `id` is the one running now, or has yet to start while no cell runs. */
  constructor(private readonly mayStop: (id: string) => boolean) {}

  /**
   * Called by the supervisor's expression, on the main thread, inside whatever runs there. Terminates that code and
   * returns true, or changes nothing and returns false.
   */
  stop(id: string): boolean {
    if (!this.mayStop(id) || !runningCellCode()) return false;
    try {
      this.session ??= connect();
      this.session.post("Runtime.terminateExecution");
      return true;
    } catch {
      // No inspector in this runtime: the host kills the kernel after its grace period.
      return false;
    }
  }

  /** After the termination: a connected session would make Node print a debugger notice when the kernel exits. */
  release(): void {
    this.session?.disconnect();
    this.session = undefined;
  }
}

function connect(): inspector.Session {
  const session = new inspector.Session();
  session.connect();
  return session;
}

/**
 * Whether the code below the supervisor's expression is a cell's: walking the stack from the innermost frame, a
 * cell's script comes before any kernel frame (or, for a callback from a package, there is no kernel frame at all).
 */
function runningCellCode(): boolean {
  const files = interruptedFrames();
  if (files.length === 0) return false; // the event loop was idle
  for (const file of files) {
    if (CELL_SCRIPT.test(file)) return true;
    if (KERNEL_DIRS.some((dir) => file.startsWith(dir + path.sep))) return false;
  }
  return true;
}

/** File names of the frames under the supervisor's expression, innermost first; node's internals left out. */
function interruptedFrames(): string[] {
  const holder: { stack?: unknown } = {};
  const { prepareStackTrace, stackTraceLimit } = Error;
  Error.prepareStackTrace = (_, sites) => sites;
  Error.stackTraceLimit = STACK_LIMIT;
  try {
    captureStackTrace(holder);
    const sites = (holder.stack as NodeJS.CallSite[] | undefined) ?? [];
    const below = sites.findIndex((site) => site.getScriptNameOrSourceURL() === STOP_SOURCE_URL);
    return sites
      .slice(below + 1)
      // Frames of the async functions awaiting this code are not on the stack.
      .filter((site) => !site.isAsync())
      .map((site) => site.getFileName() ?? "")
      .filter((file) => file !== "" && !file.startsWith("node:"));
  } finally {
    Error.prepareStackTrace = prepareStackTrace;
    Error.stackTraceLimit = stackTraceLimit;
  }
}

function packageDir(name: string): string {
  return path.dirname(require.resolve(`${name}/package.json`));
}
