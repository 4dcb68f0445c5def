"""get_medium / set_medium / set_bounds / set_objective, their effects and the conditions."""

from __future__ import annotations

from cobra.flux_analysis import flux_variability_analysis
from toolctx import STORE, assert_pristine, ctx, err, reference, run, state

from fluxagent.core.events import Thread, new_event
from fluxagent.core.state import fold
from fluxagent.tools.conditions import Conditions, apply_conditions, carbon_sources


def test_get_medium_default() -> None:
    res = run("get_medium", {})
    assert res.data["medium"] == dict(sorted(reference().medium.items()))
    assert res.data["names"]["EX_glc__D_e"] == "D-Glucose"
    assert res.data["carbon_sources"] == {"EX_glc__D_e": 10.0}
    assert res.data["oxygen"] == "aerobic"
    for ex in ("EX_glc__D_e", "EX_o2_e", "EX_nh4_e", "EX_pi_e"):
        assert ex in res.summary


def _session_after(effects: list[dict]) -> object:
    """Fold a thread whose tool result carries ``effects`` (what the runner records)."""
    t = Thread("s").append(new_event("user_message", {"text": "q"}),
                           new_event("tool_call", {"name": "x", "args": {}}, call_id="c1"),
                           new_event("tool_result", {"effects": effects}, call_id="c1"))
    return fold(t)


def test_set_medium_preset_effect_is_replayed_by_the_store() -> None:
    res = run("set_medium", {"preset": "anaerobic_glucose_minimal"})
    assert "EX_o2_e" not in res.data["medium"] and res.data["oxygen"] == "anaerobic"
    assert abs(res.data["growth_rate"] - 0.211663) < 1e-6
    assert res.effects[0]["op"] == "set_medium"
    st = _session_after(res.effects)
    fba = run("run_fba", {}, ctx(st))  # type: ignore[arg-type]
    assert round(fba.data["growth_rate"], 6) == 0.211663
    again = run("set_medium", {"preset": "aerobic_glucose_minimal"}, ctx(st))  # type: ignore
    assert again.data["medium"] == dict(sorted(reference().medium.items()))
    assert abs(run("run_fba", {}).data["growth_rate"] - 0.873922) < 1e-6


def test_set_medium_uptakes_and_carbon_source() -> None:
    res = run("set_medium", {"uptakes": {"glucose": 5}})
    assert res.data["medium"]["EX_glc__D_e"] == 5.0 and res.data["changed"] == ["EX_glc__D_e"]
    assert round(res.data["growth_rate"], 6) == 0.415598
    succ = run("set_medium", {"carbon_source": "succinate"})
    assert succ.data["carbon_sources"] == {"EX_succ_e": 10.0}
    assert round(succ.data["growth_rate"], 6) == 0.397563
    full = run("set_medium", {"medium": {"glucose": 10, "ammonia": 1000, "phosphate": 1000,
                                         "oxygen": 1000, "water": 1000, "H+": 1000,
                                         "CO2": 1000}})
    assert full.data["medium"] == dict(sorted(reference().medium.items()))


def test_set_bounds_and_objective_effects() -> None:
    res = run("set_bounds", {"reaction": "glucose", "lower": -5})
    assert res.effects == [{"op": "set_bounds", "model": "e_coli_core",
                            "reaction": "EX_glc__D_e", "lower": -5.0, "upper": 1000.0}]
    st = state("e_coli_core", {"e_coli_core": res.effects})
    assert round(run("run_fba", {}, ctx(st)).data["growth_rate"], 6) == 0.415598
    obj = run("set_objective", {"reaction": "acetate"})
    st2 = state("e_coli_core", {"e_coli_core": obj.effects})
    assert round(run("run_fba", {}, ctx(st2)).data["objective_value"], 6) == 20.0
    assert err("set_bounds", {"reaction": "PFK", "lower": 5, "upper": 1}).kind == \
        "bad_arguments"
    e = err("set_bounds", {"reaction": "PFK", "lower": 2000})
    assert e.kind == "bad_arguments" and "1000" in e.hint
    assert err("set_objective", {}).kind == "bad_arguments"
    assert err("set_objective", {"reaction": "nope"}).kind == "unknown_id"


def test_set_medium_errors() -> None:
    assert err("set_medium", {}).kind == "bad_arguments"
    assert err("set_medium", {"uptakes": {"glucose": -1}}).kind == "bad_arguments"
    e = err("set_medium", {"uptakes": {"unobtainium": 1}})
    assert e.kind == "unknown_id"
    assert err("set_medium", {"preset": "rich"}).kind == "bad_arguments"
    assert err("set_medium", {"carbon_source": "ammonia"}).kind == "bad_arguments"
    assert abs(run("run_fba", {}).data["growth_rate"] - 0.873922) < 1e-6


def test_conditions_carbon_source_rules_on_ijo1366() -> None:
    model = STORE.build("iJO1366", state())
    with model:
        assert carbon_sources(model) == {"EX_glc__D_e": 10.0}  # cobalamin 0.01 is a supplement
        applied = apply_conditions(model, Conditions(carbon_source="succinate", oxygen=False))
        assert applied["carbon_sources"] == {"EX_succ_e": 10.0}
        assert applied["medium"]["EX_cbl1_e"] == 0.01 and "EX_co2_e" in applied["medium"]
        assert applied["oxygen"] == "anaerobic"
    assert model.medium["EX_glc__D_e"] == 10.0 and model.medium["EX_o2_e"] == 1000.0


def test_conditions_factors_scale_the_models_own_limits() -> None:
    """'double the glucose uptake', 'ATPM halved': the factor multiplies the limit as the model
    has it; the growth equals plain cobrapy's and the session's model is unchanged."""
    ref = reference()
    ref.reactions.EX_glc__D_e.lower_bound *= 2
    ref.reactions.ATPM.lower_bound *= 0.5
    fba = run("run_fba", {"conditions": {"factors": {"glucose": 2, "ATPM": 0.5}}})
    assert abs(fba.data["growth_rate"] - ref.slim_optimize()) < 1e-9
    assert "ATPM [4.195, 1000]" in fba.summary and "EX_glc__D_e ≤ 20" in fba.summary
    assert run("get_medium", {}).data["carbon_sources"] == {"EX_glc__D_e": 10.0}


def test_conditions_factor_on_an_open_limit_or_a_negative_factor_is_refused() -> None:
    assert "no finite limit" in err("run_fba", {"conditions": {"factors": {"PGI": 2}}}).message
    assert "factors must be >= 0" in err(
        "run_fba", {"conditions": {"factors": {"ATPM": -1}}}).message
    assert err("run_fba", {"conditions": {"factors": {"no_such_reaction": 2}}}).kind == \
        "unknown_id"


def test_conditions_demands_add_cobrapys_demand_for_the_call_only() -> None:
    """'add a demand for akg_c and maximise it': cobrapy's add_boundary(type='demand'),
    optimised; equal to plain cobrapy, and gone after the call."""
    ref = reference()
    ref.add_boundary(ref.metabolites.akg_c, type="demand")
    ref.objective = "DM_akg_c"
    fba = run("run_fba", {"conditions": {"demands": ["akg_c"]}, "objective": "DM_akg_c"})
    assert abs(fba.data["objective_value"] - ref.slim_optimize()) < 1e-9
    assert "demand reactions added: DM_akg_c" in fba.summary
    by_name = run("run_fba", {"conditions": {"demands": ["2-oxoglutarate"]},
                              "objective": "DM_akg_c"})
    assert by_name.data["objective_value"] == fba.data["objective_value"]
    assert "DM_akg_c" not in run("model_summary", {}).summary
    assert err("run_fba", {"conditions": {"demands": ["no_such_met_c"]}}).kind == "unknown_id"
    assert_pristine()


def test_conditions_growth_floor_bounds_the_biomass_for_the_call_only() -> None:
    """'the range of CS when growth is at least 0.5': the floor is the biomass lower bound,
    so FVA at fraction 0 spans every state growing that fast (cobrapy's numbers); a floor
    the model cannot reach is infeasible, one above the upper bound or negative is refused,
    and nothing stays on the session's model."""
    ref = reference()
    ref.reactions.Biomass_Ecoli_core.lower_bound = 0.5
    want = flux_variability_analysis(ref, ["CS"], fraction_of_optimum=0.0).loc["CS"]
    fva = run("run_fva", {"conditions": {"growth_floor": 0.5}, "reactions": ["CS"],
                          "fraction_of_optimum": 0.0})
    (row,) = fva.data["ranges"]
    assert abs(row["minimum"] - want["minimum"]) < 1e-6
    assert abs(row["maximum"] - want["maximum"]) < 1e-6
    assert "growth ≥ 0.5 1/h (Biomass_Ecoli_core lower bound)" in fva.summary
    assert err("run_fva", {"conditions": {"growth_floor": 0.8, "oxygen": False},
                           "reactions": ["CS"]}).kind == "infeasible"
    assert "above Biomass_Ecoli_core's upper bound" in err(
        "run_fba", {"conditions": {"growth_floor": 5000}}).message
    assert err("run_fba", {"conditions": {"growth_floor": -1}}).kind == "bad_arguments"
    assert abs(run("run_fba", {}).data["growth_rate"] - reference().slim_optimize()) < 1e-9
    assert_pristine()
