export * from "./kmeans";
export { initialCentroids, KMEANS_INIT_METHODS } from "./init";
export type { KMeansInit, KMeansInitMethod, SeedDistances } from "./init";
export { lloyd } from "./lloyd";
export type { KMeansIteration, LloydOptions, LloydResult } from "./lloyd";
export * from "./centroid-classifier";
export type { KMeansAlgorithm, Precision } from "./kmeans-workspace";
