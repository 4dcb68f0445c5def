"""Conditions and requests written in ways found by probing with new phrasings: an element
source "coming only from" a nutrient, chained inequalities as bounds, a biomass yield "per
glucose", gene pairs written "pta/ackA", a KEGG id a BiGG id "maps to", an enzyme glossed
before its id, compared carbon sources each with its own rate, a name swapped in an
afterthought ("... oh wait, use fructose instead"), and the least uptake that sustains a
growth rate. Numbers are checked against plain cobrapy on the same conditions."""

from __future__ import annotations

from typing import Any

import cobra
import pytest
from cobra.util.solver import linear_reaction_coefficients
from planner_frames import frame

from fluxagent.llm.offline.text import analyse


@pytest.mark.parametrize(("question", "element", "source", "rate"), [
    ("With nitrogen coming only from glutamine (uptake 5), and ammonium off, what's iJO1366's "
     "growth?", "nitrogen", "glutamine", 5.0),
    ("phosphorus supplied solely by glycerol 3-phosphate at 1, e_coli_core growth?",
     "phosphorus", "glycerol 3-phosphate", 1.0),
])
def test_an_element_coming_only_from_a_nutrient_is_its_sole_source(
        question: str, element: str, source: str, rate: float) -> None:
    f = frame(question)
    assert f.slots.sole_element == ((element, source),) and f.slots.carbon_source is None, f
    assert (source, rate) in f.slots.uptakes and not f.unresolved, (f.slots.uptakes, f.unresolved)


@pytest.mark.parametrize(("question", "bounds"), [
    ("If I clamp EX_o2_e to -3 <= v <= 0 in iJO1366, how fast does it grow?",
     (("EX_o2_e", -3.0, 0.0),)),
    ("with -5 <= EX_glc__D_e <= 0 and 0 ≤ v(PGI) ≤ 2, what is e_coli_core growth?",
     (("EX_glc__D_e", -5.0, 0.0), ("PGI", 0.0, 2.0))),
    ("e_coli_core, EX_o2_e: -4 <= flux <= 0. growth?", (("EX_o2_e", -4.0, 0.0),)),
])
def test_chained_inequalities_are_both_bounds(question: str, bounds: tuple[Any, ...]) -> None:
    f = frame(question)
    assert f.slots.bounds == bounds and not f.unresolved, (f.slots.bounds, f.unresolved)


def test_chained_bounds_answer_equals_cobrapy(agent: Any) -> None:
    reply = agent.ask("with -5 <= EX_glc__D_e <= 0 and 0 ≤ v(PGI) ≤ 2, what is e_coli_core "
                      "growth?", session_id="chain")
    m = cobra.io.load_model("textbook")
    m.reactions.EX_glc__D_e.bounds = (-5, 0)
    m.reactions.PGI.bounds = (0, 2)
    assert f"{m.slim_optimize():.6g} 1/h" in reply.answer, reply.answer


@pytest.mark.parametrize(("question", "carbon", "uptake"), [
    ("What is the yield of biomass per glucose in g/g for e_coli_core at default uptake?",
     "glucose", None),
    ("biomass yield on glucose for iJO1366, gDW per g?", "glucose", None),
    ("biomass yield from fructose (uptake 8) in e_coli_core, g/g", "fructose", 8.0),
])
def test_a_biomass_yield_per_substrate_is_not_its_production(
        question: str, carbon: str, uptake: float | None) -> None:
    f = frame(question)
    assert f.intent == "growth" and f.slots.biomass_yield and f.slots.product is None, f
    assert f.slots.carbon_source == carbon and f.slots.carbon_uptake == uptake, f.slots
    assert not f.unresolved, f.unresolved


@pytest.mark.parametrize("question", [
    "Is the pair pta/ackA synthetic lethal in e_coli_core?",
    "Is pta + ackA a synthetic lethal pair in e_coli_core?",
])
def test_gene_names_joined_by_a_slash_or_plus(question: str) -> None:
    f = frame(question)
    assert f.intent == "synthetic_lethal" and f.slots.genes == ("pta", "ackA"), f
    assert not f.unresolved, f.unresolved


def test_a_two_gene_combo_is_one_double_mutant() -> None:
    f = frame("is the 2-gene combo pta & ackA lethal in the core model?")
    assert f.intent == "knockout" and set(f.slots.knockouts) == {"pta", "ackA"}, f


@pytest.mark.parametrize(("question", "ids", "namespace"), [
    ("Which KEGG compound does BiGG atp_c map to?", ("atp_c",), "kegg"),
    ("what ModelSEED reaction would the BiGG reaction PGI correspond to?", ("PGI",),
     "modelseed"),
])
def test_the_target_namespace_named_first(question: str, ids: tuple[str, ...],
                                          namespace: str) -> None:
    f = frame(question)
    assert f.intent == "translate" and f.slots.ids == ids, f
    assert f.slots.namespaces == (namespace,), f.slots.namespaces


@pytest.mark.parametrize(("question", "knockout"), [
    ("Block the pentose phosphate pathway entry (G6PDH2r) in e_coli_core and report the flux "
     "through PGI.", "G6PDH2r"),
    ("knock out the pentose phosphate pathway enzyme G6PDH2r in e_coli_core, growth?",
     "G6PDH2r"),
    ("disable the glyoxylate shunt (ICL) in e_coli_core on acetate; growth?", "ICL"),
])
def test_a_pathway_named_before_the_id_is_not_a_nutrient(question: str, knockout: str) -> None:
    f = frame(question)
    assert f.slots.knockouts == (knockout,) and not f.unresolved, (f.slots, f.unresolved)


@pytest.mark.parametrize(("question", "rates", "uptake"), [
    ("which gives faster growth in e_coli_core, succinate at 10 or malate at 8?",
     (("succinate", 10.0), ("malate", 8.0)), None),
    ("compare growth of iJO1366 on glycerol (uptake 6) vs fructose (uptake 4)",
     (("glycerol", 6.0), ("fructose", 4.0)), None),
    ("Which is better for growth of e_coli_core: 10 of succinate or 10 of malate as sole "
     "carbon?", (), 10.0),
])
def test_compared_carbon_sources_each_with_its_rate(
        question: str, rates: tuple[tuple[str, float], ...], uptake: float | None) -> None:
    f = frame(question)
    assert len(f.slots.carbon_sources) == 2 and f.slots.carbon_rates == rates, f.slots
    assert f.slots.carbon_uptake == uptake and not f.slots.uptakes, f.slots
    assert not f.unresolved, f.unresolved


def test_each_compared_source_runs_at_its_own_rate(agent: Any) -> None:
    reply = agent.ask("which gives faster growth in e_coli_core, succinate at 10 or malate "
                      "at 8?", session_id="rates")
    for ex, rate in (("EX_succ_e", 10.0), ("EX_mal__L_e", 8.0)):
        m = cobra.io.load_model("textbook")
        m.reactions.EX_glc__D_e.lower_bound = 0.0
        m.reactions.get_by_id(ex).lower_bound = -rate
        assert f"{m.slim_optimize():.6g} 1/h" in reply.answer, reply.answer
    assert "Fastest growth: succinate" in reply.answer, reply.answer


@pytest.mark.parametrize(("question", "meant"), [
    ("Compare growth of e_coli_core on glucose vs on xylose at 10 each... oh wait the core has "
     "no xylose. Use fructose instead.",
     "Compare growth of e_coli_core on glucose vs on fructose at 10 each?"),
    ("Knock out pgi in e_coli_core and report growth. Actually, use zwf instead.",
     "Knock out zwf in e_coli_core and report growth?"),
    ("Grow e_coli_core on succinate. Hmm, no, try malate instead of succinate.",
     "Grow e_coli_core on malate?"),
])
def test_a_name_swapped_in_an_afterthought(question: str, meant: str) -> None:
    assert analyse(question).raw == meant


@pytest.mark.parametrize("question", [
    "Grow e_coli_core on fructose instead of glucose.",
    "Use fructose instead of glucose in e_coli_core: growth?",
])
def test_instead_without_an_afterthought_is_the_condition(question: str) -> None:
    assert analyse(question).raw == question


@pytest.mark.parametrize(("question", "model", "exchange", "floor"), [
    ("In iJO1366, what's the minimum glucose uptake needed to sustain 0.5 1/h growth?",
     "iJO1366", "EX_glc__D_e", 0.5),
    ("what is the least oxygen e_coli_core needs to reach a growth of 0.6?", "textbook",
     "EX_o2_e", 0.6),
])
def test_the_least_uptake_for_a_growth_rate(agent: Any, question: str, model: str,
                                            exchange: str, floor: float) -> None:
    f = frame(question)
    assert f.intent == "fva" and f.slots.least_uptake and f.slots.growth_floor == floor, f
    assert not f.unresolved, f.unresolved
    m = cobra.io.load_model(model)
    next(iter(linear_reaction_coefficients(m))).lower_bound = floor
    m.objective = exchange
    m.objective_direction = "max"
    least = -m.slim_optimize()
    reply = agent.ask(question, session_id=f"least{len(question)}")
    assert f"Least uptake of {exchange}" in reply.answer and f"{least:.6g} mmol" in reply.answer, \
        reply.answer


def test_a_rate_with_an_adjective_before_it() -> None:
    f = frame("In our chemostat we feed E. coli core glucose at a dilution-limited 4.5 "
              "mmol/gDW/h and it is strictly anaerobic. What growth rate does FBA predict?")
    assert f.slots.carbon_uptake == 4.5 and f.slots.oxygen is False and not f.unresolved, f
