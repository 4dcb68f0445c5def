"""Grafana's own dashboard schema as a check: the TypeScript compiler on a dashboard JSON typed
as ``Dashboard`` from ``@grafana/schema`` (the types Grafana generates from its CUE dashboard
kind and builds its frontend on).

Grafana ships no JSON Schema of the classic dashboard model (neither ``@grafana/schema`` nor
``grafana-foundation-sdk``, whose Python ``from_json`` ignores unknown fields and checks no
types), so the JSON is embedded as an object literal in a ``.ts`` file: ``tsc --noEmit
--strict`` then rejects every property the types do not declare (excess-property checks reach
into nested literals), every wrong type and every value outside an enum. Both packages come
pinned from npm (scripts/ensure_npm_tools.sh).
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
NPM = ROOT / ".tools" / "npm" / "node_modules"
TSC = NPM / ".bin" / "tsc"
SCHEMA_TYPES = NPM / "@grafana" / "schema" / "dist" / "types" / "index.d.ts"

_ERROR = re.compile(r"^(?P<file>[^()\s]+\.ts)\((?P<line>\d+),\d+\): error (?P<text>.*)$")


def installed() -> str | None:
    """Why the check cannot run (None: it can)."""
    missing = [str(p) for p in (TSC, SCHEMA_TYPES) if not p.exists()]
    return f"missing {', '.join(missing)}: run scripts/ensure_npm_tools.sh" if missing else None


def type_errors(dashboards: dict[str, dict[str, Any]], workdir: Path) -> dict[str, list[str]]:
    """The compiler's errors for each named dashboard (an empty list: valid), in one run."""
    names = {name: f"d{k}" for k, name in enumerate(dashboards)}
    for name, doc in dashboards.items():
        (workdir / f"{names[name]}.ts").write_text(
            "import type { Dashboard } from '@grafana/schema';\n\n"
            f"export const dashboard: Dashboard = {json.dumps(doc, indent=2)};\n")
    (workdir / "tsconfig.json").write_text(json.dumps({
        "compilerOptions": {"strict": True, "noEmit": True, "target": "es2022",
                            "module": "esnext", "moduleResolution": "bundler",
                            "types": [], "skipLibCheck": False,
                            "paths": {"@grafana/schema": [str(SCHEMA_TYPES)]}},
        "files": [f"{n}.ts" for n in names.values()]}))
    proc = subprocess.run([str(TSC), "-p", "tsconfig.json"], cwd=workdir, capture_output=True,
                          text=True, timeout=300)
    by_file: dict[str, list[str]] = {n: [] for n in names.values()}
    for line in proc.stdout.splitlines():
        m = _ERROR.match(line.strip())
        if m and Path(m["file"]).stem in by_file:
            by_file[Path(m["file"]).stem].append(m["text"])
        elif line.strip() and not line.startswith(" "):
            raise RuntimeError(f"tsc said something unexpected: {proc.stdout}{proc.stderr}")
    if proc.returncode != 0 and not any(by_file.values()):
        raise RuntimeError(f"tsc failed without type errors: {proc.stdout}{proc.stderr}")
    return {name: by_file[names[name]] for name in dashboards}
