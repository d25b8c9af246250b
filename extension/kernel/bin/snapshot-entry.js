// The script Node runs to build the kernel's startup snapshot (snapshot/snapshot-builder.ts passes it to
// `node --build-snapshot`). Node 20 runs that script without `exports`, which every compiled module writes to first:
// this runs the compiled entry, dist/snapshot/snapshot-entry.js, as a CommonJS module with Node's built-in require.
const fs = process.getBuiltinModule("node:fs");
const path = process.getBuiltinModule("node:path");
const vm = process.getBuiltinModule("node:vm");
const { wrap } = process.getBuiltinModule("node:module");

const file = path.join(__dirname, "..", "dist", "snapshot", "snapshot-entry.js");
const module_ = { exports: {} };
vm.runInThisContext(wrap(fs.readFileSync(file, "utf8")), { filename: file }).call(module_.exports, module_.exports, require, module_, file, path.dirname(file));
