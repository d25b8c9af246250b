import { MimeBundle } from "../output-contract";

export { MIME, COMPONENT_COLORS } from "../output-contract";
export type { ChartMeta, ImageGridPayload, MimeBundle, MimeType, Mixture1DPayload, Mixture2DPayload, MixturePayload, MixtureSnapshot } from "../output-contract";

/** Objects that know how to show themselves implement this, like IPython's _repr_mimebundle_. */
export interface Displayable {
  toMimeBundle(): MimeBundle;
}

export function isDisplayable(value: unknown): value is Displayable {
  return typeof value === "object" && value !== null && typeof (value as Displayable).toMimeBundle === "function";
}
