import Module from "node:module";
import * as path from "node:path";

/**
 * Makes `import ... from "ml-lab"` work in any notebook folder, for the type checker and at run time, by
 * forwarding `<dir>/node_modules/ml-lab/...` to the library bundled with the kernel (tslab does the same for
 * `tslab` itself). A notebook folder with its own node_modules/ml-lab keeps using that one.
 */
export function forwardMlLab(cwd: string): string {
  const bundled = path.dirname(require.resolve("ml-lab/package.json"));
  const virtualRoot = path.join(cwd, "node_modules", "ml-lab");
  const normal = (p: string) => p.replace(/\\/g, "/");
  const virtual = normal(virtualRoot);
  // tslab's compiler reads files through this TypeScript instance's `sys`; wrap its file-system calls.
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const ts = require("@tslab/typescript-for-tslab");
  const sys = ts.sys;
  const forward = (p: string) => {
    const n = normal(p);
    if (n !== virtual && !n.startsWith(virtual + "/")) return p;
    return path.join(bundled, n.slice(virtual.length));
  };
  const original = { fileExists: sys.fileExists, readFile: sys.readFile, directoryExists: sys.directoryExists, realpath: sys.realpath, getDirectories: sys.getDirectories };
  sys.fileExists = (p: string) => original.fileExists.call(sys, p) || original.fileExists.call(sys, forward(p));
  sys.readFile = (p: string, enc?: string) => (original.fileExists.call(sys, p) ? original.readFile.call(sys, p, enc) : original.readFile.call(sys, forward(p), enc));
  sys.directoryExists = (p: string) => original.directoryExists.call(sys, p) || original.directoryExists.call(sys, forward(p));
  if (original.getDirectories) sys.getDirectories = (p: string) => (original.directoryExists.call(sys, p) ? original.getDirectories.call(sys, p) : original.getDirectories.call(sys, forward(p)));

  // Run time: fall back to the bundled copy when normal resolution cannot find ml-lab.
  const resolver = Module as unknown as { _resolveFilename: (request: string, parent: unknown, ...rest: unknown[]) => string };
  const resolve = resolver._resolveFilename;
  resolver._resolveFilename = function (request: string, parent: unknown, ...rest: unknown[]) {
    try {
      return resolve.call(this, request, parent, ...rest);
    } catch (e) {
      if (request === "ml-lab" || request.startsWith("ml-lab/")) return resolve.call(this, path.join(bundled, request.slice("ml-lab".length)), parent, ...rest);
      throw e;
    }
  };
  return bundled;
}
