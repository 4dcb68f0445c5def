"""Gene-rule edits for a gene iJO1366 calls viable and the lab finds essential (b0002, aspartate
kinase / homoserine dehydrogenase: ASPK "b3940 or b0002 or b4024", HSDy "b3940 or b0002"),
through the real loop on SQLite: reconcile_phenotypes proposes dropping the rescuing isozymes
from one rule and reading them as one complex, each checked in silico; an approved edit is a
model effect the session's later tools see (a knockout the same as plain cobrapy with the same
rule), a fresh store rebuilds it, a revert restores the old rule; a rejected edit and a bad
rule (unknown gene, unparsable text) change nothing stored. The cross-validation reports the
gene-rule edits among the kinds of fix, with the held-out MCC before and after."""

from __future__ import annotations

from typing import Any

import cobra
import pytest
from toolctx import SETTINGS, ctx, err, run, state

from fluxagent.agent import Agent
from fluxagent.agents.router import Router
from fluxagent.core.context import Context
from fluxagent.core.events import Thread
from fluxagent.core.state import fold
from fluxagent.core.steps import Done, Step, ToolCall
from fluxagent.llm.scripted import ScriptedDecider
from fluxagent.store.sql import SqlStore
from fluxagent.tools.cobra import phenotypes_cv as cv
from fluxagent.tools.cobra.phenotypes_data import Item
from fluxagent.tools.cobra.phenotypes_gpr import edited_rule
from fluxagent.tools.gene_rules import parse_rule
from fluxagent.tools.models import ModelStore

GENE = "b0002"
RECONCILE = {"model": "iJO1366", "dataset": "ecoli_essentiality", "items": [GENE],
             "max_items": 1, "gapfill": False, "folds": 3}
#: Two bad edits of ASPK, each approved by the person: the tool refuses them.
BAD = [("P90", "b0002 and b9999"), ("P91", "b0002 and (b3940")]


def _results(c: Context | Thread, tool: str) -> list[dict[str, Any]]:
    thread = c.thread if isinstance(c, Context) else c
    return [e.data for e in thread.of_type("tool_result") if e.data["tool"] == tool]


def _picked(proposals: list[dict[str, Any]]) -> tuple[dict[str, Any], dict[str, Any]]:
    """(the first isozyme drop, the first complex reading that flips an agreed call)."""
    drop = next(p for p in proposals if p["kind"] == "gpr_drop_isozyme")
    cplx = next(p for p in proposals if p["kind"] == "gpr_isozyme_to_complex" and p["flips"])
    return drop, cplx


def _apply(p: dict[str, Any]) -> ToolCall:
    return ToolCall(name="apply_model_fix", args={"model": "iJO1366", "fix": p["id"],
                                                  "title": p["title"], "changes": p["changes"],
                                                  "diff": p["diff"]})


def _curator(c: Context) -> Step:
    """Reconcile; apply the isozyme drop (approved) and the complex (rejected); knock out
    b0002 on the changed model; revert the drop; try two bad rules (approved, refused)."""
    rec = _results(c, "reconcile_phenotypes")
    if not rec:
        return ToolCall(name="reconcile_phenotypes", args=RECONCILE)
    drop, cplx = _picked(rec[-1]["data"]["proposals"])
    asked = [e for e in c.thread.of_type("tool_call") if e.data["name"] == "apply_model_fix"]
    if len(asked) < 2:
        return _apply((drop, cplx)[len(asked)])
    if not _results(c, "knockout_genes"):
        return ToolCall(name="knockout_genes", args={"model": "iJO1366", "genes": [GENE]})
    if not _results(c, "revert_model_fix"):
        return ToolCall(name="revert_model_fix", args={"model": "iJO1366", "fix": drop["id"]})
    if len(asked) < 2 + len(BAD):
        fix, rule = BAD[len(asked) - 2]
        change = {**drop["changes"][0], "rule": rule}
        return ToolCall(name="apply_model_fix", args={"model": "iJO1366", "fix": fix,
                                                      "changes": [change],
                                                      "diff": drop["diff"]})
    return Done(answer="curated")


@pytest.fixture(scope="module")
def session(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    url = f"sqlite:///{tmp_path_factory.mktemp('gene_rules') / 'fluxagent.db'}"
    agent = Agent(settings=SETTINGS, store=SqlStore(url),
                  decider=Router(ScriptedDecider(_curator)))
    st = agent.ask("propose gene rule fixes for the genes iJO1366 wrongly calls viable",
                   model="iJO1366")
    sid = st.session_id
    out: dict[str, Any] = {"sid": sid, "url": url, "first_wait": st}
    out["after_approve"] = agent.approve(sid, comment="one aspartate kinase is enough")
    out["before_reject"] = agent.thread(sid)
    out["after_reject"] = agent.reject(sid, "no evidence for a complex")
    out["before_bad"] = agent.thread(sid)
    for n in range(len(BAD)):
        out[f"bad{n}"] = agent.approve(sid, comment="try it")
    out["thread"] = agent.thread(sid)
    return out


def _reconciled(session: dict[str, Any]) -> dict[str, Any]:
    return _results(session["thread"], "reconcile_phenotypes")[0]


def _knockout(model: cobra.Model, gene: str) -> tuple[float, float]:
    wild = model.slim_optimize(error_value=0.0)
    with model:
        model.genes.get_by_id(gene).knock_out()
        return wild, model.slim_optimize(error_value=0.0)


def _edit(model: cobra.Model, changes: list[dict[str, Any]]) -> None:
    """The rule edits with cobrapy's own API (inside the caller's ``with model:``)."""
    for ch in changes:
        assert ch["op"] == "set_gene_rule"
        model.reactions.get_by_id(ch["reaction"]).gene_reaction_rule = ch["rule"]


def test_rule_edits_are_proposed_and_checked_by_plain_cobrapy(
        session: dict[str, Any], plain_ijo1366: cobra.Model) -> None:
    d = _reconciled(session)["data"]
    props = [p for p in d["proposals"] if p["kind"].startswith("gpr_")]
    assert {p["kind"] for p in props} == {"gpr_drop_isozyme", "gpr_isozyme_to_complex"}
    assert {ch["reaction"] for p in props for ch in p["changes"]} == {"ASPK", "HSDy"}
    wild, ko = _knockout(plain_ijo1366, GENE)
    assert ko >= 0.1 * wild  # viable in the model, essential in the lab
    for p in props:
        (ch,) = p["changes"]
        r = plain_ijo1366.reactions.get_by_id(ch["reaction"])
        assert ch["old_rule"] == r.gene_reaction_rule and GENE in ch["rule"]
        assert p["diff"] == [f'~ {r.id} ({r.name}): gene rule "{r.gene_reaction_rule}" -> '
                             f'"{ch["rule"]}"']
        with plain_ijo1366:
            _edit(plain_ijo1366, p["changes"])
            wild_after, after = _knockout(plain_ijo1366, GENE)
            others = {h: _knockout(plain_ijo1366, h)[1] < 0.1 * wild_after
                      for h in sorted({g.id for g in r.genes} - {GENE})}
        assert after < 0.1 * wild_after and wild_after >= 0.99 * wild, p["title"]
        assert after == pytest.approx(p["check"]["knockout_growth_after"], abs=1e-6)
        before = {h: _knockout(plain_ijo1366, h)[1] < 0.1 * wild for h in others}
        changed = {c["gene"]: c["essential_after"] for c in p["calls_changed"]}
        assert changed == {h: e for h, e in others.items() if e != before[h]}, p["title"]
    drop = next(p for p in props if p["kind"] == "gpr_drop_isozyme"
                and p["changes"][0]["reaction"] == "ASPK")
    assert drop["changes"][0]["rule"] == "b0002" and not drop["flips"]
    cplx = next(p for p in props if p["kind"] == "gpr_isozyme_to_complex"
                and p["changes"][0]["reaction"] == "ASPK")
    assert cplx["changes"][0]["rule"] == "b3940 and b0002 and b4024"
    # b4024 is dispensable in the lab and the model; as a subunit it would be essential
    assert cplx["flips"] == ["b4024"] and "flips the agreed call of b4024" in cplx["title"]


def test_an_approved_edit_is_a_model_effect_a_fresh_store_rebuilds(
        session: dict[str, Any], plain_ijo1366: cobra.Model) -> None:
    first = session["first_wait"]
    assert first.status == "waiting_for_approval"
    requests = session["thread"].of_type("approval_request")
    drop = requests[0].data["args"]
    assert drop["diff"][0] in requests[0].data["reason"]
    assert '"b3940 or b0002 or b4024" -> "b0002"' in requests[0].data["reason"]
    (change,) = session["after_approve"].models["iJO1366"].changes
    assert change == {"op": "set_gene_rule", "model": "iJO1366", "reaction": "ASPK",
                      "rule": "b0002", "old_rule": "b3940 or b0002 or b4024",
                      "new_genes": [], "fix": drop["fix"]}
    # the session's next tool runs on the edited model: as plain cobrapy with the same rule
    (ko,) = _results(session["thread"], "knockout_genes")
    with plain_ijo1366:
        _edit(plain_ijo1366, drop["changes"])
        wild, growth = _knockout(plain_ijo1366, GENE)
    assert ko["data"]["growth_rate"] == pytest.approx(growth, abs=1e-9)
    assert growth < 0.1 * wild and "ASPK" in ko["data"]["reactions_disabled"]
    # reproducible: a fresh store on the same database and a fresh model store
    stored = SqlStore(session["url"]).load(session["sid"])
    assert [e.model_dump() for e in stored.events] == \
        [e.model_dump() for e in session["thread"].events]
    upto = next(i for i, e in enumerate(stored.events) if e.type == "tool_call"
                and e.data["name"] == "revert_model_fix")
    rebuilt = ModelStore(SETTINGS).build("iJO1366", fold(stored.prefix(upto)))
    assert rebuilt.reactions.ASPK.gene_reaction_rule == "b0002"
    assert _knockout(rebuilt, GENE)[1] == pytest.approx(growth, abs=1e-9)
    # revertible: the old rule is back, and so is the knockout's growth
    reverted = ModelStore(SETTINGS).build("iJO1366", fold(stored))
    assert reverted.reactions.ASPK.gene_reaction_rule == "b3940 or b0002 or b4024"
    assert _knockout(reverted, GENE)[1] == pytest.approx(_knockout(plain_ijo1366, GENE)[1],
                                                          abs=1e-9)


def test_a_rejected_edit_changes_nothing_stored(session: dict[str, Any]) -> None:
    before, thread = session["before_reject"], session["thread"]
    rejected = thread.of_type("approval_request")[1]
    assert rejected.data["args"]["changes"][0]["rule"] == "b3940 and b0002 and b4024"
    assert [e.model_dump() for e in thread.events[:len(before.events)]] == \
        [e.model_dump() for e in before.events]
    decision = thread.events[len(before.events)]
    assert decision.type == "approval_decision" and decision.data["decision"] == "reject"
    assert not [e for e in thread.events if e.call_id == rejected.call_id
                and e.type in ("tool_result", "tool_error")]
    assert fold(thread.prefix(len(before) + 1)).models == fold(before).models


def test_a_bad_rule_gets_a_clear_error_and_changes_nothing(session: dict[str, Any]) -> None:
    thread, before = session["thread"], session["before_bad"]
    errors = {e.call_id: e.data for e in thread.of_type("tool_error")}
    bad_calls = [e for e in thread.of_type("tool_call") if e.data["name"] == "apply_model_fix"
                 and e.data["args"]["fix"] in dict(BAD)]
    assert len(bad_calls) == 2 and all(e.call_id in errors for e in bad_calls)
    unknown, unparsable = (errors[e.call_id] for e in bad_calls)
    assert unknown["kind"] == "unknown_id" and "b9999 not in the model" in unknown["message"]
    assert unparsable["kind"] == "bad_arguments" and "does not parse" in \
        unparsable["message"]
    assert session[f"bad{len(BAD) - 1}"].status == "done"
    assert fold(thread).models == fold(before).models
    assert fold(thread).models["iJO1366"].changes == ()
    # the same checks without a session; new genes must be stated as new
    aspk = {"op": "set_gene_rule", "reaction": "ASPK", "rule": "b0002 and bNEW"}
    c = ctx(state("iJO1366", {"iJO1366": []}))
    assert err("apply_model_fix", {"fix": "P1", "changes": [aspk], "diff": ["x"]}, c).kind \
        == "unknown_id"
    stated = err("apply_model_fix", {"fix": "P1", "changes": [aspk | {"new_genes": ["bNEW"]}],
                                     "diff": ["x"]}, c)
    assert "does not match" in stated.message
    assert stated.data["expected"] == ['~ ASPK (Aspartate kinase): gene rule "b3940 or b0002 '
                                       'or b4024" -> "b0002 and bNEW"  new genes: bNEW']
    ok = run("apply_model_fix", {"fix": "P1", "changes": [aspk | {"new_genes": ["bNEW"]}],
                                 "diff": stated.data["expected"]}, c)
    assert ok.effects[0]["new_genes"] == ["bNEW"]
    stale = err("apply_model_fix", {"fix": "P1", "changes": [
        aspk | {"old_rule": "b3940", "rule": "b0002"}], "diff": ["x"]}, c)
    assert stale.kind == "bad_arguments" and "was the model changed" in stale.message


def test_cross_validation_counts_gene_rule_edits_among_the_fixes(
        session: dict[str, Any]) -> None:
    d = _reconciled(session)["data"]
    report = d["cross_validation"]
    kinds = report["kinds"]
    assert {"gpr_drop_isozyme", "gpr_isozyme_to_complex"} <= set(kinds)
    assert sum(k["proposed"] for k in kinds.values()) == len(d["proposals"])
    assert all(isinstance(k["held_out_after"], float) for k in kinds.values())
    # dropping an isozyme from one rule changes only its own gene's call, and a fold never
    # keeps a fix proposed for its own items: alone, the drops leave the held-out MCC as is
    assert kinds["gpr_drop_isozyme"]["held_out_after"] == pytest.approx(
        report["held_out_mcc_before"], abs=1e-12)
    assert report["held_out_mcc_before"] == pytest.approx(d["scores"]["mcc"], abs=1e-12)
    assert isinstance(report["held_out_mcc_after"], float)
    for fold_row in report["folds"]:  # one edit per rule among the fixes kept together
        rules = [ch["reaction"] for p in d["proposals"] if p["id"] in fold_row["kept"]
                 for ch in p["changes"] if ch["op"] == "set_gene_rule"]
        assert len(rules) == len(set(rules))
    assert "held-out MCC" in _reconciled(session)["summary"]


def test_only_the_genes_of_an_edited_rule_are_screened_again(
        session: dict[str, Any]) -> None:
    """The cross-validation's shortcut (rule-only edits re-screen their rules' genes) gives
    what the whole deletion screen gives."""
    d = _reconciled(session)["data"]
    drop, cplx = _picked(d["proposals"])
    c = ctx(state("iJO1366", {"iJO1366": []}))
    model = c.model("iJO1366")
    full = run("compare_phenotypes", {"dataset": "ecoli_essentiality"}, c).data
    base = {r["id"]: r["outcome"] for r in full["predictions"]}
    items = [Item(r["id"], r["observed"]) for r in full["predictions"]]
    for p in (drop, cplx):
        short = cv.knockouts_with(model, items, p["changes"], 0.1, c, 2, base=base)
        whole = cv.knockouts_with(model, items, p["changes"], 0.1, c, 2)
        assert short == whole, p["title"]
    assert short != base  # the complex reading changes calls


def test_edited_rules_of_nested_rules() -> None:
    rule = parse_rule("b3 and (b1 or b2)")
    assert edited_rule(rule, "b1", "gpr_drop_isozyme") == "b3 and b1"
    assert parse_rule(edited_rule(rule, "b1", "gpr_isozyme_to_complex")).eval({"b2"}) is False
    two = parse_rule("(b2895 and b2515) or (b0684 and b2515)")
    assert edited_rule(two, "b0684", "gpr_drop_isozyme") == "b0684 and b2515"
