/**
 * The TypeScript program cells are checked in: two virtual files in the notebook's folder, `__prev__.d.ts` (what
 * earlier cells declared) and `__tslab__.ts` (the cell), plus the notebook's own modules, its packages, Node's types
 * and the library's. Adapted from tslab 1.0.22's converter (Apache-2.0, © Yu Watanabe), whose closure gives no
 * access to its program; what differs is how each program is built:
 * - a plain `ts.Program` per update instead of TypeScript's watch "builder" program, which recomputes every file's
 *   references (and creates a type checker to do it) on each update: a cell now costs one program and one checker;
 * - the program is reachable, for signature help (language.ts).
 * File watching, module-resolution caching and the virtual files stay TypeScript's watch program's and tslab's.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { DeferredNodeTypes } from "./deferred-node-types";
import { LaterNodeTypes } from "./later-node-types";
import { textForCompiler } from "./lazy-jsdoc";
import { shippedNodeTypesDir, tslabDir } from "./shipped-packages";
import { importsOf, internals, ts } from "./typescript";

/** Makes a cell an external module, so that its declarations are its own (tslab's `srcPrefix`). */
export const SRC_PREFIX = "export {};" + ts.sys.newLine;
const PREFIX_LINES = (SRC_PREFIX.match(/\n/g) ?? []).length;

export interface Position {
  offset: number;
  /** 0-based. */
  line: number;
  character: number;
}

/** What the watch program needs of the objects our program factory returns. */
interface Built {
  getProgram(): ts.Program;
  getProgramOrUndefined(): ts.Program;
}

/** More timers than one update can need: a watch program that keeps setting them is a bug, not a reason to hang. */
const MAX_TIMERS_PER_UPDATE = 100;

interface RebuildTimer {
  callback: () => void;
}

// tslab sets this for the whole process: TypeScript's watchers then match its file names.
ts.sys.useCaseSensitiveFileNames = true;

export class CellProgram {
  readonly cwd: string;
  readonly srcFileName: string;
  readonly declFileName: string;
  /** The notebook's node_modules folder, with a trailing slash. */
  private readonly nodeModulesDir: string;
  readonly options: ts.CompilerOptions;
  private srcContent = "";
  private declContent = "";
  /** In-memory modules (`//%module: name` cells), stored with SRC_PREFIX. */
  private readonly virtualFiles = new Map<string, string>();
  private readonly rootFiles: Set<string>;
  private readonly fileWatchers = new Map<string, ts.FileWatcherCallback>();
  private notifySrc: ts.FileWatcherCallback | undefined;
  private notifyDecl: ts.FileWatcherCallback | undefined;
  /** Timers the watch program set and the next update runs, in the order they were set. */
  private readonly pendingTimers: RebuildTimer[] = [];
  private built: Built | undefined;
  /** Told when a real file the program reads (a module next to the notebook) changes on disk. */
  onFileChanged: ((fileName: string) => void) | undefined;
  private readonly watch: ts.WatchOfFilesAndCompilerOptions<ts.BuilderProgram>;
  private readonly nodeTypes: DeferredNodeTypes;
  /** Node's types read after the start (later-node-types.ts); undefined when the notebook has its own, read at once. */
  private readonly laterNodeTypes: LaterNodeTypes | undefined;
  /** The watch program's compiler host, whose source-file cache later-node-types.ts fills. */
  private compilerHost: ts.CompilerHost | undefined;

  constructor() {
    this.cwd = ts.sys.getCurrentDirectory();
    this.srcFileName = normalizeJoin(this.cwd, "__tslab__.ts");
    this.declFileName = normalizeJoin(this.cwd, "__prev__.d.ts");
    this.nodeModulesDir = normalizeJoin(this.cwd, "node_modules") + "/";
    this.rootFiles = new Set([this.declFileName, this.srcFileName]);
    const shippedDirs = shippedNodeTypesDirs(this.cwd);
    this.nodeTypes = new DeferredNodeTypes(shippedDirs);
    const sys = this.system();
    this.options = {
      // Cells run as CommonJS scripts. (tslab emits ES modules and converts each with ts.transpileModule, a second
      // program and type checker per cell, to the same CommonJS: a dynamic import() becomes require() there too.)
      module: ts.ModuleKind.CommonJS,
      moduleResolution: ts.ModuleResolutionKind.Node10,
      esModuleInterop: true,
      target: ts.ScriptTarget.ES2022,
      lib: ["lib.es2022.d.ts"],
      declaration: true,
      newLine: ts.NewLineKind.LineFeed,
      noImplicitUseStrict: true,
      experimentalDecorators: true,
      resolveJsonModule: true,
      jsx: ts.JsxEmit.React,
      typeRoots: this.typeRoots(sys),
      // allowJs, checkJs and outDir: the notebook's own .js modules are compiled too.
      allowJs: true,
      checkJs: true,
      // tslab's fork reports top-level await as an error that the cell's conversion recognises (convert.ts).
      disableTopLevelAwait: true,
      skipLibCheck: true,
      rootDir: this.cwd,
      outDir: "outDir",
    } as ts.CompilerOptions;
    this.laterNodeTypes = this.nodeTypesLater(sys, shippedDirs);
    const createProgram = (rootNames: readonly string[] | undefined, options: ts.CompilerOptions | undefined, host?: ts.CompilerHost, old?: Built): Built => {
      if (!rootNames || !options || !host) return old!;
      this.compilerHost = host;
      const program = ts.createProgram({ rootNames, options, host, oldProgram: old?.getProgram() });
      return { getProgram: () => program, getProgramOrUndefined: () => program };
    };
    const host = ts.createWatchCompilerHost(
      [...this.rootFiles],
      this.options,
      sys,
      createProgram as unknown as ts.CreateProgram<ts.BuilderProgram>,
      () => {},
      () => {},
    );
    host.afterProgramCreate = (built) => {
      this.built = built as unknown as Built;
    };
    this.watch = ts.createWatchProgram(host);
    if (!this.built) throw new Error("TypeScript created no program");
  }

  get program(): ts.Program {
    return this.built!.getProgram();
  }

  /** Replaces the two virtual files and rebuilds the program (reusing every file that did not change). */
  update(decls: string, src: string): ts.Program {
    this.declContent = decls;
    this.srcContent = src;
    this.notifySrc?.(this.srcFileName, ts.FileWatcherEventKind.Changed);
    this.notifyDecl?.(this.declFileName, ts.FileWatcherEventKind.Changed);
    this.flushRebuild();
    this.includeDeferredNodeTypes();
    const program = this.program;
    // tslab links the cell to the earlier declarations (as its parent) for the checker's lookups.
    (program.getSourceFile(this.srcFileName) as { parent?: ts.Node }).parent = program.getSourceFile(this.declFileName);
    return program;
  }

  /** Adds (or replaces) an in-memory module; returns the program with it. */
  addModule(fileName: string, content: string): ts.Program {
    this.virtualFiles.set(fileName, SRC_PREFIX + content);
    this.fileWatchers.get(fileName)?.(fileName, ts.FileWatcherEventKind.Changed);
    this.rootFiles.add(fileName);
    this.watch.updateRootFileNames([...this.rootFiles]);
    this.flushRebuild();
    this.includeDeferredNodeTypes();
    return this.program;
  }

  /**
   * Reads Node's types for about `budgetMs` (later-node-types.ts), taking them into the program once all are read;
   * returns whether the program has them all.
   */
  readNodeTypes(budgetMs: number): boolean {
    const later = this.laterNodeTypes;
    if (!later || later.complete) return true;
    if (later.step(budgetMs)) this.takeInNodeTypes(later);
    return later.complete;
  }

  /** Gives the program all of Node's types at once, reading those not read yet; returns whether it lacked any. */
  includeAllNodeTypes(): boolean {
    const later = this.laterNodeTypes;
    if (!later || later.complete) return false;
    later.readAll();
    this.takeInNodeTypes(later);
    return true;
  }

  /**
   * Node's types' index replaces console.d.ts (which it references), last among the roots: the program then has its
   * files in the order they have when Node's types are read at the start.
   */
  private takeInNodeTypes(later: LaterNodeTypes): void {
    this.rootFiles.delete(later.console);
    this.rootFiles.add(later.index);
    this.watch.updateRootFileNames([...this.rootFiles]);
    this.flushRebuild();
    later.markIncluded();
    this.includeDeferredNodeTypes();
  }

  /** Node's types for the modules the program's files import, when they were left out (deferred-node-types.ts). */
  private includeDeferredNodeTypes(): void {
    const needed = this.nodeTypes.needed(this.program);
    if (needed.length === 0) return;
    for (const file of needed) this.rootFiles.add(file);
    this.watch.updateRootFileNames([...this.rootFiles]);
    this.flushRebuild();
  }

  /** Whether `fileName` holds text written with SRC_PREFIX (the cell, in-memory modules). */
  isPrefixed(fileName: string): boolean {
    return fileName === this.srcFileName || this.virtualFiles.has(fileName);
  }

  /** A position in a file, in the cell's own coordinates for prefixed files. */
  position(file: ts.SourceFile, offset: number): Position {
    const { line, character } = ts.getLineAndCharacterOfPosition(file, offset);
    if (!this.isPrefixed(file.fileName)) return { offset, line, character };
    return { offset: offset - SRC_PREFIX.length, line: line - PREFIX_LINES, character };
  }

  /**
   * The source files `file` imports, directly or not, that are compiled rather than declared (.ts and .js next to the
   * notebook), `file` first: they are checked and emitted with it.
   */
  dependencies(file: ts.SourceFile): ts.SourceFile[] {
    const program = this.program;
    const seen = new Set([file.fileName]);
    const found = [file];
    for (let i = 0; i < found.length; i++) {
      for (const literal of importsOf(found[i])) {
        const resolved = internals.getResolvedModule(found[i], literal.text, ts.getModeForUsageLocation(found[i], literal));
        const dependency = resolved && program.getSourceFile(resolved.resolvedFileName);
        if (!dependency || seen.has(dependency.fileName) || dependency.isDeclarationFile) continue;
        seen.add(dependency.fileName);
        found.push(dependency);
      }
    }
    return found;
  }

  close(): void {
    this.watch.close();
  }

  /**
   * The watch program asks for a rebuild through a timer; tslab runs it at once instead. Files and folders it watches
   * on disk (a module next to the notebook, a folder where an import was not found) set timers of their own between
   * cells, when a cell writes a file: those run first, as they were set, and a timer one of them sets runs too.
   */
  private flushRebuild(): void {
    if (this.pendingTimers.length === 0) throw new Error("TypeScript scheduled no rebuild");
    for (let ran = 0; this.pendingTimers.length > 0; ran++) {
      if (ran === MAX_TIMERS_PER_UPDATE) throw new Error(`TypeScript kept scheduling rebuilds (${ran} in one update)`);
      this.pendingTimers[0].callback();
    }
  }

  /**
   * The file system as the compiler sees it: the virtual files over `ts.sys`, which shows the kernel's own packages
   * (ml-lab, tslab, Node's types) in the notebook's node_modules (forward-modules.ts).
   */
  private system(): ts.System {
    const sys: ts.System = Object.create(ts.sys);
    sys.getCurrentDirectory = () => this.cwd;
    // TypeScript debounces its work with timers (a rebuild; re-resolving imports after a watched folder changed).
    const remove = (timer: unknown) => {
      const at = this.pendingTimers.indexOf(timer as RebuildTimer);
      if (at >= 0) this.pendingTimers.splice(at, 1);
    };
    sys.setTimeout = (callback: (...args: unknown[]) => void, _ms?: number, ...args: unknown[]) => {
      const timer: RebuildTimer = {
        callback: () => {
          remove(timer);
          callback(...args);
        },
      };
      this.pendingTimers.push(timer);
      return timer;
    };
    sys.clearTimeout = remove;
    sys.readFile = (p: string, encoding?: string) => {
      if (p === this.srcFileName) return SRC_PREFIX + this.srcContent;
      if (p === this.declFileName) return SRC_PREFIX + this.declContent;
      const virtual = this.virtualFiles.get(p);
      if (virtual !== undefined) return virtual;
      const text = ts.sys.readFile(p, encoding);
      return text === undefined ? undefined : textForCompiler(p, this.nodeTypes.textForCompiler(p, text));
    };
    // A node_modules folder that does not exist must still seem to, for `import "tslab"`.
    const nodeModules = normalizeJoin(this.cwd, "node_modules");
    sys.directoryExists = (p: string) => !isLibPackage(p) && (ts.sys.directoryExists(p) || p === nodeModules);
    sys.fileExists = (p: string) => !isLibPackage(p) && (ts.sys.fileExists(p) || this.virtualFiles.has(p));
    sys.writeFile = () => {
      throw new Error("the cell compiler writes no files");
    };
    sys.watchFile = (p: string, callback: ts.FileWatcherCallback, pollingInterval?: number) => {
      if (p === this.srcFileName) {
        this.notifySrc = callback;
        return { close: () => {} };
      }
      if (p === this.declFileName) {
        this.notifyDecl = callback;
        return { close: () => {} };
      }
      // The kernel's own declarations (ml-lab's, Node's), shown in the notebook's node_modules (forward-modules.ts),
      // cannot change while it runs, and do not exist at that path: TypeScript would poll each (~200 files) for its
      // creation, a third of a second of every start and a stat of each every few seconds after.
      if (p.startsWith(this.nodeModulesDir) && !fs.existsSync(p)) return { close: () => {} };
      const changed: ts.FileWatcherCallback = (fileName, kind, modified) => {
        this.onFileChanged?.(fileName);
        callback(fileName, kind, modified);
      };
      this.fileWatchers.set(p, changed);
      const watcher = ts.sys.watchFile!(p, changed, pollingInterval);
      return {
        close: () => {
          this.fileWatchers.delete(p);
          watcher.close();
        },
      };
    };
    return sys;
  }

  /**
   * When the program would read the Node types the kernel ships (the notebook has none of its own: they are shown in
   * its node_modules, forward-modules.ts), it starts with console.d.ts of them and the rest are read later
   * (later-node-types.ts); the other type packages, if any, are then named in `types`.
   */
  private nodeTypesLater(sys: ts.System, shippedDirs: readonly string[]): LaterNodeTypes | undefined {
    const names = ts.getAutomaticTypeDirectiveNames(this.options, sys);
    const index = ts.resolveTypeReferenceDirective("node", normalizeJoin(this.cwd, "__inferred type names__.ts"), this.options, sys).resolvedTypeReferenceDirective?.resolvedFileName;
    if (!names.includes("node") || !index || !shippedDirs.some((dir) => index.startsWith(dir + "/"))) return undefined;
    const later = new LaterNodeTypes(index, this.options, sys, () => this.compilerHost);
    this.options.types = names.filter((name) => name !== "node");
    this.rootFiles.add(later.console);
    return later;
  }

  /** Node's types from the notebook's folder when it has them, else tslab's own @types (as tslab does). */
  private typeRoots(sys: ts.System): string[] {
    const roots = ts.getDefaultTypeRoots(this.cwd, { directoryExists: (p) => sys.directoryExists(p) }) ?? [];
    if (roots.some((root) => ts.sys.fileExists(normalizeJoin(root, "node", "package.json")))) return roots;
    return [...roots, tslabTypesDir()];
  }
}

/**
 * Where the compiler reads the Node types the kernel ships: their own folder, and the notebook's
 * node_modules/@types/node when that does not exist (forward-modules.ts shows them there).
 */
function shippedNodeTypesDirs(cwd: string): string[] {
  const shipped = shippedNodeTypesDir();
  const notebooks = normalizeJoin(cwd, "node_modules", "@types", "node");
  return fs.existsSync(notebooks) ? [normalizeJoin(shipped)] : [normalizeJoin(shipped), notebooks];
}

function tslabTypesDir(): string {
  return normalizeJoin(tslabDir(), "node_modules", "@types");
}

/**
 * TypeScript 5.0 looks for each lib file (~55 of them) as a package, `@typescript/lib-es2015` and the like, in every
 * node_modules folder from the notebook's up, whenever a program is not wholly reused (the first cell, a cell that
 * imports): tens of milliseconds of failed lookups. The kernel checks cells with TypeScript's own lib files.
 */
function isLibPackage(p: string): boolean {
  return p.includes("/node_modules/@typescript/lib-") || p.includes("/node_modules/@types/typescript__lib-");
}

/** TypeScript's path form: forward slashes on every platform. */
export function normalizeJoin(...parts: string[]): string {
  return path.join(...parts).replace(/\\/g, "/");
}
