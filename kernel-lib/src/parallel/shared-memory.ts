import * as v8 from "node:v8";
import { ShapeError } from "../errors";
import { ARENA_BYTE } from "./memory-layout";
import type { PassExports } from "./passes";
import { PASSES_WASM_BASE64 } from "./passes-wasm.generated";

/**
 * One WebAssembly memory per process, shared by the main thread and the worker pool: the SIMD passes address data in
 * it by byte offset, so a fit copies its data in once and no thread copies anything per iteration. The first page is
 * the pool's control page (memory-layout.ts); the rest is a stack-like arena.
 */
export const PAGE = 65536;
const MAX_PAGES = 65536; // 4 GiB, wasm32's limit

export interface SharedMemory {
  memory: WebAssembly.Memory;
  module: WebAssembly.Module;
  arena: Arena;
  /** The passes, instantiated on this thread. */
  passes: PassExports;
}

let shared: SharedMemory | undefined;

export function sharedMemory(): SharedMemory {
  if (!shared) {
    const memory = new WebAssembly.Memory({ initial: 16, maximum: MAX_PAGES, shared: true });
    const module = compileOptimized(Buffer.from(PASSES_WASM_BASE64, "base64"));
    const passes = new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as PassExports;
    shared = { memory, module, arena: new Arena(memory), passes };
  }
  return shared;
}

/**
 * V8 first compiles wasm with its baseline compiler and swaps in optimised code only between calls, so a fit's
 * first (long) pass would run 4–6× slower. Compiling this small module with the optimising compiler up
 * front (a few milliseconds) avoids that; the flag is restored at once, and workers share the compiled module.
 */
function compileOptimized(bytes: Uint8Array): WebAssembly.Module {
  v8.setFlagsFromString("--no-liftoff");
  try {
    return new WebAssembly.Module(bytes);
  } finally {
    v8.setFlagsFromString("--liftoff");
  }
}

/** Stack allocation in the shared memory: `mark()` before a fit, `release(mark)` after; grows the memory as needed. */
export class Arena {
  private top = ARENA_BYTE;
  /** Most bytes in use at once since `resetPeak()` (working-memory figures for the benchmark). */
  peakBytes = 0;

  constructor(private readonly memory: WebAssembly.Memory) {}

  mark(): number {
    return this.top;
  }

  resetPeak(): void {
    this.peakBytes = this.top - ARENA_BYTE;
  }

  release(mark: number): void {
    this.top = mark;
  }

  /** A 64-byte-aligned block of `bytes`, zeroed unless the caller overwrites all of it anyway. */
  alloc(bytes: number, options: { zero?: boolean } = {}): number {
    const offset = Math.ceil(this.top / 64) * 64;
    const end = offset + bytes;
    const have = this.memory.buffer.byteLength;
    if (end > have) {
      const pages = Math.ceil((end - have) / PAGE);
      if (have / PAGE + pages > MAX_PAGES) {
        throw new ShapeError(
          `the data needs ${(end / 2 ** 30).toFixed(2)} GiB of working memory, over WebAssembly's 4 GiB; fit on fewer rows (a sample), fewer columns, or with precision: "float32" (half the memory)`,
        );
      }
      try {
        this.memory.grow(pages);
      } catch (e) {
        throw new ShapeError(`could not grow the working memory to ${(end / 2 ** 30).toFixed(2)} GiB (${(e as Error).message}); free memory, or fit on fewer rows`);
      }
    }
    if (options.zero !== false) new Uint8Array(this.memory.buffer, offset, bytes).fill(0);
    this.top = end;
    this.peakBytes = Math.max(this.peakBytes, end - ARENA_BYTE);
    return offset;
  }

  f64(offset: number, length: number): Float64Array {
    return new Float64Array(this.memory.buffer, offset, length);
  }

  f32(offset: number, length: number): Float32Array {
    return new Float32Array(this.memory.buffer, offset, length);
  }

  i32(offset: number, length: number): Int32Array {
    return new Int32Array(this.memory.buffer, offset, length);
  }
}
