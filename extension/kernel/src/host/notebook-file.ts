import { randomBytes, randomUUID } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { MlLabError } from "ml-lab/dist/errors";

/** The parts of nbformat 4 we read and write. */
export interface NotebookOutput {
  output_type: "stream" | "display_data" | "execute_result" | "error";
  [key: string]: unknown;
}

export interface NotebookCell {
  id?: string;
  cell_type: "code" | "markdown" | "raw";
  source: string | string[];
  metadata: Record<string, unknown>;
  outputs?: NotebookOutput[];
  execution_count?: number | null;
  attachments?: unknown;
}

export interface Notebook {
  nbformat: number;
  nbformat_minor: number;
  metadata: Record<string, unknown>;
  cells: NotebookCell[];
}

export const KERNELSPEC = { name: "mllab-typescript", display_name: "TypeScript (ML Lab)", language: "typescript" };

/** A notebook that cannot be read or run as it is; the message names the problem and the fix. */
export class NotebookError extends MlLabError {}

/** A notebook written for another language; refused (and left untouched) unless the user forces the run. */
export class NotebookLanguageError extends NotebookError {}

/** Where the results should go cannot be written. */
export class NotebookWriteError extends NotebookError {}

export function readNotebook(file: string): Notebook {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new NotebookError(code === "ENOENT" ? `notebook not found: ${file}` : `cannot read ${file}: ${(e as Error).message}`);
  }
  let nb: Notebook;
  try {
    nb = JSON.parse(text);
  } catch (e) {
    throw new NotebookError(`${file} is not a JSON notebook: ${(e as Error).message}`);
  }
  if (nb?.nbformat !== 4 || !Array.isArray(nb.cells)) {
    throw new NotebookError(`${file} is not an nbformat 4 notebook (nbformat=${nb?.nbformat}); upgrade it with \`jupyter nbconvert --to notebook\``);
  }
  return nb;
}

/**
 * Refuses a notebook whose kernelspec or language is not TypeScript (a Python notebook, say): running its cells as
 * TypeScript would fail them all and replace its outputs and kernelspec with ours. A notebook that declares no
 * language is taken as ours.
 */
export function checkLanguage(nb: Notebook, file: string): void {
  const metadata = isObject(nb.metadata) ? nb.metadata : {};
  const kernelspec = isObject(metadata.kernelspec) ? metadata.kernelspec : {};
  const languageInfo = isObject(metadata.language_info) ? metadata.language_info : {};
  const declared = [kernelspec.language, languageInfo.name].filter((l): l is string => typeof l === "string" && l !== "");
  if (declared.length === 0 && typeof kernelspec.name === "string" && /python/i.test(kernelspec.name)) declared.push("python");
  const foreign = declared.find((l) => l.toLowerCase() !== "typescript");
  if (foreign === undefined) return;
  const kernel = typeof kernelspec.name === "string" ? ` (kernel "${kernelspec.name}")` : "";
  throw new NotebookLanguageError(
    `${path.basename(file)} is a ${foreign} notebook${kernel}, and mllab runs TypeScript: it was left unchanged. ` +
      "Run it with its own kernel, or pass --force to run its code cells as TypeScript (its outputs and kernelspec are then replaced).",
  );
}

/** Each code cell's source; a malformed cell (null, no source, source not text) fails the whole notebook up front. */
export function codeCellSources(nb: Notebook, file: string): { cell: NotebookCell; source: string }[] {
  const problems: string[] = [];
  const cells: { cell: NotebookCell; source: string }[] = [];
  nb.cells.forEach((cell: unknown, i) => {
    if (!isObject(cell)) {
      problems.push(`cell ${i + 1} is ${cell === null ? "null" : `a ${typeof cell}`}, not a cell object`);
      return;
    }
    const name = `cell ${i + 1}${typeof cell.id === "string" ? ` (id "${cell.id}")` : ""}`;
    if (cell.cell_type !== "code") return;
    const source = cell.source;
    if (source === undefined) problems.push(`${name} has no "source"`);
    else if (typeof source === "string") cells.push({ cell: cell as unknown as NotebookCell, source });
    else if (Array.isArray(source) && source.every((s) => typeof s === "string")) cells.push({ cell: cell as unknown as NotebookCell, source: source.join("") });
    else problems.push(`${name} has a "source" that is neither text nor a list of lines`);
  });
  if (problems.length > 0) {
    throw new NotebookError(`${path.basename(file)} has malformed cells: ${problems.join("; ")}. Nothing was run and the file was left unchanged; fix those cells (or open and save the notebook in Jupyter or VS Code).`);
  }
  return cells;
}

/** Fills what nbformat 4.5 requires (cell ids, kernelspec) and writes atomically with Jupyter's layout (1-space indent). */
export function writeNotebook(file: string, nb: Notebook): void {
  nb.nbformat_minor = Math.max(nb.nbformat_minor ?? 0, 5);
  for (const cell of nb.cells) cell.id ??= randomUUID().slice(0, 8);
  nb.metadata = {
    ...nb.metadata,
    kernelspec: KERNELSPEC,
    language_info: { name: "typescript", file_extension: ".ts", mimetype: "text/typescript" },
  };
  writeFileAtomic(file, JSON.stringify(nb, null, 1) + "\n");
}

/**
 * Fails now, before any cell runs, if `file` could not be written later: its folder must take a new file (the
 * atomic write's temporary) and an existing file must be writable.
 */
export function checkWritable(file: string): void {
  const target = resolveLink(file);
  try {
    if (fs.existsSync(target)) fs.accessSync(target, fs.constants.W_OK);
    const probe = temporaryName(target);
    fs.closeSync(fs.openSync(probe, "wx"));
    fs.unlinkSync(probe);
  } catch (e) {
    throw new NotebookWriteError(`cannot write ${file}: ${(e as Error).message}. Choose another --out, or fix the folder's permissions; nothing was run.`);
  }
}

/**
 * Writes through a temporary file in the same folder, flushed to disk and then renamed over the target: the target
 * is either the old file or the new one, never a half-written mix, even when the disk fills up. The file's mode is
 * kept; a symbolic link is followed, not replaced.
 */
export function writeFileAtomic(file: string, text: string): void {
  const target = resolveLink(file);
  const temp = temporaryName(target);
  let mode = 0o666;
  try {
    mode = fs.statSync(target).mode & 0o7777;
  } catch {
    // a new file: the default mode (less the umask)
  }
  let fd: number | undefined;
  try {
    fd = fs.openSync(temp, "wx", mode);
    fs.writeFileSync(fd, text);
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = undefined;
    fs.renameSync(temp, target);
  } catch (e) {
    if (fd !== undefined) fs.closeSync(fd);
    fs.rmSync(temp, { force: true });
    throw new NotebookWriteError(`could not write ${file}: ${(e as Error).message}; the file was left as it was.`);
  }
}

function resolveLink(file: string): string {
  try {
    return fs.realpathSync(file);
  } catch {
    return path.resolve(file);
  }
}

function temporaryName(target: string): string {
  return path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}-${randomBytes(4).toString("hex")}.tmp`);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
