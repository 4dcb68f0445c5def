"""The suite and the package read nothing outside the repository (a fresh clone has no
development data folder beside it).

Only bench/bench_biochem.py reads that folder: it times modelseedpy on the full tables, which
are not shipped."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: The development data folder beside the checkout, spelled in pieces so this file is no hit.
_FOLDER = "sha" + "red"
OUTSIDE = re.compile(rf"""(\.\./{_FOLDER}|["']{_FOLDER}["']\s*[/,)])""")
PARENTS = re.compile(r"parents\[(\d+)\]")


def _escapes(rel: Path, line: str) -> bool:
    """The line names the data folder, or climbs above the repository root from ``rel``
    (``Path(__file__).parents[N]`` with N at least the file's depth in the checkout)."""
    return bool(OUTSIDE.search(line)) or any(
        int(m.group(1)) >= len(rel.parts) for m in PARENTS.finditer(line))


def test_no_code_reads_the_development_data_folder() -> None:
    offenders = [f"{p.relative_to(ROOT)}:{n}" for folder in ("src", "tests", "scripts")
                 for p in (ROOT / folder).rglob("*")
                 if p.suffix in {".py", ".sh"} and p != Path(__file__)
                 for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
                 if _escapes(p.relative_to(ROOT), line)]
    assert not offenders, f"reads outside the repository: {offenders}"
