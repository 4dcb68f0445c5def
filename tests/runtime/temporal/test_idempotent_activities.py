"""A retried activity never stores an outcome twice (real PostgreSQL, the real tools).

Temporal runs an activity again when its worker died, its result report was lost, or its
heartbeats stopped: a retry may come after the first attempt stored its outcome, or run at
the same time as a zombie first attempt. Either way the thread gets the outcome once.
"""

from __future__ import annotations

import asyncio
import inspect
import threading
from pathlib import Path
from typing import Any

from temporalio.testing import ActivityEnvironment

from fluxagent.agent import Agent
from fluxagent.config import Settings
from fluxagent.core.steps import Done, ToolCall
from fluxagent.llm.scripted import ScriptedDecider
from fluxagent.runtime import sessions
from fluxagent.runtime.temporal.activities import SessionActivities


def _agent(tmp_path: Path, url: str) -> Agent:
    script = [ToolCall(name="run_fba", args={"model": "e_coli_core"}), Done(answer="ok")]
    return Agent(settings=Settings(data_dir=tmp_path, database_url=url),
                 decider=ScriptedDecider(script))


def _run(fn: Any, job: dict[str, Any]) -> Any:
    beats: list[Any] = []
    env = ActivityEnvironment()
    env.on_heartbeat = beats.append
    if inspect.iscoroutinefunction(fn):  # the local activities (planning, bookkeeping)
        return asyncio.run(env.run(fn, job))
    return env.run(fn, job)


def test_retried_steps_store_once(tmp_path: Path, pg_fresh_url: str) -> None:
    agent = _agent(tmp_path, pg_fresh_url)
    acts = SessionActivities(agent.runner)
    sid = sessions.launch(agent.runner, "grow?", model="e_coli_core", run=False).session_id

    plan = _run(acts.plan_step, {"session_id": sid})
    assert plan["kind"] == "decide"
    job = {"session_id": sid, "seq": plan["seq"], "kind": "decide"}
    first = _run(acts.apply_step, job)
    assert first["stored"] and first["next"]["kind"] == "execute"  # the next plan comes along
    assert _run(acts.apply_step, job) == {"stored": False, "why": "stale"}  # the retry
    assert len(agent.thread(sid).of_type("tool_call")) == 1

    plan = _run(acts.plan_step, {"session_id": sid})
    assert plan["kind"] == "execute" and plan["tool"] == "run_fba"
    call = {"session_id": sid, "call_id": plan["call_id"]}
    assert _run(acts.run_tool, call)["stored"]
    assert _run(acts.run_tool, call) == {"stored": False, "why": "duplicate"}
    results = agent.thread(sid).of_type("tool_result")
    assert [ev.call_id for ev in results] == [plan["call_id"]]


def test_a_zombie_and_its_retry_store_once(tmp_path: Path, pg_fresh_url: str) -> None:
    agent = _agent(tmp_path, pg_fresh_url)
    acts = SessionActivities(agent.runner)
    sid = sessions.launch(agent.runner, "grow?", model="e_coli_core", run=False).session_id
    plan = _run(acts.plan_step, {"session_id": sid})
    _run(acts.apply_step, {"session_id": sid, "seq": plan["seq"], "kind": "decide"})
    plan = _run(acts.plan_step, {"session_id": sid})
    call = {"session_id": sid, "call_id": plan["call_id"]}
    outcomes: list[dict[str, Any]] = []
    attempts = [threading.Thread(target=lambda: outcomes.append(_run(acts.run_tool, call)))
                for _ in range(3)]
    for t in attempts:
        t.start()
    for t in attempts:
        t.join(120)
    assert sorted(o["stored"] for o in outcomes) == [False, False, True]
    assert len(agent.thread(sid).of_type("tool_result")) == 1
