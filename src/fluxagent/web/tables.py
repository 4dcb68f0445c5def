"""Tables of a tool result, read off its ``data``: a mapping of ids to numbers (fluxes, a
medium) or a list of flat records (FVA ranges, essential genes). Presentation only: the
numbers are the tool's, unchanged."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from fluxagent.tools.toolkit import to_csv

#: Rows shown on the page; the CSV always has all of them.
SHOWN = 300
_SCALAR = (str, int, float, bool, type(None))


@dataclass(frozen=True)
class Table:
    key: str
    columns: list[str]
    rows: list[dict[str, Any]]

    @property
    def shown(self) -> list[dict[str, Any]]:
        return self.rows[:SHOWN]

    def csv(self) -> bytes:
        """The whole table; a text cell a spreadsheet would run as a formula is quoted."""
        return to_csv([{k: _inert(v) for k, v in r.items()} for r in self.rows], self.columns)


def _inert(value: Any) -> Any:
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _mapping(key: str, value: dict[str, Any], names: dict[str, Any]) -> Table | None:
    if len(value) < 2 or not all(_number(v) for v in value.values()):
        return None
    label = "flux" if key == "fluxes" else "value"
    if names:
        rows = [{"id": k, "name": names.get(k, ""), label: v} for k, v in value.items()]
        return Table(key, ["id", "name", label], rows)
    return Table(key, ["id", label], [{"id": k, label: v} for k, v in value.items()])


def _records(key: str, value: list[Any]) -> Table | None:
    if not value or not all(isinstance(r, dict) for r in value):
        return None
    columns: list[str] = []
    for row in value:
        for col, cell in row.items():
            if isinstance(cell, _SCALAR) and col not in columns:
                columns.append(col)
    if not columns:
        return None
    return Table(key, columns, [{c: r.get(c) for c in columns} for r in value])


def tables(data: dict[str, Any]) -> list[Table]:
    """Every table in a result's data, in the data's order."""
    names = data.get("names") if isinstance(data.get("names"), dict) else {}
    out = []
    for key, value in data.items():
        if key == "names":
            continue
        table = (_mapping(key, value, names or {}) if isinstance(value, dict) else
                 _records(key, value) if isinstance(value, list) else None)
        if table is not None:
            out.append(table)
    return out


def table(data: dict[str, Any], key: str) -> Table | None:
    return next((t for t in tables(data) if t.key == key), None)


def cell(value: Any) -> str:
    """A cell as text: numbers with 6 significant digits, as the answers give them."""
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return str(value)
        return f"{value:.6g}"
    if value is None:
        return ""
    return str(value)
