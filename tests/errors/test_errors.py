"""Factor 9: classification, compact rendering, streaks, retry rules, escalation."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from errors_kit import make_agent, registry, scripted
from pydantic import BaseModel

from fluxagent.core.context import Context
from fluxagent.core.errors import (
    ERROR_KINDS,
    RULES,
    TRANSIENT,
    classify,
    error_pattern,
    render_error,
)
from fluxagent.core.steps import Done, Step, ToolCall
from fluxagent.llm.base import DeciderError
from fluxagent.tools.registry import Registry, ToolContext
from fluxagent.tools.results import ToolFailure, ToolResult


def test_every_kind_has_a_rule_and_transient_kinds_are_the_retryable_ones() -> None:
    assert set(RULES) == set(ERROR_KINDS)
    assert {"timeout", "solver_error", "provider_error"} == TRANSIENT
    assert all(RULES[k].auto_retries == 0 for k in ERROR_KINDS - TRANSIENT)


@pytest.mark.parametrize(("exc", "kind"), [
    (TimeoutError("took too long"), "timeout"),
    (KeyError("PFKK"), "unknown_id"),
    (ValueError("bad argument x"), "bad_arguments"),
    (RuntimeError("model is infeasible"), "infeasible"),
    (RuntimeError("glpk solver crashed"), "solver_error"),
    (ConnectionError("refused"), "provider_error"),
    (ZeroDivisionError("x"), "internal"),
])
def test_classify_exceptions(exc: BaseException, kind: str) -> None:
    assert classify(exc) == kind


def test_compact_rendering_carries_the_recovery_hint() -> None:
    line = render_error({"tool": "run_fva", "kind": "unknown_id",
                         "message": "no reaction 'PFKK' in e_coli_core.",
                         "hint": "closest: PFK, PFL"})
    assert line == ("ERROR run_fva [unknown_id]: no reaction 'PFKK' in e_coli_core. "
                    "Hint: closest: PFK, PFL.")
    line = render_error({"tool": "run_fva", "kind": "timeout", "message": "over 600 s"})
    assert "smaller problem" in line and line.endswith("Transient.")
    assert "Worked before: x." in render_error({"tool": "t", "kind": "internal",
                                                "message": "m"}, learned="x")
    assert error_pattern({"tool": "t", "kind": "unknown_id",
                          "message": "no reaction 'PFKK' (3 of 95)"}) == (
        "t|unknown_id|no reaction <id> (<n> of <n>)", "PFKK")


def _steps(fn: Any) -> Any:
    """A decider from a list indexed by the number of its decisions so far."""
    def decide(ctx: Context) -> Step:
        made = sum(1 for e in ctx.thread if e.type in ("tool_call", "final_answer")
                   and e.data.get("by") == "scripted")
        return fn(made, ctx)
    return scripted(decide)


def test_streak_resets_on_success_and_escalates_after_three(tmp_path: Path) -> None:
    bad = ToolCall(name="growth_on", args={"carbon": "sugar"})
    good = ToolCall(name="growth_on", args={"carbon": "EX_glc__D_e"})
    plan = [bad, bad, good, bad, bad, bad, Done(answer="never")]
    agent = make_agent(tmp_path, _steps(lambda i, ctx: plan[i]))
    state = agent.ask("growth?")
    assert state.status == "waiting_for_human" and state.consecutive_errors == 3
    ask = agent.thread(state.session_id).last
    assert ask is not None and ask.data["by"] == "escalation"
    assert ("3 errors in a row (unknown_id); last: growth_on: no exchange reaction 'sugar' in "
            "e_coli_core") in ask.data["question"]
    # the person answers: the streak resets, the session goes on
    agent.runner.decider = scripted(lambda ctx: Done(answer="ok"))
    assert agent.respond(state.session_id, "use glucose").status == "done"


class SolveArgs(BaseModel):
    n: int = 1


def flaky(fails: int, kind: str) -> Any:
    count = {"n": 0}

    def add(reg: Registry) -> None:
        @reg.tool("solve", "Fails the first calls.", SolveArgs)
        def solve(args: SolveArgs, ctx: ToolContext) -> ToolResult:
            count["n"] += 1
            if count["n"] <= fails:
                raise ToolFailure(kind, f"attempt {count['n']} failed")  # type: ignore[arg-type]
            return ToolResult(tool="solve", summary="solved")
    return add


def test_solver_errors_are_retried_once_without_the_decider(tmp_path: Path) -> None:
    decider = _steps(lambda i, ctx: [ToolCall(name="solve"), Done(answer="x")][i])
    agent = make_agent(tmp_path, decider, registry(flaky(1, "solver_error")))
    slept: list[float] = []
    agent.runner.sleep = slept.append
    state = agent.ask("solve it")
    calls = agent.thread(state.session_id).of_type("tool_call")
    assert state.status == "done" and [c.data.get("by") for c in calls] == ["scripted", "retry"]
    assert calls[1].data["attempt"] == 2 and slept == [0.1]


def test_a_timeout_is_retried_once_then_the_decider_asks_a_smaller_problem(
        tmp_path: Path) -> None:
    seen: list[str] = []

    def decide(i: int, ctx: Context) -> Step:
        seen.append(str(ctx.messages[-1]["content"]))
        return [ToolCall(name="solve", args={"n": 1}), ToolCall(name="solve", args={"n": 2}),
                Done(answer="x")][i]
    agent = make_agent(tmp_path, _steps(decide), registry(flaky(2, "timeout")))
    slept: list[float] = []
    agent.runner.sleep = slept.append
    state = agent.ask("solve it")
    calls = agent.thread(state.session_id).of_type("tool_call")
    assert state.status == "done" and slept == [1.0]
    assert [c.data.get("by") for c in calls] == ["scripted", "retry", "scripted"]
    assert "ERROR solve [timeout]" in seen[1] and "smaller problem" in seen[1]


class Flaky:
    """A decider whose provider fails ``fails`` times before answering."""

    name = "flaky"

    def __init__(self, fails: int) -> None:
        self.fails = fails

    def next_step(self, context: Context, tools: list[dict[str, Any]]) -> Step:
        if self.fails > 0:
            self.fails -= 1
            raise DeciderError("HTTP 503 from the provider")
        return Done(answer="fine")


def test_provider_errors_back_off_then_recover_or_escalate(tmp_path: Path) -> None:
    agent = make_agent(tmp_path / "a", Flaky(2))
    slept: list[float] = []
    agent.runner.sleep = slept.append
    state = agent.ask("q")
    assert state.status == "done" and slept == [0.5, 1.0]
    agent = make_agent(tmp_path / "b", Flaky(5))
    agent.runner.sleep = slept.append
    state = agent.ask("q")
    assert state.status == "waiting_for_human"
    question = agent.thread(state.session_id).last.data["question"]  # type: ignore[union-attr]
    assert "3 errors in a row (provider_error); last: decider:flaky: HTTP 503" in question


def test_a_context_that_cannot_fit_is_escalated_with_the_reason(tmp_path: Path) -> None:
    agent = make_agent(tmp_path, scripted(lambda ctx: Done(answer="x")), max_tokens=50)
    state = agent.ask("q")
    thread = agent.thread(state.session_id)
    assert state.status == "waiting_for_human"
    assert [e.data.get("kind") for e in thread.of_type("tool_error")] == ["context_overflow"]
    assert "token budget (50) is smaller" in thread.last.data["question"]  # type: ignore


def test_moving_on_to_another_tool_is_not_a_learned_fix() -> None:
    from fluxagent.core.errors import resolutions
    from fluxagent.core.events import Thread, new_event

    def call(name: str, args: dict[str, Any], cid: str) -> Any:
        return new_event("tool_call", {"name": name, "args": args}, call_id=cid)

    t = Thread("r").append(
        new_event("user_message", {"text": "q"}),
        call("knockout_genes", {"genes": ["pgi"]}, "a"),
        new_event("tool_error", {"tool": "knockout_genes", "kind": "unknown_id",
                                 "message": "no gene 'pgi'"}, call_id="a"),
        call("search_model", {"query": "x"}, "b"),
        new_event("tool_result", {"tool": "search_model", "summary": "s"}, call_id="b"),
        call("knockout_genes", {"genes": ["b4025"]}, "c"),
        new_event("tool_result", {"tool": "knockout_genes", "summary": "s"}, call_id="c"))
    (res,) = resolutions(t)
    assert res.fix_tool == "knockout_genes" and res.changes == {"genes.0": ["pgi", "b4025"]}
    assert res.steps == 2
