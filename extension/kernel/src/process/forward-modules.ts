import Module from "node:module";
import * as path from "node:path";
import { shippedNodeTypesDir, tslabDir } from "./compiler/shipped-packages";

/**
 * Makes modules the kernel ships look as if they were installed next to the notebook, for the cell compiler's type
 * checker (through TypeScript's `sys`, which compiler/cell-program.ts builds on) and, for ml-lab, at run time too.
 * The one place that decides which of the kernel's own packages a notebook sees:
 *
 * - `ml-lab` is always the library that ships with the kernel, whatever lies in the notebook's folder: starting a
 *   kernel (which pre-loads it) runs no code from the workspace, and `ml` and `import … from "ml-lab"` are one library.
 * - `tslab` is always tslab itself (`import * as tslab from "tslab"`; at run time the executor hands out the kernel's).
 * - `@types`: Node's own typings. tslab falls back to `tslab/node_modules/@types`, which is empty once npm hoists
 *   `@types/node` (as it does in the VSIX), and then `console` is unknown to the type checker. A notebook folder with
 *   its own node_modules/@types keeps using those.
 *
 * Other packages resolve from the notebook's folder as usual.
 */
export function forwardBundledModules(cwd: string): void {
  const mlLab = path.dirname(require.resolve("ml-lab/package.json"));
  const forwards: Forward[] = [
    { virtual: normal(path.join(cwd, "node_modules", "ml-lab")), real: mlLab, always: true },
    { virtual: normal(path.join(cwd, "node_modules", "tslab")), real: tslabDir(), always: true },
    { virtual: normal(path.join(cwd, "node_modules", "@types")), real: path.dirname(shippedNodeTypesDir()), always: false },
  ];
  forwardTypeScriptFiles(forwards);
  forwardRuntimeRequire(mlLab);
}

interface Forward {
  virtual: string;
  real: string;
  /** Forwarded even when the notebook's folder has its own copy. */
  always: boolean;
}

function normal(p: string): string {
  return p.replace(/\\/g, "/");
}

function forwardTypeScriptFiles(forwards: Forward[]): void {
  // The cell compiler reads files through this TypeScript instance's `sys`; wrap its file-system calls. Each is
  // called for every path the compiler looks up: a prefix test first, the join only for forwarded paths.
  const sys = require("@tslab/typescript-for-tslab").sys;
  const find = (p: string): { to: string; always: boolean } | undefined => {
    const n = normal(p);
    for (const { virtual, real, always } of forwards) {
      if (n.startsWith(virtual) && (n.length === virtual.length || n[virtual.length] === "/")) return { to: path.join(real, n.slice(virtual.length)), always };
    }
    return undefined;
  };
  const original = {
    fileExists: sys.fileExists, readFile: sys.readFile, directoryExists: sys.directoryExists, getDirectories: sys.getDirectories, readDirectory: sys.readDirectory,
  };
  /** The path to read: the forward target when forced, else the notebook's own file when it exists. */
  const target = (p: string, exists: (p: string) => boolean): string => {
    const f = find(p);
    if (!f) return p;
    return f.always || !exists.call(sys, p) ? f.to : p;
  };
  sys.fileExists = (p: string) => original.fileExists.call(sys, target(p, original.fileExists));
  sys.readFile = (p: string, encoding?: string) => original.readFile.call(sys, target(p, original.fileExists), encoding);
  sys.directoryExists = (p: string) => original.directoryExists.call(sys, target(p, original.directoryExists));
  sys.getDirectories = (p: string) => original.getDirectories.call(sys, target(p, original.directoryExists));
  sys.readDirectory = (p: string, ...rest: unknown[]) => original.readDirectory.call(sys, target(p, original.directoryExists), ...rest);
}

/** Run time: `ml-lab` (and its subpaths) resolve to the bundled library, from any folder. */
function forwardRuntimeRequire(mlLab: string): void {
  const resolver = Module as unknown as { _resolveFilename: (request: string, parent: unknown, ...rest: unknown[]) => string };
  const resolve = resolver._resolveFilename;
  resolver._resolveFilename = function (request: string, parent: unknown, ...rest: unknown[]) {
    if (request === "ml-lab" || request.startsWith("ml-lab/")) return resolve.call(this, path.join(mlLab, request.slice("ml-lab".length)), parent, ...rest);
    return resolve.call(this, request, parent, ...rest);
  };
}
