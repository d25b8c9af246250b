import * as path from "node:path";

/** The folder of the tslab package the kernel ships. */
export function tslabDir(): string {
  return path.dirname(require.resolve("tslab/package.json"));
}

/**
 * The folder of the Node typings the kernel ships: @types/node as Node finds it from tslab's folder (tslab's own
 * copy, or the one npm hoisted, as in the VSIX). The one place that says where they lie, for the cell program and
 * for forward-modules.ts, which shows them in a notebook's node_modules.
 */
export function shippedNodeTypesDir(): string {
  return path.dirname(require.resolve("@types/node/package.json", { paths: [tslabDir()] }));
}
