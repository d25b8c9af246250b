/**
 * The hadoop runner: each step is one Hadoop Streaming job whose mapper, combiner and reducer are
 * `node <ml-lab>/dist/mapreduce/streaming.js <job> --step-num=N --mapper|--combiner|--reducer` (mrjob's hadoop
 * runner). Without a cluster configuration it runs Hadoop's local mode on this machine's files; with one
 * (`confDir` or $HADOOP_CONF_DIR) it runs on that cluster: local inputs are uploaded, ml-lab and the job travel to
 * the tasks in the distributed cache, intermediate steps live in a work folder on the cluster's file system, and the
 * output, counters and a failing task's own error are read back.
 */
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { Counters } from "./engine";
import { MapReduceError, MapReduceTimeoutError } from "./errors";
import { CLIENT_JVM_FLAGS, confDirOf, definitions, HadoopConnection, HadoopFs, javaClasspath } from "./hadoop-fs";
import { clusterJobOf, fetchTaskErrors, jobEnded, killJob, parseCounters, taskErrors } from "./hadoop-logs";
import { runJava } from "./hadoop-process";
import { ARCHIVE_LINK, packLibrary, TASK_NODE_PATH, TASK_STREAMING_ENTRY, taskJobReference } from "./hadoop-ship";
import { checkFile } from "./input";
import { stepsOf } from "./job";
import { lineChunks } from "./line-reader";
import { loadJob } from "./load-job";
import { checkOptions, positive, RunOptions } from "./options";
import { runSteps, RunResult, StepOutcome, StepRunner } from "./step-loop";
import { makeWorkDir, removeWorkDir } from "./work-dir";

export interface HadoopOptions extends RunOptions, HadoopConnection {
  /** The node binary tasks run: default this one in local mode, `node` on the task's PATH on a cluster. */
  node?: string;
  reducers?: number;
  /** Stops a step that runs longer than this: the Hadoop client is killed, and the job on the cluster. Default 10 minutes. */
  timeoutMs?: number;
  /**
   * Where the last step writes its output, as a path or URI on the cluster's file system (hdfs://…, s3a://…); it is
   * kept, and must not exist yet. Default: a folder in the job's work folder, removed after the job.
   */
  output?: string;
  /** The work folder on the cluster's file system for uploads and intermediate steps. Default /tmp/mllab-<random>; removed after the job. */
  clusterWorkDir?: string;
  /** Local files the job module requires (helpers, data), shipped next to it in each task's folder (mrjob's --files). */
  files?: string[];
  /** Send ml-lab, the job and its params to the tasks through the distributed cache. Default: on a cluster yes, in local mode no. */
  ship?: boolean;
  /** Keep this run's local folder (Hadoop's logs, configuration, params) here instead of a removed temporary one. */
  workDir?: string;
  /** How long to wait for YARN's log aggregation when fetching a failed task's error. Default 60 s. */
  taskLogWaitMs?: number;
}

const HADOOP_OPTIONS = ["input", "params", "signal", "runner", "sortBufferMb", "classpath", "confDir", "java", "properties", "node", "reducers", "timeoutMs", "output", "clusterWorkDir", "files", "ship", "workDir", "taskLogWaitMs"];
const LOCAL_MODE: Record<string, string> = { "mapreduce.framework.name": "local", "fs.defaultFS": "file:///" };
// Hadoop's own counter groups; the rest are the job's.
const HADOOP_GROUPS = /^(File System Counters|Map-Reduce Framework|Shuffle Errors|File Input Format Counters|File Output Format Counters|Job Counters)$/;
const HAS_SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//;
const LOCAL_STREAMING_ENTRY = path.join(__dirname, `streaming${path.extname(__filename)}`);

export async function runHadoop(jobPath: string, options: HadoopOptions): Promise<RunResult> {
  checkOptions(options, "hadoop", HADOOP_OPTIONS);
  checkHadoopOptions(options);
  return runSteps(jobPath, options, new HadoopRunner(jobPath, options));
}

function checkHadoopOptions(o: HadoopOptions): void {
  const call = "runHadoop(job, options)";
  if (typeof o.classpath !== "string" || !o.classpath) {
    throw new MapReduceError(`${call}: options.classpath must name Hadoop's jars, e.g. "/opt/hadoop/share/hadoop/*" or the folder scripts/hadoop-setup.sh prints + "/*"`);
  }
  const conf = confDirOf(o);
  if (conf && !fs.existsSync(path.join(conf, "core-site.xml"))) {
    throw new MapReduceError(`${call}: the Hadoop configuration folder ${conf} (${o.confDir ? "options.confDir" : "$HADOOP_CONF_DIR"}) has no core-site.xml; point it at the cluster's configuration, e.g. /etc/hadoop/conf`);
  }
  positive(call, o as unknown as Record<string, unknown>, "timeoutMs", 1);
  positive(call, o as unknown as Record<string, unknown>, "taskLogWaitMs", 0);
  if (o.reducers !== undefined && !(Number.isInteger(o.reducers) && o.reducers >= 1)) throw new MapReduceError(`${call}: options.reducers must be a whole number ≥ 1, got ${o.reducers}`);
  if (o.properties !== undefined && (typeof o.properties !== "object" || Object.values(o.properties).some((v) => typeof v !== "string"))) {
    throw new MapReduceError(`${call}: options.properties must map Hadoop property names to strings, e.g. { "mapreduce.job.reduces": "2" }`);
  }
  for (const f of o.files ?? []) checkFile(f);
}

class HadoopRunner implements StepRunner<string> {
  readonly name = "hadoop" as const;
  private readonly cluster: boolean;
  private readonly ship: boolean;
  private local = "";
  private clusterWork?: string;
  private logConf = "";
  private fs!: HadoopFs;
  private command!: (stepNum: number, role: string) => string;
  private shipped: string[] = [];
  private archive?: string;

  constructor(
    private readonly jobPath: string,
    private readonly options: HadoopOptions,
  ) {
    this.cluster = confDirOf(options) !== undefined;
    this.ship = options.ship ?? this.cluster;
  }

  private get properties(): Record<string, string> {
    const sortMb: Record<string, string> = this.options.sortBufferMb === undefined ? {} : { "mapreduce.task.io.sort.mb": String(Math.ceil(this.options.sortBufferMb)) };
    return { ...(this.cluster ? {} : LOCAL_MODE), ...sortMb, ...this.options.properties };
  }

  async prepare(signal: AbortSignal): Promise<string[]> {
    const o = this.options;
    if (o.workDir) fs.mkdirSync(o.workDir, { recursive: true });
    this.local = o.workDir ? path.resolve(o.workDir) : makeWorkDir("mllab-hadoop-");
    this.logConf = path.join(this.local, "log4j");
    fs.mkdirSync(this.logConf, { recursive: true });
    // Job counters and the job id are logged by org.apache.hadoop.mapreduce.Job at INFO; everything else stays quiet.
    fs.writeFileSync(path.join(this.logConf, "log4j.properties"), [
      "log4j.rootLogger=WARN, console",
      "log4j.logger.org.apache.hadoop.mapreduce.Job=INFO",
      "log4j.appender.console=org.apache.log4j.ConsoleAppender",
      "log4j.appender.console.target=System.err",
      "log4j.appender.console.layout=org.apache.log4j.PatternLayout",
      "log4j.appender.console.layout.ConversionPattern=%d{HH:mm:ss.SSS} %m%n",
    ].join("\n"));
    // Shipped files apart from the folder the client runs in, where local mode links them.
    fs.mkdirSync(path.join(this.local, "ship"), { recursive: true });
    fs.mkdirSync(path.join(this.local, "run"), { recursive: true });
    const paramsFile = path.join(this.local, "ship", "params.json");
    fs.writeFileSync(paramsFile, JSON.stringify(o.params ?? null));
    this.fs = new HadoopFs({ ...o, properties: this.properties }, { signal, logConf: this.logConf });
    this.command = this.ship ? this.shipCommands(paramsFile) : this.localCommands(paramsFile);

    const local = o.input.filter((f) => !HAS_SCHEME.test(f)).map((f) => path.resolve(f));
    for (const f of local) checkFile(f);
    if (this.cluster) {
      this.clusterWork = o.clusterWorkDir ?? `/tmp/mllab-job-${randomBytes(6).toString("hex")}`;
      if (local.length) await this.upload(local, `${this.clusterWork}/input`);
    }
    return o.input.map((f) => {
      if (HAS_SCHEME.test(f)) return f;
      return this.cluster ? `${this.clusterWork}/input/${uploadedName(local, path.resolve(f))}` : `file://${path.resolve(f)}`;
    });
  }

  /** Local inputs onto the cluster: one upload when their names differ, else one folder each. */
  private async upload(files: string[], folder: string): Promise<void> {
    if (new Set(files.map((f) => path.basename(f))).size === files.length) return this.fs.put(files, folder);
    for (const [i, f] of files.entries()) await this.fs.put([f], `${folder}/${i}`);
  }

  /** Local mode without shipping: tasks run on this machine and read ml-lab, the job and params where they are. */
  private localCommands(paramsFile: string) {
    const node = this.options.node ?? process.execPath;
    const loader = LOCAL_STREAMING_ENTRY.endsWith(".ts") ? ["--require", require.resolve("tsx/cjs")] : [];
    const job = path.resolve(this.jobPath);
    for (const p of [node, ...loader, LOCAL_STREAMING_ENTRY, job, paramsFile]) {
      if (/\s/.test(p)) throw new MapReduceError(`Hadoop Streaming splits commands at spaces, and this path has one: ${p}; move it, or set options.ship: true`);
    }
    return (stepNum: number, role: string) => [node, ...loader, LOCAL_STREAMING_ENTRY, job, `--step-num=${stepNum}`, `--${role}`, `--params=${paramsFile}`].join(" ");
  }

  /** Shipping: every path a task uses is relative to its own folder, where the distributed cache links the files. */
  private shipCommands(paramsFile: string) {
    const job = taskJobReference(path.resolve(this.jobPath));
    const names = new Map<string, string>();
    for (const f of [paramsFile, ...(job.ship ? [job.ship] : []), ...(this.options.files ?? []).map((f) => path.resolve(f))]) {
      const name = path.basename(f);
      if (names.has(name) && names.get(name) !== f) throw new MapReduceError(`two shipped files are both named ${name} (${names.get(name)} and ${f}); each task's folder holds one of each name, so rename one`);
      names.set(name, f);
    }
    this.shipped = [...names.values()];
    this.archive = packLibrary(this.local);
    const node = this.options.node ?? "node";
    // Symlinks kept as they are, so the job's require("./helper") finds the helper linked next to it.
    return (stepNum: number, role: string) => [node, "--preserve-symlinks", "--preserve-symlinks-main", TASK_STREAMING_ENTRY, job.reference, `--step-num=${stepNum}`, `--${role}`, "--params=params.json"].join(" ");
  }

  async runStep(stepNum: number, input: string[], last: boolean, signal: AbortSignal): Promise<StepOutcome<string>> {
    const o = this.options;
    const base = this.cluster ? this.clusterWork! : `file://${this.local}`;
    const output = last && o.output ? (this.cluster || HAS_SCHEME.test(o.output) ? o.output : `file://${path.resolve(o.output)}`) : `${base}/step-${stepNum}`;
    if (!this.cluster) fs.rmSync(path.join(this.local, `step-${stepNum}`), { recursive: true, force: true }); // a kept workDir's last run
    const hasCombiner = Boolean(stepsOf(loadJob(this.jobPath), o.params ?? null)[stepNum].combiner);
    const properties = { "mapreduce.job.reduces": String(o.reducers ?? 1), ...this.properties };
    const args = [
      ...CLIENT_JVM_FLAGS, "-cp", javaClasspath(o, [this.logConf]), "org.apache.hadoop.streaming.HadoopStreaming",
      ...definitions(properties),
      ...(this.ship ? ["-files", this.shipped.join(","), "-archives", `${this.archive}#${ARCHIVE_LINK}`] : []),
      ...input.flatMap((i) => ["-input", i]), "-output", output,
      ...(this.ship ? ["-cmdenv", `NODE_PATH=${TASK_NODE_PATH}`] : []),
      "-mapper", this.command(stepNum, "mapper"),
      ...(hasCombiner ? ["-combiner", this.command(stepNum, "combiner")] : []),
      "-reducer", this.command(stepNum, "reducer"),
    ];
    const timeoutMs = o.timeoutMs ?? 600_000;
    // Local mode links shipped files into the client's working folder.
    const run = await runJava(o.java ?? "java", args, { cwd: path.join(this.local, "run"), timeoutMs, signal });
    fs.writeFileSync(path.join(this.local, `step-${stepNum}.log`), run.log);
    // Local mode's job ids are job_local…: nothing runs outside the client there.
    const onCluster = clusterJobOf(run.log);
    if (run.stopped && onCluster && !jobEnded(run.log)) fs.writeFileSync(path.join(this.local, `step-${stepNum}-kill.log`), await killJob(o, onCluster.job, this.logConf));
    if (run.stopped === "timeout") throw new MapReduceTimeoutError(`Hadoop step ${stepNum} did not finish in ${timeoutMs / 1000} s (options.timeoutMs); it was killed${onCluster ? `, and ${onCluster.job} on the cluster` : ""}`);
    if (run.stopped === "abort") throw new MapReduceError(`Hadoop step ${stepNum} was stopped${onCluster ? `; ${onCluster.job} was killed on the cluster` : ""}`);
    if (run.code !== 0) throw await this.failure(stepNum, run.log, output, onCluster?.application, signal);
    const counters: Counters = {};
    for (const [group, values] of Object.entries(parseCounters(run.log))) if (!HADOOP_GROUPS.test(group)) counters[group] = values;
    return { output: [output], counters };
  }

  /** The error of a failed step: our task's own message when it can be found, else Hadoop's. */
  private async failure(stepNum: number, log: string, output: string, appId: string | undefined, signal: AbortSignal): Promise<MapReduceError> {
    if (/FileAlreadyExistsException|Output directory .* already exists/.test(log)) {
      return new MapReduceError(`Hadoop step ${stepNum} failed: the output folder ${output} already exists; remove it or choose another options.output`);
    }
    let ours = taskErrors(log);
    const keep = (text: string) => fs.writeFileSync(path.join(this.local, `step-${stepNum}-task-logs.log`), text);
    if (!ours.length && appId) ours = await fetchTaskErrors(this.options, appId, this.logConf, this.options.taskLogWaitMs ?? 60_000, signal, keep);
    const hadoop = log.split("\n").filter((l) => /ERROR|Exception/.test(l)).slice(0, 3);
    const detail = ours[0] ?? (hadoop.length ? hadoop.join(" | ") : "see the log");
    return new MapReduceError(`Hadoop step ${stepNum} failed: ${detail}${appId && !ours.length ? ` (task logs: yarn logs -applicationId ${appId})` : ""}`);
  }

  async readOutput(output: string[]): Promise<string[]> {
    const [folder] = output;
    const text = folder.startsWith("file://") ? readLocalParts(folder.slice("file://".length)) : await this.fs.cat(`${folder}/part-*`);
    return text.split("\n").filter((l) => l.length > 0);
  }

  async cleanup(): Promise<void> {
    try {
      // Not on the job's signal: a stopped job's folder is removed too.
      if (this.clusterWork) await new HadoopFs({ ...this.options, properties: this.properties }, { logConf: this.logConf, timeoutMs: 60_000 }).rm(this.clusterWork);
    } finally {
      if (!this.options.workDir && this.local) removeWorkDir(this.local);
    }
  }
}

/** The name an uploaded local input has on the cluster (see `upload`). */
function uploadedName(all: string[], file: string): string {
  const unique = new Set(all.map((f) => path.basename(f))).size === all.length;
  return unique ? path.basename(file) : `${all.indexOf(file)}/${path.basename(file)}`;
}

function readLocalParts(folder: string): string {
  const parts = fs.readdirSync(folder).filter((f) => f.startsWith("part-")).sort();
  let text = "";
  for (const part of parts) for (const lines of lineChunks(path.join(folder, part))) text += lines.join("\n") + "\n";
  return text;
}
