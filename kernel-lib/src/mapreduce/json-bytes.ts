/**
 * The JSON protocol's text written straight into a byte buffer: what `Buffer.write(JSON.stringify(value))` gives,
 * without the intermediate string for the values jobs emit most (ASCII strings, integers, booleans, null). A map
 * task writes every pair it emits; a JSON.stringify call and a Buffer.write call cost several times what copying a
 * short key's bytes in a loop does, and their strings are what fills V8's young generation.
 */

const QUOTE = 34, BACKSLASH = 92, MINUS = 45, ZERO = 48;
// Above this length a native Buffer.write is faster than a loop over the characters.
const SHORT = 64;

/**
 * Writes JSON(value) into `buf` at `at` and returns where it ends, or -1 when it may not fit (the caller makes
 * room and calls again). `value` must be one that checkPair accepted, so that JSON gives it back unchanged.
 */
export function writeJson(value: unknown, buf: Buffer, at: number): number {
  switch (typeof value) {
    case "string":
      return writeJsonString(value, buf, at);
    case "number":
      // Below 2^53 an integer's digits are exact; String(n) is JSON's number text for every finite n.
      return Number.isInteger(value) && Math.abs(value) < 2 ** 53 ? writeInteger(value, buf, at) : writeText(String(value), buf, at);
    case "boolean":
      return writeText(value ? "true" : "false", buf, at);
  }
  return writeText(value === null ? "null" : JSON.stringify(value), buf, at);
}

/** Writes text as UTF-8 at `at`; returns its end, or -1 when it may not fit. */
export function writeText(text: string, buf: Buffer, at: number): number {
  const n = text.length;
  if (n > SHORT) return at + 3 * n > buf.length ? -1 : at + buf.write(text, at, "utf8");
  if (at + n > buf.length) return -1;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x80) return at + 3 * n > buf.length ? -1 : at + buf.write(text, at, "utf8");
    buf[at + i] = c;
  }
  return at + n;
}

function writeJsonString(s: string, buf: Buffer, at: number): number {
  const n = s.length;
  if (n > SHORT) return writeText(JSON.stringify(s), buf, at);
  if (at + n + 2 > buf.length) return -1;
  buf[at] = QUOTE;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    // Control characters, quotes and backslashes are escaped, and non-ASCII is encoded: JSON.stringify does both.
    if (c < 0x20 || c === QUOTE || c === BACKSLASH || c >= 0x80) return writeText(JSON.stringify(s), buf, at);
    buf[at + 1 + i] = c;
  }
  buf[at + n + 1] = QUOTE;
  return at + n + 2;
}

function writeInteger(v: number, buf: Buffer, at: number): number {
  if (at + 17 > buf.length) return -1; // a sign and up to 16 digits
  if (v < 0) {
    buf[at++] = MINUS;
    v = -v;
  }
  let digits = 1;
  for (let t = v; t >= 10; t = Math.floor(t / 10)) digits++;
  for (let i = at + digits - 1; i >= at; i--) {
    buf[i] = ZERO + (v % 10);
    v = Math.floor(v / 10);
  }
  return at + digits;
}

/** Copies src[start, end) into dst at `at`: a loop for short ranges (keys), where Buffer#copy's call costs more than the bytes. */
export function copyBytes(src: Buffer, start: number, end: number, dst: Buffer, at: number): void {
  if (end - start > SHORT) src.copy(dst, at, start, end);
  else for (let i = start; i < end; i++) dst[at++] = src[i];
}
