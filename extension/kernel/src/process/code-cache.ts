/**
 * V8's code cache for the kernel's biggest module, TypeScript (8 MB of JavaScript): compiling it is a good part of a
 * kernel's start. The first kernel on a given Node compiles it as usual and, once ready, saves V8's compiled code
 * (with the functions its start-up ran); later kernels load that instead of compiling. Node 22's
 * `module.enableCompileCache` does this for every module, but not Node 20 (the Node of VS Code 1.90's Electron),
 * so the one module that matters is cached by hand, the same on every Node; on Node 22 the other modules use Node's.
 *
 * The cache is a per-user folder (mode 0700); an entry is keyed by the file's path, size and mtime and by Node's
 * version and flags, V8 checks it again, and a rejected or unreadable entry only means compiling as usual. Writes are
 * atomic (temp file, rename).
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import Module from "node:module";
import * as path from "node:path";
import vm from "node:vm";

export interface CachedModule {
  /** Saves the compiled code if the cache did not have it (call once the module's start-up work is done). */
  save(): void;
}

/**
 * Loads the CommonJS module `id` (resolved from this package) from `cacheDir`'s compiled code when it has it, and
 * registers it in require's cache, so that every later `require(id)` gets this instance.
 */
export function requireWithCodeCache(id: string, cacheDir: string): CachedModule {
  const filename = require.resolve(id);
  const source = fs.readFileSync(filename, "utf8");
  const entry = path.join(cacheDir, `${cacheKey(filename)}.bin`);
  const cachedData = readIfPresent(entry);
  const script = new vm.Script(Module.wrap(source), { filename, cachedData });
  const hit = cachedData !== undefined && !script.cachedDataRejected;
  const mod = new Module(filename, module);
  mod.filename = filename;
  mod.paths = (Module as unknown as { _nodeModulePaths(dir: string): string[] })._nodeModulePaths(path.dirname(filename));
  const run = script.runInThisContext() as (exports: unknown, require: NodeRequire, module: Module, filename: string, dirname: string) => void;
  run.call(mod.exports, mod.exports, Module.createRequire(filename), mod, filename, path.dirname(filename));
  mod.loaded = true;
  require.cache[filename] = mod;
  return {
    save() {
      if (hit) return;
      try {
        writeAtomically(entry, script.createCachedData());
      } catch {
        // A cache we cannot write costs the next kernel a compile, nothing more.
      }
    },
  };
}

/** Node's own compile cache (Node 22+) for the other modules, in the same folder. */
export function enableNodeCompileCache(cacheDir: string): void {
  const enable = (Module as unknown as { enableCompileCache?: (dir: string) => unknown }).enableCompileCache;
  try {
    enable?.(path.join(cacheDir, "node"));
  } catch {
    // Not supported here: modules compile as usual.
  }
}

/** Node's compile cache is written at exit; a kernel is often killed, so write it once the kernel is ready. */
export function flushNodeCompileCache(): void {
  (Module as unknown as { flushCompileCache?: () => void }).flushCompileCache?.();
}

/** The entry for this file as it is now (a reinstalled package has a new mtime) on this Node. */
function cacheKey(filename: string): string {
  const { size, mtimeMs } = fs.statSync(filename);
  return createHash("sha256").update(JSON.stringify([process.version, process.arch, process.versions.v8, process.execArgv, filename, size, mtimeMs])).digest("hex").slice(0, 32);
}

function readIfPresent(file: string): Buffer | undefined {
  try {
    return fs.readFileSync(file);
  } catch {
    return undefined;
  }
}

function writeAtomically(file: string, data: Buffer): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const temp = `${file}.${process.pid}.tmp`;
  try {
    fs.writeFileSync(temp, data, { mode: 0o600 });
    fs.renameSync(temp, file);
  } finally {
    fs.rmSync(temp, { force: true });
  }
}
