"""Answer verification: every number in a final answer must come from somewhere in the thread.

A number is *traceable* when it matches, within the rounding the answer shows, a number in
the question (or a person's reply), in a tool call's arguments, or in a tool result (its data,
recursively, including the sizes of its lists, its summary text and its provenance's medium
and parameters). Percentages may also be fractions in the results ("98.8%" ← 0.98768).
Everything else is flagged: the runtime marks the answer and records an ``annotation`` event,
and the evaluation counts it as a failure. This applies to every decider, LLM or offline.
"""

from __future__ import annotations

import bisect
import math
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from fluxagent.core.events import Thread

#: Units whose digits are not quantities ("1/h", "h^-1").
_UNITS = re.compile(r"\b1\s*/\s*(h|hr|hour|s|min|d)\b|\bh\s*\^?\s*[-−]\s*1\b|h⁻¹|\b[a-z]+\^?-1\b",
                    re.IGNORECASE)
#: A list marker at the start of a line ("1. ", "2) ").
_ENUM = re.compile(r"^\s*\d{1,2}[.)]\s", re.MULTILINE)
_NUMBER = re.compile(
    r"(?<![\w.\-/^])(?<![A-Za-z]-)"
    r"(?P<sign>[-+−])?"
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)"
    r"(?P<exp>[eE][-+]?\d+|\s?[×x]\s?10\^?[-−]?\d+)?"
    r"(?![\w]|\.\d|-[A-Za-z]|,\d)"
    r"(?P<pct>\s?%|\s+percent\b)?")

#: Caps that keep verification fast on huge results (e.g. flux samples).
MAX_SOURCE_NUMBERS = 500_000
MAX_TEXT_CHARS = 200_000


@dataclass(frozen=True)
class Number:
    """A number as written in an answer."""

    text: str
    value: float        # absolute value
    tolerance: float    # half a unit of the last digit shown
    percent: bool


@dataclass
class Verification:
    numbers: list[str] = field(default_factory=list)
    untraceable: list[str] = field(default_factory=list)
    traced: dict[str, str] = field(default_factory=dict)  # number -> where it was found

    @property
    def ok(self) -> bool:
        return not self.untraceable


def numbers_in(text: str) -> list[Number]:
    """The numbers a text states (identifiers like b1779 or iJO1366 and units are skipped)."""
    text = _ENUM.sub(" ", _UNITS.sub(" ", text[:MAX_TEXT_CHARS]))
    out: list[Number] = []
    for m in _NUMBER.finditer(text):
        raw, exp = m.group("num"), m.group("exp") or ""
        digits = raw.replace(",", "")
        decimals = len(digits.split(".", 1)[1]) if "." in digits else 0
        try:
            value = abs(float(digits))
        except ValueError:
            continue
        scale = 1.0
        if exp:
            e = re.sub(r"[^0-9\-−+]", "", exp.lower().split("e")[-1] if "e" in exp.lower()
                       else exp.split("10", 1)[1]).replace("−", "-")
            try:
                scale = 10.0 ** int(e)
            except ValueError:
                scale = 1.0
        value *= scale
        if decimals:
            tol = 0.5 * 10.0 ** (-decimals) * scale
        elif exp:
            tol = 0.5 * scale
        else:
            tol = 0.5 if value >= 10 else 1e-9
        out.append(Number(text=m.group(0).strip(), value=value, tolerance=tol,
                          percent=bool(m.group("pct"))))
    return out


def _walk(obj: Any, depth: int = 0) -> Iterator[float]:
    """Every number inside a JSON-like value, plus the sizes of its lists and mappings."""
    if depth > 12:
        return
    if isinstance(obj, bool) or obj is None:
        return
    if isinstance(obj, (int, float)):
        if math.isfinite(obj):
            yield abs(float(obj))
    elif isinstance(obj, str):
        if len(obj) < 5000:
            yield from (n.value for n in numbers_in(obj))
    elif isinstance(obj, dict):
        yield float(len(obj))
        for v in obj.values():
            yield from _walk(v, depth + 1)
    elif isinstance(obj, (list, tuple)):
        yield float(len(obj))
        for v in obj:
            yield from _walk(v, depth + 1)


class _Sources:
    """Sorted numbers with a label of where each came from."""

    def __init__(self) -> None:
        self._pairs: list[tuple[float, str]] = []

    def add(self, values: Iterable[float], where: str) -> None:
        for v in values:
            if len(self._pairs) >= MAX_SOURCE_NUMBERS:
                return
            self._pairs.append((v, where))

    def freeze(self) -> None:
        self._pairs.sort(key=lambda p: p[0])
        self._keys = [p[0] for p in self._pairs]

    def find(self, value: float, tol: float) -> str | None:
        tol = max(tol, 1e-9 * max(1.0, value))
        i = bisect.bisect_left(self._keys, value - tol)
        if i < len(self._keys) and self._keys[i] <= value + tol:
            return self._pairs[i][1]
        return None


def sources(thread: Thread) -> _Sources:
    """Every number the answer may legitimately use."""
    src = _Sources()
    for ev in thread:
        d = ev.data
        if ev.type in ("user_message", "human_response"):
            src.add((n.value for n in numbers_in(str(d.get("text", "")))), "question")
        elif ev.type == "tool_call":
            src.add(_walk(d.get("args", {})), f"arguments of {d.get('name')}")
        elif ev.type == "approval_decision" and isinstance(d.get("args"), dict):
            src.add(_walk(d["args"]), "edited arguments")
        elif ev.type == "tool_result":
            where = f"result of {d.get('tool')}"
            src.add(_walk(d.get("data", {})), where)
            src.add((n.value for n in numbers_in(str(d.get("summary", "")))), where)
            prov = d.get("provenance") or {}
            src.add(_walk({k: prov.get(k) for k in ("medium", "parameters", "changes")}),
                    f"provenance of {d.get('tool')}")
    src.freeze()
    return src


def verify_answer(thread: Thread, answer: str) -> Verification:
    """Check each number of ``answer`` against the question and the tool results in ``thread``."""
    src = sources(thread)
    out = Verification()
    for n in numbers_in(answer):
        out.numbers.append(n.text)
        where = src.find(n.value, n.tolerance)
        if where is None and n.percent:
            where = src.find(n.value / 100.0, n.tolerance / 100.0)
        if where is None:
            if n.text not in out.untraceable:
                out.untraceable.append(n.text)
        else:
            out.traced[n.text] = where
    return out


def flag_line(untraceable: list[str]) -> str:
    """The line appended to an answer whose numbers could not all be traced."""
    shown = ", ".join(untraceable[:10]) + (" ..." if len(untraceable) > 10 else "")
    return (f"⚠ Unverified: {shown} — not found in the question or in any tool result of "
            "this session; treat with caution.")
