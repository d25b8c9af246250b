// The kernel process's entry point: what host/kernel-client.ts spawns. Everything it runs lives in process/.
// TypeScript comes first, before any module that imports it: from the startup snapshot when the process started from
// one (snapshot/), else through V8's code cache.
import Module from "node:module";
import { enableNodeCompileCache, requireWithCodeCache } from "./process/code-cache";
import { takeSnapshotState } from "./snapshot/snapshot-state";

const cacheDir = process.env.MLLAB_KERNEL_CACHE_DIR;
const snapshot = takeSnapshotState();
if (snapshot) {
  // Every require of TypeScript gets the snapshot's instance, whose parsed declaration files the compiler reuses.
  const mod = new Module(snapshot.typescriptFile, module);
  mod.filename = snapshot.typescriptFile;
  mod.exports = snapshot.typescript;
  mod.loaded = true;
  require.cache[snapshot.typescriptFile] = mod;
}
if (cacheDir) enableNodeCompileCache(cacheDir);
const typescript = cacheDir && !snapshot ? requireWithCodeCache("@tslab/typescript-for-tslab", cacheDir) : undefined;
(require("./process/main") as typeof import("./process/main")).main({ typescript, declarations: snapshot?.declarations, cacheDir: cacheDir || undefined });
