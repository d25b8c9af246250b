/**
 * Loads the extension's sources against the recording fake of the VS Code API (fake-vscode.ts) and the built kernel
 * package, and gives the tests what they share: a kernel starter that records the kernels it started, and a way to
 * run cells through the controller.
 */
import Module from "node:module";
import * as path from "node:path";
import type { KernelClient, KernelOptions } from "../../extension/kernel/src/index";
import { BuiltKernelClient } from "../kernel/kernel-helpers";
import * as fake from "./fake-vscode";

// Route `import * as vscode from "vscode"` in the extension's sources to the fake.
const resolver = Module as unknown as { _resolveFilename: (request: string, ...rest: unknown[]) => string };
const resolve = resolver._resolveFilename;
resolver._resolveFilename = function (request: string, ...rest: unknown[]) {
  if (request === "vscode") return require.resolve("./fake-vscode");
  if (request === "mllab-kernel") return path.resolve(__dirname, "../../extension/kernel/dist/index.js");
  return resolve.call(this, request, ...rest);
};

export const { MlLabController } = require("../../extension/src/controller") as typeof import("../../extension/src/controller");
export const { registerLanguageFeatures } = require("../../extension/src/language-features") as typeof import("../../extension/src/language-features");
export const { toOutputItems } = require("../../extension/src/outputs") as typeof import("../../extension/src/outputs");
export const { kernelSettings } = require("../../extension/src/kernel-settings") as typeof import("../../extension/src/kernel-settings");
export type Controller = InstanceType<typeof MlLabController>;

/** Starts real kernels (with the extension's settings, as extension.ts does) and records them in `started`. */
export function kernelStarter(started: KernelClient[], options: Partial<KernelOptions> = {}) {
  return async (cwd: string) => {
    const k = await BuiltKernelClient.start({ cwd, ...(kernelSettings() as Partial<KernelOptions>), ...options });
    started.push(k);
    // The same class, seen through the package's built typings (private fields make src and dist types distinct).
    return k as unknown as import("mllab-kernel").KernelClient;
  };
}

export function fileUri(dir: string, name: string) {
  return { scheme: "file", fsPath: path.join(dir, name), toString: () => `file://${path.join(dir, name)}` };
}

export function itemsOf(e: fake.FakeExecution) {
  return e.outputs.map((o) => o.items.map((i) => [i.mime, i.text]));
}

/** Runs cells as VS Code's Run would, and returns their executions. */
export async function runCells(controller: Controller, notebook: fake.FakeNotebook, cells = notebook.cells) {
  const from = fake.recorded.executions.length;
  await (controller.controller as unknown as fake.FakeController).executeHandler!(cells, notebook, controller.controller as never);
  return fake.recorded.executions.slice(from);
}
