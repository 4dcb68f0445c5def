"""One session on the real agent (offline planner, real cobrapy tool, SQLite store) makes
the expected spans (parent and child), metric increments and structured log fields; the
scrape-time collector and the lease takeover counter read real stores."""

from __future__ import annotations

import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from fluxagent.agent import Agent
from fluxagent.config import Settings
from fluxagent.context.manager import ContextManager
from fluxagent.core.steps import Done, ToolCall, Usage
from fluxagent.human.approvals import NO_APPROVALS, ApprovalPolicy
from fluxagent.llm.scripted import ScriptedDecider
from fluxagent.observability import metrics
from fluxagent.runtime import lease, sessions
from fluxagent.runtime.local import LocalRunner
from fluxagent.store.memory import MemoryStore
from fluxagent.store.sql import SqlStore
from fluxagent.tools.registry import Registry, ToolContext
from fluxagent.tools.results import ToolResult


def sample(name: str, **labels: str) -> float:
    return metrics.REGISTRY.get_sample_value(name, labels) or 0.0


def by_id(finished: Any) -> dict[int, Any]:
    return {s.context.span_id: s for s in finished}


def test_one_agent_session_spans_metrics_and_logs(tmp_path: Path, spans: Any,
                                                  log_lines: Any) -> None:
    before = {"decide": sample("fluxagent_steps_total", action="decide"),
              "execute": sample("fluxagent_steps_total", action="execute"),
              "fba": sample("fluxagent_tool_seconds_count", tool="run_fba", outcome="ok"),
              "done": sample("fluxagent_sessions_ended_total", status="done"),
              "answers": sample("fluxagent_events_total", type="final_answer")}
    agent = Agent(settings=Settings(data_dir=tmp_path / "data"))
    state = agent.ask("How fast does e_coli_core grow?")
    assert state.status == "done"
    thread = agent.store.load(state.session_id)
    calls = [ev for ev in thread if ev.type == "tool_call"]
    assert "run_fba" in [c.data["name"] for c in calls]

    finished = spans.get_finished_spans()
    roots = [s for s in finished if s.name == "invoke_agent fluxagent"]
    assert len(roots) == 1 and roots[0].parent is None
    root = roots[0]
    assert root.attributes["gen_ai.operation.name"] == "invoke_agent"
    assert root.attributes["gen_ai.conversation.id"] == state.session_id
    assert {s.context.trace_id for s in finished} == {root.context.trace_id}
    index = by_id(finished)
    steps = [s for s in finished if s.name.startswith("step ")]
    assert steps and all(s.parent.span_id == root.context.span_id for s in steps)
    chats = [s for s in finished if s.attributes.get("gen_ai.operation.name") == "chat"]
    tools = [s for s in finished if s.attributes.get("gen_ai.operation.name") == "execute_tool"]
    for child in chats + tools:  # every decider call and tool run is a child of its step
        parent = index[child.parent.span_id]
        assert parent.name.startswith("step ") and parent.parent.span_id == root.context.span_id
    assert [index[c.parent.span_id].attributes["fluxagent.step.action"] for c in chats] == \
        ["decide"] * len(chats)
    # one execute_tool span per stored call, with the same tool and call id, in order
    assert [(t.attributes["gen_ai.tool.name"], t.attributes["gen_ai.tool.call.id"])
            for t in sorted(tools, key=lambda s: s.start_time)] == \
        [(c.data["name"], c.call_id) for c in calls]
    decisions = [ev for ev in thread if ev.type in ("tool_call", "final_answer")
                 and ev.data.get("by") != "retry"]
    assert len(chats) == len(decisions)
    assert [c.attributes["gen_ai.response.model"] for c in
            sorted(chats, key=lambda s: s.start_time)] == [ev.data["by"] for ev in decisions]
    assert "offline" in {c.attributes["gen_ai.response.model"] for c in chats}
    version = thread.events[-1].data["context"]["prompt"]["version"]
    assert {c.attributes["fluxagent.prompt.version"] for c in chats} == {version}
    assert all(isinstance(c.attributes["gen_ai.usage.input_tokens"], int) for c in chats)

    assert sample("fluxagent_steps_total", action="decide") - before["decide"] == len(chats)
    assert sample("fluxagent_steps_total", action="execute") - before["execute"] == len(calls)
    assert sample("fluxagent_tool_seconds_count", tool="run_fba", outcome="ok") \
        - before["fba"] == 1
    assert sample("fluxagent_sessions_ended_total", status="done") - before["done"] == 1
    assert sample("fluxagent_events_total", type="final_answer") - before["answers"] == 1
    assert metrics.REGISTRY.get_sample_value(
        "fluxagent_tokens_total", {"prompt": "system", "version": version,
                                   "direction": "input"}) is not None

    records = [r for r in log_lines.records() if r.get("logger") == "fluxagent.session"]
    assert [(r["seq"], r["event_type"]) for r in records] == \
        [(ev.seq, ev.type) for ev in thread]
    assert {r["session_id"] for r in records} == {state.session_id}
    traced = [r for r in records if r["seq"] > 0]  # the question is stored before the run
    assert traced and {r["trace_id"] for r in traced} == {f"{root.context.trace_id:032x}"}
    span_ids = {f"{s.context.span_id:016x}" for s in finished}
    assert all(r["span_id"] in span_ids for r in traced)
    assert [r["tool"] for r in records if r["event_type"] == "tool_result"] == \
        [c.data["name"] for c in calls]
    assert all(r["level"] == "info" and r["ts"].endswith("+00:00") for r in records)


class EchoArgs(BaseModel):
    x: int


def scripted(script: list[Any], store: Any = None,
             policy: ApprovalPolicy = NO_APPROVALS) -> LocalRunner:
    reg = Registry()

    @reg.tool("echo", "Echo x.", EchoArgs)
    def echo(args: EchoArgs, ctx: ToolContext) -> ToolResult:
        return ToolResult(tool="echo", summary=f"x={args.x}", data={"x": args.x})

    cm = ContextManager()
    return LocalRunner(store=store or MemoryStore(), decider=ScriptedDecider(script),
                       registry=reg, context=lambda t, s: cm.build(t, s, "sys"),
                       tool_context=lambda t, s: ToolContext(session_id=t.session_id, state=s),
                       policy=policy)


def test_tokens_and_error_kinds_are_counted(spans: Any) -> None:
    labels = {"prompt": "", "version": "", "direction": "input"}
    before_in = sample("fluxagent_tokens_total", **labels)
    before_out = sample("fluxagent_tokens_total", **{**labels, "direction": "output"})
    before_err = sample("fluxagent_errors_total", kind="bad_arguments", source="tool")
    runner = scripted([ToolCall(name="echo", args={"x": "no"}, usage=Usage(prompt_tokens=120,
                                                                           completion_tokens=7)),
                       ToolCall(name="echo", args={"x": 2}, usage=Usage(prompt_tokens=150,
                                                                        completion_tokens=5)),
                       Done(answer="x is 2", usage=Usage(prompt_tokens=90, completion_tokens=3))])
    assert sessions.launch(runner, "what is x?").status == "done"
    assert sample("fluxagent_tokens_total", **labels) - before_in == 360
    assert sample("fluxagent_tokens_total", **{**labels, "direction": "output"}) \
        - before_out == 15
    assert sample("fluxagent_errors_total", kind="bad_arguments", source="tool") \
        - before_err == 1
    tools = sorted((s for s in spans.get_finished_spans() if s.name == "execute_tool echo"),
                   key=lambda s: s.start_time)
    assert [s.attributes.get("error.type") for s in tools] == ["bad_arguments", None]
    assert [s.status.status_code.name for s in tools] == ["ERROR", "UNSET"]
    chats = sorted((s for s in spans.get_finished_spans() if s.name == "chat scripted"),
                   key=lambda s: s.start_time)
    assert [(s.attributes["gen_ai.usage.input_tokens"], s.attributes["gen_ai.usage.output_tokens"])
            for s in chats] == [(120, 7), (150, 5), (90, 3)]


def test_scrape_reads_sessions_and_open_approvals_from_the_store(tmp_path: Path) -> None:
    store = SqlStore(f"sqlite:///{tmp_path / 'f.db'}")
    runner = scripted([ToolCall(name="echo", args={"x": 1}), Done(answer="x is 1")], store,
                      policy=ApprovalPolicy(tools=frozenset({"echo"})))
    waiting = sessions.launch(runner, "what is x?")
    assert waiting.status == "waiting_for_approval"
    asked = next(ev.ts for ev in store.load(waiting.session_id) if ev.type == "approval_request")
    clock = {"now": asked + timedelta(hours=2)}
    collector = metrics.StateCollector(store, lambda: {"active": 0, "queued": 3},
                                       now=lambda: clock["now"])

    def scrape() -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
        return {(s.name, tuple(sorted(s.labels.items()))): s.value
                for family in collector.collect() for s in family.samples}

    got = scrape()
    assert got[("fluxagent_sessions", (("status", "waiting_for_approval"),))] == 1
    assert got[("fluxagent_sessions", (("status", "done"),))] == 0
    assert got[("fluxagent_requests_pending", (("kind", "approval"),))] == 1
    assert got[("fluxagent_request_oldest_age_seconds", (("kind", "approval"),))] == \
        pytest.approx(7200, abs=1)
    assert got[("fluxagent_runs", (("state", "queued"),))] == 3
    assert got[("fluxagent_store_up", ())] == 1

    assert sessions.decide(runner, waiting.session_id, "approve").status == "done"
    got = scrape()
    assert got[("fluxagent_sessions", (("status", "done"),))] == 1
    assert got[("fluxagent_sessions", (("status", "waiting_for_approval"),))] == 0
    assert got[("fluxagent_requests_pending", (("kind", "approval"),))] == 0
    store.close()
    broken = metrics.StateCollector(_Down())  # the store is down: no stale numbers
    assert {s.name: s.value for f in broken.collect() for s in f.samples} == \
        {"fluxagent_store_up": 0}


class _Down:
    def sessions(self, limit: int) -> list[Any]:
        raise ConnectionError("the database is down")


def test_a_dead_runners_lease_taken_over_is_counted(tmp_path: Path) -> None:
    store = SqlStore(f"sqlite:///{tmp_path / 'f.db'}")
    store.create("s1")
    before = sample("fluxagent_lease_takeovers_total")
    with lease.hold(store, "s1", ttl_s=30):  # held and released normally: no takeover
        pass
    assert sample("fluxagent_lease_takeovers_total") == before
    assert store.acquire_lease("s1", "dead-runner", 0.2) is None  # then never renewed
    time.sleep(0.3)
    with lease.hold(store, "s1", ttl_s=30, wait_s=5) as holder:
        assert store.lease("s1").holder == holder  # type: ignore[union-attr]
    assert sample("fluxagent_lease_takeovers_total") - before == 1
    assert store.lease("s1") is None
    store.close()
