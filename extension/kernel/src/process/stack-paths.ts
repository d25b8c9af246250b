import * as path from "node:path";
import { fileURLToPath } from "node:url";

/**
 * Stack frames name files the way the user knows them: `ml-lab/cluster/kmeans.js:120` for the library the kernel
 * ships (wherever the extension is installed), a path relative to the notebook's folder for its own modules and
 * packages (`helper.js:3`, `node_modules/greeter/index.js:1`), `package/file.js:12` for other packages.
 */
export class StackPaths {
  private readonly mlLab = path.dirname(require.resolve("ml-lab/package.json"));

  constructor(private readonly notebookDir: string) {}

  /** A stack frame line ("    at f (/abs/file.js:12:5)") with its file shortened; other lines as they are. */
  frame(line: string): string {
    return line.replace(LOCATION, (_, file: string, row: string) => `${this.file(file)}:${row}`);
  }

  file(file: string): string {
    const absolute = file.startsWith("file://") ? fileURLToPath(file) : file;
    if (!path.isAbsolute(absolute)) return file;
    const inLibrary = relativeInside(this.mlLab, absolute);
    if (inLibrary !== undefined) return `ml-lab/${inLibrary.replace(/^dist\//, "")}`;
    const inNotebook = relativeInside(this.notebookDir, absolute);
    if (inNotebook !== undefined) return inNotebook;
    const packaged = /[\\/]node_modules[\\/](.*)$/.exec(absolute);
    return packaged ? packaged[1].replace(/\\/g, "/") : absolute;
  }
}

/** A file location in a frame: an absolute path or file URL, then line and column. */
const LOCATION = /((?:file:\/\/)?(?:\/|[A-Za-z]:\\)[^()]*?):(\d+):\d+/g;

function relativeInside(dir: string, file: string): string | undefined {
  const rel = path.relative(dir, file);
  return rel.startsWith("..") || path.isAbsolute(rel) ? undefined : rel.replace(/\\/g, "/");
}
