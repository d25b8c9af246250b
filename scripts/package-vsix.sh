#!/usr/bin/env bash
# Builds ml-lab-notebooks.vsix. The repository is an npm-workspaces monorepo; the VSIX needs a plain extension
# folder, so we stage one: the manifest with real `dependencies` (the two workspace packages installed as copies,
# their own dependencies from the registry), the built extension, its media and user README, samples and licences,
# then run vsce there.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
stage="$root/out/vsix"
rm -rf "$stage"
mkdir -p "$stage/extension"
cp -r "$root/extension/out" "$stage/extension/out"
cp -r "$root/extension/media" "$stage/extension/media"
cp "$root/LICENSE" "$root/.vscodeignore" "$stage/"
# The extension's page shows the user-facing README (extension/README.md; the repository's README.md is for
# developers). In the VSIX it sits at the root, so its pictures, relative to extension/, get that folder in front.
sed 's#](media/#](extension/media/#g' "$root/extension/README.md" > "$stage/README.md"
[ -d "$root/samples" ] && cp -r "$root/samples" "$stage/samples"
[ -d "$root/renderer/dist" ] && mkdir -p "$stage/renderer" && cp -r "$root/renderer/dist" "$stage/renderer/dist"
node - "$root" "$stage" <<'JS'
const fs = require("node:fs"), path = require("node:path");
const [root, stage] = process.argv.slice(2);
const manifest = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
for (const key of ["workspaces", "scripts", "devDependencies", "private"]) delete manifest[key];
manifest.dependencies = {
  "mllab-kernel": `file:${path.join(root, "extension", "kernel")}`,
  "ml-lab": `file:${path.join(root, "kernel-lib")}`,
};
fs.writeFileSync(path.join(stage, "package.json"), JSON.stringify(manifest, null, 2) + "\n");
JS
cd "$stage"
# --install-links copies the file: packages (their `files`), so the VSIX holds no symlinks into the repo.
npm install --omit=dev --install-links --ignore-scripts --no-audit --no-fund --no-package-lock >/dev/null
# vsce checks the tree with `npm list`, which rejects installed copies of file: specs: pin the copies' versions.
node -e '
  const fs = require("node:fs");
  const m = JSON.parse(fs.readFileSync("package.json", "utf8"));
  for (const name of Object.keys(m.dependencies)) m.dependencies[name] = require(`./node_modules/${name}/package.json`).version;
  fs.writeFileSync("package.json", JSON.stringify(m, null, 2) + "\n");
'
# Relative links stay relative: the pictures are files inside the VSIX (vsce would otherwise point them at the
# repository's web address, which this package does not have).
npx --prefix "$root" vsce package --out "$root/ml-lab-notebooks.vsix" --allow-missing-repository --skip-license --no-rewrite-relative-links 2>&1 | grep -v "^ WARNING" || true
test -f "$root/ml-lab-notebooks.vsix"
ls -l "$root/ml-lab-notebooks.vsix" | awk '{ printf "VSIX: %s (%.1f MiB)\n", $9, $5 / 1048576 }'
