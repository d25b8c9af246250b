/**
 * The command Hadoop Streaming runs for each task:
 *   node streaming.js <job module> --step-num=N (--mapper | --combiner | --reducer) [--params=<json file>]
 * Reads the task's input lines on stdin, writes JSON-protocol lines to stdout, reports counters on stderr in
 * Streaming's `reporter:counter:` format, and on failure prints `mllab: <what failed, where>` and exits 1.
 */
import * as fs from "node:fs";
import { runCombineTask, runMapTask, runReduceTask, TaskOutput } from "./engine";
import { splitLines } from "./input";
import { loadJob } from "./load-job";

export const ERROR_PREFIX = "mllab: ";

function main(argv: string[]): void {
  const [jobPath, ...flags] = argv;
  const option = (name: string) => flags.find((f) => f.startsWith(`--${name}=`))?.slice(name.length + 3);
  const stepNum = Number(option("step-num") ?? 0);
  const paramsFile = option("params");
  const params = paramsFile ? JSON.parse(fs.readFileSync(paramsFile, "utf8")) : null;
  const role = (["mapper", "combiner", "reducer"] as const).find((r) => flags.includes(`--${r}`));
  if (!jobPath || !role) throw new Error("usage: streaming <job module> --step-num=N --mapper|--combiner|--reducer [--params=file]");
  const job = loadJob(jobPath);
  const lines = splitLines(fs.readFileSync(0, "utf8"));
  const split = process.env.mapreduce_map_input_file ? ` of ${process.env.mapreduce_map_input_file} from byte ${process.env.mapreduce_map_input_start ?? 0}` : "";
  let out: TaskOutput;
  if (role === "mapper") {
    out = runMapTask(job, params, stepNum, { lines, where: (i) => `line ${i + 1} of the split${split}` }, false);
  } else if (role === "combiner") {
    out = runCombineTask(job, params, stepNum, lines);
  } else {
    out = runReduceTask(job, params, stepNum, lines);
  }
  if (out.lines.length) fs.writeSync(1, out.lines.join("\n") + "\n");
  for (const [group, counters] of Object.entries(out.counters)) {
    for (const [name, value] of Object.entries(counters)) process.stderr.write(`reporter:counter:${group},${name},${value}\n`);
  }
}

if (require.main === module) {
  try {
    main(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`${ERROR_PREFIX}${(e as Error).message ?? e}\n`);
    process.exitCode = 1;
  }
}
