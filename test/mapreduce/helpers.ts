import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as ml from "../../kernel-lib/src";

export const mr = ml.mapreduce;
const JOB_MODULE = path.resolve(__dirname, "../../kernel-lib/src/mapreduce/job.ts");

export type Runner = (job: string, options: ml.mapreduce.LocalOptions) => Promise<ml.mapreduce.RunResult>;
export const runners: [string, Runner][] = [
  ["inline", (job, o) => mr.runInline(job, o)],
  ["local", (job, o) => mr.runLocal(job, { workers: 2, ...o })],
];

/** A scratch folder for one test file, removed by `cleanup`. */
export function scratch(prefix: string) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  let n = 0;
  return {
    dir,
    write(name: string, text: string): string {
      const file = path.join(dir, name);
      fs.writeFileSync(file, text);
      return file;
    },
    /** A job module whose `steps` is the given JavaScript expression (defineJob is in scope). */
    job(steps: string, name = `job-${n++}`): string {
      return this.write(`${name}.js`, `const { defineJob } = require(${JSON.stringify(JOB_MODULE)});\nmodule.exports = defineJob({ name: ${JSON.stringify(name)}, steps: ${steps} });\n`);
    },
    cleanup(): void {
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The runners' work folders now in a temp folder (checked by scanning it, not by asking the runner). */
export function workFolders(dir = os.tmpdir()): string[] {
  return fs.readdirSync(dir).filter((f) => /^mllab-(inline|local|hadoop)-/.test(f)).sort();
}
