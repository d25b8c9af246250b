// The host side of the kernel package: what the extension and other Node programs use.
export * from "./protocol/messages";
export * from "./host/kernel-client";
export * from "./host/notebook-file";
export { OutputCollector } from "./host/output-collector";
export { runNotebook } from "./host/run-notebook";
export type { RunOptions, RunControl } from "./host/run-notebook";
