"""theoretical_yield and production_envelope against cobrapy; dev-set product maxima."""

from __future__ import annotations

import math

from cobra.flux_analysis import production_envelope
from toolctx import err, reference, run

TOL = 1e-6


def cobra_max(product: str, anaerobic: bool = False, floor: float = 0.0) -> float:
    m = reference()
    if anaerobic:
        m.reactions.EX_o2_e.lower_bound = 0
    m.reactions.Biomass_Ecoli_core.lower_bound = floor
    m.objective = product
    return m.slim_optimize()


def test_theoretical_maxima_match_cobrapy_and_dev_set() -> None:
    ac = run("theoretical_yield", {"product": "acetate"})
    assert ac.data["product"] == "EX_ac_e" and round(ac.data["maximum"], 6) == 20.0
    assert abs(ac.data["maximum"] - cobra_max("EX_ac_e")) < TOL
    assert ac.data["carbon_sources"] == {"EX_glc__D_e": 10.0}
    assert abs(ac.data["yield"] - 2.0) < 1e-9 and abs(ac.data["carbon_yield"] - 2 / 3) < 1e-9
    succ = run("theoretical_yield", {"product": "succinate", "conditions": {"oxygen": False}})
    assert round(succ.data["maximum"], 6) == 13.905778
    assert abs(succ.data["maximum"] - cobra_max("EX_succ_e", anaerobic=True)) < TOL
    lac = run("theoretical_yield", {"product": "D-lactate", "conditions": {"oxygen": False}})
    assert lac.data["product"] == "EX_lac__D_e" and round(lac.data["maximum"], 6) == 20.0


def test_growth_floor() -> None:
    res = run("theoretical_yield", {"product": "acetate", "growth_fraction": 0.5})
    floor = 0.5 * 0.8739215069684279
    assert abs(res.data["min_growth"] - floor) < 1e-9
    assert abs(res.data["maximum"] - cobra_max("EX_ac_e", floor=floor)) < TOL
    res2 = run("theoretical_yield", {"product": "acetate", "min_growth": 0.2})
    assert abs(res2.data["maximum"] - cobra_max("EX_ac_e", floor=0.2)) < TOL


def test_no_production_is_a_result() -> None:
    res = run("theoretical_yield", {"product": "ethanol", "conditions": {
        "carbon_source": "acetate", "oxygen": False}})
    assert res.data["status"] == "infeasible" and res.data["maximum"] == 0.0


def test_envelope_matches_cobrapy() -> None:
    progress: list[tuple[float, str]] = []
    from toolctx import ctx
    res = run("production_envelope", {"product": "acetate", "points": 7}, ctx(progress=progress))
    ref = production_envelope(reference(), ["Biomass_Ecoli_core"], objective="EX_ac_e",
                              points=7)
    assert len(res.data["points"]) == 7
    for row, (_, want) in zip(res.data["points"], ref.iterrows(), strict=True):
        assert abs(row["x"] - want["Biomass_Ecoli_core"]) < TOL
        for col in ("flux_minimum", "flux_maximum", "carbon_yield_minimum",
                    "carbon_yield_maximum"):
            a, b = row[col], want[col]
            assert (math.isnan(a) and math.isnan(b)) or abs(a - b) < TOL, (col, a, b)
    assert round(res.data["maximum"], 6) == 20.0
    assert progress[-1][0] == 1.0 and res.artifacts


def test_yield_errors() -> None:
    assert err("theoretical_yield", {"product": "unobtainium"}).kind == "unknown_id"
    assert err("theoretical_yield", {}).kind == "bad_arguments"
    assert err("theoretical_yield", {"product": "acetate", "min_growth": 0.1,
                                     "growth_fraction": 0.1}).kind == "bad_arguments"
    assert err("production_envelope", {"product": "acetate", "points": 1}).kind == \
        "bad_arguments"
    assert err("production_envelope", {"product": "acetate", "conditions": {
        "carbon_source": "acetate", "oxygen": False}}).kind == "infeasible"
