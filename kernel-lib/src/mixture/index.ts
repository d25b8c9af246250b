export * from "./covariance";
export * from "./steps";
export * from "./gaussian-mixture";
export * from "./two-gaussians-1d";
export { expectation, softCounts, weightedMeans, weightedCovariances } from "./em-kernels";
export type { MixtureParameters, EStep } from "./em-kernels";
