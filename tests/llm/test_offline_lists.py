"""Questions over lists and ranges worded freely: "which exchange reactions are open for
uptake (and how many)", "how much can citrate synthase and MDH vary", "three oxygen caps -- 2, 5
and 10", "which internal reactions can't be removed (ignore EX_ reactions)": an "EX_" prefix is
no reaction id, and "can't be removed" asks for essentiality, not a knockout. Compared with
plain cobrapy."""

from __future__ import annotations

import math
from typing import Any

import cobra
import pytest
from cobra.flux_analysis import flux_variability_analysis, single_reaction_deletion
from planner_frames import frame


@pytest.mark.parametrize(("question", "model"), [
    ("Which exchange reactions are open for uptake in the default medium of the E. coli core "
     "model, and how many are there?", "textbook"),
    ("how many exchanges are open in iJO1366's medium?", "iJO1366"),
])
def test_open_uptakes_are_the_medium(agent: Any, question: str, model: str) -> None:
    medium = cobra.io.load_model(model).medium
    reply = agent.ask(question, session_id=f"open{len(question)}")
    assert f"has {len(medium)} open uptakes" in reply.answer, reply.answer
    assert all(rid in reply.answer for rid in list(medium)[:5]), reply.answer


@pytest.mark.parametrize("question", [
    "How much can citrate synthase and malate dehydrogenase (MDH) vary if the core model only "
    "needs 80 percent of max growth?",
    "how far could CS and MDH move at 80% of the optimum in e_coli_core?",
])
def test_how_much_reactions_can_vary_is_their_fva(agent: Any, question: str) -> None:
    fva = flux_variability_analysis(cobra.io.load_model("textbook"), ["CS", "MDH"],
                                    fraction_of_optimum=0.8)
    reply = agent.ask(question, session_id=f"vary{len(question)}")
    for rid in ("CS", "MDH"):
        lo, hi = fva.loc[rid]
        assert f"{lo:.6g} to {hi:.6g}" in reply.answer, reply.answer


@pytest.mark.parametrize(("question", "nutrient", "values"), [
    ("Core model at three oxygen caps -- 2, 5 and 10 mmol/gDW/h. Growth at each?", "oxygen",
     (2.0, 5.0, 10.0)),
    ("glucose uptake limits of 2, 4 and 6: growth of e_coli_core?", "glucose", (2.0, 4.0, 6.0)),
])
def test_a_series_of_caps(question: str, nutrient: str, values: tuple[float, ...]) -> None:
    f = frame(question)
    assert f.slots.uptake_series == tuple((nutrient, v) for v in values), f.slots.uptake_series
    assert not f.unresolved


@pytest.mark.parametrize("question", [
    "On acetate, which internal reactions of the core model can't be removed? (ignore EX_ "
    "reactions and biomass)",
    "with acetate as the carbon source, which reactions of e_coli_core cannot be deleted, not "
    "counting exchanges or the biomass reaction?",
])
def test_reactions_that_cannot_be_removed(agent: Any, question: str) -> None:
    m = cobra.io.load_model("textbook")
    m.reactions.EX_glc__D_e.lower_bound = 0
    m.reactions.EX_ac_e.lower_bound = -10
    d = single_reaction_deletion(m)
    want = sorted(next(iter(i)) for i, g in zip(d.ids, d.growth, strict=True)
                  if math.isnan(g) or g < 1e-6)  # infeasible or no growth
    want = [r for r in want if not m.reactions.get_by_id(r).boundary
            and r != "Biomass_Ecoli_core"]
    f = frame(question)
    assert f.intent == "essential" and not f.slots.knockouts, (f.intent, f.slots.knockouts)
    reply = agent.ask(question, session_id=f"ess{len(question)}")
    assert reply.answer.startswith(f"{len(want)} essential reactions"), reply.answer
    assert all(r in reply.answer for r in want)


@pytest.mark.parametrize(("question", "model", "fed"), [
    ("No glucose, but galactose and fructose at 3 mmol/gDW/h each for iJO1366. Growth rate?",
     "iJO1366", {"EX_gal_e": 3, "EX_fru_e": 3}),
    ("e_coli_core on fructose and pyruvate at 4 each, no glucose: growth?", "textbook",
     {"EX_fru_e": 4, "EX_pyr_e": 4}),
])
def test_two_sources_at_a_rate_each_are_fed_together(agent: Any, question: str, model: str,
                                                     fed: dict[str, float]) -> None:
    m = cobra.io.load_model(model)
    m.reactions.EX_glc__D_e.lower_bound = 0
    for rid, up in fed.items():
        m.reactions.get_by_id(rid).lower_bound = -up
    want = m.slim_optimize()
    reply = agent.ask(question, session_id=f"each{len(question)}")
    assert f"grows at {want:.6g} 1/h" in reply.answer, reply.answer


@pytest.mark.parametrize(("question", "model", "metabolite"), [
    ("What metabolite is g3p_c in the core model, and what's its formula?", "textbook", "g3p_c"),
    ("formula of pyr_c in iJO1366?", "iJO1366", "pyr_c"),
])
def test_a_metabolite_of_the_model_by_id(agent: Any, question: str, model: str,
                                         metabolite: str) -> None:
    met = cobra.io.load_model(model).metabolites.get_by_id(metabolite)
    reply = agent.ask(question, session_id=f"met{len(question)}")
    assert f"Metabolite {metabolite} ({met.name})" in reply.answer, reply.answer
    assert f"formula {met.formula}" in reply.answer, reply.answer


def test_a_modelseed_compound_formula_is_still_a_lookup() -> None:
    assert frame("Molecular formula of ModelSEED cpd00036, please.").intent == "lookup"


@pytest.mark.parametrize(("question", "genes"), [
    ("Which single knockout costs Salmonella the most growth: Pgi, TpiA or Zwf? Give the growth "
     "of each mutant.", 3),
    ("which knockout costs e_coli_core more growth, pgi or zwf?", 2),
])
def test_a_knockout_that_costs_growth(question: str, genes: int) -> None:
    f = frame(question)
    assert len(f.slots.knockouts) == genes and "costs" not in f.slots.knockouts, f.slots.knockouts


def essential_genes(model: cobra.Model) -> set[str]:
    from cobra.flux_analysis import single_gene_deletion
    d = single_gene_deletion(model)
    return {next(iter(i)) for i, g in zip(d.ids, d.growth, strict=True)
            if math.isnan(g) or g < 1e-6}


@pytest.mark.parametrize(("question", "oxygen"), [
    ("Which genes become essential in e_coli_core when oxygen is removed?", 0),
    ("which genes are newly essential in the core model under anaerobic conditions?", 0),
])
def test_genes_that_become_essential_against_the_default(agent: Any, question: str,
                                                         oxygen: float) -> None:
    m = cobra.io.load_model("textbook")
    before = essential_genes(m)
    m.reactions.EX_o2_e.lower_bound = -oxygen
    after = essential_genes(m)
    reply = agent.ask(question, session_id=f"becomes{len(question)}")
    new = sorted(after - before)
    line = next(x for x in reply.answer.splitlines() if "but not in the default" in x)
    assert line.startswith(f"{len(new)} genes essential in the conditions asked"), line
    assert sorted(line.split(": ", 1)[1].rstrip(".").split(", ")) == new, line
    assert "Not understood" not in reply.answer


@pytest.mark.parametrize(("question", "intent"), [
    ("Which reaction(s) in e_coli_core does gltA encode?", "info"),
    ("salmonella - count of genes whose single deletion is lethal on the default medium",
     "essential"),
    ("core model: genes whose knockout would be lethal?", "essential"),
])
def test_more_ways_to_ask_for_genes(question: str, intent: str) -> None:
    assert frame(question).intent == intent


@pytest.mark.parametrize("question", [
    "number of blocked reactions in e_coli_core once the oxygen uptake is shut",
    "blocked reactions of the core model when the O2 supply is shut",
])
def test_the_oxygen_uptake_shut(question: str) -> None:
    f = frame(question)
    assert f.slots.oxygen is False and not f.unresolved, (f.slots.oxygen, f.unresolved)


@pytest.mark.parametrize(("question", "exchange"), [
    ("Salmonella: min/max CO2 release (EX_co2_e) while keeping 90 percent of the optimal "
     "growth?", "EX_co2_e"),
    ("acetate secretion (EX_ac_e) flux in e_coli_core at the optimum?", "EX_ac_e"),
])
def test_an_exchange_named_and_given_by_id_is_one_reaction(question: str,
                                                           exchange: str) -> None:
    assert frame(question).slots.reactions == (exchange,), frame(question).slots.reactions
