import { InvalidArgumentError, ShapeError } from "../errors";
import { describe } from "../linalg/matrix";
import { checkPositiveInt } from "../validate";

export type Label = string | number;

function checkSameLength(a: ArrayLike<unknown>, b: ArrayLike<unknown>, names: [string, string]): void {
  for (const [v, name] of [[a, names[0]], [b, names[1]]] as const) {
    if (v == null || typeof v !== "object" || !Number.isInteger(v.length)) throw new InvalidArgumentError(`${name} must be an array of labels, got ${describe(v)}`);
  }
  if (a.length !== b.length) throw new ShapeError(`${names[0]} has ${a.length} entries but ${names[1]} has ${b.length}`);
  if (a.length === 0) throw new ShapeError(`${names[0]} is empty`);
}

export function accuracy(predicted: ArrayLike<Label>, truth: ArrayLike<Label>): number {
  checkSameLength(predicted, truth, ["predicted", "truth"]);
  let right = 0;
  for (let i = 0; i < truth.length; i++) if (predicted[i] === truth[i]) right++;
  return right / truth.length;
}

/** Fraction misclassified (the MNIST k-means homework's `get_error_rate`). */
export function errorRate(predicted: ArrayLike<Label>, truth: ArrayLike<Label>): number {
  return 1 - accuracy(predicted, truth);
}

export interface ContingencyTable {
  /** Row keys: the cluster ids, ascending. */
  clusters: Label[];
  /** Column keys: the true labels, in first-seen order unless given. */
  classes: Label[];
  /** counts[r][c]: how many points of classes[c] fell in clusters[r]. */
  counts: number[][];
  toString(): string;
}

/** Cluster-vs-label counts, as Lab 3's artist table. */
export function contingencyTable(clusterLabels: ArrayLike<Label>, trueLabels: ArrayLike<Label>, classOrder?: Label[]): ContingencyTable {
  checkSameLength(clusterLabels, trueLabels, ["clusterLabels", "trueLabels"]);
  if (classOrder !== undefined && !Array.isArray(classOrder)) throw new InvalidArgumentError(`classOrder must be an array of labels, got ${describe(classOrder)}`);
  const clusters = sortedUnique(clusterLabels);
  const classes = classOrder ?? firstSeen(trueLabels);
  const rowOf = new Map(clusters.map((c, i) => [c, i]));
  const colOf = new Map(classes.map((c, i) => [c, i]));
  const counts = clusters.map(() => new Array<number>(classes.length).fill(0));
  for (let i = 0; i < trueLabels.length; i++) {
    const col = colOf.get(trueLabels[i]);
    if (col === undefined) throw new ShapeError(`trueLabels[${i}] = ${JSON.stringify(trueLabels[i])} is not in classOrder`);
    counts[rowOf.get(clusterLabels[i])!][col]++;
  }
  return {
    clusters,
    classes,
    counts,
    toString() {
      const header = ["cluster", ...classes.map(String)];
      const rows = counts.map((r, i) => [String(clusters[i]), ...r.map(String)]);
      const widths = header.map((h, j) => Math.max(h.length, ...rows.map((r) => r[j].length)));
      const line = (cells: string[]) => cells.map((c, j) => c.padStart(widths[j])).join("  ");
      return [line(header), ...rows.map(line)].join("\n");
    },
  };
}

/** The most common true label in each cluster (ties go to the label seen first); null for an empty cluster. */
export function majorityLabels(clusterLabels: ArrayLike<number>, trueLabels: ArrayLike<Label>, k: number): (Label | null)[] {
  checkSameLength(clusterLabels, trueLabels, ["clusterLabels", "trueLabels"]);
  checkPositiveInt(k, "k");
  const tallies = Array.from({ length: k }, () => new Map<Label, number>());
  for (let i = 0; i < clusterLabels.length; i++) {
    const c = clusterLabels[i];
    if (!(c >= 0 && c < k)) throw new ShapeError(`clusterLabels[${i}] = ${c} is outside 0…${k - 1}`);
    tallies[c].set(trueLabels[i], (tallies[c].get(trueLabels[i]) ?? 0) + 1);
  }
  return tallies.map((t) => {
    let best: Label | null = null, bestCount = 0;
    for (const [label, count] of t) if (count > bestCount) [best, bestCount] = [label, count];
    return best;
  });
}

/** Σ over clusters of the majority count, over n: 1 means every cluster holds one class. */
export function purity(clusterLabels: ArrayLike<Label>, trueLabels: ArrayLike<Label>): number {
  const table = contingencyTable(clusterLabels, trueLabels);
  const majority = table.counts.reduce((s, row) => s + Math.max(...row), 0);
  return majority / trueLabels.length;
}

function sortedUnique(values: ArrayLike<Label>): Label[] {
  return [...new Set(Array.from(values))].sort((a, b) => (typeof a === "number" && typeof b === "number" ? a - b : String(a).localeCompare(String(b))));
}

function firstSeen(values: ArrayLike<Label>): Label[] {
  return [...new Set(Array.from(values))];
}
