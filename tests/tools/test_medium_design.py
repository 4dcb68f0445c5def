"""minimal_medium, find_auxotrophies and compare_media against cobrapy on the same models."""

from __future__ import annotations

import cobra
import pytest
from cobra.medium import minimal_medium
from toolctx import STORE, assert_pristine, ctx, err, execute, reference, run, state

from fluxagent.config import Settings
from fluxagent.tools.cobra.medium_design import auxotrophy_screen, solve_minimal_medium
from fluxagent.tools.results import ToolError, ToolFailure

TOL = 1e-6
WILD = 0.8739215069684279
NO_OBJECTIVE = state("e_coli_core", {"e_coli_core": [
    {"op": "set_objective", "model": "e_coli_core", "objective": {}}]})



# ----------------------------------------------------------------------- minimal_medium
def test_fewest_components_dev_set_d10() -> None:
    res = run("minimal_medium", {"min_growth": 0.1, "minimize": "components"})
    med = res.data["medium"]
    assert {"EX_glc__D_e", "EX_nh4_e", "EX_pi_e"} <= set(med)
    ref = minimal_medium(reference(), 0.1, minimize_components=True)
    assert set(med) == set(ref[ref > 0].index)
    assert res.data["components"] == len(med) == 3
    assert res.data["min_growth"] == 0.1 and res.data["minimize"] == "components"
    assert res.data["growth_on_medium"] >= 0.1 - TOL
    for key in ("EX_glc__D_e", "EX_nh4_e", "EX_pi_e", "1/h", "mmol/gDW/h"):
        assert key in res.summary
    assert res.artifacts and res.artifacts[0].name.endswith(".csv")
    assert res.provenance.model_id == "e_coli_core" and res.provenance.solver == "glpk"
    assert_pristine()


def test_lowest_total_uptake_matches_cobrapy() -> None:
    res = run("minimal_medium", {"minimize": "flux", "min_growth": 0.2})
    ref = minimal_medium(reference(), 0.2, minimize_components=False)
    ref = {k: float(v) for k, v in ref.items() if v > 1e-9}
    # The lowest total is unique; how it splits between uptakes is not (alternative optima,
    # reached from different solver start states), so compare the total and that it grows.
    assert abs(res.data["total_uptake"] - sum(ref.values())) < TOL
    assert abs(sum(res.data["medium"].values()) - sum(ref.values())) < TOL
    assert abs(res.data["growth_on_medium"] - 0.2) < TOL


def test_minimal_medium_under_conditions_and_open_exchanges() -> None:
    res = run("minimal_medium", {"minimize": "flux", "conditions": {"oxygen": False}})
    assert "EX_o2_e" not in res.data["medium"]
    m = reference()
    m.reactions.EX_o2_e.lower_bound = 0
    ref = minimal_medium(m, 0.1)
    assert abs(res.data["total_uptake"] - float(ref.sum())) < TOL
    opened = run("minimal_medium", {"minimize": "flux", "open_exchanges": True})
    ref2 = minimal_medium(reference(), 0.1, open_exchanges=True)
    assert abs(opened.data["total_uptake"] - float(ref2[ref2 > 0].sum())) < TOL


def test_minimal_medium_plain_function_and_time_limit() -> None:
    m = reference()
    assert set(solve_minimal_medium(m, 0.1, time_limit_s=30)) == {
        "EX_glc__D_e", "EX_nh4_e", "EX_pi_e"}
    assert m.solver.configuration.timeout is None  # restored
    with pytest.raises(ToolFailure) as exc:
        solve_minimal_medium(m, 50.0)
    assert exc.value.kind == "infeasible"


def test_minimal_medium_time_limit_is_honoured() -> None:
    settings = Settings(data_dir=STORE.settings.data_dir, tool_time_limit_s=1)
    c = ctx(state("iJO1366"), settings=settings)
    out = execute("minimal_medium", {"open_exchanges": True}, c)
    # GLPK needs far more than a second for this MILP on iJO1366
    assert isinstance(out, ToolError) and out.kind == "timeout", out
    assert "time limit" in out.message and out.hint


def test_minimal_medium_bad_input() -> None:
    e = err("minimal_medium", {"min_growth": 5})
    assert e.kind == "infeasible" and "0.873922" in e.message and "open_exchanges" in e.hint
    assert err("minimal_medium", {"min_growth": "fast"}).kind == "bad_arguments"
    assert err("minimal_medium", {"min_growth": -1}).kind == "bad_arguments"
    assert err("minimal_medium", {"minimize": "cost"}).kind == "bad_arguments"
    e = err("minimal_medium", {"conditions": {"carbon_source": "EX_glc_D_e"}})
    assert e.kind == "unknown_id" and "EX_glc__D_e" in e.hint
    assert err("minimal_medium", {"model": "ecoli_99"}).kind == "model_not_loaded"
    e = err("minimal_medium", {"conditions": {"medium": {"EX_nh4_e": 10}}})
    assert e.kind == "infeasible"
    assert err("minimal_medium", {}, ctx(NO_OBJECTIVE)).kind == "bad_arguments"
    assert_pristine()


# ----------------------------------------------------------------------- find_auxotrophies
def brute_force(model: cobra.Model, threshold: float = 0.01) -> set[str]:
    """Test every exchange both ways, straight from the definition."""
    out = set()
    for ex in model.exchanges:
        with model:
            ex.lower_bound = 0.0
            without = model.slim_optimize(error_value=0.0)
        with model:
            ex.lower_bound = min(ex.lower_bound, -10.0)
            with_ = model.slim_optimize(error_value=0.0)
        if without < threshold <= with_:
            out.add(ex.id)
    return out


def test_auxotrophies_wild_type_needs_medium_components() -> None:
    res = run("find_auxotrophies", {})
    found = {a["exchange"] for a in res.data["auxotrophies"]}
    assert found == {"EX_glc__D_e", "EX_nh4_e", "EX_pi_e"} == brute_force(reference())
    assert all(a["kind"] == "required" for a in res.data["auxotrophies"])
    assert res.data["tested"] == 7 and res.data["exchanges"] == 20
    assert abs(res.data["base_growth"] - WILD) < TOL


def test_auxotrophies_of_a_knockout_mutant() -> None:
    res = run("find_auxotrophies", {"conditions": {"knockout_genes": ["gltA"]}})
    aux = {a["exchange"]: a for a in res.data["auxotrophies"]}
    assert set(aux) == {"EX_akg_e", "EX_gln__L_e", "EX_glu__L_e"}
    assert res.data["mutant"] and res.data["base_growth"] == 0.0
    assert all(a["kind"] == "rescue" and a["wild_type_needs"] is False for a in aux.values())
    m = reference()
    m.genes.b0720.knock_out()
    assert set(aux) == brute_force(m)
    m.reactions.EX_glu__L_e.lower_bound = -10
    assert abs(aux["EX_glu__L_e"]["growth_with"] - m.slim_optimize()) < TOL
    assert "EX_glu__L_e" in res.summary and "b0720" in res.summary
    assert_pristine()


def test_auxotrophy_screen_on_ijo1366_arginine_mutant() -> None:
    res = run("find_auxotrophies", {"model": "iJO1366",
                                    "conditions": {"knockout_genes": ["b3960"]}})  # argH
    assert [a["exchange"] for a in res.data["auxotrophies"]] == ["EX_arg__L_e"]
    assert res.data["tested"] > 250  # every exchange that is not in the medium


def test_auxotrophies_plain_function_reports_progress() -> None:
    seen: list[float] = []
    m = reference()
    out = auxotrophy_screen(m, progress=lambda f, _msg: seen.append(f))
    assert len(out["auxotrophies"]) == 3 and seen and seen[-1] == 1.0
    assert m.medium == reference().medium


def test_auxotrophies_minimal_base_medium_and_bad_input() -> None:
    res = run("find_auxotrophies", {"base_medium": "minimal"})
    assert set(res.data["conditions"]["medium"]) == {"EX_glc__D_e", "EX_nh4_e", "EX_pi_e"}
    assert err("find_auxotrophies", {"threshold": -1}).kind == "bad_arguments"
    assert err("find_auxotrophies", {"conditions": {"knockout_genes": ["zzz9"]}}).kind == \
        "unknown_id"
    assert err("find_auxotrophies", {}, ctx(NO_OBJECTIVE)).kind == "bad_arguments"
    assert err("find_auxotrophies", {"base_medium": "rich"}).kind == "bad_arguments"
    assert_pristine()


# ----------------------------------------------------------------------- compare_media
def test_compare_media_matches_cobrapy() -> None:
    res = run("compare_media", {"cases": [
        {"label": "aerobic glucose"},
        {"label": "anaerobic", "conditions": {"oxygen": False}},
        {"label": "succinate", "conditions": {"carbon_source": "succinate"}},
        {"label": "no carbon", "conditions": {"medium": {"EX_nh4_e": 10, "EX_pi_e": 10,
                                                         "EX_o2_e": 20}}},
    ], "exchanges": ["glucose", "EX_ac_e"]})
    rows = {r["label"]: r for r in res.data["rows"]}
    m = reference()
    assert abs(rows["aerobic glucose"]["growth_rate"] - m.slim_optimize()) < TOL
    with m:
        m.reactions.EX_o2_e.lower_bound = 0
        sol = m.optimize()
        assert abs(rows["anaerobic"]["growth_rate"] - sol.objective_value) < TOL
        assert abs(rows["anaerobic"]["exchanges"]["EX_ac_e"] - sol.fluxes["EX_ac_e"]) < TOL
    with m:
        m.reactions.EX_glc__D_e.lower_bound = 0
        m.reactions.EX_succ_e.lower_bound = -10
        assert abs(rows["succinate"]["growth_rate"] - m.slim_optimize()) < TOL
    assert rows["no carbon"]["growth_rate"] == 0.0
    assert rows["no carbon"]["status"] == "infeasible"
    assert list(rows["aerobic glucose"]["exchanges"]) == ["EX_glc__D_e", "EX_ac_e"]
    assert "0.211663" in res.summary and "anaerobic" in res.summary
    assert res.artifacts[0].name == "compare_media.csv"
    assert_pristine()


def test_compare_media_bad_input() -> None:
    e = err("compare_media", {"cases": [{"label": "x", "conditions": {
        "carbon_source": "glucoz"}}]})
    assert e.kind == "unknown_id" and "'x'" in e.message
    assert err("compare_media", {"cases": []}).kind == "bad_arguments"
    assert err("compare_media", {"cases": [{"label": "a"}, {"label": "a"}]}).kind == \
        "bad_arguments"
    assert err("compare_media", {"cases": "aerobic"}).kind == "bad_arguments"
    assert err("compare_media", {"cases": [{"label": "a"}], "exchanges": ["EX_nope"]}).kind \
        == "unknown_id"
    assert err("compare_media", {"cases": [{"label": "a"}]}, ctx(NO_OBJECTIVE)).kind == \
        "bad_arguments"
    assert_pristine()
