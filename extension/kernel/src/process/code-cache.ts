/**
 * V8's code cache for the kernel's biggest module, TypeScript (8 MB of JavaScript): compiling it is a good part of a
 * kernel's start. The first kernel on a given Node compiles it as usual and, once ready, saves V8's compiled code
 * (with the functions its start-up ran); later kernels load that instead of compiling. Node 22's
 * `module.enableCompileCache` does this for every module, but not Node 20 (the Node of VS Code 1.90's Electron),
 * so the one module that matters is cached by hand, the same on every Node; on Node 22 the other modules use Node's.
 *
 * The cache is a per-user folder (mode 0700); an entry is keyed by the file's path, size and mtime and by Node's
 * version and flags, V8 checks it again, and a rejected or unreadable entry only means compiling as usual. Writes are
 * atomic (temp file, rename); a module keeps its newest few entries.
 */
import { isAscii } from "node:buffer";
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
  const source = asciiSource(fs.readFileSync(filename));
  const entry = cacheEntry(cacheDir, id, filename);
  const cachedData = readIfPresent(entry.file);
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
        writeAtomically(entry.file, script.createCachedData());
        removeOldEntries(entry);
      } catch {
        // A cache we cannot write costs the next kernel a compile, nothing more.
      }
    },
  };
}

/**
 * The module's text with every non-ASCII character written as a `\uXXXX` escape, so that V8 holds it as a one-byte
 * string: decoded as UTF-8 with them in it (TypeScript has four, in comments), the 8 MB became a two-byte string,
 * ~35 ms to decode and twice the memory. The same program: in comments, strings, regular expressions and identifiers
 * an escape means the character itself (only a tagged template's raw text would see the escape). White space and
 * line breaks beyond ASCII are not escapable outside strings, so a text with any is decoded as it is.
 */
export function asciiSource(bytes: Buffer): string {
  const spans: string[] = [];
  let copied = 0;
  for (const [start, end] of nonAsciiRuns(bytes)) {
    const text = bytes.toString("utf8", start, end);
    if (/\s/.test(text)) return bytes.toString("utf8");
    spans.push(bytes.toString("latin1", copied, start), escapeNonAscii(text));
    copied = end;
  }
  spans.push(bytes.toString("latin1", copied));
  return spans.join("");
}

/**
 * The runs of bytes ≥ 0x80 (whole UTF-8 sequences: ASCII bytes never occur inside one), found by halving the
 * buffer with `isAscii` (SIMD, ~1 ms for 8 MB) down to 4 KB blocks, then byte by byte: a JavaScript loop or a
 * regular expression over all 8 MB takes longer than the decoding it saves.
 */
function nonAsciiRuns(bytes: Buffer): Array<[number, number]> {
  const runs: Array<[number, number]> = [];
  const visit = (start: number, end: number): void => {
    if (start >= end || isAscii(bytes.subarray(start, end))) return;
    if (end - start > 4096) {
      const middle = (start + end) >>> 1;
      visit(start, middle);
      visit(middle, end);
      return;
    }
    for (let i = start; i < end; i++) {
      if (bytes[i] < 0x80) continue;
      let j = i;
      while (j < bytes.length && bytes[j] >= 0x80) j++;
      const last = runs[runs.length - 1];
      if (last && last[1] >= i) last[1] = Math.max(last[1], j);
      else runs.push([i, j]);
      i = j;
    }
  };
  visit(0, bytes.length);
  return runs;
}

function escapeNonAscii(text: string): string {
  let escaped = "";
  for (let i = 0; i < text.length; i++) escaped += "\\u" + text.charCodeAt(i).toString(16).padStart(4, "0");
  return escaped;
}

/**
 * Node's own compile cache (Node 22+) for the other modules: a folder per install of the kernel and Node (an update of
 * either starts a new one, as it does a new TypeScript entry), in which Node keeps its entries.
 */
export function enableNodeCompileCache(cacheDir: string): void {
  const enable = (Module as unknown as { enableCompileCache?: (dir: string) => unknown }).enableCompileCache;
  try {
    enable?.(nodeCompileCacheDir(cacheDir));
  } catch {
    // Not supported here: modules compile as usual.
  }
}

/**
 * Writes Node's compile cache (Node writes it at exit, and a kernel is often killed) and keeps only the
 * ENTRIES_KEPT most recently used of its folders: neither Node nor an update removes the old ones. Runs once per
 * kernel, after its first cell; a folder another kernel still reads only costs that kernel compiles (Node treats a
 * missing entry as a miss).
 */
export function flushNodeCompileCache(cacheDir: string): void {
  (Module as unknown as { flushCompileCache?: () => void }).flushCompileCache?.();
  try {
    removeOldNodeCompileCaches(cacheDir);
  } catch {
    // Another kernel pruning at the same time, or a folder we cannot list: the next kernel tries again.
  }
}

/** Where Node's compile cache folders live, and the folder of the layout before them (one folder for every install). */
const NODE_CACHES = "node-compile";
const NODE_CACHE_BEFORE = "node";

/** This kernel's folder for Node's compile cache: one per install of the kernel package and Node. */
export function nodeCompileCacheDir(cacheDir: string): string {
  return path.join(cacheDir, NODE_CACHES, hash(JSON.stringify([__dirname, process.version, process.arch, process.versions.v8])));
}

function removeOldNodeCompileCaches(cacheDir: string): void {
  fs.rmSync(path.join(cacheDir, NODE_CACHE_BEFORE), { recursive: true, force: true });
  const mine = nodeCompileCacheDir(cacheDir);
  const root = path.dirname(mine);
  if (!fs.existsSync(root)) return; // a Node without a compile cache (Node 20) writes none
  if (fs.existsSync(mine)) {
    const now = new Date();
    fs.utimesSync(mine, now, now); // used now: the newest
  }
  for (const old of newestFirst(root).slice(ENTRIES_KEPT)) if (old.file !== mine) fs.rmSync(old.file, { recursive: true, force: true });
}

/** The files (or folders) in `dir`, most recently modified first; one removed meanwhile counts as the oldest. */
function newestFirst(dir: string): Array<{ name: string; file: string; mtimeMs: number }> {
  return fs
    .readdirSync(dir)
    .map((name) => ({ name, file: path.join(dir, name), mtimeMs: fs.statSync(path.join(dir, name), { throwIfNoEntry: false })?.mtimeMs ?? 0 }))
    .sort((a, b) => b.mtimeMs - a.mtimeMs);
}

/** A cache entry: its file, and the prefix every entry of the same module's file name starts with. */
interface CacheEntry {
  file: string;
  modulePrefix: string;
}

/**
 * The entry in `cacheDir` for module `id` as it is now, at `filename` (an update of the extension moves it, a
 * reinstalled package has a new mtime), on this Node: `<module>-<version>.bin`, so that every entry of one module can
 * be found whatever its path.
 */
function cacheEntry(cacheDir: string, id: string, filename: string): CacheEntry {
  const { size, mtimeMs } = fs.statSync(filename);
  const version = JSON.stringify([SOURCE_FORM, filename, size, mtimeMs, process.version, process.arch, process.versions.v8, process.execArgv]);
  const modulePrefix = `${hash(id)}-`;
  return { file: path.join(cacheDir, `${modulePrefix}${hash(version)}.bin`), modulePrefix };
}

/** Changes when the text given to V8 is made differently (asciiSource), so that no entry of the old form is read. */
const SOURCE_FORM = "ascii-escaped";

/** Entries kept per module: one for each Node (or install) the user's kernels run on (VS Code's, code-server's, …). */
const ENTRIES_KEPT = 4;

/** How entries were named before they named their module (one hash of everything): none of them is read any more. */
const UNNAMED_ENTRY = /^[0-9a-f]{32}\.bin$/;

/** A temp file older than this was left by a kernel killed while it wrote (a write takes milliseconds). */
const ABANDONED_TEMP_MS = 60 * 60 * 1000;

/**
 * Removes the oldest entries of the module `entry` caches beyond ENTRIES_KEPT, entries of the earlier naming and
 * abandoned temp files: each update of the extension, the package or Node writes a new entry (3.4 MB for TypeScript),
 * and nothing else would remove the old.
 */
function removeOldEntries(entry: CacheEntry): void {
  const files = newestFirst(path.dirname(entry.file));
  const entries = files.filter(({ name }) => name.startsWith(entry.modulePrefix) && name.endsWith(".bin"));
  const unnamed = files.filter(({ name }) => UNNAMED_ENTRY.test(name));
  const abandoned = files.filter(({ name, mtimeMs }) => name.endsWith(".tmp") && Date.now() - mtimeMs > ABANDONED_TEMP_MS);
  for (const old of [...entries.slice(ENTRIES_KEPT), ...unnamed, ...abandoned]) if (old.file !== entry.file) fs.rmSync(old.file, { force: true });
}

function hash(text: string): string {
  return createHash("sha256").update(text).digest("hex").slice(0, 16);
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
