export * from "./kmeans";
export * from "./init";
export * from "./lloyd";
export * from "./centroid-classifier";
export type { KMeansAlgorithm, Precision } from "./lloyd-kernel";
