"""Notation people type besides plain words, each on at least two phrasings: comparison
symbols in a growth floor (">= 0.05 1/h", "≥0.1"), cobrapy's own spelling (``lower_bound``,
``.bounds = (a, b)``, ``fraction_of_optimum=0.9``, ``optimize()``), a bounds pair written as a
tuple, "core:" opening a question, and "make it the objective" for the reaction just named.
The answers are compared with plain cobrapy on the same conditions.
"""

from __future__ import annotations

from typing import Any

import cobra
import pytest
from cobra.flux_analysis import flux_variability_analysis
from planner_frames import frame


def results(agent: Any, session_id: str, name: str) -> list[dict[str, Any]]:
    return [e.data["data"] for e in agent.thread(session_id).events
            if e.type == "tool_result" and e.data.get("tool") == name and e.data.get("ok")]


@pytest.mark.parametrize(("question", "floor"), [
    ("maximise ethanol at >= 0.05 1/h growth in the core model", 0.05),
    ("core model: max succinate production, growth >=0.1", 0.1),
    ("maximise ethanol at ≥0.05 h-1 growth in the core model", 0.05),
])
def test_a_growth_floor_written_with_a_symbol(question: str, floor: float) -> None:
    f = frame(question)
    assert f.intent == "production" and f.slots.growth_floor == floor and not f.unresolved


def test_the_floor_after_a_symbol_is_applied_as_cobrapy_does(agent: Any) -> None:
    q = "anaerobic, ldhA knocked out, then maximise ethanol at >= 0.05 1/h growth (core model)"
    answer = agent.ask(q, session_id="floor").answer
    m = cobra.io.load_model("textbook")
    m.reactions.EX_o2_e.lower_bound = 0
    m.genes.get_by_id("b1380").knock_out()
    m.reactions.Biomass_Ecoli_core.lower_bound = 0.05
    m.objective = "EX_etoh_e"
    want = m.slim_optimize()
    assert want < 19.9  # the floor matters: without it ethanol reaches 20
    assert f"{want:.6g}" in answer, answer


@pytest.mark.parametrize(("question", "bound"), [
    ("set EX_glc__D_e lower_bound to -5 and give me the growth of e_coli_core",
     ("EX_glc__D_e", -5.0, None)),
    ("e_coli_core with model.reactions.EX_o2_e.lower_bound = 0, growth?", ("EX_o2_e", 0.0, None)),
    ("EX_glc__D_e.lower_bound=-4; optimize() on the core model", ("EX_glc__D_e", -4.0, None)),
    ("model.reactions.get_by_id('PFK').bounds = (0, 2) then model.optimize() for e_coli_core",
     ("PFK", 0.0, 2.0)),
    ("e_coli_core: EX_glc__D_e bounds (-4, 1000), growth", ("EX_glc__D_e", -4.0, 1000.0)),
    ("e_coli_core, set the bounds of PGI to [0, 5] - growth?", ("PGI", 0.0, 5.0)),
    ("what's the growth rate of iJO1366 when EX_o2_e is constrained to [-5, 0]?",
     ("EX_o2_e", -5.0, 0.0)),
    ("core: PGI flux in [0, 3] then growth", ("PGI", 0.0, 3.0)),
])
def test_cobrapy_spelling_of_a_bound(question: str, bound: tuple[str, Any, Any]) -> None:
    f = frame(question)
    assert f.intent == "growth" and f.slots.bounds == (bound,) and not f.unresolved
    assert f.slots.model in ("e_coli_core", "iJO1366")  # "core:" opening a question names it


@pytest.mark.parametrize("question", [
    "set the lower bound of EX_glc__D_e to -5, growth of e_coli_core",
    "e_coli_core: set the lower bound of PGI to -2 and give the growth",
])
def test_setting_one_side_leaves_the_other(question: str) -> None:
    (bound,) = frame(question).slots.bounds
    assert bound[1] is not None and bound[2] is None


@pytest.mark.parametrize(("question", "fraction"), [
    ("variability of ME1, ME2 and PPCK at fraction_of_optimum 0.75", 0.75),
    ("FVA of PGI with fraction_of_optimum=0.9 in e_coli_core", 0.9),
    ("FVA of PGI with fraction of optimum = 0.9 in e_coli_core", 0.9),
])
def test_fraction_of_optimum_as_cobrapy_names_it(question: str, fraction: float) -> None:
    f = frame(question)
    assert f.intent == "fva" and f.slots.fraction == fraction and not f.unresolved


def test_fva_at_fraction_of_optimum_equals_cobrapy(agent: Any) -> None:
    agent.ask("variability of ME1, ME2 and PPCK at fraction_of_optimum 0.75 in e_coli_core",
              session_id="fva")
    (result,) = results(agent, "fva", "run_fva")
    want = flux_variability_analysis(cobra.io.load_model("textbook"), ["ME1", "ME2", "PPCK"],
                                     fraction_of_optimum=0.75)
    got = {r["id"]: (r["minimum"], r["maximum"]) for r in result["ranges"]}
    for rid in ("ME1", "ME2", "PPCK"):
        assert got[rid] == pytest.approx(tuple(want.loc[rid, ["minimum", "maximum"]]), abs=1e-6)


@pytest.mark.parametrize(("question", "objective"), [
    ("salmonella: open ATPM's upper bound to 1000 and make it the objective. max ATP maintenance "
     "flux?", "ATPM"),
    ("in e_coli_core set the upper bound of PFK to 3 and use it as the objective", "PFK"),
    ("core model: cap PGI at 4, then make that the new objective", "PGI"),
])
def test_make_it_the_objective(question: str, objective: str) -> None:
    f = frame(question)
    assert f.slots.objective == objective and not f.unresolved


def test_it_as_the_objective_equals_cobrapy(agent: Any) -> None:
    answer = agent.ask("salmonella: open ATPM's upper bound to 1000 and make it the objective. "
                       "max ATP maintenance flux?", session_id="atpm").answer
    m = cobra.io.load_model("salmonella")
    m.reactions.ATPM.upper_bound = 1000
    m.objective = "ATPM"
    assert f"{m.slim_optimize():.6g}" in answer, answer
