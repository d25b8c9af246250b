/**
 * The kernel process: runs TypeScript cells with tslab's converter and executor, ml-lab pre-loaded, in the
 * notebook's folder (its cwd). Spawned by host/kernel-client.ts; speaks the protocol in protocol/messages.ts.
 * This module only wires the parts together: the session holds the state, hooks.ts patches the globals.
 */
import { EventChannel } from "./event-channel";
import { installHooks, installModuleHooks } from "./hooks";
import { Session } from "./session";
import { SupervisorLink } from "./supervisor-link";

/** Exit code when the kernel cannot start (EX_SOFTWARE). */
const EXIT_START_FAILED = 70;

export function main(): void {
  const startedAt = performance.now();
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
  const session = new Session(channel, supervisor, ml, exit);
  installHooks(session, ml);
  session.preload().then(
    () => {
      supervisor.listen({ request: (r) => session.request(r), mayStop: (id) => session.mayStop(id), terminated: (id) => session.terminated(id) });
      const versions = { ...require("tslab").versions, mlLab: require("ml-lab/package.json").version };
      channel.send({ type: "ready", pid: process.pid, versions, startupMs: performance.now() - startedAt });
    },
    (e) => fail("could not start", e),
  );
}
