"""knockout_genes / knockout_reactions / run_moma against cobrapy."""

from __future__ import annotations

from cobra.flux_analysis import moma, pfba
from toolctx import STORE, ctx, err, reference, run, state

from fluxagent.core.state import ModelState

TOL = 1e-6


def cobra_ko(genes: list[str] = (), reactions: list[str] = ()) -> float:  # type: ignore[assignment]
    m = reference()
    for g in genes:
        m.genes.get_by_id(g).knock_out()
    for r in reactions:
        m.reactions.get_by_id(r).knock_out()
    return m.slim_optimize(error_value=0.0)


def test_single_knockouts_by_name_match_cobrapy_and_dev_set() -> None:
    pgi = run("knockout_genes", {"genes": ["pgi"]})
    assert pgi.data["knocked_out"] == ["b4025"] and pgi.data["reactions_disabled"] == ["PGI"]
    assert abs(pgi.data["growth_rate"] - cobra_ko(["b4025"])) < TOL
    assert round(pgi.data["growth_rate"], 5) == 0.86316
    assert abs(pgi.data["wild_type_growth"] - 0.873922) < 1e-6
    assert abs(pgi.data["relative"] - pgi.data["growth_rate"] / pgi.data["wild_type_growth"]) \
        < 1e-12
    sdha = run("knockout_genes", {"genes": ["sdhA"]})
    assert round(sdha.data["growth_rate"], 6) == 0.814298
    assert abs(sdha.data["growth_rate"] - cobra_ko(["b0723"])) < TOL
    assert pgi.data["persist"] is False and pgi.effects == []


def test_lethal_knockouts_report_zero_growth() -> None:
    for genes in (["gapA"], ["b1779"], ["gltA"], ["pgi", "zwf"]):
        res = run("knockout_genes", {"genes": genes})
        assert res.data["growth_rate"] == 0.0 or res.data["growth_rate"] < 1e-9, genes
        assert "no growth" in res.summary
    both = run("knockout_genes", {"genes": ["pgi", "zwf"]})
    assert both.data["status"] == "infeasible"
    assert set(both.data["reactions_disabled"]) == {"PGI", "G6PDH2r"}


def test_reaction_knockout_and_persist_effect() -> None:
    res = run("knockout_reactions", {"reactions": ["PFK"], "persist": True})
    assert abs(res.data["growth_rate"] - cobra_ko(reactions=["PFK"])) < TOL
    assert res.effects == [{"op": "knockout_reactions", "model": "e_coli_core",
                            "reactions": ["PFK"]}]
    st = state("e_coli_core", {"e_coli_core": res.effects})
    after = run("run_fba", {}, ctx(st))
    assert abs(after.data["growth_rate"] - res.data["growth_rate"]) < TOL
    assert abs(run("run_fba", {}).data["growth_rate"] - 0.873922) < 1e-6  # other sessions
    genes = run("knockout_genes", {"genes": ["pgi"], "persist": True})
    assert genes.effects[0]["genes"] == ["b4025"]


def test_knockouts_in_conditions_and_args_combine() -> None:
    res = run("knockout_genes", {"genes": ["pgi"], "conditions": {
        "knockout_genes": ["zwf"], "oxygen": True}})
    assert res.data["knocked_out"] == ["b1852", "b4025"]
    assert abs(res.data["wild_type_growth"] - 0.873922) < 1e-6


def test_moma_matches_cobrapy() -> None:
    res = run("run_moma", {"genes": ["pgi"]})
    m = reference()
    ref = pfba(m)
    with m:
        m.genes.b4025.knock_out()
        sol = moma(m, solution=ref, linear=True)
    assert abs(res.data["distance"] - sol.objective_value) < TOL
    assert abs(res.data["growth_rate"] - sol.fluxes["Biomass_Ecoli_core"]) < TOL
    assert abs(res.data["wild_type_growth"] - ref.fluxes["Biomass_Ecoli_core"]) < TOL
    assert abs(res.data["fba_growth"] - 0.86316) < 1e-5
    lethal = run("run_moma", {"genes": ["pgi", "zwf"]})
    assert lethal.data["status"] == "infeasible" and lethal.data["growth_rate"] == 0.0


def test_knockout_errors() -> None:
    e = err("knockout_genes", {"genes": ["pgii"]})
    assert e.kind == "unknown_id" and "b4025 (pgi)" in e.hint
    e = err("knockout_genes", {"genes": ["pgii", "zwff"]})
    assert e.kind == "unknown_id" and "pgii" in e.message and "zwff" in e.message
    assert err("knockout_genes", {"genes": []}).kind == "bad_arguments"
    assert err("knockout_genes", {"genes": "pgi"}).kind == "bad_arguments"
    assert err("knockout_reactions", {"reactions": ["NOPE"]}).kind == "unknown_id"
    assert err("run_moma", {}).kind == "bad_arguments"
    assert err("knockout_genes", {"genes": ["pgi"], "model": "nomodel"}).kind == \
        "model_not_loaded"
    fresh = STORE.build("e_coli_core", state())
    assert all(g.functional for g in fresh.genes)
    assert abs(fresh.slim_optimize() - 0.873922) < 1e-6
    del fresh
    assert ModelState(base="e_coli_core").changes == ()
