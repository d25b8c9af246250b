import { MIME, MimeBundle } from "ml-lab/output-contract";

type VegaModule = { View: new (runtime: unknown, options: { renderer: string }) => { toSVG(): Promise<string>; finalize(): void }; parse(spec: unknown): unknown };

let modules: Promise<{ vega: VegaModule; compile: (spec: unknown) => { spec: unknown } }> | undefined;

// Named through variables: both packages are ESM-only, and their typings resolve only under node16 resolution,
// while the tests type-check this file with the library's settings. The surface used is typed above.
const VEGA = "vega", VEGA_LITE_MODULE = "vega-lite";

/** vega and vega-lite are ESM-only: load them once, on the first chart. */
function load() {
  modules ??= Promise.all([import(VEGA), import(VEGA_LITE_MODULE)]).then(([vega, vl]) => ({
    vega: vega as unknown as VegaModule,
    compile: (vl as unknown as { compile: (s: unknown) => { spec: unknown } }).compile,
  }));
  return modules;
}

/** Renders a vega-lite spec to SVG in the kernel, so saved notebooks show the chart in Jupyter and on GitHub too. */
export async function vegaLiteToSvg(spec: unknown): Promise<string> {
  const { vega, compile } = await load();
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: "none" });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** The bundle plus a static SVG when it has a vega-lite spec and no static picture yet; undefined otherwise. */
export async function withStaticFallback(bundle: MimeBundle): Promise<MimeBundle | undefined> {
  if (!(MIME.vegaLite in bundle) || MIME.svg in bundle || MIME.png in bundle) return undefined;
  return { ...bundle, [MIME.svg]: await vegaLiteToSvg(bundle[MIME.vegaLite]) };
}
