#!/usr/bin/env bash
# The Node range package.json promises, proven: the kernel and CLI suites (test/kernel) run on the Node of the oldest
# VS Code the extension supports (engines.vscode ^1.100.0: Electron 34, Node 20.19.0, on which the kernel runs, as
# it runs on the extension host's own Node) and on Node 22. The binaries come from npm's `node` package
# (scripts/node-setup.sh). The kernel is spawned with the test runner's Node (process.execPath), so each run tests
# the kernel, the CLI and the client on that version.
# Usage: scripts/node-range.sh [version…]   (default: 20.19.0 22.23.3)
set -euo pipefail
cd "$(dirname "$0")/.."
versions=("$@")
[ ${#versions[@]} -gt 0 ] || versions=(20.19.0 22.23.3)
for version in "${versions[@]}"; do
  bin="$(bash scripts/node-setup.sh "$version")"
  echo "== kernel and CLI suites on Node $("$bin" --version)"
  PATH="$(dirname "$bin"):$PATH" "$bin" --import tsx --test --test-reporter=dot test/kernel/*.test.ts
done
