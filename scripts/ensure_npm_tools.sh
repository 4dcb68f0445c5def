#!/usr/bin/env bash
# Idempotent: installs, pinned, from npm into .tools/npm (git-ignored), or fails loudly:
# the MCP Inspector (a third-party MCP client, for the MCP tests), axe-core (the
# accessibility checker the web tests inject into each page), and Grafana's own dashboard
# types (@grafana/schema, generated from Grafana's CUE schema) with the TypeScript compiler
# that checks deploy/grafana/fluxagent.json against them (tests/observability).
set -euo pipefail
cd "$(dirname "$0")/.."
INSPECTOR_VERSION=2.12.0
AXE_VERSION=4.10.3
GRAFANA_SCHEMA_VERSION=13.2.3
TYPESCRIPT_VERSION=5.9.3
prefix=.tools/npm
bin="$prefix/node_modules/.bin/mcp-inspector"
axe="$prefix/node_modules/axe-core/axe.min.js"
tsc="$prefix/node_modules/.bin/tsc"
schema="$prefix/node_modules/@grafana/schema/dist/types/index.d.ts"
stamp="$prefix/.inspector-$INSPECTOR_VERSION-axe-$AXE_VERSION-grafana-schema-$GRAFANA_SCHEMA_VERSION-ts-$TYPESCRIPT_VERSION"
if [ -x "$bin" ] && [ -f "$axe" ] && [ -x "$tsc" ] && [ -f "$schema" ] && [ -f "$stamp" ]; then
  exit 0
fi
if ! command -v npm >/dev/null 2>&1; then
  echo "npm is missing: install Node.js 20+ (Debian: apt-get install nodejs npm)" >&2; exit 1
fi
mkdir -p "$prefix"
log=$(mktemp)
if ! npm install --prefix "$prefix" --save-exact --no-audit --no-fund --loglevel=error \
     "@modelcontextprotocol/inspector@$INSPECTOR_VERSION" "axe-core@$AXE_VERSION" \
     "@grafana/schema@$GRAFANA_SCHEMA_VERSION" "typescript@$TYPESCRIPT_VERSION" \
     >"$log" 2>&1; then
  cat "$log" >&2
  echo "could not install @modelcontextprotocol/inspector@$INSPECTOR_VERSION," \
       "axe-core@$AXE_VERSION, @grafana/schema@$GRAFANA_SCHEMA_VERSION and" \
       "typescript@$TYPESCRIPT_VERSION (see above)" >&2
  exit 1
fi
rm -f "$log"
[ -x "$bin" ] || { echo "npm installed the inspector but $bin is missing" >&2; exit 1; }
[ -f "$axe" ] || { echo "npm installed axe-core but $axe is missing" >&2; exit 1; }
[ -x "$tsc" ] || { echo "npm installed typescript but $tsc is missing" >&2; exit 1; }
[ -f "$schema" ] || { echo "npm installed @grafana/schema but $schema is missing" >&2; exit 1; }
touch "$stamp"
