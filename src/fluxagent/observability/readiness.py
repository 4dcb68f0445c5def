"""``/readyz``: can this process do work now? A list of named checks, pluggable.

Built in: ``database`` (a round trip to the store) and ``solver`` (GLPK, and the configured
solver, solve a two-variable LP; cached for a minute: a solver does not come and go). The
runner adds its own (``readiness_checks()``: the Temporal runner's ``temporal``, its server's
health check; api/app.py), and any part of a process may ``register(name, check)``. A check
returns None when fine, else a one-line reason, and may raise: the exception's first line is
the reason.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

Check = Callable[[], str | None]
_lock = threading.Lock()
_extra: dict[str, Check] = {}


def register(name: str, check: Check) -> None:
    """Add (or replace) a check every ``/readyz`` of this process runs."""
    with _lock:
        _extra[name] = check


def unregister(name: str) -> None:
    with _lock:
        _extra.pop(name, None)


def database_check(store: Any) -> Check:
    """The store answers a read (SQLite file or PostgreSQL server)."""
    def check() -> str | None:
        store.sessions(1)
        return None
    return check


@dataclass
class SolverCheck:
    """GLPK (every analysis can fall back to it) and the configured solver solve a test LP."""

    solver: str = "glpk"
    ttl_s: float = 60.0
    _last: tuple[float, str | None] | None = field(default=None, repr=False)

    def __call__(self) -> str | None:
        if self._last is not None and time.monotonic() - self._last[0] < self.ttl_s:
            return self._last[1]
        from fluxagent.observability.doctor import _OPTLANG, _solve_test_lp

        key = self.solver.strip().lower()
        interfaces = ["glpk"] + ([_OPTLANG[key][1]] if key in _OPTLANG and key != "glpk"
                                 else [])
        why = None if key in _OPTLANG else f"unknown solver {self.solver!r} (FLUXAGENT_SOLVER)"
        for interface in interfaces:
            why = why or ((f"{interface}: " + problem)
                          if (problem := _solve_test_lp(interface)) else None)
        self._last = (time.monotonic(), why)
        return why


def run(checks: dict[str, Check]) -> tuple[bool, dict[str, str]]:
    """Run ``checks`` and the registered ones: (all fine, {name: "ok" or the reason})."""
    with _lock:
        every = {**checks, **_extra}
    out: dict[str, str] = {}
    for name, check in every.items():
        try:
            why = check()
        except Exception as exc:  # a failing dependency shows up as anything
            text = str(exc).strip().splitlines()
            why = text[0] if text else type(exc).__name__
        out[name] = "ok" if why is None else why
    return all(v == "ok" for v in out.values()), out
