// The kernel process's entry point: what host/kernel-client.ts spawns. Everything it runs lives in process/.
// TypeScript is loaded first, through V8's code cache, before any module that imports it.
import { enableNodeCompileCache, requireWithCodeCache } from "./process/code-cache";

const cacheDir = process.env.MLLAB_KERNEL_CACHE_DIR;
const typescript = cacheDir ? (enableNodeCompileCache(cacheDir), requireWithCodeCache("@tslab/typescript-for-tslab", cacheDir)) : undefined;
(require("./process/main") as typeof import("./process/main")).main(typescript, cacheDir || undefined);
