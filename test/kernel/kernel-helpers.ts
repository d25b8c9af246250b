import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { CellEvent, ExecuteResult, KernelClient } from "../../extension/kernel/src/client";

// The tests drive the built kernel (dist), as the extension and the CLI do.
export const { KernelClient: BuiltKernelClient } = require("../../extension/kernel/dist/client") as { KernelClient: typeof KernelClient };

export function tempDir(prefix = "mllab-kernel-"): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
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
