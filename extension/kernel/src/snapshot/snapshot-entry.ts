/**
 * The entry script of the kernel's startup snapshot (`node --snapshot-blob <blob> --build-snapshot <this> <inputs>`,
 * run by snapshot-builder.ts): loads TypeScript, parses and binds the declaration files every kernel reads
 * (declaration-cache.ts), and runs the compiler once on a cell like the ml-lab pre-load so that the code a start
 * runs is compiled in the blob. A kernel started from the blob deserializes all that, then runs kernel-main.js.
 *
 * Run through bin/snapshot-entry.js: Node 20 gives a snapshot's entry script no `exports` and a `require` for Node's
 * built-in modules only, so the few compiled modules this needs are loaded here by hand (`load`). Nothing that holds a
 * handle (a worker, a socket, WebAssembly) is made.
 */
import * as fs from "node:fs";
import Module from "node:module";
import * as path from "node:path";
import * as v8 from "node:v8";
import vm from "node:vm";
import type * as TypeScriptModule from "@tslab/typescript-for-tslab";
import type * as CellCompilerModule from "../process/compiler/cell-compiler";
import type * as DeclarationCacheModule from "../process/compiler/declaration-cache";
import type { SnapshotInputs } from "./snapshot-state";
import type * as SnapshotStateModule from "./snapshot-state";

type TypeScript = typeof TypeScriptModule;

const inputs = JSON.parse(process.argv[2]) as SnapshotInputs;
const resolver = Module as unknown as { _resolveFilename(request: string, parent: null, isMain: boolean, options: { paths: string[] }): string };
const loaded = new Map<string, { exports: unknown }>();

/** Loads a CommonJS file as Node would, with a require that knows TypeScript, built-in modules and relative paths. */
function load(file: string): unknown {
  const known = loaded.get(file);
  if (known) return known.exports;
  const mod = { exports: {} as unknown };
  loaded.set(file, mod);
  const dir = path.dirname(file);
  const requireHere = (id: string): unknown => {
    if (id === "@tslab/typescript-for-tslab") return load(inputs.typescriptFile);
    if (id.startsWith(".")) return load(path.resolve(dir, id) + ".js");
    return process.getBuiltinModule(id);
  };
  // Where packages are (the cell compiler looks up tslab's and Node's types), as Node's require.resolve says.
  requireHere.resolve = (id: string, options?: { paths?: string[] }) => resolver._resolveFilename(id, null, false, { paths: options?.paths ?? [dir] });
  const run = vm.runInThisContext(Module.wrap(fs.readFileSync(file, "utf8")), { filename: file }) as (...args: unknown[]) => void;
  run.call(mod.exports, mod.exports, requireHere, mod, file, dir);
  return mod.exports;
}

const ts = load(inputs.typescriptFile) as TypeScript;
const { DeclarationCache, shippedDeclarationFiles } = load(path.join(__dirname, "..", "process", "compiler", "declaration-cache.js")) as typeof DeclarationCacheModule;
const { publishSnapshotState } = load(path.join(__dirname, "snapshot-state.js")) as typeof SnapshotStateModule;

const libFile = path.join(path.dirname(inputs.typescriptFile), "lib.es2022.d.ts");
const declarations = DeclarationCache.build(shippedDeclarationFiles(libFile, inputs.nodeTypesDir, inputs.mlLabTypes), inputs.nodeTypesDir);
warmUp();

v8.startupSnapshot.setDeserializeMainFunction(() => {
  // What the build left behind that belongs to each process: Node drops Error.stackTraceLimit from a snapshot (and
  // errors then have no stack), and TypeScript's `sys` remembers the first working directory it was asked for.
  if (typeof Error.stackTraceLimit !== "number") Error.stackTraceLimit = 10;
  const cwd = process.cwd();
  ts.sys.getCurrentDirectory = () => cwd;
  publishSnapshotState({ typescript: ts, typescriptFile: inputs.typescriptFile, declarations });
  // The script named after the flags (kernel-main.js) is not run by Node when a snapshot has a main function.
  const main = path.resolve(process.argv[1]);
  Module.createRequire(main)(main);
});

/**
 * Runs the kernel's own cell compiler on the ml-lab pre-load and on a first cell, in a program of its own (its files
 * are parsed again, and dropped with it), so that the code a start and a first cell run is compiled in the blob
 * rather than at every start. It works in the kernel's package folder, where `ml-lab` and Node's types resolve.
 */
function warmUp(): void {
  const { CellCompiler } = load(path.join(__dirname, "..", "process", "compiler", "cell-compiler.js")) as typeof CellCompilerModule;
  const cwd = process.cwd();
  process.chdir(inputs.warmUpDir);
  const compiler = new CellCompiler();
  try {
    const preload = compiler.convert("", 'import * as ml from "ml-lab";\nimport { display } from "ml-lab";');
    const cell = compiler.convert(preload.declOutput ?? "", "const v = 1 + 1;\nv");
    if (preload.diagnostics.length + cell.diagnostics.length > 0) throw new Error(`the warm-up cells did not compile: ${JSON.stringify([preload.diagnostics, cell.diagnostics])}`);
  } finally {
    compiler.close();
    process.chdir(cwd);
  }
}
