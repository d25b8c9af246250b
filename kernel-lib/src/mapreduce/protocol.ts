import { KeyValue, MapReduceError } from "./job";

/**
 * The JSON protocol between steps (mrjob's JSONProtocol): JSON(key) TAB JSON(value), one pair per line. Keys are
 * compared as the bytes of their JSON text, which is what Hadoop's shuffle sorts on.
 */
export function encodePair(key: unknown, value: unknown): string {
  const k = JSON.stringify(key === undefined ? null : key);
  const v = JSON.stringify(value === undefined ? null : value);
  if (k.includes("\n") || v.includes("\n")) throw new MapReduceError("encoded pairs must fit on one line");
  return `${k}\t${v}`;
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

export function keyText(line: string): string {
  const tab = line.indexOf("\t");
  return tab < 0 ? line : line.slice(0, tab);
}

/** Stable sort of encoded lines by the bytes of their key text, as Hadoop's shuffle orders them. */
export function sortByKeyBytes(lines: string[]): string[] {
  const keyed = lines.map((line, index) => ({ line, key: Buffer.from(keyText(line), "utf8"), index }));
  keyed.sort((a, b) => Buffer.compare(a.key, b.key) || a.index - b.index);
  return keyed.map((k) => k.line);
}

/** Consecutive runs of equal key text in sorted lines: [keyText, lines][]. */
export function groupSorted(sorted: string[]): [string, string[]][] {
  const groups: [string, string[]][] = [];
  for (const line of sorted) {
    const key = keyText(line);
    const last = groups[groups.length - 1];
    if (last && last[0] === key) last[1].push(line);
    else groups.push([key, [line]]);
  }
  return groups;
}

export function preview(line: string): string {
  return JSON.stringify(line.length > 120 ? `${line.slice(0, 120)}…` : line);
}
