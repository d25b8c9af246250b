// A kernel starts with only console.d.ts of Node's types and reads the rest after it is ready
// (extension/kernel/src/process/compiler/later-node-types.ts): whatever a cell or the editor asks before they are in
// must get the answer it would have had with all of them from the start.
import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as path from "node:path";
import { describe, it } from "node:test";
import { BuiltKernelClient, run, tempDir } from "./kernel-helpers";

const DIST = path.resolve(__dirname, "../../extension/kernel/dist");

describe("Node's types, read after the kernel is ready", () => {
  it("a first cell that uses them is checked with them: their errors, not 'cannot find'", async () => {
    const kernel = await BuiltKernelClient.start({ cwd: tempDir() });
    try {
      const wrong = await run(kernel, "const version: number = process.version;");
      assert.equal(wrong.status, "error");
      assert.match(wrong.error!.evalue, /Type 'string' is not assignable to type 'number'/);
      assert.doesNotMatch(wrong.error!.evalue, /Cannot find/);
      const right = await run(kernel, 'import * as os from "os";\nconst cores: number = os.cpus().length;\ncores > 0 && typeof process.pid === "number"');
      assert.equal(right.status, "ok", right.error?.traceback.join("\n"));
      assert.equal(right.displays[0].data["text/plain"], "true");
    } finally {
      await kernel.shutdown();
    }
  });

  it("a first cell that prints runs with Node's own Console; a first hover sees all of Node's types", async () => {
    const kernel = await BuiltKernelClient.start({ cwd: tempDir() });
    try {
      const hover = await kernel.inspect("process.memoryUsage()", "process.memoryUsage".length - 2);
      assert.match(hover.signature ?? "", /MemoryUsage/);
      const r = await run(kernel, 'const out: Console = console;\nout.log("hello");\nout.table([{ a: 1 }]);');
      assert.equal(r.status, "ok", r.error?.traceback.join("\n"));
      assert.match(r.stdout, /^hello\n/);
    } finally {
      await kernel.shutdown();
    }
  });

  it("read in steps, each file is parsed once, and the program ends with the files it has when read at once; no lib package lookups", () => {
    // In a process of its own: the kernel's module forwarding patches `fs` for the whole process.
    const script = `
      const dist = ${JSON.stringify(DIST)};
      require(dist + "/process/forward-modules").forwardBundledModules(process.cwd());
      const { ts } = require(dist + "/process/compiler/typescript");
      const reads = new Map();
      const readFile = ts.sys.readFile;
      ts.sys.readFile = (p, encoding) => (reads.set(p, (reads.get(p) ?? 0) + 1), readFile(p, encoding));
      let libPackageLookups = 0;
      for (const name of ["fileExists", "directoryExists"]) {
        const original = ts.sys[name];
        ts.sys[name] = (p) => (p.includes("@typescript/lib-") && libPackageLookups++, original(p));
      }
      const { CellProgram } = require(dist + "/process/compiler/cell-program");
      const names = (program) => program.getSourceFiles().map((f) => f.fileName).sort();
      const stepped = new CellProgram();
      const atStart = names(stepped.program);
      let steps = 1;
      while (!stepped.readNodeTypes(2)) steps++;
      const steppedFiles = names(stepped.program);
      const steppedReads = [...reads].filter(([p]) => p.endsWith(".d.ts"));
      const atOnce = new CellProgram();
      atOnce.includeAllNodeTypes();
      console.log(JSON.stringify({ atStart, steps, steppedFiles, steppedReads, atOnceFiles: names(atOnce.program), libPackageLookups }));
      process.exit(0);`;
    const result = JSON.parse(execFileSync(process.execPath, ["-e", script], { cwd: tempDir(), encoding: "utf8", timeout: 60_000 })) as {
      atStart: string[];
      steps: number;
      steppedFiles: string[];
      steppedReads: [string, number][];
      atOnceFiles: string[];
      libPackageLookups: number;
    };
    const isNode = (f: string) => f.includes("/@types/node/");
    assert.deepEqual(result.atStart.filter(isNode).map((f) => path.basename(f)), ["console.d.ts"]);
    assert.ok(result.steps > 5, `read in ${result.steps} steps`);
    assert.ok(result.steppedFiles.filter(isNode).length > 40, "Node's types are in");
    assert.deepEqual(result.steppedFiles, result.atOnceFiles);
    // The index is read once more, to find console.d.ts before the program exists.
    const twice = result.steppedReads.filter(([f, n]) => n > (f.endsWith("/index.d.ts") && isNode(f) ? 2 : 1));
    assert.deepEqual(twice, []);
    // TypeScript's own lib files, never looked for as packages (@typescript/lib-es5, ...) in node_modules folders.
    assert.equal(result.libPackageLookups, 0);
  });
});
