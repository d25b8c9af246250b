import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Counters, hasCombiner, stepCount } from "./engine";
import { MapReduceError } from "./job";
import { loadJob } from "./load-job";
import { finish, RunOptions, RunResult } from "./runners";
import { ERROR_PREFIX } from "./streaming";

export interface HadoopOptions extends RunOptions {
  /** Classpath of Hadoop's jars (hadoop-streaming, hadoop-client and their dependencies), e.g. "/opt/hadoop-lib/*". */
  classpath: string;
  java?: string;
  /** The node binary the tasks run (default: this one). */
  node?: string;
  /** -D properties; default runs Hadoop's local mode (LocalJobRunner, file:/// as the file system). */
  properties?: Record<string, string>;
  reducers?: number;
  /** Kills the Hadoop process after this long (default 10 minutes). */
  timeoutMs?: number;
  /** Keep the working directory (outputs, logs) here instead of a temporary one. */
  workDir?: string;
}

/** Java 17 closes the JDK internals Hadoop 3.3 reaches into; these reopen them. */
export const HADOOP_JAVA_FLAGS = ["java.lang", "java.lang.reflect", "java.util", "java.util.concurrent", "java.io", "java.net", "java.nio", "sun.nio.ch", "sun.security.util"].flatMap(
  (p) => ["--add-opens", `java.base/${p}=ALL-UNNAMED`],
);

const LOCAL_MODE = { "mapreduce.framework.name": "local", "fs.defaultFS": "file:///" };
// Hadoop's own counter groups; the rest are the job's.
const HADOOP_GROUPS = /^(File System Counters|Map-Reduce Framework|Shuffle Errors|File Input Format Counters|File Output Format Counters)$/;

const STREAMING_ENTRY = path.join(__dirname, `streaming${path.extname(__filename)}`);

/** Hadoop Streaming runs each step: `node <streaming entry> <job> --step-num=N --mapper|--combiner|--reducer`. */
export async function runHadoop(jobPath: string, options: HadoopOptions): Promise<RunResult> {
  const resolved = path.resolve(jobPath);
  const job = loadJob(resolved);
  const params = options.params ?? null;
  const work = options.workDir ?? fs.mkdtempSync(path.join(os.tmpdir(), "mllab-hadoop-"));
  fs.mkdirSync(work, { recursive: true });
  const paramsFile = path.join(work, "params.json");
  fs.writeFileSync(paramsFile, JSON.stringify(params));
  const conf = path.join(work, "conf");
  fs.mkdirSync(conf, { recursive: true });
  // Job counters are logged by org.apache.hadoop.mapreduce.Job at INFO; everything else stays quiet.
  fs.writeFileSync(path.join(conf, "log4j.properties"), [
    "log4j.rootLogger=WARN, console",
    "log4j.logger.org.apache.hadoop.mapreduce.Job=INFO",
    "log4j.appender.console=org.apache.log4j.ConsoleAppender",
    "log4j.appender.console.target=System.err",
    "log4j.appender.console.layout=org.apache.log4j.PatternLayout",
    "log4j.appender.console.layout.ConversionPattern=%m%n",
  ].join("\n"));
  const node = options.node ?? process.execPath;
  const loader = STREAMING_ENTRY.endsWith(".ts") ? ["--require", require.resolve("tsx/cjs")] : [];
  for (const p of [node, ...loader, STREAMING_ENTRY, resolved, paramsFile]) {
    if (/\s/.test(p)) throw new MapReduceError(`Hadoop Streaming splits commands at spaces; this path has one: ${p}`);
  }
  const command = (stepNum: number, role: string) => [node, ...loader, STREAMING_ENTRY, resolved, `--step-num=${stepNum}`, `--${role}`, `--params=${paramsFile}`].join(" ");
  const counters: Counters = {};
  const stepTimes: number[] = [];
  let input = options.input.map((f) => path.resolve(f));
  for (const f of input) if (!fs.existsSync(f)) throw new MapReduceError(`input file not found: ${f}`);
  const steps = stepCount(job, params);
  let outDir = "";
  for (let stepNum = 0; stepNum < steps; stepNum++) {
    const t = performance.now();
    outDir = path.join(work, `step-${stepNum}`);
    fs.rmSync(outDir, { recursive: true, force: true });
    const properties = { ...LOCAL_MODE, "mapreduce.job.reduces": String(options.reducers ?? 1), ...options.properties };
    const args = [
      ...HADOOP_JAVA_FLAGS, "-cp", `${conf}${path.delimiter}${options.classpath}`, "org.apache.hadoop.streaming.HadoopStreaming",
      ...Object.entries(properties).flatMap(([k, v]) => ["-D", `${k}=${v}`]),
      ...input.flatMap((i) => ["-input", i]), "-output", outDir,
      "-mapper", command(stepNum, "mapper"),
      ...(hasCombiner(job, params, stepNum) ? ["-combiner", command(stepNum, "combiner")] : []),
      "-reducer", command(stepNum, "reducer"),
    ];
    const log = await runJava(options.java ?? "java", args, options.timeoutMs ?? 600_000, stepNum);
    fs.writeFileSync(path.join(work, `step-${stepNum}.log`), log);
    for (const [group, values] of Object.entries(parseCounters(log))) {
      if (!HADOOP_GROUPS.test(group)) counters[group] = values;
    }
    input = [outDir];
    stepTimes.push(performance.now() - t);
  }
  const parts = fs.readdirSync(outDir).filter((f) => f.startsWith("part-")).sort();
  const lines = parts.flatMap((f) => fs.readFileSync(path.join(outDir, f), "utf8").split("\n").filter((l) => l.length > 0));
  if (!options.workDir) fs.rmSync(work, { recursive: true, force: true });
  return finish(lines, counters, stepTimes, "hadoop");
}

function runJava(java: string, args: string[], timeoutMs: number, stepNum: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(java, args, { stdio: ["ignore", "pipe", "pipe"] });
    let log = "";
    child.stdout.on("data", (d) => (log += d));
    child.stderr.on("data", (d) => (log += d));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new MapReduceError(`Hadoop step ${stepNum} did not finish in ${timeoutMs / 1000} s; killed`));
    }, timeoutMs);
    child.on("error", (e) => {
      clearTimeout(timer);
      reject(new MapReduceError(`cannot start ${java}: ${e.message} (is a Java runtime installed?)`));
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      if (code === 0) return resolve(log);
      const ours = log.split("\n").filter((l) => l.startsWith(ERROR_PREFIX)).map((l) => l.slice(ERROR_PREFIX.length));
      const hadoop = log.split("\n").filter((l) => /ERROR|Exception/.test(l)).slice(0, 3);
      reject(new MapReduceError(`Hadoop step ${stepNum} failed: ${ours[0] ?? (hadoop.length ? hadoop.join(" | ") : `exit code ${code}`)}`));
    });
  });
}

/** The "Counters: N" block Hadoop logs at the end of a job: group lines indented once, counters twice. */
export function parseCounters(log: string): Counters {
  const counters: Counters = {};
  const start = log.lastIndexOf("Counters: ");
  if (start < 0) return counters;
  let group: string | undefined;
  for (const line of log.slice(start).split("\n").slice(1)) {
    const counter = /^\t\t(.+?)=(-?\d+)$/.exec(line);
    if (counter && group) (counters[group] ??= {})[counter[1]] = Number(counter[2]);
    else if (/^\t[^\t]/.test(line)) group = line.trim();
    else if (line.trim() && !line.startsWith("\t")) break;
  }
  return counters;
}
