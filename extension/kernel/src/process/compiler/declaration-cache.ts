/**
 * Declaration files parsed and bound ahead of time: the lib files, the Node types and ml-lab's declarations every
 * kernel's program reads, made once while the kernel's startup snapshot is built (snapshot/) and found in the
 * snapshot's heap by later kernels instead of being parsed and bound again (most of a start without a snapshot).
 *
 * An entry is found by its file's base name and the exact text the compiler reads (after lazy-jsdoc.ts and
 * deferred-node-types.ts have made it), so a file that changed since the snapshot, or that the compiler reads
 * differently, is simply parsed as usual, and a file of the notebook's never stands for a shipped one.
 * A parsed file belongs to the one program family that takes it (the program sets its name): each is given once.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { DeferredNodeTypes } from "./deferred-node-types";
import { textForCompiler } from "./lazy-jsdoc";
import { internals, ts } from "./typescript";

/** How the kernel's program parses declaration files (cell-program.ts's target, no JSDoc parent pointers). */
const TARGET = ts.ScriptTarget.ES2022;

export interface DeclarationFile {
  /** Where it is read from. */
  file: string;
  /** The name the kernel's compiler knows it by, where that decides how it is read (a package's file: without JSDoc). */
  name: string;
}

export class DeclarationCache {
  private readonly entries = new Map<string, ts.SourceFile>();

  /**
   * Parses and binds `files` as the kernel's compiler would read them, less the Node types it reads only when a cell
   * imports their module (deferred-node-types.ts): most kernels never do, and each file in the blob costs every start.
   */
  static build(files: readonly DeclarationFile[], nodeTypesDir: string): DeclarationCache {
    const cache = new DeclarationCache();
    const nodeTypes = new DeferredNodeTypes([nodeTypesDir]);
    const texts = files.map(({ file, name }) => ({ name, text: textForCompiler(name, nodeTypes.textForCompiler(name, fs.readFileSync(file, "utf8"))) }));
    const deferred = nodeTypes.deferredFiles();
    for (const { name, text } of texts) {
      if (deferred.has(name)) continue;
      const parsed = ts.createSourceFile(name, text, TARGET, false, ts.ScriptKind.TS);
      internals.bindSourceFile(parsed, { target: TARGET });
      cache.entries.set(entryKey(name, text), parsed);
    }
    return cache;
  }

  get size(): number {
    return this.entries.size;
  }

  /** The parsed file for a file called `fileName` (any folder) that reads `text`, once: later calls get undefined. */
  take(fileName: string, text: string): ts.SourceFile | undefined {
    const key = entryKey(fileName, text);
    const file = this.entries.get(key);
    if (file) this.entries.delete(key);
    return file;
  }

  /**
   * `host` with its declaration files taken from this cache where it has them, looked up once per name: a file found
   * is given again by name, so the next program (built with the last as its `oldProgram`) sees it unchanged and keeps
   * it; a file not found (the earlier cells' `__prev__.d.ts`, a notebook's own declarations) is always `host`'s.
   */
  compilerHost(host: ts.CompilerHost): ts.CompilerHost {
    // By name: the file this cache gave, or undefined when it had none (that file is read by `host` from then on).
    const given = new Map<string, ts.SourceFile | undefined>();
    const find = (fileName: string): ts.SourceFile | undefined => {
      if (!fileName.endsWith(".d.ts")) return undefined;
      if (given.has(fileName)) return given.get(fileName);
      const text = host.readFile(fileName);
      const file = text === undefined ? undefined : this.take(fileName, text);
      given.set(fileName, file);
      return file;
    };
    const wrapped: ts.CompilerHost = Object.create(host);
    wrapped.getSourceFile = (fileName, ...rest) => find(fileName) ?? host.getSourceFile(fileName, ...rest);
    if (host.getSourceFileByPath) {
      const byPath = host.getSourceFileByPath.bind(host);
      wrapped.getSourceFileByPath = (fileName, filePath, ...rest) => find(fileName) ?? byPath(fileName, filePath, ...rest);
    }
    return wrapped;
  }
}

/**
 * The declaration files a kernel's program reads from what the kernel ships: TypeScript's libs, Node's types, and
 * ml-lab's (which the compiler sees in the notebook's node_modules, wherever the package really is).
 */
export function shippedDeclarationFiles(libFile: string, nodeTypesDir: string, mlLabTypes: { dir: string; name: string }): DeclarationFile[] {
  const files: DeclarationFile[] = [];
  const seen = new Set<string>();
  const addLib = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const match of fs.readFileSync(file, "utf8").matchAll(/^\/\/\/ <reference lib="([^"]+)" \/>/gm)) {
      addLib(path.join(path.dirname(file), `lib.${match[1].toLowerCase()}.d.ts`));
    }
    files.push({ file, name: file });
  };
  addLib(libFile);
  const walk = (dir: string, name: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory() && entry.name !== "node_modules") walk(file, path.posix.join(name, entry.name));
      else if (entry.isFile() && entry.name.endsWith(".d.ts")) files.push({ file, name: path.posix.join(name, entry.name) });
    }
  };
  walk(nodeTypesDir, nodeTypesDir.replace(/\\/g, "/"));
  walk(mlLabTypes.dir, mlLabTypes.name);
  return files;
}

function entryKey(fileName: string, text: string): string {
  return `${path.posix.basename(fileName)}\n${text}`;
}

let shared: DeclarationCache | undefined;

/** Makes `cache` (the startup snapshot's) the one the kernel's programs read from; set before the first program. */
export function shareDeclarations(cache: DeclarationCache | undefined): void {
  shared = cache;
}

export function sharedDeclarations(): DeclarationCache | undefined {
  return shared;
}
