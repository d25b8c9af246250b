import * as fs from "node:fs";
import * as zlib from "node:zlib";
import { DataFileError } from "../errors";

/** The file's bytes, gunzipped when it starts with the gzip magic number; a clear error when missing. */
export function readMaybeGzip(path: string, what: string): Buffer {
  let raw: Buffer;
  try {
    raw = fs.readFileSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw new DataFileError(`${what} not found: ${path} (relative paths resolve from ${process.cwd()})`);
    throw new DataFileError(`cannot read ${what} ${path}: ${(e as Error).message}`);
  }
  if (raw.length >= 2 && raw[0] === 0x1f && raw[1] === 0x8b) {
    try {
      return zlib.gunzipSync(raw);
    } catch (e) {
      throw new DataFileError(`${what} ${path} looks gzipped but does not decompress: ${(e as Error).message}`);
    }
  }
  return raw;
}
