import Module from "node:module";
import * as path from "node:path";

/**
 * Makes modules the kernel ships look as if they were installed next to the notebook, for tslab's type checker
 * (through its TypeScript `sys`) and, for ml-lab, at run time too. tslab does the same for `tslab` itself.
 *
 * - `ml-lab`: `import * as ml from "ml-lab"` works in any folder.
 * - `@types`: Node's own typings. tslab falls back to `tslab/node_modules/@types`, which is empty once npm hoists
 *   `@types/node` (as it does in the VSIX), and then `console` is unknown to the type checker.
 *
 * A notebook folder with its own node_modules/ml-lab or node_modules/@types keeps using those.
 */
export function forwardBundledModules(cwd: string): void {
  const tslabDir = path.dirname(require.resolve("tslab/package.json"));
  const forwards = [
    { virtual: path.join(cwd, "node_modules", "ml-lab"), real: path.dirname(require.resolve("ml-lab/package.json")) },
    { virtual: path.join(cwd, "node_modules", "@types"), real: path.dirname(path.dirname(require.resolve("@types/node/package.json", { paths: [tslabDir] }))) },
  ].map((f) => ({ virtual: normal(f.virtual), real: f.real }));
  forwardTypeScriptFiles(forwards);
  forwardRuntimeRequire(forwards[0].real);
}

function normal(p: string): string {
  return p.replace(/\\/g, "/");
}

function forwardTypeScriptFiles(forwards: { virtual: string; real: string }[]): void {
  // tslab's compiler reads files through this TypeScript instance's `sys`; wrap its file-system calls.
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const sys = require("@tslab/typescript-for-tslab").sys;
  const forward = (p: string): string => {
    const n = normal(p);
    for (const { virtual, real } of forwards) {
      if (n === virtual || n.startsWith(virtual + "/")) return path.join(real, n.slice(virtual.length));
    }
    return p;
  };
  const original = { fileExists: sys.fileExists, readFile: sys.readFile, directoryExists: sys.directoryExists, getDirectories: sys.getDirectories };
  sys.fileExists = (p: string) => original.fileExists.call(sys, p) || original.fileExists.call(sys, forward(p));
  sys.readFile = (p: string, encoding?: string) => original.readFile.call(sys, original.fileExists.call(sys, p) ? p : forward(p), encoding);
  sys.directoryExists = (p: string) => original.directoryExists.call(sys, p) || original.directoryExists.call(sys, forward(p));
  sys.getDirectories = (p: string) => original.getDirectories.call(sys, original.directoryExists.call(sys, p) ? p : forward(p));
}

/** Run time: fall back to the bundled ml-lab when normal resolution cannot find it. */
function forwardRuntimeRequire(mlLab: string): void {
  const resolver = Module as unknown as { _resolveFilename: (request: string, parent: unknown, ...rest: unknown[]) => string };
  const resolve = resolver._resolveFilename;
  resolver._resolveFilename = function (request: string, parent: unknown, ...rest: unknown[]) {
    try {
      return resolve.call(this, request, parent, ...rest);
    } catch (e) {
      if (request === "ml-lab" || request.startsWith("ml-lab/")) return resolve.call(this, path.join(mlLab, request.slice("ml-lab".length)), parent, ...rest);
      throw e;
    }
  };
}
