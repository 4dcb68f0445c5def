"""Error learning: a fix that resolved an error pattern is remembered across sessions and
offered the next time, so the second occurrence recovers in fewer steps."""

from __future__ import annotations

import re
from pathlib import Path

from errors_kit import make_agent, scripted

from fluxagent.core.context import Context
from fluxagent.core.steps import Done, Step, ToolCall
from fluxagent.store.learning import ErrorMemory
from fluxagent.store.sql import SqlStore


def trial_and_error(ctx: Context) -> Step:
    """A plain decider: the word as given, then a guessed id, then the hint's first id; a
    remembered fix (``Context.meta["recovery"]``) is taken as soon as one is offered."""
    thread = ctx.thread.since_last_question()
    last = thread[-1]
    if last.type == "tool_result":
        return Done(answer=last.data["summary"])
    if last.type == "tool_error":
        recovery = ctx.meta.get("recovery")
        if recovery:
            return ToolCall(name=recovery["tool"], args=recovery["args"])
        tried = [e for e in thread if e.type == "tool_call"]
        if len(tried) == 1:
            word = tried[0].data["args"]["carbon"]
            return ToolCall(name="growth_on", args={"carbon": f"EX_{word}_e"})
        first = re.search(r"closest: ([\w]+)", last.data.get("hint", ""))
        assert first, last.data
        return ToolCall(name="growth_on", args={"carbon": first.group(1)})
    word = ctx.question.split()[-1].rstrip("?")
    return ToolCall(name="growth_on", args={"carbon": word})


def steps(agent, session: str) -> int:  # type: ignore[no-untyped-def]
    return sum(1 for e in agent.thread(session) if e.type == "tool_call")


def test_second_occurrence_recovers_in_fewer_steps(tmp_path: Path) -> None:
    first = make_agent(tmp_path, scripted(trial_and_error))
    s1 = first.ask("How fast does it grow on glucose?")
    assert s1.status == "done" and "0.8739" in str(s1.answer)
    assert steps(first, s1.session_id) == 3  # glucose ✗, EX_glucose_e ✗, EX_glc__D_e ✓

    # a new agent (as in a new process) on the same database: a different session
    second = make_agent(tmp_path, scripted(trial_and_error))
    s2 = second.ask("And how fast on glucose?")
    assert s2.status == "done" and "0.8739" in str(s2.answer)
    assert steps(second, s2.session_id) == 2  # glucose ✗, then the remembered EX_glc__D_e ✓
    decision = [e for e in second.thread(s2.session_id) if e.type == "tool_call"][1]
    assert decision.data["args"] == {"carbon": "EX_glc__D_e"}

    # the hint the decider read said what worked before
    ctx_text = second._context(second.thread(s2.session_id).prefix(4),
                               second.state(s2.session_id))
    shown = [m["content"] for m in ctx_text.messages if str(m["content"]).startswith("ERROR")]
    assert shown and "Worked before: growth_on with carbon: 'glucose' → 'EX_glc__D_e'" in shown[0]

    stats = ErrorMemory.for_store(SqlStore.from_settings(second.settings)).stats()
    assert stats == [{"tool": "growth_on", "kind": "unknown_id", "errors": 3, "recovered": 3,
                      "recovery_rate": 1.0, "mean_steps": 1.33}]


def test_learning_is_idempotent_and_specific(tmp_path: Path) -> None:
    agent = make_agent(tmp_path, scripted(trial_and_error))
    s1 = agent.ask("growth on glucose?")
    thread = agent.thread(s1.session_id)
    agent.errors.observe(thread, thread.events)  # observing again records nothing new
    assert agent.errors.stats()[0]["errors"] == 2
    # another misspelled source is not "fixed" with glucose's fix
    s2 = agent.ask("growth on succinate?")
    assert steps(agent, s2.session_id) == 3 and "EX_succ_e" in str(
        agent.state(s2.session_id).answer)
    patterns = agent.errors.patterns()
    assert {p["subject"] for p in patterns} == {"glucose", "EX_glucose_e", "succinate",
                                                "EX_succinate_e"}
