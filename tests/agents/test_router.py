"""The router and the focused agents: routing, hand-offs as events, deterministic pre-fetch,
restricted tools and prompts, step limits, and replay of every routing decision."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from fluxagent.agent import Agent
from fluxagent.agents.router import Router
from fluxagent.agents.specs import MAX_TOOLS, AgentSpecError, load_book, parse_book
from fluxagent.config import Settings
from fluxagent.core.context import Context
from fluxagent.core.steps import Done, Step, ToolCall
from fluxagent.flows.replay import replay_decisions
from fluxagent.llm.scripted import ScriptedDecider
from fluxagent.prompts import PromptManager
from fluxagent.store.memory import MemoryStore
from fluxagent.tools import load_all


@pytest.fixture
def make(tmp_path: Path):
    def build(decider: Any = None) -> Agent:
        return Agent(settings=Settings(data_dir=tmp_path), store=MemoryStore(),
                     decider=decider)
    return build


@pytest.mark.parametrize("question, agent", [
    ("How fast does e_coli_core grow without oxygen?", "analysis"),
    ("Which genes are essential in iJO1366?", "analysis"),
    ("What is the minimal medium of e_coli_core?", "media"),
    ("Find the blocked reactions and validate the model", "curation"),
    ("What is the pathway from glucose to succinate?", "pathways"),
    ("Look up the formula of cpd00027", "biochemistry"),
    ("Hello there", "analysis"),
    ("How well does iJO1366 predict the measured phenotypes?", "phenotypes"),
])
def test_routing(question: str, agent: str) -> None:
    assert load_book().route(question)[0] == agent


def test_agents_are_small_and_complete() -> None:
    book, registry, prompts = load_book(), load_all(), PromptManager()
    assert set(book.agents) == {"analysis", "media", "curation", "phenotypes", "pathways",
                                "biochemistry"}
    for name, spec in book.agents.items():
        assert 1 <= len(spec.tools) <= MAX_TOOLS, name
        missing = [t for t in book.tools_of(name) if t not in registry]
        assert missing == [], (name, missing)
        text = prompts.get_prompt(spec.prompt, tools=", ".join(book.tools_of(name)),
                                  max_steps=spec.max_steps)
        assert f"You are the {name} agent" in text
    owned = {t for n in book.agents for t in book.tools_of(n)}
    assert [t for t in registry.names() if t not in owned] == []  # every tool has a home
    with pytest.raises(AgentSpecError, match="at most 10"):
        parse_book({"default": "a", "agents": {"a": {
            "description": "d", "prompt": "p", "tools": [f"t{i}" for i in range(11)]}}})
    with pytest.raises(AgentSpecError, match="default agent"):
        parse_book({"default": "zz", "agents": {"a": {"description": "d", "prompt": "p"}}})


def test_handoff_prefetch_and_a_focused_view(make) -> None:
    seen: list[Context] = []
    offered: list[list[str]] = []

    class Inner:
        name = "inner"

        def next_step(self, ctx: Context, tools: list[dict[str, Any]]) -> Step:
            seen.append(ctx)
            offered.append([t["name"] for t in tools])
            done = [e for e in ctx.thread.since_last_question()
                    if e.type == "tool_result" and e.data["tool"] == "run_fba"]
            return Done(answer="fast") if done else ToolCall(name="run_fba", args={})

    agent = make(Router(Inner()))
    state = agent.ask("How fast does e_coli_core grow?")
    assert state.status == "done"
    thread = agent.thread(state.session_id)
    kinds = [(e.type, e.data.get("name") or e.data.get("to"), e.data.get("by"))
             for e in thread if e.type in ("agent_handoff", "tool_call", "final_answer")]
    assert kinds == [("agent_handoff", "analysis", None),
                     ("tool_call", "model_summary", "prefetch"),
                     ("tool_call", "get_medium", "prefetch"),
                     ("tool_call", "run_fba", "inner"), ("final_answer", None, "inner")]
    handoff = thread.of_type("agent_handoff")[0].data
    assert handoff["from"] == "router" and handoff["prompt"] == "agent_analysis"
    # the first decision already has the model summary and the medium in its context
    first = "\n".join(str(m["content"]) for m in seen[0].messages)
    assert "model_summary: e_coli_core" in first and "get_medium: Medium of e_coli_core" in first
    assert "You are the analysis agent" in str(seen[0].messages[0]["content"])
    assert seen[0].meta["agent"] == "analysis"
    assert set(offered[0]) == set(load_book().tools_of("analysis"))
    # a second question on the unchanged model reuses the facts: no new pre-fetch
    state = agent.ask("And how fast now?", session_id=state.session_id)
    turn = agent.thread(state.session_id).since_last_question()
    assert [e.data["name"] for e in turn if e.type == "tool_call"] == ["run_fba"]


def test_prefetch_again_after_the_model_changed_and_for_a_named_model(make) -> None:
    script = ScriptedDecider(lambda ctx: Done(answer="ok"))
    agent = make(Router(script))
    sid = agent.ask("What does e_coli_core take up?").session_id
    # a state change (here: a medium set by a tool) makes the facts stale

    def set_medium(ctx: Context) -> Step:
        done = [e for e in ctx.thread.since_last_question() if e.type == "tool_result"
                and e.data["tool"] == "set_medium"]
        return Done(answer="set") if done else ToolCall(name="set_medium", args={
            "carbon_source": "acetate"})

    agent.runner.decider = Router(ScriptedDecider(set_medium))
    agent.ask("Grow it on acetate medium", session_id=sid)
    turn = agent.thread(sid).since_last_question()
    order = [e.data["name"] for e in turn if e.type == "tool_call"]
    # turn 1's facts were fresh at first; set_medium made them stale, so they are fetched again
    assert order == ["set_medium", "model_summary", "get_medium"]
    medium = [e for e in turn if e.type == "tool_result"][-1].data["data"]["medium"]
    assert "EX_ac_e" in medium and "EX_glc__D_e" not in medium
    # a hand-off is recorded for the tool the first agent lacked
    assert [e.data["to"] for e in turn if e.type == "agent_handoff"] == ["analysis", "media"]
    agent.runner.decider = Router(script)
    agent.ask("What is the medium now?", session_id=sid)
    turn = agent.thread(sid).since_last_question()
    assert [e for e in turn if e.data.get("by") == "prefetch"] == []  # still fresh
    # a question naming another model pre-fetches that model's facts
    agent.ask("How big is iJO1366?", session_id=sid)
    turn = agent.thread(sid).since_last_question()
    pre = [e for e in turn if e.data.get("by") == "prefetch" and e.type == "tool_call"]
    assert pre and all(e.data["args"] == {"model": "iJO1366"} for e in pre)


def test_a_tool_outside_the_agent_is_handed_off(make) -> None:
    steps = [ToolCall(name="minimal_medium", args={}), Done(answer="ok")]
    agent = make(Router(ScriptedDecider(steps)))
    state = agent.ask("How fast does e_coli_core grow?")
    handoffs = [e.data for e in agent.thread(state.session_id).of_type("agent_handoff")]
    assert [(h["from"], h["to"]) for h in handoffs] == [("router", "analysis"),
                                                        ("analysis", "media")]
    assert handoffs[1]["reason"] == "needs tool minimal_medium"


def test_the_step_limit_asks_a_person(make) -> None:
    spin = ScriptedDecider(lambda ctx: ToolCall(name="lookup_compound",
                                                args={"query": "glucose"}))
    agent = make(Router(spin))
    state = agent.ask("Look up the formula of cpd00027")
    assert state.status == "waiting_for_human"
    thread = agent.thread(state.session_id)
    calls = [e for e in thread.of_type("tool_call")]
    assert len(calls) == load_book().agents["biochemistry"].max_steps  # no pre-fetch here
    req = thread.of_type("human_request")[-1]
    assert req.data["by"] == "router" and "biochemistry agent used its 6 steps" in \
        req.data["question"]


def test_routing_and_planning_replay_to_the_same_decisions(make) -> None:
    agent = make()  # the default: router over the offline planner
    state = agent.ask("Which genes are essential in e_coli_core without oxygen?")
    assert state.status == "done"
    thread = agent.thread(state.session_id)
    assert thread.of_type("agent_handoff")[0].data["to"] == "analysis"
    n, problems = replay_decisions(thread, agent.runner.decider, agent.runner.context,
                                   agent.registry.specs())
    assert n >= 4 and problems == [], problems
