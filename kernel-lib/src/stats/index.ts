export { sum, mean, variance, std, columnMeans, columnVariances, covariance, standardize } from "./summary";
export type { Standardized } from "./summary";
export { logSumExp, normalLogPdf, normalPdf, multivariateNormalLogPdf, multivariateNormalPdf } from "./density";
