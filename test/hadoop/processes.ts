import { spawnSync } from "node:child_process";
import * as fs from "node:fs";

/**
 * Processes whose command line mentions `dir`, or whose working folder is inside it: the Hadoop clients, daemons
 * and task processes a test started there. Found by scanning `ps` and /proc, not by asking the code under test.
 */
export function processesUnder(dir: string): string[] {
  const ps = spawnSync("ps", ["-eo", "pid=,args="], { encoding: "utf8" }).stdout.split("\n");
  return ps.filter((line) => {
    const pid = Number(line.trim().split(/\s+/)[0]);
    if (!pid || pid === process.pid) return false;
    let cwd = "";
    try {
      cwd = fs.readlinkSync(`/proc/${pid}/cwd`);
    } catch {
      // gone, or not ours to read
    }
    return line.includes(`${dir}/`) || `${cwd}/`.startsWith(`${dir}/`);
  });
}
