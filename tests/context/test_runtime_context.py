"""The loop records what the context manager did: usage per decision, compaction, variant."""

from __future__ import annotations

from pathlib import Path

from context_data import core_results
from pydantic import BaseModel

from fluxagent.agent import Agent
from fluxagent.config import Settings
from fluxagent.core.steps import Done, ToolCall
from fluxagent.human.approvals import NO_APPROVALS
from fluxagent.llm.scripted import ScriptedDecider
from fluxagent.prompts.metrics import from_store
from fluxagent.store.sql import SqlStore
from fluxagent.tools.registry import Registry, ToolContext
from fluxagent.tools.results import ToolResult


class NoArgs(BaseModel):
    pass


def test_usage_compaction_and_variant_are_events(tmp_path: Path) -> None:
    reg = Registry()

    @reg.tool("run_fva", "FVA of every reaction.", NoArgs)
    def fva(args: NoArgs, ctx: ToolContext) -> ToolResult:
        return ToolResult(tool="run_fva", summary="FVA at 90% over 95 reactions.",
                          data=core_results()["fva"])

    settings = Settings(data_dir=tmp_path, max_tokens=520)
    store = SqlStore.from_settings(settings)
    script = [ToolCall(name="run_fva")] * 6 + [Done(answer="done")]
    agent = Agent(settings=settings, store=store, registry=reg, policy=NO_APPROVALS,
                  decider=ScriptedDecider(script))
    state = agent.ask("FVA ranges of PFK, again and again")
    thread = agent.thread(state.session_id)
    assert state.status == "done"
    variants = [e for e in thread if e.type == "annotation"
                and e.data.get("kind") == "prompt_variant"]
    assert len(variants) == 1 and variants[0].data["variant"] in ("A", "B")
    decisions = [e for e in thread if e.type in ("tool_call", "final_answer")]
    usage = [e.data["context"] for e in decisions]
    assert all(u["tokens"] <= u["budget"] == 520 for u in usage)
    assert usage[0]["prompt"]["version"] == variants[0].data["version"]
    assert usage[-1]["sections"]["recent"] > 0
    compacted = thread.of_type("context_compacted")
    assert compacted, "a 520-token budget must drop older FVA results"
    dropped = [s for e in compacted for s in e.data["dropped"]]
    assert len(dropped) == len(set(dropped))  # each drop recorded once
    rows = from_store(store)
    assert rows[0]["sessions"] == 1 and rows[0]["renders"] == len(decisions)
    assert rows[0]["outcomes"] == {"done": 1} and rows[0]["max_tokens"] <= 520
