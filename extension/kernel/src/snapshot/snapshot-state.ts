/**
 * What a kernel started from its startup snapshot finds in the heap: TypeScript, loaded while the snapshot was built,
 * and the declaration files it parsed then. snapshot-entry.ts publishes it; kernel-main.ts takes it.
 */
import type * as TypeScript from "@tslab/typescript-for-tslab";
import type { DeclarationCache } from "../process/compiler/declaration-cache";

/** What the building kernel resolved for snapshot-entry.ts (which cannot resolve packages). */
export interface SnapshotInputs {
  typescriptFile: string;
  nodeTypesDir: string;
  mlLabTypes: { dir: string; name: string };
  /** A folder whose node_modules has ml-lab: where the warm-up cell is. */
  warmUpDir: string;
}

export interface SnapshotState {
  /** TypeScript's module, and the file it was loaded from (require must give this instance for that file). */
  typescript: typeof TypeScript;
  typescriptFile: string;
  declarations: DeclarationCache;
}

const KEY = Symbol.for("mllab.kernel.startupSnapshot");

export function publishSnapshotState(state: SnapshotState): void {
  (globalThis as Record<symbol, unknown>)[KEY] = state;
}

/** The snapshot's state, once (undefined when the process did not start from a snapshot). */
export function takeSnapshotState(): SnapshotState | undefined {
  const holder = globalThis as Record<symbol, SnapshotState | undefined>;
  const state = holder[KEY];
  delete holder[KEY];
  return state;
}
