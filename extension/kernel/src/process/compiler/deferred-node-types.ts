/**
 * Node's types for modules few notebooks import, read only once a file of the program imports one. Node's types are
 * four fifths of what a kernel's program parses and binds at start; these files are a fifth of them. Each declares
 * its modules and nothing global, and no other file of Node's types imports them (checked for the @types/node the
 * kernel ships, the only one this applies to: a notebook's own @types/node is read whole).
 */
import * as path from "node:path";
import { importsOf, ts } from "./typescript";

/** Declaration files (by name, without `.d.ts`) and the modules each declares. */
const DEFERRED: Record<string, readonly string[]> = {
  "inspector.generated": ["inspector"],
  http2: ["http2"],
  https: ["https"],
  test: ["node:test", "node:test/reporters"],
  repl: ["repl"],
  v8: ["v8"],
  diagnostics_channel: ["diagnostics_channel"],
  wasi: ["wasi"],
  trace_events: ["trace_events"],
  domain: ["domain"],
  punycode: ["punycode"],
};

/** `/// <reference path="../http2.d.ts" />` in @types/node's index. */
const REFERENCE = /^\/\/\/ <reference path="([^"]+)\.d\.ts" \/>\s*$/gm;

export class DeferredNodeTypes {
  /** Module specifier → the declaration file that declares it, for the deferred files. */
  private readonly files = new Map<string, string>();
  private readonly included = new Set<string>();

  /** `typesDirs`: where the compiler reads the @types/node the deferral applies to. */
  constructor(private readonly typesDirs: readonly string[]) {}

  /** The text the compiler reads for `fileName`: @types/node's index without its references to the deferred files. */
  textForCompiler(fileName: string, text: string): string {
    if (path.basename(fileName) !== "index.d.ts" || !this.typesDirs.some((dir) => fileName.startsWith(dir + "/"))) return text;
    return text.replace(REFERENCE, (line, reference: string) => {
      const modules = DEFERRED[path.basename(reference)];
      if (!modules) return line;
      const file = path.posix.join(path.posix.dirname(fileName), reference + ".d.ts");
      for (const name of modules) {
        this.files.set(name, file);
        if (!name.startsWith("node:")) this.files.set("node:" + name, file);
      }
      return "";
    });
  }

  /** Deferred files that the program's own files (cells, earlier cells' declarations, the notebook's modules) import and it lacks. */
  needed(program: ts.Program): string[] {
    const needed = new Set<string>();
    for (const file of program.getSourceFiles()) {
      if (file.fileName.includes("/node_modules/")) continue;
      for (const literal of importsOf(file)) {
        const declaration = this.files.get(literal.text);
        if (declaration && !this.included.has(declaration)) needed.add(declaration);
      }
    }
    for (const file of needed) this.included.add(file);
    return [...needed];
  }
}
