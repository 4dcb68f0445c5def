"""Wordings of session 9, each on at least two phrasings and compared with plain cobrapy: a
limit given as a share of the model's own ("a third of its default", "50% of the usual"), a
change as a noun ("a 4-fold increase in ATPM", "a 50% reduction in glucose uptake"), a
request taken back ("... never mind, just tell me X"), a rate in parentheses after "sole
carbon source", a label explained by a parenthesis ("under nitrogen limitation (ammonium max
1)"), pathway abbreviations that are no reaction ("TCA cycle"), and a flux asked for under a
growth floor: the range over every flux state growing at least that fast (FVA with the floor
as the biomass lower bound, fraction of optimum 0), with an infeasible floor said plainly.
"""

from __future__ import annotations

from typing import Any

import cobra
import pytest
from cobra.flux_analysis import flux_variability_analysis
from planner_frames import frame

from fluxagent.llm.offline.text import analyse


def core() -> cobra.Model:
    return cobra.io.load_model("textbook")


def results(agent: Any, session_id: str, name: str) -> list[dict[str, Any]]:
    return [e.data["data"] for e in agent.thread(session_id).events
            if e.type == "tool_result" and e.data.get("tool") == name and e.data.get("ok")]


@pytest.mark.parametrize(("question", "target", "factor"), [
    ("what happens to growth if I drop the glucose uptake to a third of its default value?",
     "glucose", 1 / 3),
    ("cut glucose uptake to half of the usual value and give me the growth rate", "glucose",
     0.5),
    ("growth with the oxygen uptake at 50% of its default", "oxygen", 0.5),
    ("iJO1366 growth with glucose reduced to one quarter of normal", "glucose", 0.25),
    ("With a 4-fold increase in ATPM, how fast does the core model grow?", "ATPM", 4.0),
    ("growth after a 50% reduction in glucose uptake", "glucose", 0.5),
    ("iJO1366 growth with a 2-fold decrease of the glucose uptake", "glucose", 0.5),
    ("e_coli_core with 20% less oxygen: growth rate?", "oxygen", 0.8),
])
def test_a_share_or_a_change_of_the_models_own_limit(question: str, target: str,
                                                     factor: float) -> None:
    f = frame(question)
    assert dict(f.slots.factors).get(target) == pytest.approx(factor), f.slots.factors
    assert f.slots.floor_fraction is None and f.slots.fraction is None  # no optimum fraction
    assert not any(u == 0.0 for _, u in f.slots.uptakes)  # "drop X to ..." removes nothing
    assert not f.unresolved


@pytest.mark.parametrize("question", [
    "what happens to growth if I drop the glucose uptake to a third of its default value?",
    "core model growth with the glucose uptake cut to a third of its usual value",
])
def test_a_third_of_the_default_glucose_is_grown_as_cobrapy_does(agent: Any,
                                                                 question: str) -> None:
    m = core()
    m.reactions.EX_glc__D_e.lower_bound = -10 / 3
    want = m.slim_optimize()
    answer = agent.ask(question, session_id=f"third{len(question)}").answer
    assert f"{want:.6g}" in answer, answer


@pytest.mark.parametrize(("question", "kept", "dropped"), [
    ("If I force flux through the ED pathway... never mind, just tell me the PFK flux at "
     "optimum", "PFK flux", "ED pathway"),
    ("Grow it on acetate. Actually, forget that: what is the growth on succinate?",
     "growth on succinate", "acetate"),
    ("knock out pgi - no wait, scratch that - knock out pfkA and pfkB, what's the growth?",
     "pfkA and pfkB", "pgi"),
])
def test_a_request_taken_back_is_dropped(question: str, kept: str, dropped: str) -> None:
    raw = analyse(question).raw
    assert kept in raw and dropped not in raw, raw


def test_nothing_after_a_withdrawal_keeps_the_question() -> None:
    q = "growth on acetate? if it does not grow, forget it"
    assert analyse(q).raw == q


@pytest.mark.parametrize(("question", "uptake"), [
    ("salmonella: growth with glycerol as sole carbon source (5)?", 5.0),
    ("salmonella: growth with glycerol as sole carbon (3)?", 3.0),
    ("core model on acetate as the only carbon source (max 8 mmol/gDW/h), growth?", 8.0),
])
def test_a_rate_in_parentheses_after_the_sole_carbon_source(question: str,
                                                           uptake: float) -> None:
    f = frame(question)
    assert f.slots.carbon_uptake == uptake and not f.unresolved


@pytest.mark.parametrize(("question", "named"), [
    ("Under nitrogen limitation (ammonium uptake max 1), what's the growth rate?", None),
    ("under phosphate limitation (phosphate uptake at most 0.5), growth of the core model?",
     None),
    ("under heat stress (42 C), what's the growth rate?", "under heat stress"),
])
def test_a_label_explained_in_parentheses(question: str, named: str | None) -> None:
    f = frame(question)
    assert (named in f.unresolved) if named else not f.unresolved, f.unresolved


@pytest.mark.parametrize("question", [
    "what's the max flux through the TCA cycle enzyme CS when growth is held at 0.5?",
    "flux of the PPP entry G6PDH2r at the optimum",
])
def test_a_pathway_abbreviation_is_no_reaction(question: str) -> None:
    f = frame(question)
    assert not {"TCA", "PPP"} & set(f.slots.reactions) and not f.unresolved


@pytest.mark.parametrize("question", [
    "what's the max flux through the TCA cycle enzyme CS when growth is held at 0.5?",
    "what is the maximum possible CS flux if growth must be at least 0.5 1/h?",
    "range of CS flux when growth is at least 0.5",
])
def test_a_flux_under_a_growth_floor_is_its_range_over_that_floor(agent: Any,
                                                                  question: str) -> None:
    sid = f"floor{abs(hash(question))}"
    answer = agent.ask(question, session_id=sid).answer
    m = core()
    m.reactions.Biomass_Ecoli_core.lower_bound = 0.5
    want = flux_variability_analysis(m, ["CS"], fraction_of_optimum=0.0).loc["CS"]
    assert f"{want['minimum']:.6g} to {want['maximum']:.6g}" in answer, answer
    assert want["maximum"] > 6.01  # the floor matters: at the optimum CS is fixed at 6.007
    (fva,) = results(agent, sid, "run_fva")
    assert fva["conditions"]["growth_floor"] == {"reaction": "Biomass_Ecoli_core", "value": 0.5}


@pytest.mark.parametrize("question", [
    "FVA of PGI and PFK with growth >= 0.8 1/h, anaerobic",
    "anaerobic core model: range of PFK flux if growth must be at least 0.5",
])
def test_a_floor_the_model_cannot_reach_is_said(agent: Any, question: str) -> None:
    m = core()
    m.reactions.EX_o2_e.lower_bound = 0
    assert m.slim_optimize() < 0.5  # anaerobic growth stays below both floors
    answer = agent.ask(question, session_id=f"nofloor{len(question)}").answer
    assert "No flux state" in answer and "cannot grow at" in answer, answer
