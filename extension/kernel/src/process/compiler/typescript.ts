/**
 * The TypeScript that checks and compiles cells: tslab's fork of TypeScript 5.0 (the instance tslab's own modules
 * load too), plus typings for the few functions the kernel calls that the fork does not declare. Those are internal
 * to TypeScript, so they are named here, in one place, for the exact version the kernel depends on.
 */
import * as ts from "@tslab/typescript-for-tslab";

interface Internals {
  /** Binds one file (sets `locals`), as the checker would; a no-op for a file bound already. */
  bindSourceFile(file: ts.SourceFile, options: ts.CompilerOptions): void;
  getSourceFileOfNode(node: ts.Node): ts.SourceFile | undefined;
  /** What the program's parser is told to use to decide whether a file is a module. */
  getSetExternalModuleIndicator(options: ts.CompilerOptions): (file: ts.SourceFile) => void;
  /** Sets the parent of every node under `root` (the binder's step for JSDoc). */
  setParentRecursive(root: ts.Node, incremental: boolean): void;
  getResolvedModule(file: ts.SourceFile, moduleName: string, mode: ts.ResolutionMode): ts.ResolvedModuleFull | undefined;
  SignatureHelp: {
    getSignatureHelpItems(
      program: Pick<ts.Program, "getTypeChecker">,
      file: ts.SourceFile,
      position: number,
      reason: ts.SignatureHelpTriggerReason | undefined,
      token: ts.CancellationToken,
    ): ts.SignatureHelpItems | undefined;
  };
}

/** The binder's per-file symbol table (internal in 5.0). */
export type Locals = Map<string, ts.Symbol>;

export function localsOf(file: ts.SourceFile): Locals | undefined {
  return (file as unknown as { locals?: Locals }).locals;
}

/** The module specifiers a file imports (internal in 5.0). */
export function importsOf(file: ts.SourceFile): readonly ts.StringLiteralLike[] {
  return (file as unknown as { imports?: readonly ts.StringLiteralLike[] }).imports ?? [];
}

export const internals = ts as unknown as Internals;

export const neverCancelled: ts.CancellationToken = {
  isCancellationRequested: () => false,
  throwIfCancellationRequested: () => {},
};

export { ts };
