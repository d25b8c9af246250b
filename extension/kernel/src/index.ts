export * from "./protocol";
export * from "./client";
export * from "./notebook";
export { runNotebook } from "./cli";
