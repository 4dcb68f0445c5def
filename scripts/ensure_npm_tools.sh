#!/usr/bin/env bash
# Idempotent: installs, pinned, from npm into .tools/npm (git-ignored), or fails loudly:
# the MCP Inspector (a third-party MCP client, for the MCP tests) and axe-core (the
# accessibility checker the web tests inject into each page).
set -euo pipefail
cd "$(dirname "$0")/.."
INSPECTOR_VERSION=2.12.0
AXE_VERSION=4.10.3
prefix=.tools/npm
bin="$prefix/node_modules/.bin/mcp-inspector"
axe="$prefix/node_modules/axe-core/axe.min.js"
stamp="$prefix/.inspector-$INSPECTOR_VERSION-axe-$AXE_VERSION"
if [ -x "$bin" ] && [ -f "$axe" ] && [ -f "$stamp" ]; then exit 0; fi
if ! command -v npm >/dev/null 2>&1; then
  echo "npm is missing: install Node.js 20+ (Debian: apt-get install nodejs npm)" >&2; exit 1
fi
mkdir -p "$prefix"
log=$(mktemp)
if ! npm install --prefix "$prefix" --no-audit --no-fund --loglevel=error \
     "@modelcontextprotocol/inspector@$INSPECTOR_VERSION" "axe-core@$AXE_VERSION" \
     >"$log" 2>&1; then
  cat "$log" >&2
  echo "could not install @modelcontextprotocol/inspector@$INSPECTOR_VERSION and" \
       "axe-core@$AXE_VERSION (see above)" >&2
  exit 1
fi
rm -f "$log"
[ -x "$bin" ] || { echo "npm installed the inspector but $bin is missing" >&2; exit 1; }
[ -f "$axe" ] || { echo "npm installed axe-core but $axe is missing" >&2; exit 1; }
touch "$stamp"
