import { InvalidArgumentError, ShapeError } from "../errors";
import { describe, Matrix, MatrixLike } from "../linalg/matrix";
import { errorRate, Label, majorityLabels } from "../metrics/classification";
import { notFitted } from "../validate";
import { KMeans } from "./kmeans";

/**
 * A classifier from clusters: each centroid takes the majority label of its training points, and a new point
 * gets the label of its nearest centroid (the MNIST k-means homework's labelled centroids; the k-means inits homework's 4,000-cluster MNIST model).
 */
export class CentroidClassifier {
  private constructor(
    private readonly model: KMeans,
    /** The inferred label of each centroid (null for a centroid with no training points). */
    readonly centroidLabels: (Label | null)[],
    /** Training points per centroid. */
    readonly clusterSizes: Int32Array,
    /** Share of each cluster's training points that carry its label (1 = pure). */
    readonly clusterPurity: Float64Array,
  ) {}

  /** Labels the centroids of a fitted KMeans by majority vote over the labels of the points it was fitted on. */
  static fromKMeans(model: KMeans, trainLabels: ArrayLike<Label>): CentroidClassifier {
    if (!(model instanceof KMeans)) throw new InvalidArgumentError(`fromKMeans needs a fitted KMeans, got ${describe(model)}`);
    if (!model.isFitted) throw notFitted("KMeans");
    if (trainLabels == null || typeof trainLabels.length !== "number") throw new InvalidArgumentError(`trainLabels must be an array of labels, got ${describe(trainLabels)}`);
    if (trainLabels.length !== model.labels.length) {
      throw new ShapeError(`trainLabels has ${trainLabels.length} entries but the model was fitted on ${model.labels.length} rows`);
    }
    const sizes = new Int32Array(model.k);
    for (const c of model.labels) sizes[c]++;
    const labels = majorityLabels(model.labels, trainLabels, model.k);
    const agreeing = new Float64Array(model.k);
    model.labels.forEach((c, i) => {
      if (trainLabels[i] === labels[c]) agreeing[c]++;
    });
    const purity = agreeing.map((a, c) => (sizes[c] > 0 ? a / sizes[c] : 0));
    return new CentroidClassifier(model, labels, sizes, purity);
  }

  get centroids(): Matrix {
    return this.model.centroids;
  }

  predict(X: MatrixLike): Label[] {
    const nearest = this.model.predict(X);
    return Array.from(nearest, (c) => this.centroidLabels[c] ?? fallback(this.centroidLabels));
  }

  errorRate(X: MatrixLike, labels: ArrayLike<Label>): number {
    return errorRate(this.predict(X), labels);
  }
}

/** Unreachable in practice (an empty centroid is never nearest to its own points); keeps predict total. */
function fallback(labels: (Label | null)[]): Label {
  return labels.find((l) => l !== null) ?? -1;
}
