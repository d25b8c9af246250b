import type * as Pngjs from "pngjs";

/**
 * pngjs's PNG codec, loaded with the first PNG read or written rather than with the library: its modules are about a
 * tenth of `require("ml-lab")`, which every kernel start waits for (the kernel preloads ml-lab).
 */
export function pngCodec(): typeof Pngjs.PNG {
  return (require("pngjs") as typeof Pngjs).PNG;
}
