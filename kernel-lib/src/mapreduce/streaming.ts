/**
 * The command Hadoop Streaming runs for each task:
 *   node streaming.js <job module> --step-num=N (--mapper | --combiner | --reducer) [--params=<json file>]
 * Reads the task's input lines on stdin a chunk at a time, writes JSON-protocol lines to stdout, reports counters on
 * stderr in Streaming's `reporter:counter:` format, and on failure prints `mllab: <what failed, where>` and exits 1.
 */
import * as fs from "node:fs";
import { Context, runGrouped, runMapper } from "./engine";
import { ERROR_PREFIX } from "./errors";
import { stepsOf } from "./job";
import { LineWriter, lineChunks } from "./line-reader";
import { loadJob } from "./load-job";
import { sortedGroups } from "./merge";

function main(argv: string[]): void {
  const [jobPath, ...flags] = argv;
  const option = (name: string) => flags.find((f) => f.startsWith(`--${name}=`))?.slice(name.length + 3);
  const stepNum = Number(option("step-num") ?? 0);
  const paramsFile = option("params");
  const params = paramsFile ? JSON.parse(fs.readFileSync(paramsFile, "utf8")) : null;
  const role = (["mapper", "combiner", "reducer"] as const).find((r) => flags.includes(`--${r}`));
  if (!jobPath || !role) throw new Error("usage: streaming <job module> --step-num=N --mapper|--combiner|--reducer [--params=file]");
  const step = stepsOf(loadJob(jobPath), params)[stepNum];
  if (!step) throw new Error(`the job has no step ${stepNum}`);
  const ctx = new Context(stepNum);
  const out = new LineWriter(1);
  const input = lineChunks(0);
  if (role === "mapper") {
    const file = process.env.mapreduce_map_input_file;
    const split = file ? ` of ${file} from byte ${process.env.mapreduce_map_input_start ?? 0}` : "";
    runMapper(step, ctx, input, (i) => `line ${i + 1} of the split${split}`, out);
  } else {
    runGrouped(step, role, ctx, sortedGroups(input), out);
  }
  out.close();
  for (const [group, counters] of Object.entries(ctx.counters)) {
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
