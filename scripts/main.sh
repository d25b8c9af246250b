#!/usr/bin/env bash
# The main job: build everything, package the VSIX and run every sample notebook headless (outputs saved in place).
set -euo pipefail
cd "$(dirname "$0")/.."
npm run build
echo "built: ml-lab (kernel-lib/dist), kernel + mllab CLI (extension/kernel/dist), extension (extension/out)"
npm run package
shopt -s nullglob
notebooks=(samples/*.ipynb)
[ ${#notebooks[@]} -gt 0 ] || { echo "no sample notebooks in samples/" >&2; exit 1; }
for nb in "${notebooks[@]}"; do
  echo "== $nb"
  npx --no-install mllab run "$nb"
done
