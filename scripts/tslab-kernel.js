#!/usr/bin/env node
// tslab's own executor behind the ML Lab kernel's wire protocol: the alternative scripts/measure-kernel.js compares
// the kernel with, in the same run, spawned the same way. It does the same work for a cell (type-check, run, show the
// value, say done) and starts the same way (ml-lab and `display` pre-loaded, through the kernel's module forwarding
// so that `ml-lab` resolves from any folder), without the kernel's supervisor, hooks, output channel or caches.
// fd 4: requests (execute, shutdown) as JSON lines; fd 3: events (ready, display, error, done).
const fs = require("node:fs");
const net = require("node:net");
const path = require("node:path");
const { inspect } = require("node:util");

const kernelDir = path.resolve(__dirname, "..", "extension", "kernel");
const fromKernel = require("node:module").createRequire(path.join(kernelDir, "package.json"));
const send = (event) => fs.writeSync(3, JSON.stringify(event) + "\n");

const startedAt = performance.now();
fromKernel("./dist/process/forward-modules").forwardBundledModules(process.cwd());
const { createConverter } = fromKernel("tslab/dist/converter");
const { createExecutor } = fromKernel("tslab/dist/executor");
let value;
let failed;
const executor = createExecutor(process.cwd(), { node: createConverter(), close() {} }, {
  log: (v) => (value = { v }),
  error: (...args) => (failed = args.join(" ")),
});

async function execute(id, code) {
  const t0 = performance.now();
  value = failed = undefined;
  const ok = await executor.execute(code);
  if (value) send({ type: "display", id, displayId: id, data: { "text/plain": inspect(value.v) }, update: false, result: true });
  if (!ok) send({ type: "error", id, ename: "Error", evalue: String(failed), traceback: [] });
  send({ type: "done", id, status: ok ? "ok" : "error", executionCount: 0, durationMs: performance.now() - t0 });
}

executor.execute('import * as ml from "ml-lab";\nimport { display } from "ml-lab";').then((ok) => {
  if (!ok) throw new Error(`could not pre-load ml-lab: ${failed}`);
  let queue = Promise.resolve();
  let buffer = "";
  new net.Socket({ fd: 4, readable: true, writable: false }).on("data", (chunk) => {
    buffer += chunk;
    for (let i; (i = buffer.indexOf("\n")) >= 0; buffer = buffer.slice(i + 1)) {
      const request = JSON.parse(buffer.slice(0, i));
      if (request.type === "shutdown") process.exit(0);
      if (request.type === "execute") queue = queue.then(() => execute(request.id, request.code));
    }
  });
  send({ type: "ready", pid: process.pid, versions: {}, startupMs: performance.now() - startedAt });
});
