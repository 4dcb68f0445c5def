"""Screening of tool arguments before they are validated, run or stored.

Pydantic checks each argument's type; this checks what no per-tool schema should have to
repeat: numbers must be finite (NaN and ±Infinity become ``null`` in JSON, so a stored
``Infinity`` would break every later replay), strings and collections are bounded
(``FLUXAGENT_MAX_ARG_CHARS``, ``FLUXAGENT_MAX_ARG_ITEMS``), text is valid Unicode without
NUL (which PostgreSQL cannot store), and nesting is shallow. The registry applies it to every
tool, and the runner applies it to a decider's call before that call is stored.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import Any

#: Deeper than this, an argument is not something a person or a model means to send.
MAX_DEPTH = 24
#: All strings of one call together may hold this many times the per-string limit.
TOTAL_FACTOR = 10
#: Integers outside this range cannot be a count, a bound or a seed.
MAX_INT = 2**63


@dataclass(frozen=True)
class ArgLimits:
    max_chars: int = 100_000
    max_items: int = 10_000

    @classmethod
    def of(cls, settings: Any) -> ArgLimits:
        return cls(int(settings.max_arg_chars), int(settings.max_arg_items))


def _text_problem(text: str, where: str, limit: int) -> str | None:
    if len(text) > limit:
        return (f"{where}: text of {len(text):,} characters; the limit is {limit:,} "
                "(FLUXAGENT_MAX_ARG_CHARS)")
    if "\x00" in text:
        return f"{where}: text contains a NUL character"
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return f"{where}: text is not valid Unicode (a lone surrogate)"
    return None


def screen(value: Any, limits: ArgLimits, where: str = "arguments") -> str | None:
    """The first problem found in a raw argument value, as one line; None if it is fine."""
    budget = limits.max_chars * TOTAL_FACTOR
    used = 0
    stack: list[tuple[Any, str, int]] = [(value, where, 0)]
    while stack:
        v, at, depth = stack.pop()
        if depth > MAX_DEPTH:
            return f"{at}: nested deeper than {MAX_DEPTH} levels"
        if isinstance(v, str):
            problem = _text_problem(v, at, limits.max_chars)
            if problem:
                return problem
            used += len(v)
        elif isinstance(v, bool) or v is None:
            continue
        elif isinstance(v, float):
            if not math.isfinite(v):
                return f"{at}: {v} is not a finite number (give a number such as 1000)"
        elif isinstance(v, int):
            if abs(v) >= MAX_INT:
                return f"{at}: the integer is out of range"
        elif isinstance(v, dict | list | tuple):
            if len(v) > limits.max_items:
                return (f"{at}: {len(v):,} items; the limit is {limits.max_items:,} "
                        "(FLUXAGENT_MAX_ARG_ITEMS)")
            used += len(v)
            if isinstance(v, dict):
                for k, x in v.items():
                    key = k if isinstance(k, str) else str(k)
                    problem = _text_problem(key, f"{at} key", limits.max_chars)
                    if problem:
                        return problem
                    used += len(key)
                    stack.append((x, f"{at}.{_short(key)}", depth + 1))
            else:
                stack.extend((x, f"{at}[{i}]", depth + 1) for i, x in enumerate(v))
        if used > budget:
            return (f"{where}: {used:,}+ characters in all; the limit is {budget:,} "
                    f"({TOTAL_FACTOR} x FLUXAGENT_MAX_ARG_CHARS)")
    return None


def non_finite(value: Any, where: str = "arguments") -> str | None:
    """Where a NaN or ±Infinity hides in a validated value (pydantic parses "Infinity")."""
    stack: list[tuple[Any, str]] = [(value, where)]
    while stack:
        v, at = stack.pop()
        if isinstance(v, float) and not math.isfinite(v):
            return f"{at}: {v} is not a finite number (give a number such as 1000)"
        if isinstance(v, dict):
            stack.extend((x, f"{at}.{_short(str(k))}") for k, x in v.items())
        elif isinstance(v, list | tuple | set | frozenset):
            stack.extend((x, f"{at}[{i}]") for i, x in enumerate(v))
    return None


def preview(value: Any, limit: int = 300) -> str:
    """A short ASCII rendering of refused arguments, safe to store and to show."""
    try:
        text = json.dumps(value, ensure_ascii=True, default=str)
    except (TypeError, ValueError, RecursionError):
        text = repr(type(value))
    return text if len(text) <= limit else f"{text[:limit]}… ({len(text):,} characters)"


def _short(key: str) -> str:
    return key if len(key) <= 40 else key[:40] + "…"
