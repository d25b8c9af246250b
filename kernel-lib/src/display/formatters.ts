import { inspect } from "node:util";
import { KMeans } from "../cluster/kmeans";
import { GaussianMixture } from "../mixture/gaussian-mixture";
import { MIME, MimeBundle } from "../output-contract";
import { isDisplayable } from "./mime";
import { emResultBundle, gaussianMixtureBundle, isEMResult, kmeansBundle } from "./model-views";
import { contingencyTableBundle, isContingencyTable } from "./tables";

/** The library's own types and how each is shown (IPython's formatters keep such a table by type). */
const FORMATTERS: { matches(value: unknown): boolean; bundle(value: never): MimeBundle }[] = [
  { matches: (v) => v instanceof KMeans, bundle: kmeansBundle },
  { matches: (v) => v instanceof GaussianMixture, bundle: gaussianMixtureBundle },
  { matches: isEMResult, bundle: emResultBundle },
  { matches: isContingencyTable, bundle: contingencyTableBundle },
];

/**
 * The MIME bundle for any value: its own toMimeBundle() (builders' bundles, user classes), the library's view of
 * it (fitted models, results, tables), or a Node-style inspection as text/plain.
 */
export function mimeBundleOf(value: unknown): MimeBundle {
  if (isDisplayable(value)) {
    const bundle = value.toMimeBundle();
    return MIME.text in bundle ? bundle : { ...bundle, [MIME.text]: String(value) };
  }
  const formatter = FORMATTERS.find((f) => f.matches(value));
  if (formatter) return formatter.bundle(value as never);
  if (typeof value === "string") return { [MIME.text]: value };
  return { [MIME.text]: inspect(value, { depth: 4, colors: false, maxArrayLength: 100 }) };
}
