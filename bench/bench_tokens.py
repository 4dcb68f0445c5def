"""Tokens sent to the decider: the ContextManager versus a naive full-JSON history (factor 3).

Sessions measured (all through the real Agent, real tools, real models):

- the dev set (eval/dev_queries.yaml, 30 questions) answered by the offline planner;
- long sessions of 10+ tool calls chosen by a scripted decider: one on iJO1366 with FVA of all
  2,583 reactions, knockouts, yields and medium changes; one on e_coli_core with screens,
  sampling and essentiality, asked as several follow-up questions in one session.

At every decision the Agent records what it sent (``data.context.tokens`` on the decision
event). The baseline for the same decision is the same system prompt plus every earlier event
as its JSON payload, one message each (what an agent that "keeps the history" sends). Tokens are
counted with tiktoken cl100k_base (offline copy), the counter the budget uses.

Also reported: the budget is never exceeded (max tokens / budget), and the dev-set pass rate
with the default budget equals the pass rate with an unlimited one (pruning costs no answers).

Tool schemas (LLM deciders): the dev set runs through the real router in front of a probe
that declares itself schema-sending (as the OpenAI/Anthropic deciders do) and then lets the
offline planner decide, so every decision of the real plans is measured. Per decision:
"before" = the focused agent's full schemas as they were sent (chat-completions wire, no
selection), "after" = the compact per-step selection plus the ``more_tools`` escape; and
messages + schemas against the budget.

Run the schema part alone: ``.venv/bin/python bench/bench_tokens.py schemas``.

Run alone: ``.venv/bin/python bench/bench_tokens.py`` (or ``bench/run.py tokens``).
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from fluxagent.context.render import render_naive
from fluxagent.context.tokens import count_messages, counter
from fluxagent.core.events import Thread
from fluxagent.core.steps import Done, Step, ToolCall

DEV_SET = Path(__file__).resolve().parents[1] / "eval" / "dev_queries.yaml"
BUDGET = 8000
DECISIONS = ("tool_call", "human_request", "final_answer")

LONG_IJO: list[Step] = [
    ToolCall(name="load_model", args={"model": "iJO1366"}),
    ToolCall(name="model_summary", args={}),
    ToolCall(name="get_medium", args={}),
    ToolCall(name="run_fba", args={}),
    ToolCall(name="run_pfba", args={}),
    ToolCall(name="run_fva", args={"fraction_of_optimum": 0.9}),
    ToolCall(name="run_fba", args={"conditions": {"oxygen": False}}),
    ToolCall(name="knockout_genes", args={"genes": ["pgi"]}),
    ToolCall(name="search_model", args={"query": "succinate"}),
    ToolCall(name="theoretical_yield", args={"product": "succinate"}),
    ToolCall(name="run_fba", args={"conditions": {"carbon_source": "glycerol"}}),
    ToolCall(name="run_fva", args={"reactions": ["PFK", "PGI", "G6PDH2r"],
                                   "fraction_of_optimum": 0.95}),
    Done(answer="Summary of the iJO1366 analyses above."),
]
CORE_TURNS: list[tuple[str, list[Step]]] = [
    ("Analyse e_coli_core: growth, FVA and essential genes.", [
        ToolCall(name="run_fba", args={}),
        ToolCall(name="run_fva", args={"fraction_of_optimum": 0.9}),
        ToolCall(name="essential_genes", args={}),
        ToolCall(name="essential_reactions", args={}),
        Done(answer="e_coli_core grows at 0.874 1/h; 7 essential genes.")]),
    ("Now screen single gene deletions and sample fluxes.", [
        ToolCall(name="gene_deletion_screen", args={}),
        ToolCall(name="flux_sampling", args={"n": 200, "seed": 1}),
        ToolCall(name="find_blocked_reactions", args={}),
        Done(answer="Screen and sampling done.")]),
    ("And without oxygen: growth, acetate yield and the FVA of PFK?", [
        ToolCall(name="run_fba", args={"conditions": {"oxygen": False}}),
        ToolCall(name="theoretical_yield", args={"product": "acetate",
                                                 "conditions": {"oxygen": False}}),
        ToolCall(name="run_fva", args={"reactions": ["PFK"], "conditions": {"oxygen": False}}),
        ToolCall(name="production_envelope", args={"product": "acetate"}),
        Done(answer="Anaerobic results above.")]),
]


def naive_tokens(thread: Thread, upto: int, system_tokens: int) -> int:
    """The baseline for the decision at ``upto``: system prompt + every event as JSON."""
    msgs = [m for ev in thread.events[:upto] if (m := render_naive(ev)) is not None]
    return system_tokens + count_messages(msgs)


def measure(thread: Thread) -> list[dict[str, Any]]:
    """Per decision: what the ContextManager sent and what the naive history would have."""
    rows = []
    for i, ev in enumerate(thread):
        ctx = ev.data.get("context") if ev.type in DECISIONS else None
        if not isinstance(ctx, dict):
            continue
        system = int(ctx["sections"].get("system", 0))
        rows.append({"managed": int(ctx["tokens"]), "budget": int(ctx["budget"]),
                     "naive": naive_tokens(thread, i, system), "events": i})
    return rows


def _agent(tmp: Path, decider: Any = None, max_tokens: int = BUDGET) -> Any:
    from fluxagent.agent import Agent
    from fluxagent.config import get_settings
    from fluxagent.human.approvals import NO_APPROVALS
    from fluxagent.store.memory import MemoryStore

    settings = get_settings().model_copy(update={"data_dir": tmp, "max_tokens": max_tokens})
    return Agent(settings=settings, store=MemoryStore(), decider=decider,
                 policy=NO_APPROVALS if decider is not None else None)


def dev_set(tmp: Path, max_tokens: int) -> tuple[list[Thread], float]:
    from fluxagent.evaluation.loader import load_cases
    from fluxagent.evaluation.runner import run_cases

    agent = _agent(tmp, max_tokens=max_tokens)
    ev = run_cases(load_cases(DEV_SET), agent=agent)
    return [agent.thread(r.session_id) for r in ev.runs if r.session_id], ev.pass_rate


def long_sessions(tmp: Path) -> list[Thread]:
    from fluxagent.llm.scripted import ScriptedDecider

    out = []
    agent = _agent(tmp, ScriptedDecider(LONG_IJO))
    st = agent.ask("Characterise iJO1366: growth, FVA, knockouts, yields, carbon sources.")
    out.append(agent.thread(st.session_id))
    steps = [s for _, turn in CORE_TURNS for s in turn]
    agent = _agent(tmp, ScriptedDecider(steps))
    sid = None
    for question, _ in CORE_TURNS:
        sid = agent.ask(question, model="e_coli_core" if sid is None else None,
                        session_id=sid).session_id
    assert sid is not None
    out.append(agent.thread(sid))
    return out


def _summary(rows: list[dict[str, Any]]) -> dict[str, Any]:
    managed = sum(r["managed"] for r in rows)
    naive = sum(r["naive"] for r in rows)
    return {"decisions": len(rows), "managed_tokens": managed, "naive_tokens": naive,
            "reduction": round(1 - managed / naive, 4) if naive else 0.0,
            "max_managed": max((r["managed"] for r in rows), default=0),
            "max_naive": max((r["naive"] for r in rows), default=0),
            "over_budget": sum(r["managed"] > r["budget"] for r in rows)}


class SchemaProbe:
    """Looks like an LLM decider to the router (it sends schemas), decides like the planner."""

    sends_schemas = True

    def __init__(self, planner: Any) -> None:
        self.planner = planner
        self.name = planner.name  # the planner counts its own decisions by name
        self.rows: list[dict[str, Any]] = []

    def confidence(self, context: Any) -> float:
        return float(self.planner.confidence(context))

    def next_step(self, context: Any, tools: list[dict[str, Any]]) -> Step:
        from fluxagent.agents.schemas import schema_tokens
        from fluxagent.llm.openai import tools_to_wire
        sent = context.meta.get("schemas") or []
        before = counter().count(json.dumps(tools_to_wire(tools))) if tools else 0
        self.rows.append({"agent": context.meta.get("agent"), "before": before,
                          "after": schema_tokens(sent),
                          "messages": context.tokens, "budget": context.budget,
                          "tools_before": len(tools), "tools_after": len(sent)})
        return self.planner.next_step(context, tools)


def _stats(values: list[int]) -> dict[str, float]:
    import statistics
    return {"median": statistics.median(values) if values else 0,
            "max": max(values, default=0), "n": len(values)}


def schema_run() -> dict[str, Any]:
    """Schema tokens per LLM decision, before/after selection, over the dev set."""
    from fluxagent.agents.router import Router
    from fluxagent.evaluation.loader import load_cases
    from fluxagent.evaluation.runner import run_cases
    from fluxagent.llm.factory import make_decider

    with tempfile.TemporaryDirectory(prefix="fluxagent-bench-schemas-") as tmp:
        agent = _agent(Path(tmp))
        probe = SchemaProbe(make_decider(agent.settings.model_copy(update={"llm": "offline"})))
        agent.runner.decider = Router(probe, prompts=agent.prompts)
        ev = run_cases(load_cases(DEV_SET), agent=agent)
        every = counter().count(json.dumps(_wire(agent.registry.specs())))
    rows = probe.rows
    before, after = _stats([r["before"] for r in rows]), _stats([r["after"] for r in rows])
    over_before = sum(r["messages"] + r["before"] > r["budget"] for r in rows)
    over_after = sum(r["messages"] + r["after"] > r["budget"] for r in rows)
    total_after = _stats([r["messages"] + r["after"] for r in rows])
    metrics = [
        {"metric": "tool schema tokens per LLM decision, before (agent's full set)",
         "unit": "tokens", **before},
        {"metric": "tool schema tokens per LLM decision, after (selection + more_tools)",
         "unit": "tokens", **after, "ratio": round(after["median"] / before["median"], 3)
         if before["median"] else None,
         "ratio_to": "tool schema tokens per LLM decision, before (agent's full set)"},
        {"metric": "messages + schemas per LLM decision, after", "unit": "tokens",
         **total_after, "budget": BUDGET, "over_budget": over_after,
         "over_budget_before": over_before},
        {"metric": "dev-set pass rate through the schema-selecting router", "unit": "",
         "median": ev.pass_rate, "n": len(ev.runs)}]
    return {"metrics": metrics, "environment": {"counter": counter().name, "budget": BUDGET,
                                                "all_tool_schemas": every},
            "notes": (f"Schema tokens per decision over {len(rows)} LLM decisions of the dev "
                      f"set: before median {before['median']}, max {before['max']}; after "
                      f"median {after['median']}, max {after['max']} (all tools: {every}). "
                      f"Messages + schemas over the {BUDGET} budget: "
                      f"{over_before} decisions before, {over_after} after.")}


def _wire(specs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    from fluxagent.llm.openai import tools_to_wire
    return tools_to_wire(specs)


def run() -> dict[str, Any]:
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="fluxagent-bench-tokens-") as tmp:
        dev_threads, pass_rate = dev_set(Path(tmp), BUDGET)
        _, pass_unlimited = dev_set(Path(tmp), 10_000_000)
        long_threads = long_sessions(Path(tmp))
    dev = _summary([r for t in dev_threads for r in measure(t)])
    long = _summary([r for t in long_threads for r in measure(t)])
    total = _summary([r for t in dev_threads + long_threads for r in measure(t)])
    tool_calls = [sum(1 for e in t if e.type == "tool_call") for t in long_threads]
    metrics = []
    for label, s in (("dev set", dev), ("long sessions", long), ("all", total)):
        metrics.append({"metric": f"tokens sent, ContextManager vs naive JSON ({label})",
                        "unit": "%", "median": round(100 * s["reduction"], 1),
                        "n": s["decisions"], "managed_tokens": s["managed_tokens"],
                        "naive_tokens": s["naive_tokens"], "max_managed": s["max_managed"],
                        "max_naive": s["max_naive"], "over_budget": s["over_budget"]})
    metrics.append({"metric": "dev-set pass rate, budget 8000 / unlimited", "unit": "",
                    "median": pass_rate, "ratio": round(pass_rate / pass_unlimited, 4)
                    if pass_unlimited else None, "ratio_to": "unlimited budget",
                    "pass_unlimited": pass_unlimited})
    schema = schema_run()
    metrics += schema["metrics"]
    return {"metrics": metrics,
            "environment": {"counter": counter().name, "budget": BUDGET,
                            "all_tool_schemas": schema["environment"]["all_tool_schemas"],
                            "dev_sessions": len(dev_threads),
                            "long_session_tool_calls": tool_calls},
            "notes": (f"Reduction = 1 - managed/naive tokens summed over every decision. "
                      f"Counter: {counter().name}. Over budget: {total['over_budget']} of "
                      f"{total['decisions']} decisions (budget {BUDGET}). Largest naive "
                      f"context: {total['max_naive']:,} tokens; largest managed: "
                      f"{total['max_managed']:,}. Pass rate {pass_rate:.0%} with the budget, "
                      f"{pass_unlimited:.0%} without. {schema['notes']} "
                      f"{time.perf_counter() - started:.0f} s."),
            "summary": {"dev": dev, "long": long, "all": total}}


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    print(json.dumps(schema_run() if sys.argv[1:] == ["schemas"] else run(), indent=1))
