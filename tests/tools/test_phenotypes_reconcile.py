"""reconcile_phenotypes on iJO1366 through the real loop: proposals are requested, each apply is
one approval request showing the diff, an approved fix becomes a model effect in the thread
(re-scoring sees it, revert takes it back), a rejected one changes nothing; the held-out MCC
is reported before and after."""

from __future__ import annotations

from typing import Any

import pytest
from toolctx import SETTINGS, STORE, ctx, err, run

from fluxagent.agent import Agent
from fluxagent.agents.router import Router
from fluxagent.core.context import Context
from fluxagent.core.state import PendingCall, SessionState, fold
from fluxagent.core.steps import Done, Step, ToolCall
from fluxagent.human.approvals import ApprovalPolicy
from fluxagent.llm.scripted import ScriptedDecider
from fluxagent.store.memory import MemoryStore

DATA = {"model": "iJO1366", "dataset": "ecoli_biolog_carbon"}
RECONCILE = {**DATA, "max_items": 3, "gapfill": False, "folds": 3}


def _results(c: Context, tool: str) -> list[Any]:
    return [e for e in c.thread.of_type("tool_result") if e.data["tool"] == tool]


def _first_per_item(proposals: list[dict[str, Any]]) -> list[dict[str, Any]]:
    seen: dict[str, dict[str, Any]] = {}
    for p in proposals:
        seen.setdefault(p["item"], p)
    return list(seen.values())


def _curator(c: Context) -> Step:
    """Reconcile, apply the first fix of two items (one per call), re-score, answer."""
    rec = _results(c, "reconcile_phenotypes")
    if not rec:
        return ToolCall(name="reconcile_phenotypes", args=RECONCILE)
    picked = _first_per_item(rec[-1].data["data"]["proposals"])[:2]
    asked = [e for e in c.thread.of_type("tool_call") if e.data["name"] == "apply_model_fix"]
    if len(asked) < len(picked):
        p = picked[len(asked)]
        return ToolCall(name="apply_model_fix", args={
            "model": "iJO1366", "fix": p["id"], "title": p["title"], "changes": p["changes"],
            "diff": p["diff"]})
    if not _results(c, "compare_phenotypes"):
        return ToolCall(name="compare_phenotypes", args=DATA)
    return Done(answer=_results(c, "compare_phenotypes")[-1].data["summary"])


@pytest.fixture(scope="module")
def session() -> dict[str, Any]:
    agent = Agent(settings=SETTINGS, store=MemoryStore(),
                  decider=Router(ScriptedDecider(_curator)))
    st = agent.ask("propose fixes for the Biolog carbon sources iJO1366 gets wrong",
                   model="iJO1366")
    sid = st.session_id
    out: dict[str, Any] = {"agent": agent, "sid": sid, "first_wait": st}
    out["after_approve"] = agent.approve(sid, comment="block it")
    out["after_reject"] = agent.reject(sid, "keep that transporter")
    out["thread"] = agent.thread(sid)
    return out


def test_proposals_and_cross_validation(session: dict[str, Any]) -> None:
    rec = next(e for e in session["thread"].of_type("tool_result")
           if e.data["tool"] == "reconcile_phenotypes").data
    d = rec["data"]
    assert d["scores"]["confusion"] == {"TP": 54, "FP": 24, "FN": 5, "TN": 39}
    props = d["proposals"]
    assert props and all(p["disagreement"] == "FP" and p["changes"] and p["diff"]
                         for p in props)
    assert all(p["check"]["growth_after"] <= 0.01 for p in props)  # checked in silico
    cv = d["cross_validation"]
    assert cv["k"] == 3 and len(cv["folds"]) == 3
    assert cv["held_out_mcc_before"] == pytest.approx(d["scores"]["mcc"], abs=1e-12)
    assert isinstance(cv["held_out_mcc_after"], float)
    for fold_row in cv["folds"]:  # fixes are chosen on the other folds only
        items = {p["id"]: p["item"] for p in props}
        assert fold_row["train"] + fold_row["test"] == 122
        assert all(items[k] for k in fold_row["kept"])
    assert "held-out MCC 0.556 before" in rec["summary"]
    assert "Nothing is changed" in rec["summary"]


def test_each_fix_is_one_approval_with_its_diff(session: dict[str, Any]) -> None:
    thread = session["thread"]
    first = session["first_wait"]
    assert first.status == "waiting_for_approval"
    assert first.pending_call is not None and first.pending_call.name == "apply_model_fix"
    requests = thread.of_type("approval_request")
    assert [r.data["tool"] for r in requests] == ["apply_model_fix", "apply_model_fix"]
    for r in requests:
        assert r.data["args"]["diff"] and r.data["args"]["diff"][0] in r.data["reason"]
        assert r.data["reason"].startswith(f"model change {r.data['args']['fix']}")
    applied = [e for e in thread.of_type("tool_result") if e.data["tool"] == "apply_model_fix"]
    assert len(applied) == 1  # the rejected one never ran
    assert applied[0].call_id == requests[0].call_id


def test_approved_fix_is_a_model_effect_and_a_rejected_one_changes_nothing(
        session: dict[str, Any]) -> None:
    approved = session["after_approve"]
    assert approved.status == "waiting_for_approval"  # the second proposal waits
    changes = approved.models["iJO1366"].changes
    fix = session["thread"].of_type("approval_request")[0].data["args"]
    assert [c["fix"] for c in changes] == [fix["fix"]]
    assert changes[0]["op"] == fix["changes"][0]["op"]
    done = session["after_reject"]
    assert done.status == "done"
    assert done.models["iJO1366"].changes == changes  # the rejection changed nothing
    # re-scoring runs on the changed model: the fixed item no longer grows in silico
    rescored = [e for e in session["thread"].of_type("tool_result")
                if e.data["tool"] == "compare_phenotypes"][-1].data["data"]
    item = next(p["item"] for p in _first_per_item(
        next(e for e in session["thread"].of_type("tool_result")
         if e.data["tool"] == "reconcile_phenotypes").data["data"]["proposals"])
        if p["id"] == fix["fix"])
    row = next(r for r in rescored["predictions"] if r["id"] == item)
    assert row["outcome"] == "TN"
    assert rescored["scores"]["confusion"] == {"TP": 54, "FP": 23, "FN": 5, "TN": 40}
    # reproducible: the state folded again from the stored thread is the same
    assert fold(session["thread"]).models == done.models
    # revertible: revert_model_fix takes it back, the base bounds return
    st = fold(session["thread"])
    rev = run("revert_model_fix", {"model": "iJO1366", "fix": fix["fix"]}, ctx(st))
    assert rev.effects[0] == {"op": "reset_model", "model": "iJO1366"} and len(rev.effects) == 1
    rid = fix["changes"][0]["reactions"][0]
    base = STORE.base("iJO1366").model.reactions.get_by_id(rid).bounds
    assert STORE.build("iJO1366", st).reactions.get_by_id(rid).bounds == (0.0, 0.0)
    assert err("revert_model_fix", {"model": "iJO1366", "fix": "P99"}, ctx(st)).kind == \
        "unknown_id"
    assert base != (0.0, 0.0)


def test_a_fix_always_asks_and_its_diff_must_match() -> None:
    call = PendingCall(call_id="c", name="apply_model_fix", args={"fix": "P1", "diff": ["x"]})
    assert ApprovalPolicy(never=frozenset({"apply_model_fix"}), tools=frozenset()) \
        .needs_approval(call, SessionState(session_id="s"))
    change = {"op": "knockout_reactions", "model": "e_coli_core", "reactions": ["PGI"]}
    e = err("apply_model_fix", {"fix": "P1", "changes": [change],
                                "diff": ["~ PGI: something else"]})
    assert e.kind == "bad_arguments" and "does not match" in e.message
    ok = run("apply_model_fix", {"fix": "P1", "changes": [change], "diff": e.data["expected"]})
    assert ok.effects == [{**change, "fix": "P1"}]
    assert err("apply_model_fix", {"fix": "P1", "changes": [{"op": "set_medium"}],
                                   "diff": ["x"]}).kind == "bad_arguments"
