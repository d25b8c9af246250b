import * as path from "node:path";
import { readCsv, tableToMatrix, LabelledTable } from "./csv";

/** Folder of the small real datasets that ship with the library (see kernel-lib/LICENSE-DATA.md). */
export function bundledDataDir(): string {
  // src/datasets → ../../data in the source tree and dist/datasets → ../../data once built.
  return path.resolve(__dirname, "..", "..", "data");
}

/**
 * The UCI Wine recognition data: 178 wines from three cultivars, 13 chemical measurements each
 * (CC BY 4.0; the copy scikit-learn ships). A real labelled table for clustering-vs-label exercises.
 */
export function loadWine(): LabelledTable {
  const file = path.join(bundledDataDir(), "wine.csv");
  return tableToMatrix(readCsv(file), { labelColumn: "cultivar", source: file });
}
