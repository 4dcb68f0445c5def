"""A real session on the Temporal runner is one trace: every decision (a local activity) and
every tool (an activity on the task queue) is a span whose parents lead, through the spans
temporalio adds, to the client's update-with-start; one span per step, named as the thread
says; the worker counts the steps and the tool in its metrics, and its log lines carry the
session and the trace (real dev server, real PostgreSQL, the worker's real decider and
tools, in this process so its spans, metrics and logs can be read)."""

from __future__ import annotations

import asyncio
import io
import json
import logging
from pathlib import Path
from typing import Any

from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from temporal_cluster import DevServer

from fluxagent.agent import Agent
from fluxagent.config import Settings
from fluxagent.core.state import SessionState
from fluxagent.observability import logs, metrics, tracing
from fluxagent.runtime.temporal.worker import serve

QUESTION = "How fast does e_coli_core grow?"
ROOT = "StartUpdateWithStartWorkflow:FluxagentSession"


async def _session(settings: Settings) -> tuple[Agent, SessionState]:
    stop = asyncio.Event()
    worker = asyncio.create_task(serve(settings, stop=stop, concurrency=4, heavy=False))
    try:
        client = Agent(settings=settings)
        state = await asyncio.to_thread(client.ask, QUESTION, model="e_coli_core")
    finally:
        stop.set()
        await worker
    return client, state


def _sample(name: str, **labels: str) -> float:
    return metrics.REGISTRY.get_sample_value(name, labels) or 0.0


def _counts() -> dict[str, float]:
    return {"decide": _sample("fluxagent_steps_total", action="decide"),
            "execute": _sample("fluxagent_steps_total", action="execute"),
            "fba": _sample("fluxagent_tool_seconds_count", tool="run_fba", outcome="ok"),
            "answers": _sample("fluxagent_events_total", type="final_answer")}


def _logged(settings: Settings) -> tuple[Agent, SessionState, list[dict[str, Any]]]:
    """The session, with the ``fluxagent`` logger's JSON lines (put back as it was after)."""
    logger = logging.getLogger("fluxagent")
    saved = (list(logger.handlers), logger.level, logger.propagate)
    buf = io.StringIO()
    try:
        logs.install(buf, level="INFO")
        client, state = asyncio.run(_session(settings))
    finally:
        logger.handlers[:] = saved[0]
        logger.setLevel(saved[1])
        logger.propagate = saved[2]
    return client, state, [json.loads(x) for x in buf.getvalue().splitlines() if x.strip()]


def _chain(span: ReadableSpan, by_id: dict[int, ReadableSpan]) -> list[str]:
    names = [span.name]
    while span.parent is not None:
        span = by_id[span.parent.span_id]
        names.append(span.name)
    return names


def test_one_session_is_one_trace_across_its_activities(tmp_path: Path, pg_fresh_url: str,
                                                        devserver: DevServer,
                                                        queue: str) -> None:
    exporter = InMemorySpanExporter()
    tracing.add_exporter(exporter)
    settings = Settings(data_dir=tmp_path, database_url=pg_fresh_url, runner="temporal",
                        temporal_address=devserver.address, temporal_task_queue=queue)
    before = _counts()
    client, state, records = _logged(settings)
    assert state.status == "done", state
    finished: list[Any] = list(exporter.get_finished_spans())
    exporter.clear()  # the provider keeps it: later spans collect here unread
    mine = {s.context.trace_id for s in finished if s.name == ROOT}
    assert len(mine) == 1, "one update-with-start for one question"
    spans = [s for s in finished if s.context.trace_id in mine]
    by_id = {s.context.span_id: s for s in spans}

    calls = [ev.data["name"] for ev in client.thread(state.session_id).of_type("tool_call")]
    tools = [s for s in spans if s.name.startswith("execute_tool ")]
    assert sorted(s.name.removeprefix("execute_tool ") for s in tools) == sorted(calls)
    for tool in tools:
        assert _chain(tool, by_id) == [tool.name, "RunActivity:run_tool",
                                       "StartActivity:run_tool", ROOT]
        assert tool.attributes is not None
        assert tool.attributes["gen_ai.operation.name"] == "execute_tool"
    decisions = [s for s in spans if s.name.startswith("chat ")]
    assert len(decisions) == len(calls) + 1  # one per call, then the answer
    for chat in decisions:
        assert _chain(chat, by_id)[1:] == ["RunActivity:apply_step", "StartActivity:apply_step",
                                           ROOT]
    assert [s.name for s in spans if s.parent is None] == [ROOT]

    after = _counts()
    assert after["decide"] - before["decide"] == len(decisions)
    assert after["execute"] - before["execute"] == len(calls)
    assert after["fba"] - before["fba"] == calls.count("run_fba") == 1
    assert after["answers"] - before["answers"] == 1

    thread = client.thread(state.session_id)
    stored = [r for r in records if r.get("logger") == "fluxagent.session"
              and r.get("session_id") == state.session_id]
    by_worker = [r for r in stored if r["seq"] > 0]  # the question is stored by the client
    assert sorted(r["seq"] for r in by_worker) == [ev.seq for ev in thread if ev.seq > 0]
    assert {r["trace_id"] for r in by_worker} == {f"{next(iter(mine)):032x}"}
    assert {r["span_id"] for r in by_worker} <= {f"{s.context.span_id:016x}" for s in spans}
