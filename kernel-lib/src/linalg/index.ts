export { Matrix, toMatrix, toVector, firstNonFinite, assertFiniteMatrix, assertFiniteVector } from "./matrix";
export type { FloatArray, MatrixLike, VectorLike } from "./matrix";
export * from "./ops";
export * from "./cholesky";
export * from "./lu";
export * from "./least-squares";
export * from "./eigen";
