"""Clauses people write that the planner once dropped or misread, each mechanism on at least
two phrasings: the sole carbon source stated as a clause, a nutrient's rate after its name, a
nutrient "out", an element source with its rate, enzyme names as knockouts, a bound "raised
from A to B", a reaction maximised under a growth floor, objectives made by name, series of
uptakes, the symbol mu, percent change phrases, and follow-ups that narrow the previous answer.
"""

from __future__ import annotations

from typing import Any

import pytest
from planner_frames import conversation, frame


@pytest.mark.parametrize(("question", "carbon"), [
    ("growth of the core model if the only carbon it gets is pyruvate?", "pyruvate"),
    ("iJO1366 where the sole carbon source is acetate", "acetate"),
    ("e_coli_core, the only C source the cell sees is succinate: mu?", "succinate"),
])
def test_the_sole_carbon_source_as_a_clause(question: str, carbon: str) -> None:
    f = frame(question)
    assert f.intent == "growth" and f.slots.carbon_source == carbon and not f.unresolved


@pytest.mark.parametrize(("question", "uptakes"), [
    ("anaerobic core model with glucose 10 and fructose 5 - growth?",
     {"glucose": 10.0, "fructose": 5.0}),
    ("iJO1366, glucose 8 and glycerol 3 - how fast?", {"glucose": 8.0, "glycerol": 3.0}),
])
def test_a_rate_after_its_nutrient_before_a_dash(question: str,
                                                 uptakes: dict[str, float]) -> None:
    f = frame(question)
    s = f.slots
    stated = dict(s.uptakes) | ({s.carbon_source: s.carbon_uptake} if s.carbon_source else {})
    assert not f.unresolved and stated == uptakes


@pytest.mark.parametrize("question", [
    "Salmonella, ammonium out, L-serine 5 mmol/gDW/h as the only nitrogen source. mu?",
    "salmonella with ammonium taken out and L-serine 5 mmol/gDW/h as the sole nitrogen source",
])
def test_a_nutrient_out_and_an_element_source_with_its_rate(question: str) -> None:
    s = frame(question).slots
    assert s.sole_element == (("nitrogen", "l-serine"),)
    assert dict(s.uptakes) == {"ammonium": 0.0, "l-serine": 5.0}


@pytest.mark.parametrize(("question", "knockouts"), [
    ("block the transaldolase reaction in the core model - mu?", ("transaldolase",)),
    ("e_coli_core with citrate synthase deleted: growth?", ("citrate synthase",)),
    ("growth of e_coli_core without ATP synthase", ("atp synthase",)),
    ("a fumarase knockout in iJO1366: growth?", ("fumarase",)),
])
def test_an_enzyme_named_by_a_knockout_verb_is_knocked_out(question: str,
                                                           knockouts: tuple[str, ...]) -> None:
    f = frame(question)
    assert f.intent == "knockout" and f.slots.knockouts == knockouts and not f.unresolved
    assert f.slots.carbon_source is None  # "with citrate synthase" is not a carbon source


def test_an_enzyme_name_before_its_id_is_one_knockout() -> None:
    f = frame("Switch off the pyruvate dehydrogenase reaction (PDH) in the core model. Growth?")
    assert f.slots.knockouts == ("PDH",)


@pytest.mark.parametrize(("question", "value"), [
    ("salmonella, ATPM raised from 8.39 to 12 mmol/gDW/h (fixed) - growth?", 12.0),
    ("iJO1366 with the ATP maintenance lowered from 3.15 to 1: growth?", 1.0),
    ("e_coli_core if the non-growth associated maintenance were 60 (fixed)?", 60.0),
])
def test_a_bound_changed_from_a_to_b_is_b(question: str, value: float) -> None:
    f = frame(question)
    assert not f.unresolved and ("ATPM", value, value) in f.slots.bounds


@pytest.mark.parametrize("question", [
    "iJO1366 max ATPM at a fixed growth floor of 0.6 1/h",
    "maximise ATPM while growth is at least 0.6 in iJO1366",
])
def test_a_reaction_maximised_under_a_growth_floor(question: str) -> None:
    f = frame(question)
    assert f.intent == "production" and f.slots.product == "ATPM"
    assert f.slots.growth_floor == 0.6 and not f.slots.bounds and not f.unresolved


@pytest.mark.parametrize(("question", "objective"), [
    ("make EX_lac__D_e the objective in e_coli_core; max flux?", "EX_lac__D_e"),
    ("use PGK as the objective of e_coli_core and optimise", "PGK"),
    ("can the ModelSEED draft produce biomass (bio1) on its own medium?", "bio1"),
])
def test_an_objective_made_by_name(question: str, objective: str) -> None:
    f = frame(question)
    assert f.intent == "growth" and f.slots.objective == objective and not f.unresolved


@pytest.mark.parametrize("question", [
    "max acetate secretion in the core model while growth stays >= 0.5 1/h",
    "maximum acetate production of e_coli_core while growth remains at least 0.5",
])
def test_a_growth_that_stays_above_a_value_is_a_floor(question: str) -> None:
    f = frame(question)
    assert f.intent == "production" and f.slots.growth_floor == 0.5 and not f.unresolved


@pytest.mark.parametrize(("question", "series"), [
    ("iJO1366 growth with O2 at 5, 10 and 20 mmol/gDW/h - which is highest?",
     (("oxygen", 5.0), ("oxygen", 10.0), ("oxygen", 20.0))),
    ("growth of iJO1366 with glucose at 2, 4 and 8",
     (("glucose", 2.0), ("glucose", 4.0), ("glucose", 8.0))),
])
def test_a_nutrient_at_a_series_of_values(question: str, series: tuple[Any, ...]) -> None:
    f = frame(question)
    assert f.slots.uptake_series == series and not f.unresolved


@pytest.mark.parametrize("question", [
    "predicted mu for the salmonella LT2 model with nothing changed",
    "mu of iJO1366, stock settings?",
])
def test_mu_asks_for_growth(question: str) -> None:
    f = frame(question)
    assert f.intent == "growth" and not f.unresolved


@pytest.mark.parametrize("question", [
    "rank glycerol, acetate and succinate as sole C sources for iJO1366 - which is best?",
    "for e_coli_core rank pyruvate, fumarate and malate as carbon sources",
])
def test_a_ranking_of_carbon_sources_is_a_growth_comparison(question: str) -> None:
    f = frame(question)
    assert f.intent == "growth" and len(f.slots.carbon_sources) == 3 and not f.unresolved


@pytest.mark.parametrize("question", [
    "iJO1366: % reduction of growth when glucose uptake is halved to 5",
    "e_coli_core: % change in growth when the glucose uptake is lowered to 5",
])
def test_a_percent_reduction_with_a_new_value(question: str) -> None:
    s = frame(question).slots
    assert s.percent_change and s.carbon_uptake == 5.0 and not s.factors


@pytest.mark.parametrize("question", [
    "how many false positive essential genes does iJO1366 predict compared with the "
    "experimental glucose M9 essentiality list?",
    "which genes does iJO1366 wrongly call essential versus the measured knockout data?",
])
def test_false_predictions_against_measured_data_are_a_phenotype_comparison(
        question: str) -> None:
    f = frame(question)
    assert f.intent == "phenotypes" and not f.unresolved


def test_a_protein_style_knockout_opening_the_question() -> None:
    f = frame("salmonella ΔPgi vs wild type, relative change in mu (%)")
    assert f.intent == "knockout" and f.slots.knockouts == ("Pgi",) and f.slots.percent_change


@pytest.mark.parametrize("follow_up", [
    "and what's its range at 90% of optimal growth?",
    "what is their range at 95% of the optimum?",
])
def test_a_range_follow_up_keeps_the_reactions(follow_up: str) -> None:
    f = conversation("what's the acetate secretion of e_coli_core at max growth?", follow_up)
    assert f.intent == "fva" and f.slots.reactions == ("acetate exchange",)


@pytest.mark.parametrize("follow_up", [
    "and how many of those are exchange reactions?",
    "which of these are exchanges?",
])
def test_a_subset_follow_up_narrows_the_essential_reactions(follow_up: str) -> None:
    f = conversation("list the essential reactions of e_coli_core", follow_up)
    assert f.intent == "essential" and f.slots.boundary == "exchanges"


def test_a_name_left_unresolved_by_a_tool_is_retried_with_its_alias(agent: Any) -> None:
    st = agent.ask("shut off both the glucose PTS (GLCpts) and PGI in e_coli_core")
    assert st.status == "done"
    kos = [e.data["args"].get("reactions") for e in agent.thread(st.session_id).events
           if e.type == "tool_call" and e.data.get("name") == "knockout_reactions"]
    assert kos[-1] == ["GLCpts", "PGI"]
    assert "Not understood" not in (st.answer or "") and "GLCpts, PGI" in (st.answer or "")


def test_a_reaction_maximised_under_a_floor_equals_cobrapy(agent: Any) -> None:
    import cobra
    st = agent.ask("e_coli_core max ATPM at a growth floor of 0.5 1/h")
    model = cobra.io.load_model("textbook")
    model.reactions.get_by_id("Biomass_Ecoli_core").lower_bound = 0.5
    model.objective = "ATPM"
    expected = model.slim_optimize()
    assert f"{expected:.6g}" in (st.answer or "")


@pytest.mark.parametrize(("question", "reactions"), [
    ("anaerobic core model: how much ethanol and formate does it secrete at max growth?",
     ("ethanol exchange", "formate exchange")),
    ("how much acetate and CO2 does iJO1366 release at the optimum?",
     ("acetate exchange", "co2 exchange")),
])
def test_every_listed_secretion_at_the_optimum_is_a_flux(question: str,
                                                         reactions: tuple[str, ...]) -> None:
    f = frame(question)
    assert f.intent == "flux" and f.slots.reactions == reactions and not f.unresolved


@pytest.mark.parametrize(("question", "demand"), [
    ("Add a demand reaction for 2-oxoglutarate (akg_c) in e_coli_core and maximise it. "
     "Maximal rate?", "akg_c"),
    ("Maximum production of oxaloacetate in e_coli_core if I add a demand for oaa_c and "
     "maximise it?", "oaa_c"),
    ("what is the max flux through a demand for pyr_c in iJO1366?", "pyr_c"),
])
def test_a_demand_for_a_metabolite_is_added_and_maximised(question: str, demand: str) -> None:
    from fluxagent.llm.offline.interpretation import conditions as typed
    from fluxagent.llm.offline.plan import plan
    f = frame(question)
    assert f.slots.demands == (demand,) and f.slots.objective == f"DM_{demand}"
    assert not f.unresolved and f.slots.product is None
    call = next(c for c in plan(f, current_model=None, specs=[]) if c.name != "load_model")
    assert call.args["conditions"]["demands"] == [demand]
    assert {"type": "demand", "metabolite": demand, "reaction": f"DM_{demand}"} in typed(f.slots)


@pytest.mark.parametrize(("question", "element", "met", "uptake"), [
    ("core model: replace ammonium with glutamine as N source (5 mmol/gDW/h uptake). growth?",
     "nitrogen", "glutamine", 5.0),
    ("salmonella, nitrogen from L-glutamate only (uptake 5), no ammonium. Growth?",
     "nitrogen", "l-glutamate", 5.0),
    ("Replace phosphate by glycerol-3-phosphate (uptake 2 mmol/gDW/h) as the only P source "
     "for iJO1366. growth?", "phosphorus", "glycerol 3-phosphate", 2.0),
])
def test_an_element_source_replacing_the_default_with_its_rate(
        question: str, element: str, met: str, uptake: float) -> None:
    s = frame(question).slots
    assert s.sole_element == ((element, met),) and dict(s.uptakes)[met] == uptake
    assert s.carbon_source is None and s.carbon_uptake is None


@pytest.mark.parametrize("question", [
    "how many minutes per generation for the core model on acetate?",
    "gen time in minutes of e_coli_core on succinate",
])
def test_time_per_generation_is_the_doubling_time(question: str) -> None:
    assert frame(question).slots.doubling == "min"


@pytest.mark.parametrize(("question", "knockouts"), [
    ("Salmonella: zero the flux through ENO (enolase). Can it grow?", ("ENO",)),
    ("Among b3236 (mdh), b1612 (fumA) and b0723 (sdhA) deletions in iJO1366, which one keeps "
     "the highest growth?", ("b3236", "b1612", "b0723")),
])
def test_knockouts_written_as_zeroed_fluxes_or_listed_with_aliases(
        question: str, knockouts: tuple[str, ...]) -> None:
    f = frame(question)
    assert f.intent == "knockout" and f.slots.knockouts == knockouts and not f.unresolved


@pytest.mark.parametrize("question", [
    "maximise flux through glucose-6-phosphate dehydrogenase (G6PDH2r) in iJO1366 instead of "
    "biomass",
    "the max flux through CS when you optimise for it in e_coli_core",
])
def test_a_maximised_reaction_is_the_objective_not_a_flux_at_the_optimum(question: str) -> None:
    f = frame(question)
    assert f.intent == "growth" and f.slots.objective in ("G6PDH2r", "CS")


@pytest.mark.parametrize(("question", "intent"), [
    ("list the essential genes of e_coli_core on glucose minimal medium", "essential"),
    ("growth of iJO1366 on glucose minimal medium", "growth"),
    ("what is the minimal medium of e_coli_core for growth of 0.5?", "minimal_medium"),
])
def test_minimal_medium_as_a_condition_is_not_the_minimal_medium_tool(question: str,
                                                                      intent: str) -> None:
    f = frame(question)
    assert f.intent == intent and not f.slots.genes and not f.unresolved


@pytest.mark.parametrize(("question", "phrase"), [
    ("growth of the mutant?", "the mutant"),
    ("maximise acetate, and also tell me the fermentation time in the bioreactor", "bioreactor"),
    ("max ethanol production of e_coli_core and the titer it reaches", "titer"),
])
def test_what_no_tool_has_is_named(question: str, phrase: str) -> None:
    assert any(phrase in p for p in frame(question).unresolved)


def test_the_mutant_of_the_previous_turn_is_understood() -> None:
    f = conversation("knock out pgi in e_coli_core", "growth of the mutant on acetate?")
    assert f.slots.knockouts == ("pgi",) and not f.unresolved


@pytest.mark.parametrize("question", [
    "FBA on the textbook model, just the objective value please",
    "if I run flux balance analysis on iJO1366 without touching anything, what growth rate?",
])
def test_plain_fba_requests_are_growth(question: str) -> None:
    f = frame(question)
    assert f.intent == "growth" and not f.slots.knockouts and not f.unresolved


@pytest.mark.parametrize(("question", "enzyme"), [
    ("What's the growth if I knock out 'glucose 6-phosphate dehydrogenase' in the core model?",
     "glucose 6-phosphate dehydrogenase"),
    ("without pyruvate formate lyase, growth of e_coli_core anaerobically?",
     "pyruvate formate lyase"),
])
def test_a_multi_word_enzyme_name_is_one_knockout(question: str, enzyme: str) -> None:
    f = frame(question)
    assert f.intent == "knockout" and f.slots.knockouts == (enzyme,)


@pytest.mark.parametrize(("question", "bound"), [
    ("salmonella ATP maintenance is 8.39 by default; set it to 4 (fixed). New growth rate?",
     ("ATPM", 4.0, 4.0)),
    ("bound PDH flux to at most 2 mmol/gDW/h in e_coli_core; growth?", ("PDH", None, 2.0)),
])
def test_a_stated_default_is_not_the_new_bound(question: str, bound: tuple[Any, ...]) -> None:
    f = frame(question)
    assert f.slots.bounds == (bound,) and not f.unresolved


def test_a_hyphenated_word_of_the_domain_is_not_a_metabolite() -> None:
    f = frame("how does iJO1366's predicted growth on acetate compare with the measured rate in "
              "the growth-rate table?")
    assert "growth-rate" not in f.slots.carbon_sources
    # the per-source comparison: the acetate row of the growth-rate data
    assert f.intent == "phenotypes" and f.slots.carbon_sources == ("acetate",)
    assert not f.unresolved


def test_the_reaction_optimised_is_not_also_a_flux_at_the_growth_optimum() -> None:
    f = frame("what is the max flux through citrate synthase (CS) when you optimise for it in "
              "the core model?")
    assert f.intent == "growth" and f.slots.objective == "CS" and not f.slots.reactions
