#!/usr/bin/env bash
# The main job: build everything, write every sample notebook from its source (samples/src) and run it headless
# (outputs saved in place), then package the VSIX, which carries the samples with those outputs.
set -euo pipefail
cd "$(dirname "$0")/.."
npm run build
echo "built: ml-lab (kernel-lib/dist), kernel + mllab CLI (extension/kernel/dist), extension (extension/out)"
node scripts/build-samples.js
shopt -s nullglob
notebooks=(samples/*.ipynb)
[ ${#notebooks[@]} -gt 0 ] || { echo "no sample notebooks in samples/" >&2; exit 1; }
for nb in "${notebooks[@]}"; do
  echo "== $nb"
  npx --no-install mllab run "$nb"
done
npm run package
