"""The cost of the core itself: fold, append, and one full loop step, on SQLite and PostgreSQL.

- fold: ``fold(thread)`` over threads of 100 and 1000 realistic events (pure CPU).
- load: ``store.load`` of a 100-event thread (what every resume and API read pays).
- append: ``store.append`` of one event, committed (durable: SQLite WAL with synchronous=FULL,
  PostgreSQL with fsync and synchronous_commit on).
- loop step: one pass of the LocalRunner that decides a tool call (scripted decider, real
  context manager), stores it, runs a no-op tool and stores the result: the time between two
  consecutive tool results, in sessions of STEPS steps. The in-memory store gives the
  overhead of the core without a database; ratios compare each store with it.

PostgreSQL is a throwaway server started from the machine's binaries with the same helper as
the test suite (tests/pg.py).
"""

from __future__ import annotations

import itertools
import os
import sqlite3
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from pydantic import BaseModel

from fluxagent.context.manager import ContextManager
from fluxagent.core.context import Context
from fluxagent.core.events import Event, Thread, new_event
from fluxagent.core.state import fold
from fluxagent.core.steps import Done, Step, ToolCall
from fluxagent.human.approvals import NO_APPROVALS
from fluxagent.llm.scripted import ScriptedDecider
from fluxagent.runtime import sessions
from fluxagent.runtime.local import LocalRunner
from fluxagent.store.base import EventStore
from fluxagent.store.memory import MemoryStore
from fluxagent.store.sql import SqlStore
from fluxagent.tools.registry import Registry, ToolContext
from fluxagent.tools.results import ToolResult

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from pg import PostgresServer

FOLD_REPS = {100: 400, 1000: 60}
LOAD_REPS = 200
APPEND_REPS = 300
STEPS, SESSIONS = 20, 25  # loop steps per session, sessions per store
DURABLE: dict[str, str] = {}  # PostgreSQL defaults: fsync on, synchronous_commit on


def stats(name: str, samples_s: list[float], **extra: Any) -> dict[str, Any]:
    ms = np.array(samples_s) * 1000.0
    return {"metric": name, "unit": "ms", "median": round(float(np.median(ms)), 4),
            "p95": round(float(np.percentile(ms, 95)), 4), "n": len(samples_s), **extra}


def ratio(metric: dict[str, Any], base: dict[str, Any]) -> dict[str, Any]:
    return {**metric, "ratio": round(metric["median"] / base["median"], 2),
            "ratio_to": base["metric"]}


def timed(fn: Callable[[], object], reps: int, warmup: int = 3) -> list[float]:
    for _ in range(warmup):
        fn()
    out = []
    for _ in range(reps):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out


def sample_thread(n: int, session_id: str = "bench") -> Thread:
    """A realistic thread: a question, then FBA-like calls and results with effects."""
    events: list[Event] = [new_event("user_message", {"text": "growth without oxygen?",
                                                      "model": "e_coli_core"})]
    i = 0
    while len(events) < n:
        cid = f"c{i}"
        events.append(new_event("tool_call", {"name": "run_fba", "args": {"model": None},
                                              "by": "bench", "usage": {"prompt_tokens": 900,
                                                                       "completion_tokens": 40}},
                                call_id=cid))
        events.append(new_event("tool_result", {
            "tool": "run_fba", "ok": True, "summary": f"growth 0.{i % 10} 1/h",
            "data": {"objective_value": 0.87, "fluxes": {f"R{j}": j * 0.1 for j in range(25)}},
            "effects": [{"op": "set_bounds", "model": "e_coli_core", "reaction": "EX_o2_e",
                         "lower": 0.0, "upper": 1000.0}] if i % 5 == 0 else []},
            call_id=cid))
        i += 1
    return Thread(session_id).append(*events[:n])


class NoArgs(BaseModel):
    pass


def make_runner(store: EventStore) -> LocalRunner:
    reg = Registry()

    @reg.tool("noop", "Do nothing.", NoArgs)
    def noop(args: NoArgs, ctx: ToolContext) -> ToolResult:
        return ToolResult(tool="noop", summary="ok")

    def plan(ctx: Context) -> Step:
        done = sum(1 for e in ctx.thread if e.type == "tool_result")
        return ToolCall(name="noop") if done < STEPS else Done(answer="done")

    cm = ContextManager()
    return LocalRunner(store=store, decider=ScriptedDecider(plan), registry=reg,
                       context=lambda t, s: cm.build(t, s, "You are fluxagent."),
                       tool_context=lambda t, s: ToolContext(session_id=t.session_id, state=s),
                       policy=NO_APPROVALS, max_steps=STEPS + 5)


def loop_steps(store: EventStore) -> list[float]:
    """Per-step durations: time between consecutive stored tool results."""
    marks: list[float] = []
    runner = make_runner(store)
    runner.listeners.append(lambda ev: marks.append(time.perf_counter())
                            if ev.type in ("user_message", "tool_result") else None)
    out: list[float] = []
    for i in range(SESSIONS + 1):
        marks.clear()
        state = sessions.launch(runner, "noop please", session_id=uuid.uuid4().hex)
        assert state.status == "done", state
        if i:  # the first session warms up
            out += [b - a for a, b in itertools.pairwise(marks)]
    return out


def store_metrics(label: str, store: SqlStore) -> dict[str, dict[str, Any]]:
    sid = uuid.uuid4().hex
    store.create(sid)
    box = {"thread": Thread(sid)}

    def append_one() -> None:
        t = box["thread"]
        new = t.append(new_event("annotation", {"note": "bench", "i": len(t)}))
        store.append(sid, new.events[len(t):], expected_seq=len(t))
        box["thread"] = new

    loaded_id = uuid.uuid4().hex
    store.create(loaded_id)
    store.append(loaded_id, sample_thread(100, loaded_id).events, expected_seq=0)
    return {
        "append": stats(f"append 1 event ({label})", timed(append_one, APPEND_REPS)),
        "load": stats(f"load 100 events ({label})",
                      timed(lambda: store.load(loaded_id), LOAD_REPS)),
        "step": stats(f"loop step ({label})", loop_steps(store)),
    }


def run() -> dict[str, Any]:
    metrics: list[dict[str, Any]] = []
    load_before = os.getloadavg()[0]
    t100, t1000 = sample_thread(100), sample_thread(1000)
    f100 = stats("fold, 100 events", timed(lambda: fold(t100), FOLD_REPS[100]))
    f1000 = stats("fold, 1000 events", timed(lambda: fold(t1000), FOLD_REPS[1000]))
    metrics += [f100, ratio(f1000, f100)]
    memory = stats("loop step (memory store)", loop_steps(MemoryStore()))
    with tempfile.TemporaryDirectory() as tmp, \
            SqlStore(f"sqlite:///{Path(tmp) / 'bench.db'}") as lite:
        sqlite_m = store_metrics("sqlite", lite)
    with PostgresServer(settings=DURABLE) as server, \
            SqlStore(server.create_database("bench")) as pg:
        with pg.engine.connect() as conn:
            pg_version = conn.exec_driver_sql("SHOW server_version").scalar()
        pg_m = store_metrics("postgres", pg)
    metrics += [sqlite_m["append"], ratio(pg_m["append"], sqlite_m["append"]),
                sqlite_m["load"], ratio(pg_m["load"], sqlite_m["load"]),
                memory, ratio(sqlite_m["step"], memory), ratio(pg_m["step"], memory)]
    return {
        "metrics": metrics,
        "environment": {"python": sys.version.split()[0], "sqlite": sqlite3.sqlite_version,
                        "postgres": str(pg_version), "sqlite_mode": "WAL, synchronous=FULL",
                        "postgres_mode": "fsync=on, synchronous_commit=on, 127.0.0.1 TCP",
                        "cpus": os.cpu_count(),
                        "load_avg_1m": f"{load_before:.1f} before, "
                                       f"{os.getloadavg()[0]:.1f} after"},
        "notes": (f"loop step = decide (scripted, real context manager) + append tool_call + "
                  f"no-op tool + append tool_result, sessions of {STEPS} steps; ratios of the "
                  "store metrics are to SQLite (postgres) or to the in-memory store (loop step)."),
    }
