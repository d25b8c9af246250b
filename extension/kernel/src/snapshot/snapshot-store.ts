/**
 * The kernel's startup snapshots on disk, in the kernel's cache folder (host/kernel-process.ts passes it): one V8
 * heap blob per Node binary, Node flags and kernel build. Node rejects a blob made by another binary or with other V8
 * flags by ending the process (or crashing, for a damaged blob), so a blob is only used when its key matches, its
 * manifest says it was written whole, and no start from it has failed. Used by the host (which passes the blob) and by
 * the kernel (which builds it, snapshot-builder.ts); only Node's built-in modules here.
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";

/** Node's flag that starts a process from a blob. */
export const SNAPSHOT_FLAG = "--snapshot-blob";

/** The files whose code the snapshot holds: a change to any makes a new key. */
function snapshotInputs(): string[] {
  const dist = path.join(__dirname, "..");
  return [
    path.join(__dirname, "..", "..", "bin", "snapshot-entry.js"),
    path.join(__dirname, "snapshot-entry.js"),
    path.join(__dirname, "snapshot-state.js"),
    ...["declaration-cache", "lazy-jsdoc", "deferred-node-types", "typescript"].map((name) => path.join(dist, "process", "compiler", `${name}.js`)),
    require.resolve("@tslab/typescript-for-tslab"),
  ];
}

/** The key of the blob for this Node binary and these Node flags (the flags before the script); undefined if unknowable. */
export function snapshotKey(execPath: string, nodeFlags: readonly string[]): string | undefined {
  try {
    const stamp = (file: string) => {
      const { size, mtimeMs } = fs.statSync(file);
      return [file, size, mtimeMs];
    };
    const inputs = [stamp(execPath), process.platform, process.arch, withoutSnapshotFlag(nodeFlags), ...snapshotInputs().map(stamp)];
    return createHash("sha256").update(JSON.stringify(inputs)).digest("hex").slice(0, 32);
  } catch {
    return undefined;
  }
}

/** Node flags without `--snapshot-blob <blob>`: a blob is built, and keyed, with the flags of the kernels it serves. */
export function withoutSnapshotFlag(nodeFlags: readonly string[]): string[] {
  return nodeFlags.filter((flag, i) => flag !== SNAPSHOT_FLAG && nodeFlags[i - 1] !== SNAPSHOT_FLAG);
}

export interface SnapshotFiles {
  blob: string;
  /** Written after the blob, atomically: the blob's size, so that a half-written or cut blob is never passed to Node. */
  manifest: string;
  /** A start from this key's blob failed: it is not used, nor built again. */
  rejected: string;
  /** Held (created exclusively) by the kernel building this key's blob. */
  lock: string;
}

export function snapshotFiles(cacheDir: string, key: string): SnapshotFiles {
  const base = path.join(cacheDir, "snapshot", key);
  return { blob: `${base}.blob`, manifest: `${base}.json`, rejected: `${base}.rejected`, lock: `${base}.lock` };
}

/** The blob to start a kernel from, when there is a whole one for this binary and these flags that has not failed. */
export function usableSnapshot(cacheDir: string, execPath: string, nodeFlags: readonly string[]): string | undefined {
  const key = snapshotKey(execPath, nodeFlags);
  if (!key) return undefined;
  const files = snapshotFiles(cacheDir, key);
  try {
    if (fs.existsSync(files.rejected)) return undefined;
    const { size } = JSON.parse(fs.readFileSync(files.manifest, "utf8")) as { size?: unknown };
    return typeof size === "number" && fs.statSync(files.blob).size === size ? files.blob : undefined;
  } catch {
    return undefined;
  }
}

/** A start from `blob` failed: remove it and keep its key from being built or used again. */
export function rejectSnapshot(blob: string): void {
  const files = snapshotFiles(path.dirname(path.dirname(blob)), path.basename(blob, ".blob"));
  try {
    writeAtomically(files.rejected, "a kernel could not start from this key's snapshot\n");
  } catch {
    // Cannot record it: the blob is removed below, and the next build may try again.
  }
  fs.rmSync(files.manifest, { force: true });
  fs.rmSync(files.blob, { force: true });
}

/** Writes `data` to `file` through a temporary file and a rename: readers see the old file or the whole new one. */
export function writeAtomically(file: string, data: string | Buffer): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const temp = `${file}.${process.pid}.tmp`;
  try {
    fs.writeFileSync(temp, data, { mode: 0o600 });
    fs.renameSync(temp, file);
  } finally {
    fs.rmSync(temp, { force: true });
  }
}
