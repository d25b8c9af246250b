/**
 * Declaration files parsed and bound ahead of time: the lib files, the Node types and ml-lab's declarations every
 * kernel's program reads, made once while the kernel's startup snapshot is built (snapshot/) and found in the
 * snapshot's heap by later kernels instead of being parsed and bound again (most of a start without a snapshot).
 *
 * An entry is found by the exact text the compiler reads (after lazy-jsdoc.ts and deferred-node-types.ts have made
 * it), so a file that changed since the snapshot, or that the compiler reads differently, is simply parsed as usual.
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
  private readonly byText = new Map<string, ts.SourceFile>();

  /** Parses and binds `files` as the kernel's compiler would read them. */
  static build(files: readonly DeclarationFile[], nodeTypesDir: string): DeclarationCache {
    const cache = new DeclarationCache();
    const nodeTypes = new DeferredNodeTypes([nodeTypesDir]);
    for (const { file, name } of files) {
      const text = textForCompiler(name, nodeTypes.textForCompiler(name, fs.readFileSync(file, "utf8")));
      const parsed = ts.createSourceFile(name, text, TARGET, false, ts.ScriptKind.TS);
      internals.bindSourceFile(parsed, { target: TARGET });
      cache.byText.set(text, parsed);
    }
    return cache;
  }

  get size(): number {
    return this.byText.size;
  }

  /** The parsed file for `text`, once: later calls with the same text get undefined. */
  take(text: string): ts.SourceFile | undefined {
    const file = this.byText.get(text);
    if (file) this.byText.delete(text);
    return file;
  }

  /**
   * `host` with its declaration files taken from this cache where it has them. A file found once is given again by
   * name: the next program (built with the last as its `oldProgram`) then sees it unchanged and keeps it.
   */
  compilerHost(host: ts.CompilerHost): ts.CompilerHost {
    const given = new Map<string, ts.SourceFile>();
    const find = (fileName: string): ts.SourceFile | undefined => {
      if (!fileName.endsWith(".d.ts")) return undefined;
      const known = given.get(fileName);
      if (known) return known;
      const text = host.readFile(fileName);
      const file = text === undefined ? undefined : this.take(text);
      if (file) given.set(fileName, file);
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

let shared: DeclarationCache | undefined;

/** Makes `cache` (the startup snapshot's) the one the kernel's programs read from; set before the first program. */
export function shareDeclarations(cache: DeclarationCache | undefined): void {
  shared = cache;
}

export function sharedDeclarations(): DeclarationCache | undefined {
  return shared;
}
