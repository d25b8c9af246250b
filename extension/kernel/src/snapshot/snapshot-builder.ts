/**
 * Builds the kernel's startup snapshot (snapshot-entry.ts) for the next kernels, from a kernel that started without
 * one: in a child process at idle priority, after the kernel's first cell, never delaying a cell. The kernel owns the
 * child: it is killed when the kernel exits and when it runs past BUILD_LIMIT_MS, and it is in the kernel's process
 * group, which the host ends with the kernel. The blob is written under a temporary name and renamed when Node has
 * written it whole; its manifest (snapshot-store.ts) is written after it.
 */
import { ChildProcess, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { SnapshotInputs } from "./snapshot-state";
import { snapshotFiles, snapshotKey, usableSnapshot, withoutSnapshotFlag, writeAtomically } from "./snapshot-store";

/** A build takes a few seconds of CPU; one still running after this is stuck, or starved, and is stopped. */
const BUILD_LIMIT_MS = 120_000;

/** Blobs kept in the cache folder (each tens of MB): every kernel update or other Node makes a new one. */
const BLOBS_KEPT = 3;

/** Node versions whose user-land snapshots the kernel uses (`--build-snapshot` came in 18.8; the kernel needs 20). */
const MIN_NODE_MAJOR = 20;

let building: ChildProcess | undefined;

/**
 * Starts building the snapshot for this kernel's Node and flags in `cacheDir`, unless there is one, one failed, or
 * another kernel is building it. Not in Electron: whether its Node accepts `--snapshot-blob` is unknown.
 */
export function buildSnapshotInBackground(cacheDir: string, onEnd?: (outcome: string) => void): void {
  if (building || process.versions.electron || Number(process.versions.node.split(".")[0]) < MIN_NODE_MAJOR) return;
  const key = snapshotKey(process.execPath, process.execArgv);
  if (!key || usableSnapshot(cacheDir, process.execPath, process.execArgv)) return;
  const files = snapshotFiles(cacheDir, key);
  if (fs.existsSync(files.rejected) || !takeLock(files.lock)) return;
  removeTemporaryFiles(files.blob);
  const temp = `${files.blob}.${process.pid}.tmp`;
  // Node 20 applies --no-force-async-hooks-checks again when it starts from a snapshot built with it, which turns the
  // checks back on (and the kernel aborts when its supervisor stops a timer's code): the blob is built without it.
  const flags = withoutSnapshotFlag(process.execArgv).filter((flag) => flag !== "--no-force-async-hooks-checks");
  const child = spawn(process.execPath, [...flags, "--snapshot-blob", temp, "--build-snapshot", path.join(__dirname, "..", "..", "bin", "snapshot-entry.js"), JSON.stringify(inputs())], {
    stdio: "ignore",
    env: { ...process.env, NODE_OPTIONS: "" },
  });
  building = child;
  try {
    if (child.pid !== undefined) os.setPriority(child.pid, os.constants.priority.PRIORITY_LOW);
  } catch {
    // Normal priority, then.
  }
  const cleanUp = () => {
    fs.rmSync(temp, { force: true });
    fs.rmSync(files.lock, { force: true });
  };
  // The kernel is exiting: no build outlives it (nor its half-written blob).
  const abandon = () => {
    child.kill("SIGKILL");
    cleanUp();
  };
  const timer = setTimeout(() => child.kill("SIGKILL"), BUILD_LIMIT_MS);
  process.on("exit", abandon);
  const end = (outcome: string) => {
    clearTimeout(timer);
    process.off("exit", abandon);
    building = undefined;
    cleanUp();
    onEnd?.(outcome);
  };
  child.once("error", (e) => end(`could not start: ${e.message}`));
  child.once("exit", (code, signal) => {
    if (code !== 0) return end(`ended with ${signal ?? `code ${code}`}`);
    try {
      const { size } = fs.statSync(temp);
      fs.renameSync(temp, files.blob);
      writeAtomically(files.manifest, JSON.stringify({ size }));
      pruneSnapshots(path.dirname(files.blob));
      end("built");
    } catch (e) {
      end(`could not be stored: ${e instanceof Error ? e.message : String(e)}`);
    }
  });
}

/** What snapshot-entry.ts cannot resolve itself: TypeScript, Node's types and ml-lab's declarations, as this kernel reads them. */
function inputs(): SnapshotInputs {
  const tslab = path.dirname(require.resolve("tslab/package.json"));
  const mlLab = path.dirname(require.resolve("ml-lab/package.json"));
  const typesFile = (JSON.parse(fs.readFileSync(path.join(mlLab, "package.json"), "utf8")) as { types?: string }).types ?? "index.d.ts";
  const typesDir = path.posix.dirname(typesFile.replace(/^\.\//, ""));
  return {
    typescriptFile: require.resolve("@tslab/typescript-for-tslab"),
    nodeTypesDir: path.dirname(require.resolve("@types/node/package.json", { paths: [tslab] })),
    mlLabTypes: { dir: path.join(mlLab, typesDir), name: path.posix.join("/node_modules/ml-lab", typesDir) },
    warmUpDir: path.join(__dirname, "..", ".."),
  };
}

/** Keeps the BLOBS_KEPT newest blobs (a kernel starting from an older one has read it already), and no dead kernel's lock. */
function pruneSnapshots(dir: string): void {
  try {
    const names = fs.readdirSync(dir);
    const blobs = names.filter((name) => name.endsWith(".blob")).map((name) => ({ name, mtimeMs: fs.statSync(path.join(dir, name)).mtimeMs }));
    blobs.sort((a, b) => b.mtimeMs - a.mtimeMs);
    for (const { name } of blobs.slice(BLOBS_KEPT)) {
      const key = path.join(dir, path.basename(name, ".blob"));
      fs.rmSync(`${key}.json`, { force: true });
      fs.rmSync(`${key}.blob`, { force: true });
    }
    for (const name of names.filter((n) => n.endsWith(".lock"))) {
      const lock = path.join(dir, name);
      if (!isAlive(Number(fs.readFileSync(lock, "utf8")))) fs.rmSync(lock, { force: true });
    }
  } catch {
    // Left for the next build to prune.
  }
}

/** Blobs half-written by builds whose kernel was killed (the lock held now says no other build writes one). */
function removeTemporaryFiles(blob: string): void {
  const prefix = path.basename(blob) + ".";
  for (const name of fs.readdirSync(path.dirname(blob))) {
    if (name.startsWith(prefix) && name.endsWith(".tmp")) fs.rmSync(path.join(path.dirname(blob), name), { force: true });
  }
}

/**
 * Creates `lock` exclusively, with this process's id in it. A lock whose kernel is gone (killed while it built), or
 * older than a build may take, is taken over.
 */
function takeLock(lock: string): boolean {
  fs.mkdirSync(path.dirname(lock), { recursive: true, mode: 0o700 });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(lock, String(process.pid), { flag: "wx", mode: 0o600 });
      return true;
    } catch {
      try {
        const holder = Number(fs.readFileSync(lock, "utf8"));
        if (isAlive(holder) && Date.now() - fs.statSync(lock).mtimeMs < BUILD_LIMIT_MS) return false;
        fs.rmSync(lock, { force: true });
      } catch {
        return false;
      }
    }
  }
  return false;
}

function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}
