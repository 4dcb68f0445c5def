"""What observability costs: the telemetry hooks per loop step, and one ``/metrics`` scrape.

- session, hooks on / off: a session of STEPS scripted tool calls (real context manager,
  a no-op tool, in-memory store) with the telemetry hooks as shipped (metrics, spans into the
  SDK provider with no exporter, one log record per event: no handler, so not formatted)
  against the same session with the hooks replaced by no-ops. Ratio: the overhead.
- scrape, N sessions: ``StateCollector.collect`` over N finished sessions in SQLite, the
  first scrape (every thread loaded and folded) and a later one (nothing changed: only the
  session list is read).
"""

from __future__ import annotations

import contextlib
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
from pydantic import BaseModel

from fluxagent.context.manager import ContextManager
from fluxagent.core.steps import Done, Step, ToolCall
from fluxagent.human.approvals import NO_APPROVALS
from fluxagent.llm.scripted import ScriptedDecider
from fluxagent.observability import metrics, telemetry
from fluxagent.runtime import sessions
from fluxagent.runtime.local import LocalRunner
from fluxagent.store.memory import MemoryStore
from fluxagent.store.sql import SqlStore
from fluxagent.tools.registry import Registry, ToolContext
from fluxagent.tools.results import ToolResult

STEPS = 20
REPS = 40
SCRAPE_SESSIONS = 1000


class _Args(BaseModel):
    x: int


def _runner(store: Any, script: list[Step]) -> LocalRunner:
    reg = Registry()

    @reg.tool("noop", "Nothing.", _Args)
    def noop(args: _Args, ctx: ToolContext) -> ToolResult:
        return ToolResult(tool="noop", summary=f"x={args.x}", data={"x": args.x})

    cm = ContextManager()
    return LocalRunner(store=store, decider=ScriptedDecider(script), registry=reg,
                       context=lambda t, s: cm.build(t, s, "sys"),
                       tool_context=lambda t, s: ToolContext(session_id=t.session_id, state=s),
                       policy=NO_APPROVALS)


@contextlib.contextmanager
def _hooks_off() -> Iterator[None]:
    @contextlib.contextmanager
    def quiet(*a: Any, **k: Any) -> Iterator[Callable[[Any], None]]:
        yield lambda _x: None

    @contextlib.contextmanager
    def quiet_session(*a: Any, **k: Any) -> Iterator[None]:
        yield

    saved = {n: getattr(telemetry, n) for n in ("session", "step", "decision", "tool",
                                                 "appended")}
    telemetry.session, telemetry.decision, telemetry.tool = (  # type: ignore[assignment]
        quiet_session, quiet, quiet)
    telemetry.step = telemetry.appended = lambda *a, **k: None  # type: ignore[assignment]
    try:
        yield
    finally:
        for name, fn in saved.items():
            setattr(telemetry, name, fn)


def _session_ms() -> list[float]:
    script: list[Step] = [ToolCall(name="noop", args={"x": i}) for i in range(STEPS)]
    script.append(Done(answer="done"))
    out = []
    for _ in range(REPS):
        runner = _runner(MemoryStore(), script)
        t0 = time.perf_counter()
        sessions.launch(runner, "go")
        out.append((time.perf_counter() - t0) * 1e3)
    return out


def _metric(name: str, values: list[float], unit: str = "ms", **extra: Any) -> dict[str, Any]:
    arr = np.asarray(values)
    return {"metric": name, "unit": unit, "median": round(float(np.median(arr)), 3),
            "p95": round(float(np.percentile(arr, 95)), 3), "n": len(values), **extra}


def run() -> dict[str, Any]:
    _session_ms()  # warm up imports and caches
    on, off = [], []
    for _ in range(3):  # interleaved: the machine's noise hits both alike
        on += _session_ms()
        with _hooks_off():
            off += _session_ms()
    on_m = _metric(f"session of {STEPS} tool steps, hooks on", on)
    off_m = _metric(f"session of {STEPS} tool steps, hooks off", off)
    on_m.update(ratio=round(on_m["median"] / off_m["median"], 3), ratio_to=off_m["metric"])

    with tempfile.TemporaryDirectory() as tmp:
        store = SqlStore(f"sqlite:///{Path(tmp) / 'f.db'}")
        script: list[Step] = [ToolCall(name="noop", args={"x": 1}), Done(answer="one")]
        runner = _runner(store, script)
        for _ in range(SCRAPE_SESSIONS):
            sessions.launch(runner, "go")
        cold, warm = [], []
        for _ in range(3):
            collector = metrics.StateCollector(store)
            t0 = time.perf_counter()
            list(collector.collect())
            cold.append((time.perf_counter() - t0) * 1e3)
            for _ in range(5):
                t0 = time.perf_counter()
                list(collector.collect())
                warm.append((time.perf_counter() - t0) * 1e3)
        store.close()
    cold_m = _metric(f"first scrape, {SCRAPE_SESSIONS} sessions", cold)
    warm_m = _metric(f"later scrape, {SCRAPE_SESSIONS} sessions unchanged", warm)
    warm_m.update(ratio=round(warm_m["median"] / cold_m["median"], 3),
                  ratio_to=cold_m["metric"])
    return {"metrics": [on_m, off_m, cold_m, warm_m],
            "environment": {"steps": STEPS, "reps": 3 * REPS,
                            "scrape_sessions": SCRAPE_SESSIONS},
            "notes": "hooks on/off interleaved on an in-memory store; scrapes on SQLite."}
