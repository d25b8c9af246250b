/** A Jupyter-style MIME bundle: representations of one output, richest first by convention. */
export type MimeBundle = Record<string, unknown>;

export const MIME = {
  text: "text/plain",
  html: "text/html",
  markdown: "text/markdown",
  latex: "text/latex",
  svg: "image/svg+xml",
  png: "image/png",
  jpeg: "image/jpeg",
  json: "application/json",
  vegaLite: "application/vnd.vegalite.v5+json",
  convergence: "application/vnd.mllab.convergence+json",
  mixture: "application/vnd.mllab.mixture+json",
  images: "application/vnd.mllab.images+json",
} as const;

/** Objects that know how to show themselves (fitted models, traces) implement this, like IPython's _repr_mimebundle_. */
export interface Displayable {
  toMimeBundle(): MimeBundle;
}

export function isDisplayable(value: unknown): value is Displayable {
  return typeof value === "object" && value !== null && typeof (value as Displayable).toMimeBundle === "function";
}
