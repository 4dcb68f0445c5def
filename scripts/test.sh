#!/usr/bin/env bash
# The whole test suite, with every service it needs installed and started here (no skips).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/ensure_postgres.sh
bash scripts/ensure_chromium.sh
bash scripts/ensure_npm_tools.sh
bash scripts/ensure_prometheus.sh
exec .venv/bin/python -m pytest -q "$@"
