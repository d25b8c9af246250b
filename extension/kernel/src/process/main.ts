/**
 * The kernel process: runs TypeScript cells with its cell compiler (compiler/) and executor (executor.ts), both
 * adapted from tslab's, ml-lab pre-loaded, in the notebook's folder (its cwd). Spawned by host/kernel-client.ts; speaks the protocol in protocol/messages.ts.
 * This module only wires the parts together: the session holds the state, hooks.ts patches the globals.
 */
import type { CachedModule } from "./code-cache";
import { flushNodeCompileCache } from "./code-cache";
import { EventChannel } from "./event-channel";
import { installHooks, installModuleHooks } from "./hooks";
import { Session } from "./session";
import { SupervisorLink } from "./supervisor-link";

/** Exit code when the kernel cannot start (EX_SOFTWARE). */
const EXIT_START_FAILED = 70;

/**
 * `typescript`: TypeScript loaded through the code cache, whose compiled code is saved once the kernel is ready;
 * `cacheDir`: the cache's folder (none: no cache).
 */
export function main(typescript: CachedModule | undefined, cacheDir: string | undefined): void {
  // Milliseconds since the process started, at each stage of the start (reported with `ready`, for measurements).
  const stages: Record<string, number> = { main: performance.now() };
  const startedAt = stages.main;
  // Kept before any cell runs: a cell may replace process.exit, and the kernel must still be able to end.
  const exit = process.exit.bind(process) as (code: number) => never;
  const fail = (what: string, e: unknown) => {
    process.stderr.write(`kernel: ${what}: ${e instanceof Error ? e.stack : String(e)}\n`);
    exit(EXIT_START_FAILED);
  };
  const channel = new EventChannel(exit);
  // Started first: the thread boots while the main thread loads TypeScript and ml-lab.
  const supervisor = new SupervisorLink(channel.streams.shared, (e) => fail("the supervisor thread failed", e));
  installModuleHooks(process.cwd());
  const ml = require("ml-lab") as typeof import("ml-lab");
  stages.mlLab = performance.now();
  const session = new Session(channel, supervisor, ml, exit);
  stages.program = performance.now();
  installHooks(session, ml);
  session.preload().then(
    () => {
      stages.preload = performance.now();
      supervisor.listen({ request: (r) => session.request(r), mayStop: (id) => session.mayStop(id), terminated: (id) => session.terminated(id) });
      const versions = {
        tslab: require("tslab/package.json").version,
        typescript: require("@tslab/typescript-for-tslab").version,
        node: process.version,
        mlLab: require("ml-lab/package.json").version,
      };
      channel.send({ type: "ready", pid: process.pid, versions, startupMs: performance.now() - startedAt, stages });
      session.readNodeTypesInBackground();
      // Once the first cell is done, the compiled code includes what running a cell needs, and the cell is not delayed.
      session.whenFirstCellDone(() => {
        typescript?.save();
        if (cacheDir) flushNodeCompileCache(cacheDir);
      });
    },
    (e) => fail("could not start", e),
  );
}
