"""HybridDecider: questions the planner knows need no LLM call; the rest go to the stub LLM.

``EchoPlanner`` stands in for the offline planner (it implements the ``Confident`` protocol
that ``llm/offline`` implements): it understands "echo N" and half-understands "maybe N".
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from stub_server import StubServer, make_runner, openai_text, openai_tool_call

from fluxagent.config import Settings
from fluxagent.core.context import Context
from fluxagent.core.steps import Done, Step, ToolCall
from fluxagent.llm.base import DeciderError
from fluxagent.llm.hybrid import Confident, HybridDecider, hybrid_stats
from fluxagent.llm.openai import OpenAIDecider
from fluxagent.llm.providers import is_provider_spec, make_provider
from fluxagent.runtime import sessions


class EchoPlanner:
    name = "offline"

    def confidence(self, context: Context) -> float:
        q = context.question.lower()
        return 0.95 if re.search(r"\becho \d+", q) else 0.5 if "maybe" in q else 0.1

    def next_step(self, context: Context, tools: list[dict[str, Any]]) -> Step:
        if "crash" in context.question:
            raise DeciderError("planner cannot plan this", retryable=False)
        turn = context.thread.since_last_question()
        results = [e for e in turn if e.type == "tool_result"]
        if results:
            return Done(answer=f"x is {results[-1].data['data']['x']}.")
        n = int((re.findall(r"\d+", context.question) or ["0"])[0])
        return ToolCall(name="echo", args={"x": n}, rationale=f"echo {n}")


def hybrid(stub: StubServer, **kw: Any) -> HybridDecider:
    return HybridDecider(EchoPlanner(), OpenAIDecider("stub-model", base_url=stub.url + "/v1"),
                         **kw)


def test_planner_protocol() -> None:
    assert isinstance(EchoPlanner(), Confident)


def test_known_question_needs_no_llm_call() -> None:
    with StubServer([]) as stub:
        runner = make_runner(hybrid(stub))
        st = sessions.launch(runner, "Please echo 7")
    assert stub.requests == []
    assert st.status == "done" and st.answer == "x is 7."
    evs = list(runner.store.load(st.session_id))
    decisions = [e for e in evs if e.type in ("tool_call", "final_answer")]
    assert all(e.data["by"] == "offline" for e in decisions)
    assert decisions[0].data["rationale"].startswith("hybrid:offline (planner confidence 0.95)")
    assert all(e.data["usage"] == {"prompt_tokens": 0, "completion_tokens": 0}
               for e in decisions)
    assert hybrid_stats(runner.store.load(st.session_id)) == {
        "decisions": 2, "decisions_without_llm": 2, "questions": 1, "questions_without_llm": 1}


def test_unknown_question_goes_to_the_llm() -> None:
    with StubServer([openai_tool_call("echo", {"x": 2}), openai_text("x is 2.")]) as stub:
        runner = make_runner(hybrid(stub))
        st = sessions.launch(runner, "What is the square root of 4?")
    assert len(stub.requests) == 2 and stub.rejected == []
    assert st.answer == "x is 2." and st.prompt_tokens == 110
    decisions = [e for e in runner.store.load(st.session_id)
                 if e.type in ("tool_call", "final_answer")]
    assert all(e.data["by"] == "openai" for e in decisions)
    assert all(e.data["rationale"].startswith("hybrid:llm") for e in decisions)
    assert hybrid_stats(runner.store.load(st.session_id))["decisions_without_llm"] == 0


def test_half_understood_question_prefetches_then_llm_checks_the_draft() -> None:
    with StubServer([openai_text("x is 5 (checked).")]) as stub:
        runner = make_runner(hybrid(stub))
        st = sessions.launch(runner, "maybe 5?")
    assert st.answer == "x is 5 (checked)."
    assert len(stub.requests) == 1 and stub.rejected == []
    msgs = stub.requests[0].body["messages"]
    assert msgs[-2]["role"] == "tool" and msgs[-2]["content"].startswith("echo: x=5")
    assert msgs[-1]["role"] == "system" and "Draft answer:\nx is 5." in msgs[-1]["content"]
    evs = list(runner.store.load(st.session_id))
    call = next(e for e in evs if e.type == "tool_call")
    assert call.data["by"] == "offline" and call.data["rationale"].startswith("hybrid:prefetch")
    stats = hybrid_stats(runner.store.load(st.session_id))
    assert stats == {"decisions": 2, "decisions_without_llm": 1, "questions": 1,
                     "questions_without_llm": 0}


def test_mode_is_per_question_and_counted_per_session() -> None:
    with StubServer([openai_text("No idea.")]) as stub:
        runner = make_runner(hybrid(stub))
        st = sessions.launch(runner, "echo 3")
        st = sessions.launch(runner, "Why?", session_id=st.session_id)
        st = sessions.launch(runner, "echo 4", session_id=st.session_id)
    assert len(stub.requests) == 1 and st.answer == "x is 4."
    assert hybrid_stats(runner.store.load(st.session_id)) == {
        "decisions": 5, "decisions_without_llm": 4, "questions": 3, "questions_without_llm": 2}


def test_planner_failure_hands_the_question_to_the_llm() -> None:
    with StubServer([openai_text("Handled by the LLM.")]) as stub:
        runner = make_runner(hybrid(stub))
        st = sessions.launch(runner, "echo 1 and crash")
    assert st.answer == "Handled by the LLM." and len(stub.requests) == 1
    final = next(e for e in runner.store.load(st.session_id) if e.type == "final_answer")
    assert final.data["rationale"].startswith("hybrid:llm after the planner failed")


def test_planner_without_confidence_sends_everything_to_the_llm() -> None:
    from fluxagent.llm.scripted import ScriptedDecider
    with StubServer([openai_text("llm")]) as stub:
        d = HybridDecider(ScriptedDecider([Done(answer="planner")]),
                          OpenAIDecider("m", base_url=stub.url + "/v1"))
        st = sessions.launch(make_runner(d), "echo 1")
    assert st.answer == "llm"


def test_factory_strings(tmp_path: Path) -> None:
    s = Settings(llm_base_url="http://127.0.0.1:9/v1", data_dir=tmp_path)
    d = make_provider("hybrid:openai:gpt-4o-mini", s, planner=EchoPlanner())
    assert isinstance(d, HybridDecider) and isinstance(d.llm, OpenAIDecider)
    assert d.llm.model == "gpt-4o-mini"
    o = make_provider("ollama:llama3.1:8b", Settings(data_dir=tmp_path))
    assert isinstance(o, OpenAIDecider) and o.model == "llama3.1:8b" and o.name == "ollama"
    assert o.transport.base_url == "http://localhost:11434/v1"
    a = make_provider("anthropic:claude-sonnet-4-5", s)
    assert a.name == "anthropic"
    for spec in ("openai:x", "anthropic:x", "replay:p", "hybrid:openai:x", "ollama:x"):
        assert is_provider_spec(spec)
    assert not is_provider_spec("offline")
    for bad, msg in (("gemini:x", "unknown decider"), ("openai:", "needs a model"),
                     ("hybrid:replay:c.jsonl", "wraps a provider")):
        with pytest.raises(ValueError, match=msg):
            make_provider(bad, s, planner=EchoPlanner())


def test_real_offline_planner_on_e_coli_core(tmp_path: Path) -> None:
    """FLUXAGENT_LLM=hybrid:openai:<m> with the real planner, tools and e_coli_core: a growth
    question is answered offline with zero LLM requests; a question outside the planner's
    reach goes to the (stub) LLM."""
    from fluxagent.llm.offline import OfflinePlanner
    from fluxagent.tools import load_all
    from fluxagent.tools.models import ModelStore
    from fluxagent.tools.registry import ToolContext

    registry = load_all()
    with StubServer([openai_text("Ribosomes read the code; / proteins fold.")]) as stub:
        settings = Settings(llm="hybrid:openai:stub-model", llm_base_url=stub.url + "/v1",
                            data_dir=tmp_path)
        decider = make_provider(settings.llm, settings)  # the planner comes from llm/offline
        assert isinstance(decider, HybridDecider) and isinstance(decider.planner, OfflinePlanner)
        models = ModelStore(settings)
        runner = make_runner(decider, registry, tool_context=lambda t, s: ToolContext(
            session_id=t.session_id, state=s, models=models, settings=settings))
        st = sessions.launch(runner, "How fast does e_coli_core grow without oxygen?")
        assert stub.requests == []
        assert st.status == "done" and "0.2116" in (st.answer or "")  # 0.211663 1/h
        st = sessions.launch(runner, "Write a haiku about ribosomes.", session_id=st.session_id)
    assert len(stub.requests) == 1 and stub.rejected == []
    assert st.answer == "Ribosomes read the code; / proteins fold."
    stats = hybrid_stats(runner.store.load(st.session_id))
    assert stats["questions"] == 2 and stats["questions_without_llm"] == 1
    assert stats["decisions_without_llm"] == stats["decisions"] - 1


def test_real_planner_hands_a_half_understood_question_to_the_llm(tmp_path: Path) -> None:
    """A condition the planner cannot represent ("at pH 5") lowers its confidence: the
    planner's tool plan runs (pre-fetch) and the LLM gets its draft, which names the phrase
    it did not understand — nothing is answered with full confidence."""
    from fluxagent.llm.offline import OfflinePlanner
    from fluxagent.tools import load_all
    from fluxagent.tools.models import ModelStore
    from fluxagent.tools.registry import ToolContext

    registry = load_all()
    with StubServer([openai_text("At pH 5 I cannot say; FBA has no pH.")]) as stub:
        settings = Settings(llm="hybrid:openai:stub-model", llm_base_url=stub.url + "/v1",
                            data_dir=tmp_path)
        decider = make_provider(settings.llm, settings)
        assert isinstance(decider, HybridDecider) and isinstance(decider.planner, OfflinePlanner)
        models = ModelStore(settings)
        runner = make_runner(decider, registry, tool_context=lambda t, s: ToolContext(
            session_id=t.session_id, state=s, models=models, settings=settings))
        st = sessions.launch(runner, "How fast does e_coli_core grow at pH 5?")
    assert len(stub.requests) == 1
    sent = str(stub.requests[0])
    assert "Not understood" in sent and "pH 5" in sent  # the draft names what was dropped
    thread = runner.store.load(st.session_id)
    calls = [e for e in thread if e.type == "tool_call"]
    assert calls and all(e.data["rationale"].startswith("hybrid:prefetch") for e in calls)
    assert st.answer == "At pH 5 I cannot say; FBA has no pH."
