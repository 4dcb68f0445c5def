"""Everyday words around a condition: a nutrient "shut off", "cut off", "gets shut off" or
"has been switched off" is removed; conjunctions and verbs ("once", "cut", "been") are never
taken for gene names; "how many reactions lack a GPR / have no gene association" is answered
with the count cobrapy gives; and the bundled Salmonella file, whose model id is iYS1720, is
found by that name."""

from __future__ import annotations

from typing import Any

import cobra
import pytest
from planner_frames import frame


@pytest.mark.parametrize(("question", "oxygen"), [
    ("Which reactions are blocked in e_coli_core once oxygen is shut off?", False),
    ("growth of the core model after oxygen has been cut off", False),
    ("growth of e_coli_core when O2 gets switched off", False),
])
def test_oxygen_shut_off_is_anaerobic(question: str, oxygen: bool) -> None:
    f = frame(question)
    assert f.slots.oxygen is oxygen, f.slots
    assert not f.slots.knockouts and not f.unresolved, (f.slots.knockouts, f.unresolved)


@pytest.mark.parametrize(("question", "exchange"), [
    ("growth in e_coli_core when ammonium gets shut off", "EX_nh4_e"),
    ("what does e_coli_core grow at once oxygen has been turned off?", "EX_o2_e"),
    ("core model growth once phosphate has been cut off", "EX_pi_e"),
])
def test_a_nutrient_shut_off_is_removed_as_cobrapy_does(agent: Any, question: str,
                                                        exchange: str) -> None:
    m = cobra.io.load_model("textbook")
    m.reactions.get_by_id(exchange).lower_bound = 0
    want = m.slim_optimize()
    shown = "0" if abs(want) < 1e-9 else f"{want:.6g}"  # solver noise of a zero
    reply = agent.ask(question, session_id=f"off{len(question)}")
    assert f" {shown} 1/h" in reply.answer and "Not understood" not in reply.answer, \
        reply.answer


@pytest.mark.parametrize(("question", "model"), [
    ("How many reactions in e_coli_core have no gene association?", "textbook"),
    ("how many reactions lack a GPR in iJO1366", "iJO1366"),
])
def test_reactions_without_a_gene_association_are_counted(agent: Any, question: str,
                                                          model: str) -> None:
    m = cobra.io.load_model(model)
    none = sum(1 for r in m.reactions if not r.gene_reaction_rule.strip())
    internal = sum(1 for r in m.reactions if not r.gene_reaction_rule.strip() and not r.boundary)
    reply = agent.ask(question, session_id=f"gpr{len(question)}")
    assert f"{none} have none (among them {internal} internal reactions" in reply.answer, \
        reply.answer
    assert "Not understood" not in reply.answer and "Unverified" not in reply.answer


@pytest.mark.parametrize("question", [
    "What is the growth rate of iYS1720?",
    "Salmonella model (iYS1720), stock conditions: max biomass flux in per hour please",
])
def test_iys1720_is_the_bundled_salmonella(question: str) -> None:
    assert cobra.io.load_model("salmonella").id == "iYS1720"
    f = frame(question)
    assert f.slots.models == ("salmonella",) and not f.unresolved, (f.slots.models, f.unresolved)


@pytest.mark.parametrize(("question", "value"), [
    ("iJO1366 PGI: minimum and maximum flux at ninety-five percent of the optimal biomass.", 95),
    ("FVA of PGI in the core model at seventy five percent of the optimum", 75),
    ("grow e_coli_core with glucose capped at twenty-two", 22),
])
def test_compound_number_words_are_one_number(question: str, value: int) -> None:
    from fluxagent.llm.offline.text import analyse
    assert f" {value} " in f" {analyse(question).raw} ".replace("%", " "), analyse(question).raw


def test_fva_at_ninety_five_percent_is_cobrapys(agent: Any) -> None:
    from cobra.flux_analysis import flux_variability_analysis
    m = cobra.io.load_model("textbook")
    want = flux_variability_analysis(m, ["PGI"], fraction_of_optimum=0.95).loc["PGI"]
    reply = agent.ask("e_coli_core PGI: minimum and maximum flux at ninety-five percent of the "
                      "optimal biomass.", session_id="fva95")
    assert "at 95% of the optimal" in reply.answer, reply.answer
    assert f"{want.minimum:.6g} to {want.maximum:.6g}" in reply.answer, reply.answer


@pytest.mark.parametrize(("question", "closed", "fed"), [
    ("No glucose, but galactose and fructose at 3 mmol/gDW/h each for iJO1366. Growth rate?",
     {"glucose"}, {"fructose"}),
    ("without ammonium, but glutamine at 5: core model growth", {"ammonium"}, {"glutamine"}),
])
def test_a_removal_list_stops_at_but(question: str, closed: set[str], fed: set[str]) -> None:
    f = frame(question)
    removed = {lx_canon(m) for m, v in f.slots.uptakes if v == 0}
    assert removed == {lx_canon(c) for c in closed}, f.slots.uptakes
    assert not {lx_canon(x) for x in fed} & removed


def lx_canon(m: str) -> str:
    from fluxagent.llm.offline import lexicon as lx
    return lx.canonical(m.removeprefix("l-"))


@pytest.mark.parametrize("question", [
    "Salmonella with L-arginine (3 mmol/gDW/h) as its only N-source, NH4 exchange shut: growth "
    "rate?",
    "core model, glutamine as the sole nitrogen-source, ammonium exchange shut: growth?",
])
def test_a_hyphenated_element_source_is_the_elements(question: str) -> None:
    f = frame(question)
    assert [e for e, _ in f.slots.sole_element] == ["nitrogen"], f.slots.sole_element
    assert f.slots.carbon_source is None and not f.unresolved
    assert not [r for r in f.slots.reactions if "exchange" in r], f.slots.reactions


@pytest.mark.parametrize(("question", "ammonium"), [
    ("Nitrogen sources for e_coli_core: ammonium vs L-glutamine vs L-glutamate, each at 5 "
     "mmol/gDW/h with the other N exchanges closed. Which supports the fastest growth?", True),
    ("compare nitrogen sources in the core model: ammonium, L-glutamine or L-glutamate (5 each)",
     True),
    ("Compare nitrogen sources in the core model (NH4 off, 5 each): L-glutamine, L-glutamate",
     False),
])
def test_the_default_source_is_compared_when_listed(question: str, ammonium: bool) -> None:
    f = frame(question)
    compared = [m for _, m, _ in f.slots.element_sources]
    assert ("ammonium" in compared) is ammonium and len(compared) == 2 + ammonium, compared


def test_listed_ammonium_grows_as_cobrapy_does(agent: Any) -> None:
    m = cobra.io.load_model("textbook")
    m.reactions.EX_nh4_e.lower_bound = -5
    want = m.slim_optimize()
    reply = agent.ask("Nitrogen sources for e_coli_core: ammonium vs L-glutamine vs "
                      "L-glutamate, each at 5 mmol/gDW/h. Which supports the fastest growth?",
                      session_id="nsrc")
    assert f"ammonium: e_coli_core grows at {want:.6g} 1/h" in reply.answer, reply.answer


@pytest.mark.parametrize("question", [
    "quick sanity check: textbook model, default everything, what's the FBA objective value",
    "Sanity check - what is the optimal objective value of e_coli_core?",
])
def test_a_sanity_check_lead_in_asks_for_the_objective(question: str) -> None:
    assert frame(question).intent == "growth"


@pytest.mark.parametrize("question", [
    "Knock out pgi (b4025) in both E. coli models, the core one and iJO1366; which mutant "
    "retains more growth?",
    "pgi knockout in iJO1366 and in the core one: which grows faster?",
])
def test_the_core_one_is_a_model(question: str) -> None:
    f = frame(question)
    assert set(f.slots.models) == {"e_coli_core", "iJO1366"} and f.slots.best == "max", \
        (f.slots.models, f.slots.best)


@pytest.mark.parametrize(("question", "bigg", "seed"), [
    ("The BiGG reaction PGI -- which ModelSEED reaction is it?", "PGI", "rxn00558"),
    ("BiGG compound pyr: what is it in ModelSEED?", "pyr", "cpd00020"),
])
def test_a_pronoun_stands_for_the_id_named_before_it(agent: Any, question: str, bigg: str,
                                                     seed: str) -> None:
    reply = agent.ask(question, session_id=f"it{len(question)}")
    assert f"{bigg} -> {seed}" in reply.answer, reply.answer


@pytest.mark.parametrize(("question", "organism"), [
    ("Load the Bacillus subtilis model and compute its growth on glucose.", "Bacillus subtilis"),
    ("growth of B. subtilis on glucose", "B. subtilis"),
    ("What's the growth of a yeast model on glucose?", "yeast"),
])
def test_an_organism_without_a_bundled_model_is_named(question: str, organism: str) -> None:
    assert any(u.startswith(organism) for u in frame(question).unresolved), \
        frame(question).unresolved


@pytest.mark.parametrize("question", [
    "growth of E. coli core on glucose",
    "what is the growth of S. typhimurium (salmonella model)?",
])
def test_the_bundled_organisms_are_not_named(question: str) -> None:
    assert not frame(question).unresolved, frame(question).unresolved
