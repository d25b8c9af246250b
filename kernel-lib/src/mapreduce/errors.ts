import { MlLabError } from "../errors";

/**
 * A MapReduce job that cannot run or did not finish: a malformed job or option, a task that threw or emitted what
 * JSON cannot carry, a malformed input line, a Hadoop failure. Messages name the step, the role and the input line,
 * and the fix.
 */
export class MapReduceError extends MlLabError {}

/** The job was stopped from outside: its `signal` aborted, or `interruptAll()` ran (a kernel interrupt). */
export class MapReduceInterruptedError extends MapReduceError {}

/** A task or a step ran past its time limit (`taskTimeoutMs` on the local runner, `timeoutMs` on the hadoop runner). */
export class MapReduceTimeoutError extends MapReduceError {}

/**
 * How a streaming task's error line starts in its stderr (streaming.ts writes it), so that the hadoop runner can
 * find the task's own message in the task logs (hadoop-logs.ts).
 */
export const ERROR_PREFIX = "mllab: ";

/** A short description of a value for an error message: its type and, when short, its text. */
export function describe(value: unknown): string {
  if (value === null) return "null";
  if (value === undefined) return "undefined";
  if (typeof value === "function") return "a function";
  if (typeof value === "bigint") return `a BigInt (${value}n)`;
  if (typeof value === "symbol") return `a symbol (${String(value)})`;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (typeof value === "string") return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
  if (Array.isArray(value)) return `an array of ${value.length}`;
  const name = Object.getPrototypeOf(value)?.constructor?.name;
  return name && name !== "Object" ? `a ${name}` : "an object";
}
