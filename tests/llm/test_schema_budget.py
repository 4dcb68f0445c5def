"""Tool schemas sent to an LLM count toward the context budget, and each step sends only the
few it needs (agents/schemas.py, agents/router.py).

Real agent, real tools and models, real router; the LLM is the local OpenAI / Anthropic stub
server, so the request bodies are exactly what a provider would receive.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

from stub_server import (
    Request,
    StubServer,
    anthropic_text,
    openai_text,
    openai_tool_call,
)

from fluxagent.agent import Agent
from fluxagent.agents import schemas
from fluxagent.agents.router import Router
from fluxagent.agents.specs import AGENTS_FILE, load_book, parse_book
from fluxagent.config import Settings
from fluxagent.context.tokens import PER_MESSAGE, PER_REPLY, count_text
from fluxagent.evaluation.loader import load_cases
from fluxagent.human.approvals import NO_APPROVALS
from fluxagent.llm.anthropic import AnthropicDecider
from fluxagent.llm.openai import OpenAIDecider
from fluxagent.store.memory import MemoryStore

ROOT = Path(__file__).resolve().parents[2]
DEV = [c.query for c in load_cases(ROOT / "eval" / "dev_queries.yaml")]
BUDGET = 8000


# -- what a request costs, measured on the wire -----------------------------------------------
def _block_text(block: Any) -> str:
    if isinstance(block, str):
        return block
    if block.get("type") == "text":
        return str(block.get("text", ""))
    if block.get("type") == "tool_use":
        return f"{block.get('name')} {json.dumps(block.get('input'))}"
    if block.get("type") == "tool_result":
        content = block.get("content")
        return content if isinstance(content, str) else json.dumps(content)
    return json.dumps(block)


def request_tokens(req: Request) -> tuple[int, int]:
    """(tokens of the tools list, tokens of the messages) of one request body."""
    body = req.body
    tools = body.get("tools") or []
    tool_tokens = count_text(json.dumps(tools)) if tools else 0
    msgs = 0
    if isinstance(body.get("system"), str):
        msgs += count_text(body["system"]) + PER_MESSAGE
    for m in body["messages"]:
        content = m.get("content")
        parts = content if isinstance(content, list) else [content or ""]
        text = " ".join(_block_text(p) for p in parts)
        for call in m.get("tool_calls") or []:
            text += f" {call['function']['name']} {call['function']['arguments']}"
        msgs += count_text(text) + PER_MESSAGE
    return tool_tokens, msgs + PER_REPLY


def forced_book(agent: str) -> Any:
    """The shipped agents, with every question routed to ``agent``."""
    raw = yaml.safe_load(AGENTS_FILE.read_text())
    raw["default"] = agent
    raw["agents"] = {n: {**a, "keywords": []} for n, a in raw["agents"].items()}
    return parse_book(raw, "forced")


@pytest.fixture(scope="module")
def agent(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Agent]:
    """One real agent (models load once); each test puts its own router in front."""
    s = Settings(data_dir=tmp_path_factory.mktemp("budget"), max_tokens=BUDGET)
    yield Agent(settings=s, store=MemoryStore(), policy=NO_APPROVALS)


def use(agent: Agent, inner: Any, book: Any = None, budget: int = BUDGET) -> None:
    agent.runner.decider = Router(inner, book=book, prompts=agent.prompts)
    agent.contexts.max_tokens = budget


def openai(stub: StubServer) -> OpenAIDecider:
    return OpenAIDecider("stub-model", base_url=stub.url + "/v1", api_key="sk-test")


# -- the tests --------------------------------------------------------------------------------
def test_compact_schemas_are_far_smaller_and_say_things_once() -> None:
    from fluxagent.agent import default_registry
    specs = {s["name"]: s for s in default_registry().specs()}
    book = load_book()
    every = list(specs.values())
    assert schemas.schema_tokens(schemas.compact(every)) < 0.45 * schemas.schema_tokens(every)
    for name in book.agents:
        full = [specs[t] for t in book.tools_of(name) if t in specs]
        assert schemas.schema_tokens(schemas.compact(full)) < 0.75 * schemas.schema_tokens(full)
    fba, fva = schemas.compact([specs["run_fba"], specs["run_fva"]])
    text = json.dumps([fba, fva])
    assert '"title"' not in text and '"default"' not in text and "$defs" not in text
    assert fva["parameters"]["properties"]["conditions"] == {
        "type": "object", "description": "as conditions of run_fba"}
    assert "description" not in fva["parameters"]["properties"]["model"]  # said in run_fba
    assert fba["parameters"]["properties"]["conditions"]["properties"]["oxygen"]["type"] == \
        "boolean"  # Optional[bool] unwrapped


@pytest.mark.parametrize("name", sorted(load_book().agents))
def test_dev_questions_stay_in_budget_through_every_agent(agent: Agent, name: str) -> None:
    """Every dev-set question, routed to this focused agent: tools + messages <= budget."""
    with StubServer([openai_text("Nothing to report.")] * len(DEV)) as stub:
        use(agent, openai(stub), forced_book(name))
        for q in DEV:
            st = agent.ask(q)
            assert st.status == "done", (q, st.status)
    assert stub.rejected == [] and len(stub.requests) == len(DEV)
    allowed = set(forced_book(name).tools_of(name)) | {schemas.MORE_TOOLS}
    full = schemas.schema_tokens(agent.registry.specs(sorted(allowed - {schemas.MORE_TOOLS})))
    for req in stub.requests:
        tools, msgs = request_tokens(req)
        assert tools + msgs <= BUDGET, (name, tools, msgs)
        sent = {t["function"]["name"] for t in req.body["tools"]}
        assert schemas.MORE_TOOLS in sent and sent <= allowed
        assert len(sent) <= schemas.MAX_SELECTED + 2  # the step's tools, human, escape
        assert tools < full / 2


def test_anthropic_requests_stay_in_budget(agent: Agent) -> None:
    with StubServer([anthropic_text("Nothing to report.")] * len(DEV)) as stub:
        use(agent, AnthropicDecider("stub-model", base_url=stub.url, api_key="sk-test"))
        for q in DEV:
            assert agent.ask(q).status == "done"
    assert stub.rejected == []
    for req in stub.requests:
        tools, msgs = request_tokens(req)
        assert tools + msgs <= BUDGET
        assert schemas.MORE_TOOLS in {t["name"] for t in req.body["tools"]}


def test_decision_events_record_schema_tokens_in_the_budget(agent: Agent) -> None:
    with StubServer([openai_text("Nothing to report.")]) as stub:
        use(agent, openai(stub))
        st = agent.ask("How fast does e_coli_core grow without oxygen?")
    (final,) = agent.thread(st.session_id).of_type("final_answer")
    usage = final.data["context"]
    tools, msgs = request_tokens(stub.requests[0])
    assert usage["schema_tokens"] >= tools > 0 and tools + msgs <= usage["budget"]
    assert usage["total"] == usage["tokens"] + usage["schema_tokens"] <= usage["budget"]
    assert usage["schemas"][0] in ("run_fba", "run_pfba") and usage["schemas"][-1] == \
        schemas.MORE_TOOLS


def test_a_tool_outside_the_selection_is_reached_in_a_later_step(agent: Agent) -> None:
    q = "How fast does e_coli_core grow?"
    with StubServer([openai_tool_call("more_tools", {"names": ["find_blocked_reactions"]}),
                     openai_tool_call("find_blocked_reactions", {}, call_id="call_2"),
                     openai_text("8 blocked reactions.")]) as stub:
        use(agent, openai(stub))
        st = agent.ask(q)
    assert stub.rejected == [] and st.status == "done", st.status
    first, second, _third = (req.body for req in stub.requests)
    names = [[t["function"]["name"] for t in b["tools"]] for b in (first, second)]
    assert "find_blocked_reactions" not in names[0]  # a curation tool, not the analysis agent's
    more = next(t for t in first["tools"] if t["function"]["name"] == schemas.MORE_TOOLS)
    assert "find_blocked_reactions" in more["function"]["description"]
    assert "find_blocked_reactions" in names[1]
    thread = agent.thread(st.session_id)
    results = [ev.data["tool"] for ev in thread.of_type("tool_result")]
    assert results[-2:] == ["more_tools", "find_blocked_reactions"]
    assert "Unverified" not in (st.answer or "")  # 8 is the count the tool returned


def test_a_full_context_makes_room_for_the_schemas(agent: Agent) -> None:
    """Big results fill a small budget; the schema set is narrowed, then the context is
    rebuilt with room for the schemas, and every request still fits."""
    budget = 3200
    calls = [openai_tool_call(n, a, call_id=f"call_{i}") for i, (n, a) in enumerate([
        ("run_fva", {}), ("gene_deletion_screen", {}), ("essential_reactions", {}),
        ("run_fva", {"fraction_of_optimum": 0.9}), ("flux_sampling", {"n": 20, "seed": 1})])]
    with StubServer([*calls, openai_text("Nothing to report.")]) as stub:
        use(agent, openai(stub), budget=budget)
        st = agent.ask("Flux variability, deletions, essential reactions and sampling of "
                       "e_coli_core")
    assert stub.rejected == [] and st.status == "done", st.status
    for req in stub.requests:
        tools, msgs = request_tokens(req)
        assert tools + msgs <= budget, (tools, msgs)
    thread = agent.thread(st.session_id)
    usages = [ev.data["context"] for ev in thread if ev.type in ("tool_call", "final_answer")
              and "schema_tokens" in ev.data.get("context", {})]
    assert any(u.get("refit") for u in usages), usages
    assert all(u["total"] <= budget for u in usages)
    assert thread.of_type("context_compacted")
