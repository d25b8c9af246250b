/**
 * Runs cells: compiles each (compiler/), runs its CommonJS in this context with the notebook's `require`, and keeps
 * what later cells see: values on one shared exports object, their declarations as text for the type checker.
 * It takes the place of tslab's executor, whose bookkeeping drops every declaration of a cell that fails or is
 * interrupted although the values its finished statements assigned live on; here a declaration survives when the
 * statement that declared it ran (as a variable assigned before an interrupt does in ipykernel).
 */
import Module from "node:module";
import * as path from "node:path";
import vm from "node:vm";
import { getCodeMetadata } from "tslab/dist/metadata";
import { CellCompiler, CompileDiagnostic, SideOutput } from "./compiler/cell-compiler";
import { declarationsAfterPartialRun } from "./compiler/declarations";

export type Outcome =
  /** The cell did not type-check and did not run. */
  | { kind: "diagnostics"; diagnostics: CompileDiagnostic[] }
  /** It ran to the end; `value` is its last expression's value, unless null or undefined. */
  | { kind: "done"; value?: { value: unknown } }
  /** It threw, or was interrupted (the error says which). */
  | { kind: "thrown"; error: unknown };

export interface RunHooks {
  /** The cell's script is about to run: returns its file name (stack traces name it). May throw to keep it from running. */
  starting(js: string): string;
  /** The script returned or threw (not called when the supervisor terminated it). */
  returned(): void;
}

/** Where each cell's script finds its exports and require (a property no cell declares). */
const SCOPE = "__mllab_cell_scope__";

export class Executor {
  private prevDecl = "";
  /** Values of every cell's top-level declarations, by name. */
  private readonly values: Record<string, unknown> = {};
  /** Names the running cell has assigned on the exports object so far. */
  private assigned = new Set<string>();
  private readonly sideOutputs = new Map<string, string>();
  private readonly sideModules = new Map<string, Module>();
  private rejectInterrupt: (error: Error) => void = () => {};
  private interrupted!: Promise<never>;

  /** `tslab`: what a cell's `require("tslab")` gets (hooks.ts's tslabFor). */
  constructor(private readonly compiler: CellCompiler, cwd: string, private readonly tslab: () => unknown) {
    Object.defineProperty(globalThis, SCOPE, {
      value: { exports: this.exportsObject(), require: this.notebookRequire(Module.createRequire(path.join(cwd, "src.js")), cwd) },
      enumerable: false,
    });
    this.resetInterrupt();
  }

  /** The cell's script no longer holds up its `await`s: tslab's "Interrupted asynchronously". */
  interrupt(): void {
    const error = new Error("Interrupted asynchronously");
    // Where interrupt() was called says nothing about the cell.
    error.stack = `Error: ${error.message}`;
    this.rejectInterrupt(error);
    this.resetInterrupt();
  }

  get declarations(): string {
    return this.prevDecl;
  }

  async execute(src: string, hooks: RunHooks): Promise<Outcome> {
    const meta = getCodeMetadata(src);
    if (meta.module) {
      const diagnostics = this.compiler.addModule(meta.module, src, meta.jsx === true);
      return diagnostics.length > 0 ? { kind: "diagnostics", diagnostics } : { kind: "done" };
    }
    if (meta.mode === "browser") {
      return { kind: "thrown", error: new Error("this kernel runs cells in Node: a //%browser cell cannot run here (remove the //%browser line)") };
    }
    const converted = this.compiler.convert(this.prevDecl, src);
    for (const side of converted.sideOutputs ?? []) this.addSideOutput(side);
    if (converted.diagnostics.length > 0) return { kind: "diagnostics", diagnostics: converted.diagnostics };
    const declarations = converted.declOutput ?? "";
    if (!converted.output) {
      this.prevDecl = declarations;
      return { kind: "done" };
    }
    const prefix = converted.hasTopLevelAwait ? "(async function (exports, require) { " : "(function (exports, require) { ";
    const script = `${prefix}${withoutExportHoisting(converted.output)}\n})(globalThis.${SCOPE}.exports, globalThis.${SCOPE}.require)`;
    let filename: string;
    try {
      filename = hooks.starting(script);
    } catch (error) {
      return { kind: "thrown", error };
    }
    this.assigned = new Set();
    try {
      let result: unknown;
      try {
        result = vm.runInThisContext(script, { filename, breakOnSigint: true });
      } finally {
        hooks.returned();
      }
      if (converted.hasTopLevelAwait) await Promise.race([result, this.interrupted]);
    } catch (error) {
      const notRun = new Set((converted.runtimeNames ?? []).filter((name) => !this.assigned.has(name)));
      this.prevDecl = declarationsAfterPartialRun(this.prevDecl, declarations, notRun);
      return { kind: "thrown", error };
    }
    this.prevDecl = declarations;
    const last = converted.lastExpressionVar;
    if (last === undefined || this.values[last] == null) return { kind: "done" };
    const value = this.values[last];
    delete this.values[last];
    return { kind: "done", value: { value } };
  }

  private resetInterrupt(): void {
    this.interrupted = new Promise<never>((_, reject) => (this.rejectInterrupt = reject));
    // Nobody may be waiting on it: that is not an unhandled rejection.
    this.interrupted.catch(() => {});
  }

  /**
   * The exports object cells share (tslab's). TypeScript defines named imports with accessors; they are stored as
   * plain values so that a later cell can assign them. Every assignment is recorded for the running cell.
   */
  private exportsObject(): Record<string, unknown> {
    return new Proxy(this.values, {
      defineProperty: (target, name, attributes) => {
        if (name === "__esModule") return true;
        target[name as string] = attributes.get ? attributes.get() : attributes.value;
        this.assigned.add(String(name));
        return true;
      },
      set: (target, name, value) => {
        target[name as string] = value;
        this.assigned.add(String(name));
        return true;
      },
    });
  }

  /** `require` from the notebook's folder, where `tslab` is tslab itself and the notebook's own modules come compiled. */
  private notebookRequire(base: NodeRequire, dir: string): NodeRequire {
    return new Proxy(base, {
      apply: (target, thisArg, args: unknown[]) => {
        const [id] = args;
        if (args.length === 1 && typeof id === "string") {
          if (id === "tslab") return this.tslab();
          const side = this.sideModule(id, dir);
          if (side) return side.exports;
        }
        return Reflect.apply(target, thisArg, args);
      },
    });
  }

  private addSideOutput(side: SideOutput): void {
    this.sideModules.delete(side.path);
    this.sideOutputs.set(side.path, side.data);
  }

  /** A module compiled from a .ts file next to the notebook (or a `//%module` cell), loaded once per version. */
  private sideModule(id: string, dir: string): Module | undefined {
    let filename = path.join(dir, id).replace(/\\/g, "/");
    if (path.extname(filename) === "") filename += ".js";
    const cached = this.sideModules.get(filename);
    if (cached) return cached;
    const source = this.sideOutputs.get(filename);
    if (source === undefined) return undefined;
    const mod = new Module(filename, module);
    mod.filename = filename;
    mod.paths = (Module as unknown as { _nodeModulePaths(dir: string): string[] })._nodeModulePaths(path.dirname(filename));
    mod.require = this.notebookRequire(mod.require as NodeRequire, path.dirname(filename)) as typeof mod.require;
    (mod as unknown as { _compile(source: string, filename: string): void })._compile(source, filename);
    this.sideModules.set(filename, mod);
    return mod;
  }
}

/**
 * TypeScript's CommonJS starts with `exports.a = exports.b = void 0;`, which would reset every name the cell
 * declares before any of its statements ran. Without it an export is assigned only when its declaration runs, so
 * a cell stopped half-way leaves the names it did not reach as they were.
 */
function withoutExportHoisting(js: string): string {
  return js.replace(/^exports\.[^\s=]+ = (?:exports\.[^\s=]+ = )*void 0;$/gm, "");
}
