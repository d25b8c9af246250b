#!/usr/bin/env bash
# Copies the pictures the user README (extension/README.md) and the Getting Started walkthrough show from the last
# `npm run test:e2e` run (test-results/e2e/) into extension/media/pictures/. Every picture is a screenshot of the
# real extension in code-server; run the e2e suite, look at the pictures, then run this and commit them.
#
#   bash scripts/update-media.sh [results folder]
#
# The e2e suite names an output's picture after its notebook and the order in which the look-through met it
# (em-gmm-03-mllab-mixture.png: the third ML Lab view of the em-gmm sample); if a sample gains or loses a view
# before the one named here, this script stops with the name it could not find.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
results="${1:-$root/test-results/e2e}"
media="$root/extension/media/pictures"
# A picture bigger than this makes the VSIX and the extension page heavy: crop it in the e2e test instead.
max_bytes=$((150 * 1024))

# picture in extension/media/pictures  <-  screenshot in the e2e results
pictures=(
  "open-sample.png      open-sample-pick.png"
  "progress.png         outputs/long-fit-progress.png"
  "mixture.png          outputs/em-gmm-03-mllab-mixture.png"
  "new-notebook.png     outputs/new-notebook-kmeans.png"
  "centroids.png        outputs/mnist-kmeans-03-mllab-images.png"
  "mixture-1d.png       outputs/lab3-kmeans-em-04-mllab-mixture-1d.png"
)

for entry in "${pictures[@]}"; do
  read -r target source <<<"$entry"
  [ -f "$results/$source" ] || { echo "update-media: $results/$source is missing: run npm run test:e2e first (or update this script's table)" >&2; exit 1; }
  size=$(stat -c %s "$results/$source")
  [ "$size" -le "$max_bytes" ] || { echo "update-media: $source is $((size / 1024)) KB (at most $((max_bytes / 1024)) KB): crop it in the e2e test" >&2; exit 1; }
done
mkdir -p "$media"
for entry in "${pictures[@]}"; do
  read -r target source <<<"$entry"
  # Written next to the target and renamed into place: a failed copy leaves the old picture whole.
  cp "$results/$source" "$media/.$target.tmp"
  mv "$media/.$target.tmp" "$media/$target"
  echo "$target  <-  $source ($(( $(stat -c %s "$media/$target") / 1024 )) KB)"
done
