"""An approval that arrives days later resumes the session (Temporal's time-skipping server).

The session waits in a workflow for a person's approval; the request's one-day deadline is a
durable timer, so when three (skipped) days pass the workflow records the escalation to the
named contact; the approval then runs the tool and the session finishes with the number
plain cobrapy gives.
"""

from __future__ import annotations

import asyncio
import sys
import time
from datetime import timedelta
from pathlib import Path

import cobra
from temporalio.api.enums.v1 import EventType
from temporalio.testing import WorkflowEnvironment

from fluxagent.agent import Agent
from fluxagent.config import Settings
from fluxagent.core.context import Context
from fluxagent.core.steps import Done, Step, ToolCall
from fluxagent.human.approvals import ApprovalPolicy
from fluxagent.llm.scripted import ScriptedDecider
from fluxagent.runtime.temporal.worker import serve
from fluxagent.runtime.temporal.workflow import workflow_id

TEST_SERVER = Path(sys.executable).parent / "temporal-test-server"


def script(ctx: Context) -> Step:
    results = ctx.thread.of_type("tool_result")
    if not results:
        return ToolCall(name="run_fba", args={"model": "e_coli_core"})
    return Done(answer=f"e_coli_core grows at {results[-1].data['data']['objective_value']} 1/h")


def policy() -> ApprovalPolicy:
    return ApprovalPolicy(tools=frozenset({"run_fba"}), approval_timeout_s=86400.0,
                          escalate_to="pi@lab.example")


def test_approval_three_days_later(tmp_path: Path, pg_fresh_url: str) -> None:
    assert TEST_SERVER.exists(), f"no time-skipping test server at {TEST_SERVER}"
    asyncio.run(_scenario(tmp_path, pg_fresh_url))


async def _scenario(tmp_path: Path, db_url: str) -> None:
    env = await WorkflowEnvironment.start_time_skipping(
        test_server_existing_path=str(TEST_SERVER))
    try:
        target = env.client.service_client.config.target_host
        settings = Settings(data_dir=tmp_path, database_url=db_url, runner="temporal",
                            temporal_address=target, temporal_task_queue="days")
        worker_agent = Agent(settings=settings.model_copy(update={"runner": "local"}),
                             decider=ScriptedDecider(script), policy=policy())
        stop = asyncio.Event()
        worker = asyncio.create_task(serve(settings, runner=worker_agent.runner, stop=stop,
                                           concurrency=4, heavy=False))
        client = Agent(settings=settings, decider=ScriptedDecider(script), policy=policy())
        state = await asyncio.to_thread(client.ask, "How fast does e_coli_core grow?",
                                        model="e_coli_core")
        assert state.status == "waiting_for_approval", state
        sid = state.session_id
        assert client.state(sid).pending_approval

        await env.sleep(timedelta(days=3))  # nobody answers for three days
        escalations = await _wait_for(lambda: [ev for ev in client.thread(sid)
                                               if ev.type == "annotation"
                                               and ev.data.get("kind") == "escalation"])
        assert len(escalations) == 1
        assert escalations[0].data["to"] == "pi@lab.example"
        assert escalations[0].data["request"] == state.pending_approval

        state = await asyncio.to_thread(client.approve, sid, comment="fine, run it")
        assert state.status == "done", state
        expected = cobra.io.load_model("textbook").slim_optimize()
        thread = client.thread(sid)
        results = thread.of_type("tool_result")
        assert len(results) == 1 and len(thread.of_type("tool_call")) == 1
        assert abs(results[0].data["data"]["objective_value"] - expected) < 1e-9
        assert state.answer is not None and str(results[0].data["data"]["objective_value"]) \
            in state.answer
        assert [e.type for e in thread].count("approval_decision") == 1

        history = await env.client.get_workflow_handle(workflow_id(sid)).fetch_history()
        fired = [e for e in history.events if e.event_type == EventType.EVENT_TYPE_TIMER_FIRED]
        assert fired, "the deadline was not a durable workflow timer"
        stop.set()
        await worker
    finally:
        await env.shutdown()


async def _wait_for(probe, timeout_s: float = 60.0):  # type: ignore[no-untyped-def]
    end = time.monotonic() + timeout_s
    while time.monotonic() < end:
        found = await asyncio.to_thread(probe)
        if found:
            return found
        await asyncio.sleep(0.3)
    raise AssertionError("timed out waiting for the escalation")
