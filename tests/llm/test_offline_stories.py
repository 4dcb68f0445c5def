"""Questions told as lab stories or in shorthand: a label before the question ("sanity check
first:", "a serine auxotroph candidate:", "our Biolog plate suggests ..."), code-like bounds
(``lb=-6``), compared mutants written "A vs B vs C", conditions said as "can't exceed",
"provided at", "let it go up to", "N mmol of it", ids written after a list of names, steps
labelled "step 1:", and corrections said in passing. Each mechanism on two phrasings of its
own; numbers checked against plain cobrapy where an answer is computed."""

from __future__ import annotations

import re
from typing import Any

import cobra
import pytest
from planner_frames import conversation, frame

from fluxagent.llm.claims import numbers_in
from fluxagent.llm.offline.text import analyse


@pytest.mark.parametrize("question", [
    "Sanity check first: what growth rate does iJO1366 reach?",
    "quick sanity test before I edit anything: what maximum growth rate does e_coli_core "
    "reach on its own medium?",
])
def test_a_sanity_check_label_asks_for_growth(question: str) -> None:
    f = frame(question)
    assert f.intent == "growth" and not f.unresolved, (f.intent, f.unresolved)


@pytest.mark.parametrize(("question", "added"), [
    ("Glucose at its usual rate plus 4 mmol/gDW/h of acetate, fed together - growth of "
     "e_coli_core?", ("acetate", 4.0)),
    ("e_coli_core: glucose at its default uptake plus fructose at 3, supplied together; growth?",
     ("fructose", 3.0)),
])
def test_glucose_at_its_default_plus_another_source(question: str,
                                                    added: tuple[str, float]) -> None:
    f = frame(question)
    assert f.slots.uptakes == (added,) and f.slots.carbon_uptake is None, f.slots
    assert not f.slots.cofeed and not f.unresolved, (f.slots.cofeed, f.unresolved)


@pytest.mark.parametrize(("question", "best"), [
    ("pgi vs zwf vs gnd mutants in e_coli_core - which is the most crippled?", "min"),
    ("e_coli_core deletion mutants: b4025 versus b1852, which one grows better?", "max"),
])
def test_mutants_compared_with_vs_are_separate_knockouts(question: str, best: str) -> None:
    f = frame(question)
    assert f.intent == "knockout" and f.slots.ko_alternatives and f.slots.best == best, f.slots
    assert len(f.slots.knockouts) >= 2 and not f.unresolved, f.unresolved


def test_mutants_compared_each_grow_as_cobrapy(agent: Any) -> None:
    reply = agent.ask("pgi vs zwf mutants in e_coli_core - which is the most crippled?",
                      session_id="vs")
    for gene in ("b4025", "b1852"):
        m = cobra.io.load_model("textbook")
        m.genes.get_by_id(gene).knock_out()
        assert f"{m.slim_optimize():.6g} 1/h" in reply.answer, reply.answer


@pytest.mark.parametrize("question", [
    "How many genes come out as essential in e_coli_core?",
    "which genes turn out essential for iJO1366 on glycerol?",
])
def test_a_verb_after_genes_is_not_a_gene(question: str) -> None:
    f = frame(question)
    assert not f.slots.genes and f.intent in ("essential", "deletion_screen"), f


@pytest.mark.parametrize(("question", "carbon", "uptake"), [
    ("Screen iJO1366 on glycerol (glycerol replaces glucose, 10 mmol/gDW/h) for essential "
     "genes.", "glycerol", 10.0),
    ("e_coli_core on fructose (no glucose; 7 mmol/gDW/h): growth?", "fructose", 7.0),
])
def test_the_rate_closing_a_parenthesis(question: str, carbon: str, uptake: float) -> None:
    f = frame(question)
    assert (f.slots.carbon_source, f.slots.carbon_uptake) == (carbon, uptake), f.slots
    assert not f.unresolved, f.unresolved


@pytest.mark.parametrize("question", [
    "Knock out b2913 in iJO1366 and report growth on the default (serine-free) medium.",
    "A glycine auxotroph candidate: remove b2551 from iJO1366 and report the growth rate.",
])
def test_labels_of_the_strain_or_medium_change_nothing(question: str) -> None:
    f = frame(question)
    assert f.intent == "knockout" and not f.slots.uptakes and not f.unresolved, f


@pytest.mark.parametrize(("question", "partner_of"), [
    ("Which reactions form a synthetic lethal pair with PPC in the core model (double reaction "
     "knockouts)?", ("PPC",)),
    ("list the synthetic lethal partners of TPI in e_coli_core, double deletions, default "
     "medium", ("TPI",)),
])
def test_synthetic_lethal_partners_of_one_reaction(question: str,
                                                   partner_of: tuple[str, ...]) -> None:
    f = frame(question)
    assert f.intent == "synthetic_lethal" and f.slots.reactions == partner_of, f


@pytest.mark.parametrize(("question", "aliases"), [
    ("Check the rpiA/rpiB pair (b2914 and b4090) in iJO1366 for synthetic lethality.",
     (("rpiA", "b2914"), ("rpiB", "b4090"))),
    ("are pgi and zwf (b4025, b1852) synthetic lethal in e_coli_core?",
     (("pgi", "b4025"), ("zwf", "b1852"))),
])
def test_ids_after_a_pair_of_names_are_their_aliases(question: str,
                                                     aliases: tuple[Any, ...]) -> None:
    f = frame(question)
    assert f.slots.aliases == aliases and len(f.slots.genes) == 2 and not f.unresolved, f.slots


@pytest.mark.parametrize("question", [
    "Testing proline as N source for Salmonella: ammonium closed, L-proline uptake at 5. "
    "Growth?",
    "alanine as nitrogen source in iJO1366 (ammonium off), with L-alanine uptake at 4 - growth?",
])
def test_an_element_source_named_twice_is_not_also_the_carbon(question: str) -> None:
    f = frame(question)
    assert f.slots.sole_element and f.slots.carbon_source is None, f.slots
    assert f.slots.carbon_uptake is None and not f.unresolved, (f.slots, f.unresolved)


@pytest.mark.parametrize("question", [
    "Anaerobically, which reactions can e_coli_core not do without?",
    "which genes can iJO1366 really not do without on glucose?",
])
def test_not_do_without_is_essentiality(question: str) -> None:
    assert frame(question).intent == "essential"


@pytest.mark.parametrize(("question", "field", "value"), [
    ("e_coli_core growth if oxygen uptake can't exceed 6 mmol/gDW/h?", "oxygen_uptake", 6.0),
    ("iJO1366 growth when glucose must not go above 4?", "carbon_uptake", 4.0),
    ("let glucose uptake go up to 12 in iJO1366 - growth?", "carbon_uptake", 12.0),
    ("If e_coli_core can only import 6 millimoles of glucose per gram dry weight per hour, "
     "what is its growth?", "carbon_uptake", 6.0),
])
def test_limits_said_as_a_sentence(question: str, field: str, value: float) -> None:
    f = frame(question)
    assert getattr(f.slots, field) == value and not f.unresolved, (f.slots, f.unresolved)


@pytest.mark.parametrize(("question", "uptakes"), [
    ("iJO1366 with sulfate removed and taurine provided at only 0.05 mmol/gDW/h: growth?",
     (("taurine", 0.05), ("sulfate", 0.0))),
    ("salmonella: thiosulfate instead of sulfate as sulfur source, 0.02 mmol/gDW/h of it. "
     "growth?", (("sulfate", 0.0), ("thiosulfate", 0.02))),
])
def test_a_source_provided_at_a_rate(question: str, uptakes: tuple[Any, ...]) -> None:
    f = frame(question)
    assert set(f.slots.uptakes) == set(uptakes) and not f.unresolved, (f.slots, f.unresolved)


@pytest.mark.parametrize("question", [
    "Without oxygen, what range can ethanol and formate secretion (EX_etoh_e, EX_for_e) span "
    "in e_coli_core at 95 percent of the optimum?",
    "what flux range could EX_ac_e take in e_coli_core at 90% of max growth?",
])
def test_what_range_is_flux_variability(question: str) -> None:
    f = frame(question)
    assert f.intent == "fva" and not f.unresolved, (f.intent, f.unresolved)


@pytest.mark.parametrize(("question", "bounds"), [
    ("co-feeding on e_coli_core: EX_glc__D_e lb=-6, EX_pyr_e lb=-4. mu?",
     (("EX_glc__D_e", -6.0, None), ("EX_pyr_e", -4.0, None))),
    ("core model, PGI.upper_bound = 3 and Biomass_Ecoli_core lb = 0.2: max acetate?",
     (("PGI", None, 3.0), ("Biomass_Ecoli_core", 0.2, None))),
])
def test_code_like_bounds(question: str, bounds: tuple[Any, ...]) -> None:
    f = frame(question)
    assert set(f.slots.bounds) == set(bounds) and not f.unresolved, (f.slots.bounds, f.unresolved)


def test_code_like_cofeed_equals_cobrapy(agent: Any) -> None:
    reply = agent.ask("co-feeding on e_coli_core: EX_glc__D_e lb=-6, EX_pyr_e lb=-4. mu?",
                      session_id="lb")
    m = cobra.io.load_model("textbook")
    m.reactions.EX_glc__D_e.lower_bound = -6
    m.reactions.EX_pyr_e.lower_bound = -4
    assert f"{m.slim_optimize():.6g} 1/h" in reply.answer, reply.answer


@pytest.mark.parametrize(("question", "values"), [
    ("Compare e_coli_core growth with O2 capped at 5, at 10 and at 15 - which is highest?",
     (5.0, 10.0, 15.0)),
    ("glucose uptake set to 2, to 4 and to 6 in iJO1366: growth of each?", (2.0, 4.0, 6.0)),
])
def test_a_series_with_the_preposition_repeated(question: str,
                                                values: tuple[float, ...]) -> None:
    f = frame(question)
    assert tuple(v for _, v in f.slots.uptake_series) == values and not f.unresolved, f.slots


@pytest.mark.parametrize("question", [
    "iJO1366 sugar panel (each replacing glucose at 10 mmol/gDW/h): maltose, D-xylose. Rank "
    "them or at least tell me the winner.",
    "e_coli_core, each instead of glucose at 8: fructose, succinate - which wins?",
])
def test_sources_each_replacing_glucose(question: str) -> None:
    f = frame(question)
    assert len(f.slots.carbon_sources) == 2 and not f.slots.uptakes, f.slots
    assert f.slots.carbon_uptake in (8.0, 10.0) and f.slots.best == "max", f.slots
    assert not f.unresolved, f.unresolved


@pytest.mark.parametrize(("question", "product"), [
    ("Anaerobic iJO1366 making D-lactate: maximum EX_lac__D_e flux when growth must stay above "
     "0.1 h-1?", ("EX_lac__D_e",)),
    ("e_coli_core producing acetate - maximum EX_ac_e flux with growth at least 0.3?",
     ("EX_ac_e", "acetate")),
])
def test_a_maximised_exchange_of_the_product_named(question: str,
                                                  product: tuple[str, ...]) -> None:
    f = frame(question)
    assert f.intent == "production" and f.slots.product in product, f
    assert f.slots.growth_floor is not None and not f.unresolved, (f.slots, f.unresolved)


def test_the_maximised_exchange_under_a_floor_equals_cobrapy(agent: Any) -> None:
    reply = agent.ask("e_coli_core producing acetate - maximum EX_ac_e flux with growth at "
                      "least 0.3?", session_id="floor")
    m = cobra.io.load_model("textbook")
    m.reactions.Biomass_Ecoli_core.lower_bound = 0.3
    m.objective = "EX_ac_e"
    stated = re.search(r"\(EX_ac_e\)[^:]*: ([\d.]+) mmol", reply.answer)
    assert stated and float(stated.group(1)) == pytest.approx(m.slim_optimize(), rel=1e-5), \
        reply.answer


@pytest.mark.parametrize("question", [
    "How much erythrose 4-phosphate (e4p_c, the aromatic precursor) can the core model supply "
    "at most? Put a demand reaction on it and maximise.",
    "How much glucose 6-phosphate (g6p_c) can e_coli_core make at most? Attach a demand to it "
    "and maximise.",
])
def test_a_demand_put_on_it_and_maximised(question: str) -> None:
    f = frame(question)
    assert len(f.slots.demands) == 1 and f.slots.objective == f"DM_{f.slots.demands[0]}", f
    assert not f.unresolved, f.unresolved


@pytest.mark.parametrize("question", [
    "In the core model, which reaction is pykF (b1676) attached to, and which other gene can "
    "catalyse the same step?",
    "which reactions is gapA associated to in iJO1366?",
])
def test_the_reactions_of_a_gene(question: str) -> None:
    assert frame(question).intent == "info"


@pytest.mark.parametrize(("question", "query"), [
    ("ModelSEED cpd00363 - what compound is it, and what is its KEGG id?", "cpd00363"),
    ("rxn00459: what is it, and its KEGG id?", "rxn00459"),
])
def test_what_an_id_is_and_its_kegg_id(question: str, query: str) -> None:
    f = frame(question)
    assert f.intent == "lookup" and f.slots.query == query, f


@pytest.mark.parametrize("question", [
    "iJO1366 protocol - step 1: glycerol replaces glucose (10 mmol/gDW/h); step 2: oxygen "
    "limited to 8; step 3: delete b1761. Growth at each step please.",
    "e_coli_core. Step 1: cap glucose at 5. Step 2: knock out pgi. Growth after each step.",
])
def test_steps_labelled_step_n(question: str) -> None:
    f = conversation(question)
    assert len(f.steps) == 3 if "step 3" in question else len(f.steps) == 2, f.steps
    assert not f.unresolved, f.unresolved


@pytest.mark.parametrize("question", [
    "Our Biolog nitrogen plate suggests E. coli can use cytidine as its only nitrogen source. "
    "Does iJO1366 agree? Ammonium off, cytidine at 5 mmol/gDW/h - predicted growth rate?",
    "The Biolog data say salmonella grows on L-serine as sole nitrogen source; with NH4 shut "
    "and L-serine at 3, how fast does it grow?",
])
def test_a_biolog_story_with_one_condition_is_a_growth_question(question: str) -> None:
    f = frame(question)
    assert f.intent == "growth" and f.slots.sole_element and not f.unresolved, f


@pytest.mark.parametrize(("question", "reactions"), [
    ("iJO1366, default medium, optimal growth: CO2 production rate (EX_co2_e)?", ("EX_co2_e",)),
    ("What is the carbon dioxide output flux of Salmonella at its default optimum?",
     ("co2 exchange",)),
])
def test_an_exchange_rate_at_the_optimum_is_its_flux(question: str,
                                                     reactions: tuple[str, ...]) -> None:
    f = frame(question)
    assert f.intent == "flux" and f.slots.reactions == reactions and not f.unresolved, f


@pytest.mark.parametrize(("question", "objective"), [
    ("Maximise flux through the NAD-dependent malic enzyme (ME1) in the core model. Value?",
     "ME1"),
    ("iJO1366: what's the largest flux glucose-6-phosphate dehydrogenase (G6PDH2r, zwf) can "
     "carry on the default medium if I make it the objective?", "G6PDH2r"),
])
def test_the_objective_named_after_its_description(question: str, objective: str) -> None:
    f = frame(question)
    assert f.intent == "growth" and f.slots.objective == objective and not f.unresolved, f


@pytest.mark.parametrize(("question", "reactions", "knockouts"), [
    ("citrate synthase and NADP-isocitrate dehydrogenase fluxes in e_coli_core at max growth "
     "(CS, ICDHyr)?", ("CS", "ICDHyr"), ()),
    ("If the fructose-bisphosphate aldolase reaction (FBA) is removed from the core network, "
     "what growth rate remains?", ("FBA",), ("FBA",)),
    ("In the Salmonella model, deactivate fumarase (FUM) - growth?", ("FUM",), ("FUM",)),
])
def test_ids_written_after_enzyme_names(question: str, reactions: tuple[str, ...],
                                        knockouts: tuple[str, ...]) -> None:
    f = frame(question)
    assert (f.slots.reactions, f.slots.knockouts) == (reactions, knockouts), f.slots
    assert not f.unresolved, f.unresolved


@pytest.mark.parametrize(("question", "meant"), [
    ("Knock out CO2t in e_coli_core - wait, no, the water one, H2Ot - and run FBA.",
     "Knock out H2Ot in e_coli_core - and run FBA."),
    ("Salmonella ships with ATPM fixed at 8.39. Fix it at 10 instead, hmm, no - make that 12.",
     "Salmonella ships with ATPM fixed at 8.39. Fix it at 12."),
])
def test_corrections_said_in_passing(question: str, meant: str) -> None:
    assert analyse(question).raw == meant


def test_then_closing_a_clause_is_not_a_next_step() -> None:
    f = conversation("Set the glucose uptake of iJO1366 to 6 mmol/gDW/h.",
                     "What's the growth then, and by what percentage is it lower than with the "
                     "default 10?")
    assert not f.steps and f.slots.percent_change and f.slots.carbon_uptake == 6.0, f
    assert not f.unresolved, f.unresolved


def test_stoichiometric_coefficients_before_a_locant_are_chemistry() -> None:
    numbers = numbers_in("rxn00459: (1) 2-Phospho-D-glycerate[0] <=> (1) H2O[0] + (1) "
                         "Phosphoenolpyruvate[0] [EC 4.2.1.11]")
    assert not numbers, numbers


@pytest.mark.parametrize("question", [
    "Without oxygen, how much ATP (ATPM flux) can the core model generate at most?",
    "how much ATP can iJO1366 make at most through ATPM?",
])
def test_the_most_atp_is_the_maximum_of_atpm(question: str) -> None:
    f = frame(question)
    assert f.intent == "production" and f.slots.product == "ATPM" and not f.unresolved, f


@pytest.mark.parametrize("question", [
    "What's µmax of iJO1366 when it's fed only pyruvate (8 mmol/gDW/h)?",
    "μ of e_coli_core on fructose?",
])
def test_the_growth_symbol_in_either_spelling(question: str) -> None:
    f = frame(question)
    assert f.intent == "growth" and f.slots.carbon_source is not None and not f.unresolved, f


@pytest.mark.parametrize(("question", "knockout"), [
    ("Predict the specific growth rate for e_coli_core if the PDH complex is gone.", "PDH"),
    ("e_coli_core growth with pfkA missing?", "pfkA"),
    ("what if PFK were absent in e_coli_core?", "PFK"),
])
def test_a_missing_enzyme_is_a_knockout(question: str, knockout: str) -> None:
    f = frame(question)
    assert f.intent == "knockout" and f.slots.knockouts == (knockout,), f
    assert not f.unresolved, f.unresolved


@pytest.mark.parametrize("question", [
    "How does growth of e_coli_core change when I raise ATPM from 8.39 to 15? percent please",
    "how would the growth change in percent if I cap glucose at 5 in e_coli_core?",
])
def test_how_growth_changes_in_percent(question: str) -> None:
    f = frame(question)
    assert f.slots.percent_change and not f.unresolved, (f.slots.percent_change, f.unresolved)


@pytest.mark.parametrize(("question", "carbon_uptake", "uptakes", "oxygen"), [
    ("iJO1366 growth when both glucose and oxygen uptake are limited to 5?", None,
     (("glucose", 5.0),), 5.0),
    ("e_coli_core with glucose and ammonium each capped at 3: growth?", 3.0,
     (("ammonium", 3.0),), None),
])
def test_one_limit_for_two_nutrients(question: str, carbon_uptake: float | None,
                                     uptakes: tuple[Any, ...], oxygen: float | None) -> None:
    f = frame(question)
    assert (f.slots.carbon_uptake, f.slots.uptakes, f.slots.oxygen_uptake) == \
        (carbon_uptake, uptakes, oxygen), f.slots
    assert not f.unresolved, f.unresolved


def test_one_limit_for_two_nutrients_equals_cobrapy(agent: Any) -> None:
    reply = agent.ask("iJO1366 growth when both glucose and oxygen uptake are limited to 5?",
                      session_id="both")
    m = cobra.io.load_model("iJO1366")
    m.reactions.EX_glc__D_e.lower_bound = -5
    m.reactions.EX_o2_e.lower_bound = -5
    assert f"{m.slim_optimize():.6g} 1/h" in reply.answer, reply.answer


@pytest.mark.parametrize(("question", "uptakes"), [
    ("e_coli_core doubling time if the cells are starved of phosphate (0.1 max)?",
     (("phosphate", 0.1),)),
    ("iJO1366 growth without ammonium (up to 0.5 mmol/gDW/h)?", (("ammonium", 0.5),)),
])
def test_a_starved_nutrient_with_a_trickle(question: str, uptakes: tuple[Any, ...]) -> None:
    f = frame(question)
    assert f.slots.uptakes == uptakes and not f.unresolved, (f.slots.uptakes, f.unresolved)


@pytest.mark.parametrize(("question", "query"), [
    ("What's the ModelSEED id of L-glutamate and its formula?", "L-glutamate"),
    ("ModelSEED compound id for pyruvate and its charge?", "pyruvate"),
])
def test_what_else_is_asked_of_a_compound_is_not_its_name(question: str, query: str) -> None:
    f = frame(question)
    assert f.intent == "lookup" and f.slots.query == query, f


@pytest.mark.parametrize(("question", "first", "second"), [
    ("Grow iJO1366 with a 50:50 mix of glucose and fructose totalling 10 mmol/gDW/h.",
     ("glucose", 5.0), ("fructose", 5.0)),
    ("e_coli_core fed a 3:1 blend of glucose and acetate, 8 mmol/gDW/h in total... growth?",
     ("glucose", 6.0), ("acetate", 2.0)),
])
def test_a_mix_in_a_ratio_shares_the_total(question: str, first: tuple[str, float],
                                           second: tuple[str, float]) -> None:
    f = frame(question)
    assert (f.slots.carbon_source, f.slots.carbon_uptake) == first, f.slots
    assert f.slots.uptakes == (second,) and not f.unresolved, (f.slots.uptakes, f.unresolved)


@pytest.mark.parametrize(("question", "blocked"), [
    ("block PGI (set its bounds to zero) in e_coli_core -> growth", "PGI"),
    ("e_coli_core: take TKT1, set its bounds to 0, growth?", "TKT1"),
])
def test_its_bounds_are_the_reaction_just_named(question: str, blocked: str) -> None:
    f = frame(question)
    assert blocked in f.slots.knockouts or (blocked, 0.0, 0.0) in f.slots.bounds, f.slots
    assert not f.unresolved, f.unresolved


@pytest.mark.parametrize("question", [
    "growth rate of e_coli_core when glucose is fed at 3 g per hour",
    "e_coli_core with glucose supplied at 2 g/L",
])
def test_a_mass_rate_or_concentration_is_not_an_uptake(question: str) -> None:
    f = frame(question)
    assert f.slots.carbon_uptake is None and not f.slots.uptakes and f.unresolved, f.slots


@pytest.mark.parametrize("question", [
    "grow the core model on lactose",
    "e_coli_core with xylose as the only carbon source: growth rate?",
])
def test_a_carbon_source_the_model_lacks_is_flagged(agent: Any, question: str) -> None:
    reply = agent.ask(question, session_id="lacks")
    assert "no exchange reaction for" in reply.answer, reply.answer
    assert re.search(r"^⚠ Not modelled: e_coli_core does not contain", reply.answer, re.M)
