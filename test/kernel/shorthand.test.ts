import * as assert from "node:assert/strict";
import { describe, it } from "node:test";
import { expandShorthandProperties, originalColumn } from "../../extension/kernel/src/process/shorthand";

describe("shorthand-property expansion (tslab workaround)", () => {
  it("expands object-literal and destructuring-assignment shorthands, not binding patterns or strings", () => {
    const src = "const o = { k, seed: 0, n };\nconst { a } = o as any;\n({ k } = o);\nconst s = '{ k }';";
    const { code } = expandShorthandProperties(src);
    assert.equal(code, "const o = { k: k, seed: 0, n: n };\nconst { a } = o as any;\n({ k: k } = o);\nconst s = '{ k }';");
  });

  it("maps diagnostic columns back to the cell as written", () => {
    const { insertions } = expandShorthandProperties("f({ a, b }, zzz)");
    // In "f({ a: a, b: b }, zzz)" zzz starts at column 19; the user wrote it at column 13.
    assert.equal(originalColumn(1, 19, insertions), 13);
    assert.equal(originalColumn(1, 2, insertions), 2);
  });
});
