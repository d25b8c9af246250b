// AssemblyScript. How a pass reads its arguments and writes its results: at the places
// src/parallel/memory-layout.ts defines, the same file the library writes them from.
import { ARGS_BYTE, RESULT_STRIDE, RESULTS_BYTE } from "../src/parallel/memory-layout";

/** Argument slot `i` of the pass in flight (an f64; pointers are byte offsets). */
@inline export function arg(i: i32): f64 {
  return load<f64>(<usize>ARGS_BYTE + (<usize>i << 3));
}

@inline export function ptr(i: i32): usize {
  return <usize>arg(i);
}

@inline export function int(i: i32): i32 {
  return <i32>arg(i);
}

/** Where share `part` writes its results (fields at the offsets memory-layout.ts's `Result` names). */
@inline export function resultOf(part: i32): usize {
  return <usize>RESULTS_BYTE + <usize>part * <usize>RESULT_STRIDE;
}

/** The first row of share `part` of `parts` over n rows: even, so that the two-row loops start on a pair. */
@inline export function shareStart(n: i32, part: i32, parts: i32): i32 {
  if (part >= parts) return n;
  const cut = <i32>(2 * ((<i64>n * <i64>part) / (2 * <i64>parts)));
  return min(n, cut);
}

@inline export function shareEnd(n: i32, part: i32, parts: i32): i32 {
  return part == parts - 1 ? n : shareStart(n, part + 1, parts);
}
