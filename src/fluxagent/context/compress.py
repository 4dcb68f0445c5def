"""Compression of what a tool returned: long tables to top-k rows plus statistics.

A tool's ``data`` can be enormous (FVA of iJO1366: 2,583 ranges). The decider needs the rows
that matter for the question and the shape of the rest, so tables are cut to the rows the
question names plus the top ``k`` by a column that ranks them (widest FVA ranges, lowest
deletion growth, largest fluxes), followed by counts and min/median/max of the numeric columns.
Every cut says so in the text ("… 2,578 more"), so nothing is dropped silently.
"""

from __future__ import annotations

import json
import math
import re
import statistics
from collections.abc import Iterable
from typing import Any

#: Rows of a table shown besides those the question names.
TOP_K = 5
#: Keys of ``data`` never shown to the decider (large and meant for files and people).
HIDDEN = frozenset({"conditions_applied", "provenance", "svg", "csv", "raw"})


def fmt(value: Any) -> str:
    """Numbers with six significant digits; everything else compact JSON."""
    if isinstance(value, bool) or value is None:
        return json.dumps(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            return str(value)
        return f"{value:.6g}" if value != 0 else "0"
    if isinstance(value, int | str):
        return str(value)
    return json.dumps(value, separators=(",", ":"), sort_keys=True, default=str)


def _stats(values: list[float]) -> str:
    if not values:
        return ""
    return (f"min {fmt(min(values))}, median {fmt(statistics.median(values))}, "
            f"max {fmt(max(values))}")


def _numeric(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)


def _row_key(row: dict[str, Any]) -> float:
    """How strongly a row deserves a place in the top k (higher first)."""
    if _numeric(row.get("minimum")) and _numeric(row.get("maximum")):
        return float(row["maximum"]) - float(row["minimum"])
    for col in ("growth", "growth_rate", "relative"):
        if _numeric(row.get(col)):
            return -float(row[col])  # lowest growth first: the essential / harmful ones
    for col in ("flux", "value", "score"):
        if _numeric(row.get(col)):
            return abs(float(row[col]))
    return 0.0


def _named(row: dict[str, Any], focus: set[str]) -> bool:
    return any(str(row.get(c, "")).lower() in focus for c in ("id", "name", "gene", "reaction")
               if row.get(c) is not None)


def compact_rows(key: str, rows: list[Any], focus: set[str], k: int = TOP_K) -> str:
    """A list of records (or of scalars) as at most k rows plus statistics."""
    if not rows:
        return f"{key}: none"
    if not all(isinstance(r, dict) for r in rows):
        shown = ", ".join(fmt(r) for r in rows[:k * 4])
        more = f" … {len(rows) - k * 4} more" if len(rows) > k * 4 else ""
        return f"{key} ({len(rows)}): {shown}{more}"
    cols = list(dict.fromkeys(c for r in rows for c in r))

    def line(r: dict[str, Any]) -> str:
        return " ".join(fmt(r.get(c)) for c in cols)

    if len(rows) <= k:
        return f"{key} [{' '.join(cols)}]: " + "; ".join(line(r) for r in rows)
    named = [r for r in rows if _named(r, focus)]
    ranked = sorted((r for r in rows if r not in named), key=_row_key, reverse=True)[:k]
    picked = named + ranked
    nums = {c: [float(r[c]) for r in rows if _numeric(r.get(c))] for c in cols}
    stats = "; ".join(f"{c}: {_stats(v)}" for c, v in nums.items() if len(v) == len(rows))
    head = f"{key} ({len(rows)} rows [{' '.join(cols)}]; "
    head += f"{len(named)} named in the question, " if named else ""
    head += f"top {len(ranked)} shown"
    return (head + "): " + "; ".join(line(r) for r in picked)
            + f" … {len(rows) - len(picked)} more" + (f". Stats {stats}" if stats else ""))


def compact_mapping(key: str, mapping: dict[str, Any], focus: set[str], k: int = TOP_K) -> str:
    """A ``{id: number}`` map (fluxes, exchanges, medium) as its largest entries + stats."""
    items = list(mapping.items())
    if len(items) <= k * 2 or not all(_numeric(v) for _, v in items):
        return f"{key}: " + ", ".join(f"{i}={fmt(v)}" for i, v in items) if items \
            else f"{key}: none"
    named = [(i, v) for i, v in items if i.lower() in focus]
    rest = sorted((iv for iv in items if iv not in named), key=lambda iv: -abs(float(iv[1])))
    picked = named + rest[:k]
    values = [float(v) for _, v in items]
    return (f"{key} ({len(items)} entries, largest |value| shown): "
            + ", ".join(f"{i}={fmt(v)}" for i, v in picked)
            + f" … {len(items) - len(picked)} more. Stats {_stats(values)}")


def compact_data(data: dict[str, Any], focus: Iterable[str] = (), k: int = TOP_K) -> str:
    """All of a result's ``data`` in a few lines: scalars, then compacted tables and maps."""
    focus_set = {f.lower() for f in focus}
    scalars, blocks = [], []
    for key, value in data.items():
        if key in HIDDEN:
            continue
        if isinstance(value, list):
            blocks.append(compact_rows(key, value, focus_set, k))
        elif isinstance(value, dict):
            if all(_numeric(v) for v in value.values()):
                blocks.append(compact_mapping(key, value, focus_set, k))
            else:
                text = fmt(value)
                blocks.append(f"{key}: {text}" if len(text) <= 300
                              else f"{key}: {{{len(value)} keys: {', '.join(list(value)[:8])}"
                                   + (" …}" if len(value) > 8 else "}"))
        else:
            text = fmt(value)
            scalars.append(f"{key}={text}" if len(text) <= 200 else f"{key}=({len(text)} chars)")
    return "\n".join(([", ".join(scalars)] if scalars else []) + blocks)


_SENTENCE = re.compile(r"(?<=[.!?])\s")


def first_sentence(text: str, limit: int = 160) -> str:
    """The first sentence (at most ``limit`` characters), marked with … when shortened."""
    text = " ".join(text.split())
    head = _SENTENCE.split(text, maxsplit=1)[0]
    if len(head) > limit:
        head = head[: limit - 1].rstrip() + "…"
    return head if head == text else head.rstrip(".") + " …"


_TOKENISH = re.compile(r"[A-Za-z0-9_\-]+")


def focus_terms(text: str) -> set[str]:
    """Words of the question that could name a row (ids like PFK, EX_glc__D_e, b4025)."""
    return {w.lower() for w in _TOKENISH.findall(text) if len(w) >= 2}
