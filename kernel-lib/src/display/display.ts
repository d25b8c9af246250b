import { InvalidArgumentError } from "../errors";
import { MIME, MimeBundle } from "../output-contract";
import { mimeBundleOf } from "./formatters";
import { publishDisplay } from "./sink";

export { mimeBundleOf } from "./formatters";

let nextId = 0;
function newDisplayId(): string {
  return `mllab-${process.pid}-${++nextId}`;
}

function toBase64(bytes: Uint8Array | string): string {
  return typeof bytes === "string" ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64");
}

/** Bundles for each kind of content, each with a text/plain fallback for plain viewers. */
const bundles = {
  html: (html: string): MimeBundle => ({ [MIME.html]: html, [MIME.text]: "[HTML]" }),
  markdown: (md: string): MimeBundle => ({ [MIME.markdown]: md, [MIME.text]: md }),
  latex: (tex: string): MimeBundle => ({ [MIME.latex]: tex, [MIME.text]: tex }),
  svg: (svg: string): MimeBundle => ({ [MIME.svg]: svg, [MIME.text]: "[SVG image]" }),
  png: (bytes: Uint8Array | string): MimeBundle => ({ [MIME.png]: toBase64(bytes), [MIME.text]: "[PNG image]" }),
  jpeg: (bytes: Uint8Array | string): MimeBundle => ({ [MIME.jpeg]: toBase64(bytes), [MIME.text]: "[JPEG image]" }),
  json: (value: unknown): MimeBundle => ({ [MIME.json]: value, [MIME.text]: JSON.stringify(value, null, 2) }),
  text: (text: string): MimeBundle => ({ [MIME.text]: text }),
  /** A vega-lite v5 spec; the kernel adds a static SVG rendering so saved notebooks show it anywhere. */
  vegaLite: (spec: object): MimeBundle => ({ [MIME.vegaLite]: spec, [MIME.text]: describeSpec(spec) }),
};

function describeSpec(spec: object): string {
  const s = spec as { title?: unknown; description?: unknown };
  const title = typeof s.title === "string" ? s.title : typeof s.description === "string" ? s.description : "chart";
  return `[vega-lite: ${title}]`;
}

const HANDLE = Symbol.for("mllab.displayHandle");

/** True for the handles display() returns: a cell that ends with display(...) shows the display, not the handle. */
export function isDisplayHandle(value: unknown): value is DisplayHandle {
  return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[HANDLE] === true;
}

export interface DisplayHandle {
  readonly displayId: string;
  /**
   * Replaces this output in place (no flicker). A handle from display.html, .vegaLite, … takes content of the same
   * kind (`display.vegaLite(spec).update(nextSpec)`); one from display(value) takes any value; updateMime a bundle.
   */
  update(value: unknown): void;
  updateMime(bundle: MimeBundle): void;
}

export interface Display {
  (value: unknown): DisplayHandle;
  mime(bundle: MimeBundle): DisplayHandle;
  html(html: string): DisplayHandle;
  markdown(markdown: string): DisplayHandle;
  latex(tex: string): DisplayHandle;
  svg(svg: string): DisplayHandle;
  png(bytes: Uint8Array | string): DisplayHandle;
  jpeg(bytes: Uint8Array | string): DisplayHandle;
  json(value: unknown): DisplayHandle;
  text(text: string): DisplayHandle;
  vegaLite(spec: object): DisplayHandle;
}

type Kind = keyof typeof bundles;

function show(bundle: MimeBundle, kind?: Kind): DisplayHandle {
  if (typeof bundle !== "object" || bundle === null || Object.keys(bundle).length === 0) {
    throw new InvalidArgumentError("a MIME bundle must be an object with at least one MIME type, e.g. { \"text/plain\": \"hi\" }");
  }
  const displayId = newDisplayId();
  publishDisplay({ data: bundle, displayId, update: false });
  const handle: DisplayHandle = {
    displayId,
    update: (value) => publishDisplay({ data: kind ? bundles[kind](value as never) : mimeBundleOf(value), displayId, update: true }),
    updateMime: (next) => publishDisplay({ data: next, displayId, update: true }),
  };
  return Object.defineProperty(handle, HANDLE, { value: true });
}

/**
 * Shows rich output from a notebook cell: `display(model)`, `display.vegaLite(spec)`, `display.html("<b>hi</b>")`.
 * Each call returns a handle whose `update` replaces that output in place (for live progress).
 */
export const display: Display = Object.assign((value: unknown) => show(mimeBundleOf(value)), {
  mime: (bundle: MimeBundle) => show(bundle),
  html: (s: string) => show(bundles.html(s), "html"),
  markdown: (s: string) => show(bundles.markdown(s), "markdown"),
  latex: (s: string) => show(bundles.latex(s), "latex"),
  svg: (s: string) => show(bundles.svg(s), "svg"),
  png: (b: Uint8Array | string) => show(bundles.png(b), "png"),
  jpeg: (b: Uint8Array | string) => show(bundles.jpeg(b), "jpeg"),
  json: (v: unknown) => show(bundles.json(v), "json"),
  text: (s: string) => show(bundles.text(s), "text"),
  vegaLite: (spec: object) => show(bundles.vegaLite(spec), "vegaLite"),
});
