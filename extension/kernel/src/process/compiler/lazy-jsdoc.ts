/**
 * JSDoc of packages' declaration files (Node's types, the lib files, ml-lab's), parsed only when documentation is
 * read. TypeScript 5.0 (tslab's fork) parses every JSDoc comment of every file it reads; 5.3's `jsDocParsingMode`,
 * which skips them, is not in it. For the ~2.5 MB of declarations a kernel reads, that is a quarter of its start.
 *
 * Such files are given to TypeScript with each JSDoc comment that starts a line made a plain comment (`/**` becomes
 * `/* `: same length, so every position holds). In declaration files JSDoc decides no type, only documentation (and
 * `@deprecated` marks). Inside `withDocumentation` (hovers, signature help), the first read of `jsDoc` on a node of
 * such a file parses the file's original text once and puts each comment on the node it belongs to, as the parser
 * would have. `jsDoc` is read through an accessor on TypeScript's node prototypes, the one place every reader goes
 * through; written by hand because TypeScript 5.0 has no hook for it.
 */
import { internals, ts } from "./typescript";

/** A JSDoc comment that starts a line (declaration files put theirs there), not `/**\/`. */
const LINE_JSDOC = /^([ \t]*)\/\*\*(?=\s)/gm;

/** TypeScript's NodeFlags.Deprecated (internal in 5.0): set by the parser from an `@deprecated` tag. */
const DEPRECATED = 1 << 28;

/** Files given to TypeScript without their JSDoc, by name. */
const stripped = new Set<string>();
/** Source files whose JSDoc is back on their nodes. */
const restored = new WeakSet<ts.SourceFile>();
let documenting = false;

interface JsDocHolder {
  jsDoc?: ts.JSDoc[];
  flags: ts.NodeFlags;
  modifierFlagsCache: number;
}

/** The text TypeScript gets for `fileName`: a package's declaration file without its JSDoc. */
export function textForCompiler(fileName: string, text: string): string {
  if (!fileName.endsWith(".d.ts") || !fileName.includes("/node_modules/")) return text;
  const plain = withoutJsDoc(text);
  if (plain !== text) stripped.add(fileName);
  return plain;
}

/** Runs `read` (a hover, signature help) with declaration files' JSDoc parsed as it is needed. */
export function withDocumentation<T>(read: () => T): T {
  documenting = true;
  try {
    return read();
  } finally {
    documenting = false;
  }
}

function withoutJsDoc(text: string): string {
  return text.replace(LINE_JSDOC, "$1/* ");
}

/**
 * Every node kind that can hold JSDoc is made by one of these constructors. The factory sets `jsDoc = undefined`
 * on each new node: that write must not create an own property, or reads would never reach the accessor.
 */
function installAccessor(): void {
  const allocator = (ts as unknown as { objectAllocator: Record<string, () => { prototype: object }> }).objectAllocator;
  for (const constructor of ["getNodeConstructor", "getTokenConstructor", "getIdentifierConstructor", "getPrivateIdentifierConstructor"]) {
    Object.defineProperty(allocator[constructor]().prototype, "jsDoc", {
      configurable: true,
      get(this: ts.Node) {
        return documenting ? restoredJsDoc(this) : undefined;
      },
      set(this: ts.Node, value: ts.JSDoc[] | undefined) {
        if (value !== undefined) own(this, value);
      },
    });
  }
}

function own(node: ts.Node, value: ts.JSDoc[] | undefined): void {
  Object.defineProperty(node, "jsDoc", { value, writable: true, configurable: true, enumerable: true });
}

/** The JSDoc of a node that has none of its own (yet): its file's, parsed now if the file was read without it. */
function restoredJsDoc(node: ts.Node): ts.JSDoc[] | undefined {
  const file = internals.getSourceFileOfNode(node);
  if (!file || restored.has(file) || !stripped.has(file.fileName)) return undefined;
  restored.add(file);
  documenting = false;
  try {
    restore(file);
  } finally {
    documenting = true;
  }
  return Object.hasOwn(node, "jsDoc") ? (node as unknown as JsDocHolder).jsDoc : undefined;
}

function restore(file: ts.SourceFile): void {
  const text = ts.sys.readFile(file.fileName);
  // Changed on disk since it was read: its nodes no longer match; the watch program reads it again anyway.
  if (text === undefined || withoutJsDoc(text) !== file.text) return;
  const full = ts.createSourceFile(file.fileName, text, file.languageVersion, false, ts.ScriptKind.TS);
  copyJsDoc(file, full);
}

/** Puts the JSDoc of `from` (the file parsed with it) on `to` (the same text parsed without): the trees match. */
function copyJsDoc(to: ts.Node, from: ts.Node): void {
  const source = from as unknown as JsDocHolder;
  if (Object.hasOwn(from, "jsDoc") && source.jsDoc) {
    own(to, source.jsDoc);
    for (const doc of source.jsDoc) {
      (doc as { parent: ts.Node }).parent = to;
      internals.setParentRecursive(doc, false);
    }
    const target = to as unknown as JsDocHolder;
    target.flags |= source.flags & DEPRECATED;
    target.modifierFlagsCache = 0;
  }
  const toChildren = childrenOf(to);
  const fromChildren = childrenOf(from);
  if (toChildren.length !== fromChildren.length) return;
  toChildren.forEach((child, i) => {
    if (child.kind === fromChildren[i].kind) copyJsDoc(child, fromChildren[i]);
  });
}

function childrenOf(node: ts.Node): ts.Node[] {
  const children: ts.Node[] = [];
  ts.forEachChild(node, (child) => {
    children.push(child);
  });
  return children;
}

// Before any file is parsed: this module is imported by the cell program, which parses the first.
installAccessor();
