"""A real session on the Temporal runner is one trace: every decision (a local activity) and
every tool (an activity on the task queue) is a span whose parents lead, through the spans
temporalio adds, to the client's update-with-start; one span per step, named as the thread
says (real dev server, real PostgreSQL, the worker's real decider and tools)."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from temporal_cluster import DevServer

from fluxagent.agent import Agent
from fluxagent.config import Settings
from fluxagent.core.state import SessionState
from fluxagent.observability import tracing
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
    client, state = asyncio.run(_session(settings))
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
