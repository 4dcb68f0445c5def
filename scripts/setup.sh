#!/usr/bin/env bash
# Sets up the locked Python environment in .venv (idempotent; needs only python3 and PyPI).
set -euo pipefail
cd "$(dirname "$0")/.."
if ! python3 -m uv --version >/dev/null 2>&1; then
  python3 -m pip install --quiet --disable-pip-version-check uv >&2
fi
python3 -m uv sync --frozen --quiet >&2
