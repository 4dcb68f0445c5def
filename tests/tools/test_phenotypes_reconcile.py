"""reconcile_phenotypes on iJO1366 through the real loop: proposals are requested, each apply is
one approval request showing the diff, an approved fix becomes a model effect in the thread
(re-scoring sees it, revert takes it back), a rejected one changes nothing; the held-out MCC
is reported before and after."""

from __future__ import annotations

from typing import Any

import cobra
import pytest
from toolctx import SETTINGS, ctx, err, phenotype_reference, run

from fluxagent.agent import Agent
from fluxagent.agents.router import Router
from fluxagent.core.context import Context
from fluxagent.core.events import Thread
from fluxagent.core.state import PendingCall, SessionState, fold
from fluxagent.core.steps import Done, Step, ToolCall
from fluxagent.human.approvals import ApprovalPolicy
from fluxagent.llm.scripted import ScriptedDecider
from fluxagent.store.sql import SqlStore
from fluxagent.tools.models import ModelStore
from fluxagent.tools.toolkit import fmt

DATA = {"model": "iJO1366", "dataset": "ecoli_biolog_carbon"}
CARBON_CLOSE = ["EX_glc__D_e", "EX_lac__L_e"]
RECONCILE = {**DATA, "max_items": 3, "gapfill": False, "folds": 3}


def _results(c: Context, tool: str) -> list[Any]:
    return [e for e in c.thread.of_type("tool_result") if e.data["tool"] == tool]


def _first_per_item(proposals: list[dict[str, Any]]) -> list[dict[str, Any]]:
    seen: dict[str, dict[str, Any]] = {}
    for p in proposals:
        seen.setdefault(p["item"], p)
    return list(seen.values())


def _curator(c: Context) -> Step:
    """Reconcile; apply the first fix of two items (one per call: approved, then rejected);
    re-score; revert the approved fix; answer."""
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
    scored = _results(c, "compare_phenotypes")
    if not scored:
        return ToolCall(name="compare_phenotypes", args=DATA)
    if not _results(c, "revert_model_fix"):
        return ToolCall(name="revert_model_fix", args={"model": "iJO1366",
                                                       "fix": picked[0]["id"]})
    return Done(answer=scored[-1].data["summary"])


@pytest.fixture(scope="module")
def session(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    url = f"sqlite:///{tmp_path_factory.mktemp('reconcile') / 'fluxagent.db'}"
    agent = Agent(settings=SETTINGS, store=SqlStore(url),
                  decider=Router(ScriptedDecider(_curator)))
    st = agent.ask("propose fixes for the Biolog carbon sources iJO1366 gets wrong",
                   model="iJO1366")
    sid = st.session_id
    out: dict[str, Any] = {"agent": agent, "sid": sid, "first_wait": st, "url": url}
    out["after_approve"] = agent.approve(sid, comment="block it")
    out["before_reject"] = agent.thread(sid)
    out["after_reject"] = agent.reject(sid, "keep that transporter")
    out["thread"] = agent.thread(sid)
    return out


def _tool_results(thread: Thread, tool: str) -> list[dict[str, Any]]:
    return [e.data["data"] for e in thread.of_type("tool_result") if e.data["tool"] == tool]


def test_proposals_and_cross_validation(session: dict[str, Any],
                                        plain_ijo1366: cobra.Model) -> None:
    rec = next(e for e in session["thread"].of_type("tool_result")
               if e.data["tool"] == "reconcile_phenotypes").data
    d = rec["data"]
    assert d["scores"]["confusion"] == {"TP": 54, "FP": 24, "FN": 5, "TN": 39}
    props = d["proposals"]
    assert props and all(p["disagreement"] == "FP" and p["changes"] and p["diff"]
                         for p in props)
    assert {p["kind"] for p in props} <= {"restrict_transport", "restrict_reaction"}
    wild = plain_ijo1366.slim_optimize()
    ref = phenotype_reference()
    for p in props:  # valid by plain cobrapy: growth on the source stops, the wild type grows
        assert ref.grow(plain_ijo1366, p["item"], CARBON_CLOSE) > 0.01
        with plain_ijo1366:
            for rid in p["changes"][0]["reactions"]:
                plain_ijo1366.reactions.get_by_id(rid).knock_out()
            assert ref.grow(plain_ijo1366, p["item"], CARBON_CLOSE) <= 0.01, p["title"]
            assert plain_ijo1366.slim_optimize() >= wild * (1 - 1e-6)
    cv = d["cross_validation"]
    assert cv["k"] == 3 and len(cv["folds"]) == 3 and cv["metric"] == "mcc"
    assert cv["held_out_mcc_before"] == pytest.approx(d["scores"]["mcc"], abs=1e-12)
    assert isinstance(cv["held_out_mcc_after"], float)
    items = {p["id"]: p["item"] for p in props}
    for fold_row in cv["folds"]:  # fixes are chosen on the other folds only
        assert fold_row["train"] + fold_row["test"] == 122
        assert set(fold_row["kept"]) <= set(items)
    assert f"held-out MCC 0.556 before, {fmt(cv['held_out_mcc_after'], 3)} after" in \
        rec["summary"]
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
        session: dict[str, Any], plain_ijo1366: cobra.Model) -> None:
    approved = session["after_approve"]
    assert approved.status == "waiting_for_approval"  # the second proposal waits
    changes = approved.models["iJO1366"].changes
    requests = session["thread"].of_type("approval_request")
    fix, rejected = (r.data["args"] for r in requests)
    assert [c["fix"] for c in changes] == [fix["fix"]]
    assert changes[0]["op"] == fix["changes"][0]["op"]
    decisions = session["thread"].of_type("approval_decision")
    assert [(e.call_id, e.data["decision"]) for e in decisions] == \
        [(requests[0].call_id, "approve"), (requests[1].call_id, "reject")]
    # the rejection: the stored thread before it is unchanged, only the decision is added
    # for that call (no result, no effect), and the model stays as it was
    before, thread = session["before_reject"], session["thread"]
    assert [e.model_dump() for e in thread.events[:len(before.events)]] == \
        [e.model_dump() for e in before.events]
    assert thread.events[len(before.events)].type == "approval_decision"
    assert not [e for e in thread.events if e.call_id == requests[1].call_id
                and e.type in ("tool_result", "tool_error")]
    at_rejection = fold(thread.prefix(len(before) + 1))
    assert at_rejection.models == fold(before).models  # the same recorded changes
    assert not {ch["fix"] for ch in at_rejection.models["iJO1366"].changes} & \
        {rejected["fix"]}
    # re-scoring runs on the changed model: the fixed item no longer grows in silico
    (first,) = _tool_results(thread, "compare_phenotypes")
    row = next(r for r in first["predictions"] if r["id"] == _item_of(thread, fix["fix"]))
    assert row["outcome"] == "TN"
    assert first["scores"]["confusion"] == {"TP": 54, "FP": 23, "FN": 5, "TN": 40}
    # reproducible: a fresh store on the same database and a fresh model store rebuild the
    # same model, equal to plain cobrapy with the fix applied
    stored = SqlStore(session["url"]).load(session["sid"])
    assert [e.model_dump() for e in stored.events] == [e.model_dump() for e in thread.events]
    done = session["after_reject"]
    assert done.status == "done" and fold(stored).models == done.models
    upto = next(i for i, e in enumerate(stored.events) if e.type == "tool_call"
                and e.data["name"] == "revert_model_fix")
    fixed = ModelStore(SETTINGS).build("iJO1366", fold(stored.prefix(upto)))
    rid = fix["changes"][0]["reactions"][0]
    assert fixed.reactions.get_by_id(rid).bounds == (0.0, 0.0)
    with plain_ijo1366:
        plain_ijo1366.reactions.get_by_id(rid).knock_out()
        assert fixed.slim_optimize() == pytest.approx(plain_ijo1366.slim_optimize(), abs=1e-9)
    # revertible, through the session: revert_model_fix takes it back, the base model returns
    assert done.models["iJO1366"].changes == ()
    assert ModelStore(SETTINGS).build("iJO1366", fold(stored)).reactions.get_by_id(
        rid).bounds == plain_ijo1366.reactions.get_by_id(rid).bounds != (0.0, 0.0)
    assert err("revert_model_fix", {"model": "iJO1366", "fix": "P99"}, ctx(done)).kind == \
        "unknown_id"


def _item_of(thread: Thread, fix: str) -> str:
    props = _tool_results(thread, "reconcile_phenotypes")[0]["proposals"]
    return str(next(p["item"] for p in props if p["id"] == fix))


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
