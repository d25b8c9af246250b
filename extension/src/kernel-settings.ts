import * as vscode from "vscode";
import type { KernelOptions } from "mllab-kernel";

/** The user's `mllab.kernel.*` settings, read each time a kernel starts (package.json describes them). */
export function kernelSettings(): Omit<KernelOptions, "cwd"> {
  const config = vscode.workspace.getConfiguration("mllab.kernel");
  const maxMemoryMB = config.get<number>("maxMemoryMB", 0);
  const outputLimitMB = config.get<number>("outputLimitMB", 8);
  const graceSeconds = config.get<number>("interruptGraceSeconds", 3);
  return {
    maxMemoryMB: maxMemoryMB > 0 ? maxMemoryMB : undefined,
    outputLimitChars: Math.round(Math.max(0, outputLimitMB) * 1048576),
    outputLimitHint: "raise it with the mllab.kernel.outputLimitMB setting",
    interruptGraceMs: Math.max(0.5, graceSeconds) * 1000,
  };
}

/** `mllab.kernel.startOnOpen`: whether a notebook's kernel starts when the notebook is opened with ML Lab. */
export function startsOnOpen(): boolean {
  return vscode.workspace.getConfiguration("mllab.kernel").get<boolean>("startOnOpen", true);
}
