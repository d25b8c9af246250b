#!/usr/bin/env node
// Turns samples/src/NAME.ts (percent format: "// %%" starts a code cell, "// %% [markdown]" a markdown cell whose
// lines are comments) into samples/NAME.ipynb without outputs; `mllab run` then executes it and saves the outputs
// (scripts/main.sh does both). Hand-written because it is twenty lines; jupytext would add Python to the build for the same.
const fs = require("node:fs");
const path = require("node:path");

const root = path.resolve(__dirname, "..");

/** The cells of sample `name` written in percent format as `text`, without outputs. */
function cellsOf(name, text) {
  const cells = [];
  for (const chunk of text.split(/^\/\/ %%/m).slice(1)) {
    const markdown = chunk.startsWith(" [markdown]");
    const body = chunk.slice(chunk.indexOf("\n") + 1).replace(/\s+$/, "");
    const source = markdown ? body.split("\n").map((l) => l.replace(/^\/\/ ?/, "")).join("\n") : body;
    cells.push({ id: `${name.slice(0, 12)}-${cells.length}`, cell_type: markdown ? "markdown" : "code", metadata: {}, source, ...(markdown ? {} : { outputs: [], execution_count: null }) });
  }
  return cells;
}

/** Every sample source: [name, cells]. */
function sampleSources() {
  return fs
    .readdirSync(path.join(root, "samples", "src"))
    .filter((f) => f.endsWith(".ts"))
    .map((file) => {
      const name = path.basename(file, ".ts");
      return [name, cellsOf(name, fs.readFileSync(path.join(root, "samples", "src", file), "utf8"))];
    });
}

// Usage: node scripts/build-samples.js [--out DIR] [NAME...] (DIR: samples/ unless given).
const args = process.argv.slice(2);
const outAt = args.indexOf("--out");
const out = outAt >= 0 ? path.resolve(args.splice(outAt, 2)[1]) : path.join(root, "samples");
for (const [name, cells] of sampleSources()) {
  if (args.length && !args.includes(name)) continue;
  const nb = {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: "mllab-typescript", display_name: "TypeScript (ML Lab)", language: "typescript" }, language_info: { name: "typescript", file_extension: ".ts", mimetype: "text/typescript" } },
    cells,
  };
  fs.writeFileSync(path.join(out, `${name}.ipynb`), JSON.stringify(nb, null, 1) + "\n");
  console.log(`${path.relative(process.cwd(), path.join(out, name))}.ipynb: ${cells.length} cells`);
}
