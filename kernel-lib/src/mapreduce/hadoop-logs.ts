/**
 * What the hadoop runner reads back from Hadoop besides the output: the job's counters from the client's log,
 * the failing task's own error from the task logs (on YARN the client sees only "subprocess failed with code 1";
 * the task's stderr is in its container log, which YARN's log aggregation collects), and the job to kill on the
 * cluster when a step is stopped.
 */
import { Counters } from "./engine";
import { ERROR_PREFIX } from "./errors";
import { CLIENT_JVM_FLAGS, HadoopConnection, javaClasspath } from "./hadoop-fs";
import { runJava } from "./hadoop-process";

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

/** The job a client log shows ("Running job: job_1700000000000_0001") and its YARN application, if it ran on YARN. */
export function clusterJobOf(log: string): { job: string; application: string } | undefined {
  const id = /Running job: job_(\d+_\d+)/.exec(log)?.[1];
  return id ? { job: `job_${id}`, application: `application_${id}` } : undefined;
}

/** Whether the client saw the job end (successfully or not), so there is nothing left to kill on the cluster. */
export function jobEnded(log: string): boolean {
  return /Job job_\S+ (completed successfully|failed with state)/.test(log);
}

/** Our tasks' error lines (`mllab: …`) in a log. */
export function taskErrors(log: string): string[] {
  return log.split("\n").filter((l) => l.startsWith(ERROR_PREFIX)).map((l) => l.slice(ERROR_PREFIX.length).trim());
}

/**
 * (The YARN tools take the cluster from its configuration folder; LogsCLI refuses -D properties.)
 *
 * The failing task's error from an application's aggregated container logs (`yarn logs -applicationId … -log_files
 * stderr`). Aggregation finishes a few seconds after the application, so this asks again until `waitMs` has passed.
 */
export async function fetchTaskErrors(connection: HadoopConnection, appId: string, logConf: string, waitMs: number, signal?: AbortSignal, keep?: (log: string) => void): Promise<string[]> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const run = await runJava(connection.java ?? "java", [...CLIENT_JVM_FLAGS, "-cp", javaClasspath(connection, [logConf]), "org.apache.hadoop.yarn.client.cli.LogsCLI", "-applicationId", appId, "-log_files", "stderr"], {
      timeoutMs: Math.max(10_000, deadline - Date.now()),
      signal,
    });
    keep?.(run.log);
    const errors = taskErrors(run.log);
    if (errors.length || Date.now() >= deadline || signal?.aborted) return errors;
    await new Promise((r) => setTimeout(r, 2000));
  }
}

/** Kills a MapReduce job on the cluster (`mapred job -kill`); a finished one is left as it is. Returns the tool's log. */
export async function killJob(connection: HadoopConnection, jobId: string, logConf: string): Promise<string> {
  return (await runJava(connection.java ?? "java", [...CLIENT_JVM_FLAGS, "-cp", javaClasspath(connection, [logConf]), "org.apache.hadoop.mapred.JobClient", "-kill", jobId], { timeoutMs: 60_000 })).log;
}
