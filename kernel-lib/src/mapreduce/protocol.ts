/**
 * The JSON protocol between steps (mrjob's JSONProtocol): JSON(key) TAB JSON(value), one pair per line. Keys are
 * compared as the bytes of their UTF-8 JSON text, which is what Hadoop's shuffle sorts on. As in mrjob, a key or
 * value the protocol cannot carry faithfully fails the task instead of arriving changed.
 */
import { describe, MapReduceError } from "./errors";
import type { KeyValue } from "./job";

/** Something JSON would not give back unchanged: what it is, where inside the value, what JSON would do, the fix. */
export interface Unencodable {
  what: string;
  path: string;
  why: string;
}

/** "NaN at [2] (JSON would write null; emit finite numbers, …)" */
export function explain(u: Unencodable, inside = ""): string {
  return `${u.what}${inside}${u.path ? ` at ${u.path}` : ""} (JSON ${u.why})`;
}

/**
 * Why JSON would not give `value` back unchanged, or undefined when it would. Accepts null, booleans, finite
 * numbers, strings, arrays without holes and plain objects of those. (-0 comes back as 0, which equals it.)
 */
export function unencodable(value: unknown, path = "", parents: object[] = []): Unencodable | undefined {
  switch (typeof value) {
    case "string":
    case "boolean":
      return undefined;
    case "number":
      return Number.isFinite(value) ? undefined : { what: String(value), path, why: `would write null; emit finite numbers, or a string such as "${value}"` };
    case "undefined":
      return { what: "undefined", path, why: `would write null or drop it; emit null for "no value"` };
    case "bigint":
      return { what: describe(value), path, why: "cannot write it; emit a number or a string" };
    case "function":
    case "symbol":
      return { what: describe(value), path, why: "would drop it" };
  }
  if (value === null) return undefined;
  const object = value as object;
  if (parents.includes(object)) return { what: "a circular reference", path, why: "cannot write it" };
  if (Array.isArray(object)) {
    parents.push(object);
    for (let i = 0; i < object.length; i++) {
      if (!(i in object)) return { what: "an array with a hole", path: `${path}[${i}]`, why: "would write null; fill the hole" };
      const inner = unencodable(object[i], `${path}[${i}]`, parents);
      if (inner) return inner;
    }
    parents.pop();
    return undefined;
  }
  const proto = Object.getPrototypeOf(object);
  if (proto !== Object.prototype && proto !== null) {
    return { what: describe(object), path, why: CONVERSIONS[proto?.constructor?.name] ?? "would give back a plain object without its class; emit a plain object" };
  }
  parents.push(object);
  for (const [k, v] of Object.entries(object)) {
    const inner = unencodable(v, `${path}.${/^[A-Za-z_$][\w$]*$/.test(k) ? k : `[${JSON.stringify(k)}]`}`, parents);
    if (inner) return inner;
  }
  parents.pop();
  return undefined;
}

const typedArray = "would write an object with numbered keys; emit Array.from(array)";
const CONVERSIONS: Record<string, string> = {
  Map: "would write {}; emit Object.fromEntries(map) or [...map]",
  Set: "would write {}; emit [...set]",
  Date: "would give back a string; emit date.getTime() or date.toISOString()",
  RegExp: "would write {}; emit its source string",
  ...Object.fromEntries(["Float64Array", "Float32Array", "Int32Array", "Uint32Array", "Int16Array", "Uint16Array", "Int8Array", "Uint8Array", "Uint8ClampedArray", "BigInt64Array", "BigUint64Array", "Buffer"].map((t) => [t, typedArray])),
};

/** Throws a MapReduceError saying which part of the pair JSON cannot carry, and what to emit instead. */
export function checkPair(key: unknown, value: unknown): void {
  // Fast path for what jobs emit most: string, number, boolean or null keys and values.
  if (isSimple(key) && isSimple(value)) return;
  const badKey = unencodable(key);
  const bad = badKey ?? unencodable(value);
  if (bad) throw new MapReduceError(`emitted ${explain(bad, badKey ? " in the key" : " in the value")}`);
}

function isSimple(v: unknown): boolean {
  return typeof v === "string" || (typeof v === "number" && Number.isFinite(v)) || v === null || typeof v === "boolean";
}

/** Splits at the first tab and parses both sides; `where` names the line in errors. */
export function decodePair(line: string, where: () => string): KeyValue {
  const tab = line.indexOf("\t");
  if (tab < 0) throw new MapReduceError(`${where()}: expected JSON key, a tab, JSON value; got ${preview(line)}`);
  try {
    return [JSON.parse(line.slice(0, tab)), JSON.parse(line.slice(tab + 1))];
  } catch (e) {
    throw new MapReduceError(`${where()}: not JSON on both sides of the tab (${(e as Error).message}): ${preview(line)}`);
  }
}

/** Returned by decodeSimple for a text that needs JSON.parse. */
export const NOT_SIMPLE = Symbol("not simple");

/**
 * The value of a JSON text that is a string without escapes or an integer of up to 15 characters (most keys and
 * values), else NOT_SIMPLE. JSON.parse costs about 1 µs even on such a text.
 */
export function decodeSimple(text: string): unknown {
  // Every pair this reads was written by JSON.stringify, which escapes what a plain slice would get wrong.
  if (text.length >= 2 && text.charCodeAt(0) === 34 && text.charCodeAt(text.length - 1) === 34 && text.indexOf("\\") < 0) {
    const inner = text.slice(1, -1);
    if (inner.indexOf('"') < 0) return inner;
  }
  const integer = parseInteger(text);
  return integer === undefined ? NOT_SIMPLE : integer;
}

/** Parses one side of a pair's line (a key or a value text). */
export function decodeText(text: string, line: () => string, where: () => string): unknown {
  const simple = decodeSimple(text);
  if (simple !== NOT_SIMPLE) return simple;
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new MapReduceError(`${where()}: not JSON on both sides of the tab (${(e as Error).message}): ${preview(line())}`);
  }
}

/** A JSON integer of up to 15 characters (exact as a double), as JSON.parse reads it, else undefined. */
function parseInteger(text: string): number | undefined {
  const n = text.length;
  if (n === 0 || n > 15) return undefined;
  const negative = text.charCodeAt(0) === 45;
  let i = negative ? 1 : 0;
  // JSON's grammar: -?(0|[1-9][0-9]*); "01" is not JSON, and "0.5" or "1e3" go to JSON.parse.
  if (i === n || (text.charCodeAt(i) === 48 && n > i + 1)) return undefined;
  let v = 0;
  for (; i < n; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return undefined;
    v = 10 * v + d;
  }
  return negative ? -v : v;
}

/**
 * Compares two strings in the order of their UTF-8 bytes (Unicode code point order). JavaScript's `<` compares
 * UTF-16 units, which differs only where a surrogate (U+D800–DFFF, half of a code point above U+FFFF) meets a unit
 * in U+E000–FFFF; the loop fixes that case without encoding either string.
 */
export function compareUtf8(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i), y = b.charCodeAt(i);
    if (x !== y) {
      if (x >= 0xd800 && y >= 0xd800) {
        if (x <= 0xdfff) x += 0x2800; // lift surrogates above U+FFFF
        if (y <= 0xdfff) y += 0x2800;
      }
      return x - y;
    }
  }
  return a.length - b.length;
}

/**
 * Byte order of a[aStart, +aLength) and b[bStart, +bLength): how keys' JSON texts sort. A loop, not Buffer.compare:
 * keys are short, and the native call costs more than comparing them.
 */
export function compareBytes(a: Buffer, aStart: number, aLength: number, b: Buffer, bStart: number, bLength: number): number {
  const n = aLength < bLength ? aLength : bLength;
  for (let i = 0; i < n; i++) {
    const d = a[aStart + i] - b[bStart + i];
    if (d !== 0) return d;
  }
  return aLength - bLength;
}

/** Which reduce task gets a key: a stable hash of its JSON text's bytes `buf[start, end)` (Hadoop's HashPartitioner in spirit). */
export function partitionOf(buf: Buffer, start: number, end: number, partitions: number): number {
  if (partitions === 1) return 0;
  let h = 0;
  for (let i = start; i < end; i++) h = (Math.imul(31, h) + buf[i]) | 0;
  return (h & 0x7fffffff) % partitions;
}

export function preview(line: string): string {
  return JSON.stringify(line.length > 120 ? `${line.slice(0, 120)}…` : line);
}
