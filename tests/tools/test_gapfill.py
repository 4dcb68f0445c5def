"""gapfill: restores growth of a model with a missing essential reaction, agrees with cobrapy's
gapfill on the same universe, fails clearly when nothing can help, and needs approval."""

from __future__ import annotations

from pathlib import Path

import cobra
import pytest
from cobra.flux_analysis import gapfill as cobra_gapfill
from toolctx import STORE, assert_pristine, ctx, err, reference, run, state

from fluxagent.core.state import PendingCall
from fluxagent.human.approvals import ApprovalPolicy
from fluxagent.tools.cobra.gapfill import SOURCES, candidate_universe, universal_model
from fluxagent.tools.registry import REGISTRY

WILD = 0.8739215069684279
NO_OBJECTIVE = state("e_coli_core", {"e_coli_core": [
    {"op": "set_objective", "model": "e_coli_core", "objective": {}}]})



@pytest.fixture(scope="module")
def without_gapd(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A user model file: e_coli_core with GAPD (essential) removed."""
    m = reference()
    m.remove_reactions([m.reactions.GAPD])
    assert m.slim_optimize(error_value=0.0) < 1e-9
    path = Path(tmp_path_factory.mktemp("gapfill")) / "core_without_gapd.xml"
    cobra.io.write_sbml_model(m, str(path))
    base, _, _ = STORE.import_file(path)
    return base


def test_gapfill_restores_a_removed_reaction(without_gapd: str) -> None:
    c = ctx(state(without_gapd, {without_gapd: []}))
    res = run("gapfill", {}, c)
    d = res.data
    assert d["added"] == ["GAPD"] and d["growth_before"] == 0.0
    assert abs(d["growth_after"] - WILD) < 1e-6
    assert d["details"][0]["source"] == "e_coli_core"
    assert d["details"][0]["gene_reaction_rule"] == "b1779"
    assert d["applied"] and res.effects[0]["op"] == "add_reactions"
    assert res.effects[0]["reactions"][0]["id"] == "GAPD"
    assert "GAPD" in res.summary and "0.873922" in res.summary
    # the same fill with cobrapy on the same candidate set
    user = STORE.base(without_gapd).model.copy()
    universe, _ = universal_model(SOURCES, STORE)
    candidates = candidate_universe(user, universe)
    ref = cobra_gapfill(user, candidates, lower_bound=0.05, demand_reactions=False)
    assert [r.id for r in ref[0]] == d["added"]
    # the recorded effect rebuilds a model that grows again
    grown = state(without_gapd, {without_gapd: [res.effects[0]]})
    fba = run("run_fba", {}, ctx(grown))
    assert abs(fba.data["growth_rate"] - WILD) < 1e-6
    assert "GAPD" not in STORE.base(without_gapd).model.reactions  # base untouched
    assert_pristine()


def test_gapfill_finds_a_bypass_for_a_knockout() -> None:
    res = run("gapfill", {"conditions": {"knockout_reactions": ["GAPD"]}, "apply": False})
    d = res.data
    assert d["growth_before"] == 0.0 and d["growth_after"] >= 0.05
    assert "GAPD" not in d["added"] and d["added"]
    assert not res.effects and d["applied"] is False
    m = reference()
    m.reactions.GAPD.knock_out()
    universe, _ = universal_model(SOURCES, STORE)
    ref = cobra_gapfill(m, candidate_universe(m, universe), lower_bound=0.05,
                        demand_reactions=False)
    assert sorted(r.id for r in ref[0]) == sorted(d["added"])
    with m:
        m.add_reactions([universe.reactions.get_by_id(i).copy() for i in d["added"]])
        assert abs(m.slim_optimize() - d["growth_after"]) < 1e-6
    assert_pristine()


def test_gapfill_nothing_to_do_and_infeasible() -> None:
    done = run("gapfill", {})
    assert done.data["added"] == [] and not done.effects
    assert "no gap" in done.summary
    e = err("gapfill", {"conditions": {"medium": {"EX_nh4_e": 10, "EX_pi_e": 10,
                                                  "EX_o2_e": 20, "EX_h2o_e": 1000}}})
    assert e.kind == "infeasible"
    assert "universal set" in e.message and "exchange_reactions" in e.hint
    assert "EX_glc__D_e" not in e.hint and "EX_nh4_e" in e.hint  # the medium is shown
    assert_pristine()


def test_gapfill_needs_approval_by_default() -> None:
    tool = REGISTRY.get("gapfill")
    assert tool is not None and tool.long_running
    call = PendingCall(call_id="c1", name="gapfill", args={})
    assert ApprovalPolicy().needs_approval(call, state())


def test_gapfill_bad_input() -> None:
    assert err("gapfill", {"iterations": 0}).kind == "bad_arguments"
    assert err("gapfill", {"sources": ["bigg_universe"]}).kind == "bad_arguments"
    assert err("gapfill", {"sources": []}).kind == "bad_arguments"
    assert err("gapfill", {"min_growth": "some"}).kind == "bad_arguments"
    assert err("gapfill", {"conditions": {"knockout_reactions": ["GAPDX"]}}).kind == \
        "unknown_id"
    assert err("gapfill", {}, ctx(NO_OBJECTIVE)).kind == "bad_arguments"
    assert err("gapfill", {"model": "yeast9"}).kind == "model_not_loaded"
    assert_pristine()
