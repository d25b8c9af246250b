import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { CellEvent, ExecuteResult, KernelClient } from "../../extension/kernel/src/index";

// The tests drive the built kernel (dist), as the extension and the CLI do.
export const { KernelClient: BuiltKernelClient } = require("../../extension/kernel/dist/index") as { KernelClient: typeof KernelClient };

const tempDirs: string[] = [];
// A test file's temp folders go with its process (kernels and CLIs started in them are ended by then).
process.on("exit", () => {
  for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true, maxRetries: 2 });
});

export function tempDir(prefix = "mllab-kernel-"): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}

export interface Run extends ExecuteResult {
  events: (CellEvent & { at: number })[];
  doneAt: number;
  stdout: string;
  stderr: string;
  error?: Extract<CellEvent, { type: "error" }>;
  displays: (Extract<CellEvent, { type: "display" }> & { at: number })[];
}

export async function run(kernel: KernelClient, code: string): Promise<Run> {
  const events: (CellEvent & { at: number })[] = [];
  const result = await kernel.execute(code, (e) => events.push({ ...e, at: performance.now() }));
  const text = (name: string) => events.filter((e) => e.type === "stream" && e.name === name).map((e) => (e as { text: string }).text).join("");
  return {
    ...result,
    events,
    doneAt: performance.now(),
    stdout: text("stdout"),
    stderr: text("stderr"),
    error: events.find((e) => e.type === "error") as Run["error"],
    displays: events.filter((e) => e.type === "display") as Run["displays"],
  };
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export async function waitFor(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (condition()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return condition();
}

export interface ProcessInfo {
  pid: number;
  command: string;
  /** Its working directory, resolved. */
  cwd: string;
}

/**
 * Live processes whose working directory is `dir` or below it, found by scanning /proc (not by asking the code under
 * test). Kernels run in their notebook's folder and the processes their cells start inherit it, so a test that gives
 * each notebook a fresh folder finds everything it left running. Zombies (exited, not yet reaped) do not count.
 */
export function processesIn(dir: string): ProcessInfo[] {
  const root = fs.realpathSync(dir);
  const found: ProcessInfo[] = [];
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cwd = fs.readlinkSync(`/proc/${entry}/cwd`).replace(/ \(deleted\)$/, "");
      if (cwd !== root && !cwd.startsWith(root + path.sep)) continue;
      const state = fs.readFileSync(`/proc/${entry}/stat`, "utf8").replace(/^.*\) /, "")[0];
      if (state === "Z") continue;
      found.push({ pid: Number(entry), command: fs.readFileSync(`/proc/${entry}/cmdline`).toString().replace(/\0/g, " ").trim(), cwd });
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return found;
}

/** Whether this platform lets tests scan processes (Linux /proc). */
export const canScanProcesses = fs.existsSync("/proc/self/cwd");
