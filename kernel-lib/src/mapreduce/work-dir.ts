/**
 * A job's local work folder (spills, step outputs, Hadoop's configuration and logs): made under the system's temp
 * folder, removed by the runner on every exit path, and, should the process exit first, by an exit hook.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const live = new Set<string>();
let hooked = false;

export function makeWorkDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  live.add(dir);
  if (!hooked) {
    hooked = true;
    process.on("exit", () => {
      for (const d of live) fs.rmSync(d, { recursive: true, force: true });
    });
  }
  return dir;
}

export function removeWorkDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
  live.delete(dir);
}
