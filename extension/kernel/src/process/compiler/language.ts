/**
 * Completions, hovers and signature help for a cell being edited, from the program that knows every earlier cell's
 * declarations. Completions and hovers follow tslab 1.0.22 (Apache-2.0, © Yu Watanabe); signature help is
 * TypeScript's own, on the same program.
 */
import type { SignatureInformation } from "../../protocol/messages";
import { CellProgram, SRC_PREFIX } from "./cell-program";
import { withDocumentation } from "./lazy-jsdoc";
import { internals, neverCancelled, ts } from "./typescript";

export interface Completions {
  /** The span the chosen candidate replaces, in the cell's coordinates. */
  start: number;
  end: number;
  candidates: string[];
}

export interface SignatureHelp {
  signatures: SignatureInformation[];
  activeSignature: number;
  activeParameter: number;
}

export class CellLanguage {
  constructor(private readonly cells: CellProgram) {}

  inspect(prevDecl: string, src: string, offset: number): ts.QuickInfo | undefined {
    const { checker, file } = this.open(prevDecl, src);
    const info = withDocumentation(() => ts.getQuickInfoAtPosition(file, checker, neverCancelled, offset + SRC_PREFIX.length));
    if (info?.textSpan) info.textSpan.start -= SRC_PREFIX.length;
    return info;
  }

  complete(prevDecl: string, src: string, offset: number): Completions {
    const { program, file } = this.open(prevDecl, src);
    const position = offset + SRC_PREFIX.length;
    const info = ts.Completions.getCompletionsAtPositionForTslab(
      {} as ts.LanguageServiceHost,
      program,
      () => {},
      file,
      position,
      {},
      undefined,
      ts.CompletionTriggerKind.Invoked,
      neverCancelled,
    );
    const previous = ts.findPrecedingToken(position, file);
    // findPrecedingToken may return a token that ends after the position.
    if (previous && ts.isIdentifier(previous) && previous.end >= position) return completeIdentifier(info, previous, file);
    const next = previous ? ts.findNextToken(previous, file, file) : undefined;
    if (next && ts.isIdentifier(next) && next.getStart(file) <= position && position <= next.end) return completeIdentifier(info, next, file);
    const entries = [...(info?.entries ?? [])].sort((a, b) => a.sortText.localeCompare(b.sortText) || a.name.localeCompare(b.name));
    return { start: offset, end: offset, candidates: entries.map((e) => e.name) };
  }

  /** The signatures of the call (or `new`) around the offset, the parameter being typed marked; undefined outside one. */
  signatureHelp(prevDecl: string, src: string, offset: number, triggerCharacter?: string): SignatureHelp | undefined {
    const { checker, file } = this.open(prevDecl, src);
    const reason: ts.SignatureHelpTriggerReason = isTrigger(triggerCharacter) ? { kind: "characterTyped", triggerCharacter } : { kind: "invoked" };
    return withDocumentation(() => {
      const items = internals.SignatureHelp.getSignatureHelpItems({ getTypeChecker: () => checker }, file, offset + SRC_PREFIX.length, reason, neverCancelled);
      return items && this.describeSignatures(items, file, checker);
    });
  }

  private describeSignatures(items: ts.SignatureHelpItems, file: ts.SourceFile, checker: ts.TypeChecker): SignatureHelp {
    // A constructor without docs of its own: TypeScript's hover shows the class's; signature help shows nothing.
    const callee = () => this.calleeDocumentation(file, checker, items.applicableSpan.start);
    return {
      signatures: items.items.map((item) => ({
        label: [
          text(item.prefixDisplayParts),
          item.parameters.map((p) => text(p.displayParts)).join(text(item.separatorDisplayParts)),
          text(item.suffixDisplayParts),
        ].join(""),
        documentation: documentation(item.documentation.length > 0 ? item.documentation : callee(), item.tags),
        parameters: item.parameters.map((p) => ({ label: text(p.displayParts), documentation: text(p.documentation) })),
      })),
      activeSignature: items.selectedItemIndex,
      activeParameter: items.argumentIndex,
    };
  }

  /** The documentation of what is called at the argument list starting at `argumentsStart`. */
  private calleeDocumentation(file: ts.SourceFile, checker: ts.TypeChecker, argumentsStart: number): ts.SymbolDisplayPart[] {
    const call = ts.findPrecedingToken(argumentsStart, file)?.parent;
    if (!call || !(ts.isCallExpression(call) || ts.isNewExpression(call))) return [];
    return ts.getQuickInfoAtPosition(file, checker, neverCancelled, call.expression.getEnd() - 1)?.documentation ?? [];
  }

  private open(prevDecl: string, src: string): { program: ts.Program; checker: ts.TypeChecker; file: ts.SourceFile } {
    // The editor's answers are from all of Node's types, not the few a kernel starts with (later-node-types.ts).
    this.cells.includeAllNodeTypes();
    const program = this.cells.update(prevDecl, src);
    return { program, checker: program.getTypeChecker(), file: program.getSourceFile(this.cells.srcFileName)! };
  }
}

function isTrigger(character: string | undefined): character is ts.SignatureHelpTriggerCharacter {
  return character === "(" || character === "," || character === "<";
}

/** The candidates that match the identifier being typed: prefix matches first, then case-insensitive ones, then substrings. */
function completeIdentifier(info: ts.CompletionInfo | undefined, id: ts.Identifier, file: ts.SourceFile): Completions {
  const name = id.text;
  const lower = name.toLowerCase();
  const ranked: { name: string; key: string; index: number }[] = [];
  (info?.entries ?? []).forEach((e, index) => {
    const candidate = e.name.toLowerCase();
    const rank = e.name.startsWith(name) ? "0" : candidate.startsWith(lower) ? "1" : candidate.includes(lower) ? "2" : undefined;
    if (rank !== undefined) ranked.push({ name: e.name, key: rank + e.sortText, index });
  });
  ranked.sort((a, b) => a.key.localeCompare(b.key) || a.index - b.index);
  return { start: id.getStart(file) - SRC_PREFIX.length, end: id.end - SRC_PREFIX.length, candidates: ranked.map((r) => r.name) };
}

export function text(parts: readonly ts.SymbolDisplayPart[] | undefined): string {
  return (parts ?? []).map((p) => p.text).join("");
}

/** A JSDoc comment and its tags (`@param`, `@example`, …) as markdown. */
export function documentation(doc: readonly ts.SymbolDisplayPart[] | undefined, tags: readonly ts.JSDocTagInfo[] | undefined): string {
  const parts = [text(doc)];
  for (const tag of tags ?? []) {
    const body = text(tag.text);
    if (tag.name === "example") parts.push(`*@example*\n\`\`\`ts\n${body.replace(/^\s*\n/, "")}\n\`\`\``);
    else if (tag.name === "param") parts.push(`*@param* ${body.replace(/^(\S+)\s*/, "`$1` — ")}`);
    else parts.push(`*@${tag.name}*${body ? ` ${body}` : ""}`);
  }
  return parts.filter((p) => p.length > 0).join("\n\n");
}
