#!/usr/bin/env bash
# Idempotent: installs Debian's Chromium for the browser tests, or fails loudly.
set -euo pipefail
if command -v chromium >/dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" != 0 ]; then
  echo "chromium is missing and this user cannot apt-get install it" >&2; exit 1
fi
export DEBIAN_FRONTEND=noninteractive
log=$(mktemp)
if ! { apt-get update -qq && apt-get install -y -qq --no-install-recommends chromium; } >"$log" 2>&1
then
  cat "$log" >&2; echo "could not install chromium (see above)" >&2; exit 1
fi
rm -f "$log"
command -v chromium >/dev/null
