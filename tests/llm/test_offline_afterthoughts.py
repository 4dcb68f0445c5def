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
    assert f.intent == "knockout" and f.slots.genes == ("pta", "ackA"), f


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


@pytest.mark.parametrize(("question", "carbon", "uptake"), [
    ("How fast does salmonella grow if I swap its glucose for 6 mmol/gDW/h of maltose?",
     "maltose", 6.0),
    ("e_coli_core: essential reactions when the carbon source is acetate at 15.", "acetate",
     15.0),
    ("what if the sole carbon source is fructose (uptake 7) in e_coli_core?", "fructose", 7.0),
    ("In iJO1366 with glucose replaced by L-lactate (uptake 10), growth?", "l-lactate", 10.0),
])
def test_the_carbon_source_replaced_or_named_as_such(question: str, carbon: str,
                                                     uptake: float) -> None:
    f = frame(question)
    assert f.slots.carbon_source == carbon and f.slots.carbon_uptake == uptake, f.slots
    assert not f.slots.uptakes and not f.unresolved, (f.slots.uptakes, f.unresolved)


def test_a_swapped_carbon_source_is_not_a_cofeed(agent: Any) -> None:
    reply = agent.ask("How fast does salmonella grow if I swap its glucose for 6 mmol/gDW/h "
                      "of maltose?", session_id="swap")
    m = cobra.io.load_model("salmonella")
    m.reactions.EX_glc__D_e.lower_bound = 0.0
    m.reactions.EX_malt_e.lower_bound = -6.0
    assert f"{m.slim_optimize():.6g} 1/h" in reply.answer, reply.answer


@pytest.mark.parametrize(("question", "bounds"), [
    ("Reduce the maximum of PGI to 2 in e_coli_core. Growth?", (("PGI", None, 2.0),)),
    ("set the minimum flux of PFK to 9 in e_coli_core; growth?", (("PFK", 9.0, None),)),
    ("e_coli_core: what's the growth if we require at least 8 flux through the ATP "
     "maintenance reaction?", (("ATPM", 8.0, None),)),
    ("e_coli_core growth when I lower the upper bound of EX_o2_e... I mean the lower bound, "
     "to -8?", (("EX_o2_e", -8.0, None),)),
])
def test_bounds_named_by_their_side(question: str, bounds: tuple[Any, ...]) -> None:
    f = frame(question)
    assert f.slots.bounds == bounds and not f.unresolved, (f.slots.bounds, f.unresolved)


@pytest.mark.parametrize(("question", "oxygen", "carbon_uptake"), [
    ("For the core E. coli model, tell me growth with 3 units of oxygen and succinate as the "
     "carbon (uptake 12).", 3.0, 12.0),
    ("iJO1366 with 4 units of glucose, growth?", None, 4.0),
])
def test_units_of_a_nutrient_are_its_uptake(question: str, oxygen: float | None,
                                            carbon_uptake: float) -> None:
    f = frame(question)
    assert f.slots.oxygen_uptake == oxygen and f.slots.carbon_uptake == carbon_uptake, f.slots
    assert not f.unresolved, f.unresolved


@pytest.mark.parametrize(("question", "intent", "product", "reactions"), [
    ("How much CO2 does e_coli_core give off at the optimum?", "flux", None,
     ("co2 exchange",)),
    ("For iJO1366, how much succinate can be made at most when growth must stay above 0.2?",
     "production", "succinate", ()),
    ("how much ethanol could be produced maximally by e_coli_core without oxygen?",
     "production", "ethanol", ()),
])
def test_what_is_given_off_or_made_at_most(question: str, intent: str, product: str | None,
                                           reactions: tuple[str, ...]) -> None:
    f = frame(question)
    assert (f.intent, f.slots.product, f.slots.reactions) == (intent, product, reactions), f
    assert not f.unresolved, f.unresolved


def test_anaerobiosis_is_the_oxygen_condition() -> None:
    f = frame("Give the FVA of EX_ac_e for e_coli_core under anaerobiosis at 100% optimum.")
    assert f.slots.oxygen is False and not f.unresolved, (f.slots.oxygen, f.unresolved)


def test_a_count_compared_between_two_models() -> None:
    f = frame("How many genes does salmonella have compared to iJO1366?")
    assert f.slots.models == ("salmonella", "iJO1366") and f.slots.count_difference == "genes"
    assert not f.unresolved, f.unresolved


@pytest.mark.parametrize(("question", "meant"), [
    ("knock out pfkA, I mean pfkB, in e_coli_core", "knock out pfkB, in e_coli_core"),
    ("grow e_coli_core on succinate, I mean fumarate", "grow e_coli_core on fumarate"),
    ("what is, I mean, the growth of e_coli_core?", "what is, I mean, the growth of e_coli_core?"),
])
def test_i_mean_corrects_the_name_before_it(question: str, meant: str) -> None:
    assert analyse(question).raw == meant
