#!/usr/bin/env node
// Rolls the declaration files tsc writes (dist/**/*.d.ts, one per module) into one, dist/ml-lab.d.ts, the package's
// "types". The notebook kernel checks every cell in a program that holds ml-lab's declarations, and each cell's
// program walks every file of the last one: one file instead of ~110 makes a trivial cell's round trip about a third
// shorter and the first cell after a start faster (README's kernel section). dts-bundle-generator does the rollup;
// this script only skips it when the declarations did not change (it takes seconds) and writes the result atomically.
const { createHash } = require("node:crypto");
const fs = require("node:fs");
const path = require("node:path");

const root = path.resolve(__dirname, "..");
const dist = path.join(root, "dist");
const output = path.join(dist, "ml-lab.d.ts");
const stamp = path.join(dist, ".ml-lab.d.ts.sha256");

function declarationFiles(dir) {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? declarationFiles(path.join(dir, e.name)) : e.name.endsWith(".d.ts") ? [path.join(dir, e.name)] : []))
    .filter((f) => f !== output)
    .sort();
}

const hash = createHash("sha256").update(require("dts-bundle-generator/package.json").version);
for (const file of declarationFiles(dist)) hash.update(path.relative(dist, file)).update("\0").update(fs.readFileSync(file)).update("\0");
const digest = hash.digest("hex");
const read = (file) => (fs.existsSync(file) ? fs.readFileSync(file, "utf8") : undefined);
if (read(stamp) === digest && fs.existsSync(output)) process.exit(0);

const { generateDtsBundle } = require("dts-bundle-generator");
const [bundle] = generateDtsBundle(
  [{ filePath: path.join(dist, "index.d.ts"), output: { exportReferencedTypes: false, noBanner: true } }],
  { preferredConfigPath: path.join(root, "tsconfig.types.json") },
);
const temp = `${output}.${process.pid}.tmp`;
fs.writeFileSync(temp, `// ml-lab's declarations in one file (scripts/bundle-types.js).\n${bundle}`);
fs.renameSync(temp, output);
fs.writeFileSync(stamp, digest);
