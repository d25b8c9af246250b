// The kernel loads TypeScript through V8's code cache (extension/kernel/src/process/code-cache.ts): the text it
// gives V8 must be the same program, and the cache folder must not grow with every update.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { asciiSource, flushNodeCompileCache, nodeCompileCacheDir, requireWithCodeCache } from "../../extension/kernel/src/process/code-cache";
import { BuiltKernelClient, tempDir, waitFor } from "./kernel-helpers";

/** What asciiSource must give: the UTF-8 text with each non-ASCII UTF-16 unit written as `\uXXXX`. */
function escapedByHand(bytes: Buffer): string {
  return bytes.toString("utf8").replace(/[\u0080-\uffff]/g, (c) => "\\u" + c.charCodeAt(0).toString(16).padStart(4, "0"));
}

describe("the module text given to V8", () => {
  it("is ASCII and the same program: non-ASCII in comments, strings, templates, regular expressions, identifiers", () => {
    const source = [
      "// it doesn’t matter",
      "const café = 'naïve – ✓';",
      "const astral = `😀${1}`;",
      "const pattern = /é+/;",
      "module.exports = { café, astral, length: astral.length, match: pattern.test('eéé'), raw: /😀/u.test('😀') };",
    ].join("\n");
    const bytes = Buffer.from(source, "utf8");
    const text = asciiSource(bytes);
    assert.ok([...text].every((c) => c.charCodeAt(0) < 0x80));
    assert.equal(text, escapedByHand(bytes));
    const run = (code: string) => {
      const module = { exports: {} };
      new Function("module", code)(module);
      return module.exports;
    };
    assert.deepEqual(run(text), run(source));
    assert.deepEqual(run(text), { café: "naïve – ✓", astral: "😀1", length: 3, match: true, raw: true });
  });

  it("finds every run, across the 4 KB blocks it searches and at the ends of the text", () => {
    const pieces: string[] = ["é"];
    for (let i = 0; i < 3000; i++) pieces.push("x".repeat((i * 7919) % 600), ["’", "→", "😀", "ü"][i % 4]);
    pieces.push("ß");
    const bytes = Buffer.from(pieces.join(""), "utf8");
    assert.equal(asciiSource(bytes), escapedByHand(bytes));
    const ascii = Buffer.from("x".repeat(20000));
    assert.equal(asciiSource(ascii), ascii.toString("latin1"));
  });

  it("leaves a text with white space or line breaks beyond ASCII as it is (an escape of those is not the same program)", () => {
    for (const space of ["\u00a0", "\u2028", "\ufeff"]) {
      const bytes = Buffer.from(`const a = 1;${space}module.exports = a; // ’`, "utf8");
      assert.equal(asciiSource(bytes), bytes.toString("utf8"));
    }
  });
});

describe("the code cache folder", () => {
  it("loads the module, saves its compiled code once, and keeps only a module's newest entries (none of the old naming, no abandoned temp file)", () => {
    const dir = tempDir();
    const cacheDir = path.join(dir, "cache");
    const file = path.join(dir, "module.js");
    fs.writeFileSync(file, "// ’\nmodule.exports = { answer: 6 * 7, text: 'naïve' };\n");
    const first = requireWithCodeCache(file, cacheDir);
    assert.deepEqual(require.cache[file]?.exports, { answer: 42, text: "naïve" });
    first.save();
    const [entry] = fs.readdirSync(cacheDir);
    assert.match(entry, /^[0-9a-f]+-[0-9a-f]+\.bin$/);
    const prefix = entry.split("-")[0];
    // Entries of earlier versions of the file (older mtimes), one of another module (left alone), one named the old way,
    // and a temp file a killed kernel left.
    const old = Array.from({ length: 6 }, (_, i) => path.join(cacheDir, `${prefix}-${String(i).padStart(16, "0")}.bin`));
    const other = path.join(cacheDir, "0123456789abcdef-0000000000000000.bin");
    const unnamed = path.join(cacheDir, "0123456789abcdef0123456789abcdef.bin");
    const abandoned = path.join(cacheDir, `${prefix}-0000000000000009.bin.123.tmp`);
    for (const [i, f] of [...old, other, unnamed, abandoned].entries()) {
      fs.writeFileSync(f, "stale");
      fs.utimesSync(f, 1_000_000 + i, 1_000_000 + i);
    }
    // Another kernel's write in progress.
    const writing = path.join(cacheDir, `${prefix}-0000000000000010.bin.456.tmp`);
    fs.writeFileSync(writing, "half");
    fs.rmSync(path.join(cacheDir, entry));
    delete require.cache[file];
    requireWithCodeCache(file, cacheDir).save();
    const left = fs.readdirSync(cacheDir).sort();
    assert.deepEqual(left, [other, ...old.slice(3), path.join(cacheDir, entry), writing].map((f) => path.basename(f)).sort());
    // A second load reads the saved entry and writes nothing (the entry is not touched).
    const before = fs.statSync(path.join(cacheDir, entry)).mtimeMs;
    delete require.cache[file];
    requireWithCodeCache(file, cacheDir).save();
    assert.equal(fs.statSync(path.join(cacheDir, entry)).mtimeMs, before);
    assert.deepEqual(require.cache[file]?.exports, { answer: 42, text: "naïve" });
  });
});

describe("Node's compile cache folders", () => {
  it("keeps the four most recently used, the kernel's own among them, and removes the earlier layout's folder", () => {
    const cacheDir = path.join(tempDir(), "cache");
    const mine = nodeCompileCacheDir(cacheDir);
    const root = path.dirname(mine);
    // The kernel's own folder, older than every other, and six folders of other installs and Nodes, oldest first.
    const others = Array.from({ length: 6 }, (_, i) => path.join(root, `other${i}`));
    for (const [i, dir] of [mine, ...others].entries()) {
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, "entry"), "compiled");
      fs.utimesSync(dir, 1_000_000 + i, 1_000_000 + i);
    }
    fs.mkdirSync(path.join(cacheDir, "node", "v22.0.0-x64-0"), { recursive: true });
    flushNodeCompileCache(cacheDir);
    // In use now, the kernel's own folder is the newest; the three newest others stay with it.
    assert.deepEqual(fs.readdirSync(root).sort(), [path.basename(mine), "other3", "other4", "other5"].sort());
    assert.ok(Date.now() - fs.statSync(mine).mtimeMs < 60_000);
    assert.equal(fs.readFileSync(path.join(mine, "entry"), "utf8"), "compiled");
    assert.deepEqual(fs.readdirSync(cacheDir), [path.basename(root)]);
  });

  it("are pruned by a real kernel once its first cell is done", { timeout: 60_000 }, async () => {
    const dir = tempDir();
    const cacheDir = path.join(dir, "cache");
    const before = path.join(cacheDir, "node", "v22.0.0-x64-0");
    fs.mkdirSync(before, { recursive: true });
    const kernel = await BuiltKernelClient.start({ cwd: dir, codeCacheDir: cacheDir });
    try {
      assert.equal((await kernel.execute("1 + 1")).status, "ok");
      assert.ok(await waitFor(() => !fs.existsSync(before), 10_000), "the earlier layout's folder is still there");
    } finally {
      await kernel.shutdown();
    }
  });

  it("on a Node without a compile cache (no folders of it), still removes the earlier layout's folder", () => {
    const cacheDir = path.join(tempDir(), "cache");
    fs.mkdirSync(path.join(cacheDir, "node", "v22.0.0-x64-0"), { recursive: true });
    flushNodeCompileCache(cacheDir);
    assert.deepEqual(fs.readdirSync(cacheDir), []);
  });
});
