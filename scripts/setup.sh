#!/usr/bin/env bash
# Sets up the locked Python environment in .venv (idempotent; needs only python3 and PyPI).
set -euo pipefail
cd "$(dirname "$0")/.."
if ! python3 -m uv --version >/dev/null 2>&1; then
  python3 -m pip install --quiet --disable-pip-version-check uv >&2
fi
# Precompiled bytecode: PYTHONDONTWRITEBYTECODE may be set, and compiling cobra, SQLAlchemy and
# friends on every start costs tens of seconds on a busy machine.
if [ ! -f .venv/.compiled ] || [ uv.lock -nt .venv/.compiled ]; then
  python3 -m uv sync --frozen --quiet --compile-bytecode >&2
  touch .venv/.compiled
else
  python3 -m uv sync --frozen --quiet >&2
fi
.venv/bin/python -m compileall -q -j 0 src bench >/dev/null
