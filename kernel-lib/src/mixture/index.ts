export * from "./covariance";
export * from "./steps";
export * from "./gaussian-mixture";
export * from "./two-gaussians-1d";
export { expectation } from "./expectation";
export { softCounts, weightedMeans, weightedCovariances } from "./maximization";
export type { MixtureParameters, EStep } from "./expectation";
