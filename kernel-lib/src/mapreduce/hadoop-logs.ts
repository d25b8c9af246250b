/**
 * What the hadoop runner reads back from Hadoop besides the output: the job's counters from the client's log,
 * the failing task's own error from the task logs (on YARN the client sees only "subprocess failed with code 1";
 * the task's stderr is in its container log, which YARN's log aggregation collects), and the YARN application to
 * kill when a step is stopped.
 */
import { Counters } from "./engine";
import { definitions, HADOOP_JAVA_FLAGS, HadoopConnection, javaClasspath } from "./hadoop-fs";
import { runJava } from "./hadoop-process";
import { ERROR_PREFIX } from "./streaming";

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

/** The YARN application of the job a client log shows ("Running job: job_1700000000000_0001"), if any. */
export function applicationIdOf(log: string): string | undefined {
  const job = /Running job: job_(\d+_\d+)/.exec(log);
  return job && !job[1].startsWith("local") ? `application_${job[1]}` : undefined;
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
 * The failing task's error from an application's aggregated container logs (`yarn logs -applicationId … -log_files
 * stderr`). Aggregation finishes a few seconds after the application, so this asks again until `waitMs` has passed.
 */
export async function fetchTaskErrors(connection: HadoopConnection, appId: string, logConf: string, waitMs: number, signal?: AbortSignal): Promise<string[]> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const run = await runJava(connection.java ?? "java", [...HADOOP_JAVA_FLAGS, "-cp", javaClasspath(connection, [logConf]), "org.apache.hadoop.yarn.client.cli.LogsCLI", ...definitions(connection.properties), "-applicationId", appId, "-log_files", "stderr"], {
      timeoutMs: Math.max(10_000, deadline - Date.now()),
      signal,
    });
    const errors = taskErrors(run.log);
    if (errors.length || Date.now() >= deadline || signal?.aborted) return errors;
    await new Promise((r) => setTimeout(r, 2000));
  }
}

/** Kills a YARN application (`yarn application -kill`); a finished one is left as it is. */
export async function killApplication(connection: HadoopConnection, appId: string, logConf: string): Promise<void> {
  await runJava(connection.java ?? "java", [...HADOOP_JAVA_FLAGS, "-cp", javaClasspath(connection, [logConf]), "org.apache.hadoop.yarn.client.cli.ApplicationCLI", ...definitions(connection.properties), "application", "-kill", appId], { timeoutMs: 60_000 });
}
