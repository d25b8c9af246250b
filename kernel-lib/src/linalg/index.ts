export * from "./matrix";
export * from "./ops";
export * from "./cholesky";
export * from "./lu";
export * from "./least-squares";
export * from "./eigen";
