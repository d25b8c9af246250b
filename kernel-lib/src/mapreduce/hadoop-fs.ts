/**
 * Hadoop's file system shell (`hadoop fs`) through the same jars and configuration as the hadoop runner: upload
 * input to HDFS or S3, read output back, remove folders. Every call starts a JVM (a second or two).
 */
import * as path from "node:path";
import { MapReduceError } from "./errors";
import { runJava } from "./hadoop-process";

export interface HadoopConnection {
  /** Classpath of Hadoop's jars, e.g. "/opt/hadoop-lib/*". */
  classpath: string;
  /** The cluster's configuration folder (core-site.xml, …); default $HADOOP_CONF_DIR; without either, the local file system. */
  confDir?: string;
  java?: string;
  /** -D properties (e.g. fs.s3a.endpoint and credentials for s3a:// paths). */
  properties?: Record<string, string>;
}

/** Java 17 closes the JDK internals Hadoop 3.3 reaches into; these reopen them. */
export const HADOOP_JAVA_FLAGS = ["java.lang", "java.lang.reflect", "java.util", "java.util.concurrent", "java.io", "java.net", "java.nio", "sun.nio.ch", "sun.security.util"].flatMap(
  (p) => ["--add-opens", `java.base/${p}=ALL-UNNAMED`],
);

/** The client JVMs (Streaming's submitter, the fs shell, the YARN tools) live seconds: these halve their start-up. */
export const CLIENT_JVM_FLAGS = ["-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", ...HADOOP_JAVA_FLAGS];

/** The configuration folder in effect: the option, else $HADOOP_CONF_DIR, else none (local mode). */
export function confDirOf(connection: HadoopConnection): string | undefined {
  return connection.confDir ?? (process.env.HADOOP_CONF_DIR || undefined);
}

/** The JVM's classpath: extra folders first (our log4j settings), then the cluster's configuration, then the jars. */
export function javaClasspath(connection: HadoopConnection, first: string[] = []): string {
  const conf = confDirOf(connection);
  return [...first, ...(conf ? [path.resolve(conf)] : []), connection.classpath].join(path.delimiter);
}

export const definitions = (properties: Record<string, string> = {}) => Object.entries(properties).flatMap(([k, v]) => ["-D", `${k}=${v}`]);

export class HadoopFs {
  constructor(
    private readonly connection: HadoopConnection,
    private readonly options: { timeoutMs?: number; signal?: AbortSignal; logConf?: string } = {},
  ) {}

  /** Runs `hadoop fs <args>`; resolves with its stdout, or rejects with its error lines. */
  async shell(...args: string[]): Promise<string> {
    const first = this.options.logConf ? [this.options.logConf] : [];
    const run = await runJava(this.connection.java ?? "java", [...CLIENT_JVM_FLAGS, "-cp", javaClasspath(this.connection, first), "org.apache.hadoop.fs.FsShell", ...definitions(this.connection.properties), ...args], {
      timeoutMs: this.options.timeoutMs ?? 120_000,
      signal: this.options.signal,
    });
    if (run.code === 0) return run.stdout;
    const why = run.stopped ? `stopped (${run.stopped})` : run.log.split("\n").filter((l) => /\S/.test(l) && !/^\s+at /.test(l)).slice(0, 3).join(" | ") || `exit code ${run.code}`;
    throw new MapReduceError(`hadoop fs ${args.join(" ")} failed: ${why}`);
  }

  /** Copies local files into a folder on the cluster's file system (made if missing). */
  async put(localFiles: string[], folder: string): Promise<void> {
    await this.shell("-mkdir", "-p", folder);
    await this.shell("-put", "-f", ...localFiles.map((f) => path.resolve(f)), folder);
  }

  /** The text of a file, or of every file a glob matches, concatenated. */
  cat(pathOrGlob: string): Promise<string> {
    return this.shell("-cat", pathOrGlob);
  }

  /** Removes a file or folder (recursively, skipping the trash); a missing one is not an error. */
  async rm(target: string): Promise<void> {
    await this.shell("-rm", "-r", "-f", "-skipTrash", target);
  }

  async exists(target: string): Promise<boolean> {
    try {
      await this.shell("-test", "-e", target);
      return true;
    } catch {
      return false;
    }
  }
}
