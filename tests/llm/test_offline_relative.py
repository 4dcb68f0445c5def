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

import re
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
    ("under heat stress (42 C), what's the growth rate?", "heat stress"),
])
def test_a_label_explained_in_parentheses(question: str, named: str | None) -> None:
    f = frame(question)
    assert any(named in p for p in f.unresolved) if named else not f.unresolved, f.unresolved


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


# ------------------------------------------------------------- more shapes of conditions
@pytest.mark.parametrize(("question", "reaction"), [
    ("What if triose-phosphate isomerase (TPI) carries no flux in the core model? Growth rate "
     "please.", "TPI"),
    ("core model growth with no flux through PGI", "PGI"),
    ("growth if PFK has zero flux", "PFK"),
    ("salmonella, pyruvate dehydrogenase reaction (PDH) off. mu?", "PDH"),
    ("core model with PFK off, growth?", "PFK"),
])
def test_a_reaction_without_flux_is_blocked(question: str, reaction: str) -> None:
    f = frame(question)
    assert f.intent == "knockout" and reaction in f.slots.knockouts and not f.unresolved


@pytest.mark.parametrize(("question", "bound"), [
    ("Set the bounds of PGI in iJO1366 to zero (reaction knockout) -- growth?", ("PGI", 0, 0)),
    ("set the bounds of PFK to 2 and give the growth", ("PFK", 2, 2)),
    ("Salmonella has ATPM fixed at 8.39. Change it to 5 (both bounds). What's the growth now?",
     ("ATPM", 5, 5)),
    ("ATPM is 8.39 by default in salmonella; set it to 3 and report growth", ("ATPM", 3, 3)),
])
def test_both_bounds_set_to_one_value(question: str, bound: tuple[str, float, float]) -> None:
    f = frame(question)
    assert bound in f.slots.bounds and f.intent == "growth" and not f.unresolved


@pytest.mark.parametrize(("question", "want"), [
    ("iJO1366 with glucose uptake limited to four and a half mmol/gDW/h -- what's the growth?",
     4.5),
    ("Restrict Salmonella's glucose uptake to 2, no wait, 3 mmol per gDW per hour; how fast "
     "can it grow then?", 3.0),
    ("core model, glucose capped at 8 -- sorry, 6 mmol/gDW/h: growth?", 6.0),
    ("For the Salmonella model, swap the carbon source from glucose to glycerol, max uptake 4. "
     "Growth?", 4.0),
])
def test_the_number_meant(question: str, want: float) -> None:
    f = frame(question)
    assert f.slots.carbon_uptake == want and not f.unresolved, (f.slots.carbon_uptake,
                                                                f.unresolved)


@pytest.mark.parametrize(("question", "carbon"), [
    ("For the Salmonella model, swap the carbon source from glucose to glycerol. Growth?",
     "glycerol"),
    ("switch iJO1366 from glucose to acetate and give the growth rate", "acetate"),
])
def test_a_carbon_source_swapped_from_one_to_another(question: str, carbon: str) -> None:
    f = frame(question)
    assert f.slots.carbon_source == carbon and f.slots.carbon_sources == (carbon,)


@pytest.mark.parametrize(("question", "uptakes"), [
    ("Give e_coli_core six mmol/gDW/h of glucose and four of succinate. What growth does FBA "
     "predict?", {"succinate": 4.0}),
    ("No glucose for iJO1366; instead xylose 4 and L-arabinose 4 (both mmol/gDW/h). Growth?",
     {"l-arabinose": 4.0, "glucose": 0.0}),
])
def test_co_fed_rates_written_once(question: str, uptakes: dict[str, float]) -> None:
    f = frame(question)
    assert uptakes.items() <= dict(f.slots.uptakes).items() and not f.unresolved


def test_no_glucose_then_two_sugars_grows_as_cobrapy_does(agent: Any) -> None:
    q = "No glucose for iJO1366; instead xylose 4 and L-arabinose 4 (both mmol/gDW/h). Growth?"
    m = cobra.io.load_model("iJO1366")
    m.reactions.EX_glc__D_e.lower_bound = 0
    m.reactions.EX_xyl__D_e.lower_bound = -4
    m.reactions.EX_arab__L_e.lower_bound = -4
    assert f"{m.slim_optimize():.6g}" in agent.ask(q, session_id="twosugars").answer


@pytest.mark.parametrize(("question", "element", "source", "rate"), [
    ("salmonella, nitrogen from L-asparagine only (4 mmol/gDW/h, ammonium closed) - growth?",
     "nitrogen", "l-asparagine", 4.0),
    ("Make L-glutamine the sole nitrogen source of iJO1366 (uptake 5 mmol/gDW/h, no ammonium). "
     "Growth rate?", "nitrogen", "l-glutamine", 5.0),
    ("glutamine as the sole nitrogen source of iJO1366 (5 mmol/gDW/h), growth?", "nitrogen",
     "glutamine", 5.0),
    ("Phosphate-free medium for iJO1366, but with sn-glycerol 3-phosphate (glyc3p) at 2 "
     "mmol/gDW/h as phosphorus source. Growth?", "phosphorus", "sn-glycerol 3-phosphate", 2.0),
])
def test_a_sole_element_source_with_its_rate(question: str, element: str, source: str,
                                             rate: float) -> None:
    f = frame(question)
    assert (element, source) in f.slots.sole_element and dict(f.slots.uptakes)[source] == rate
    assert f.slots.carbon_uptake is None and not f.slots.carbon_source and not f.unresolved


@pytest.mark.parametrize(("question", "targets"), [
    ("What's the range of acetate secretion (EX_ac_e) in the core model if growth has to be "
     ">= 95 % of max?", ("EX_ac_e",)),
    ("Anaerobic core: min/max ethanol and formate export at 80% of the optimal growth.",
     ("ethanol exchange", "formate exchange")),
])
def test_the_range_of_a_product_is_fva(question: str, targets: tuple[str, ...]) -> None:
    f = frame(question)
    assert f.intent == "fva" and set(targets) <= set(f.slots.reactions) and not f.unresolved


def test_min_max_of_two_products_equals_cobrapy(agent: Any) -> None:
    q = "Anaerobic core: min/max ethanol and formate export at 80% of the optimal growth."
    answer = agent.ask(q, session_id="minmax").answer
    m = core()
    m.reactions.EX_o2_e.lower_bound = 0
    want = flux_variability_analysis(m, ["EX_etoh_e", "EX_for_e"], fraction_of_optimum=0.8)
    for rid in ("EX_etoh_e", "EX_for_e"):
        lo, hi = (0.0 if abs(x) < 1e-9 else x for x in want.loc[rid])
        assert f"{rid} ({m.reactions.get_by_id(rid).name}): {lo:.6g} to {hi:.6g}" in answer, \
            answer


@pytest.mark.parametrize(("question", "reaction"), [
    ("How much oxygen does salmonella consume at its optimal growth on the default medium?",
     "oxygen exchange"),
    ("how much glucose does the core model take up when growing anaerobically?",
     "glucose exchange"),
    ("how much ammonium is used by iJO1366 at max growth?", "ammonium exchange"),
])
def test_how_much_a_nutrient_is_consumed_is_its_exchange_flux(question: str,
                                                              reaction: str) -> None:
    f = frame(question)
    assert f.intent == "flux" and reaction in f.slots.reactions and not f.unresolved


@pytest.mark.parametrize(("question", "genes"), [
    ("Salmonella Pgi + Zwf double deletion -- synthetic lethal or not?", ("Pgi", "Zwf")),
    ("In Salmonella which single knockout hurts growth most: Pgi, Zwf or Gnd?",
     ("Pgi", "Zwf", "Gnd")),
])
def test_protein_style_gene_names_in_a_list(question: str, genes: tuple[str, ...]) -> None:
    assert frame(question).slots.genes == genes


def test_a_named_pair_is_tested_for_synthetic_lethality_as_cobrapy_does(agent: Any) -> None:
    """The pair's singles are grown one at a time: the pair is not also a condition."""
    answer = agent.ask("Salmonella Pgi + Zwf double deletion -- synthetic lethal or not?",
                       session_id="pair").answer
    m = cobra.io.load_model("salmonella")
    with m:
        m.genes.STM1886.knock_out()
        zwf = m.slim_optimize()
    with m:
        m.genes.STM4221.knock_out()
        m.genes.STM1886.knock_out()
        double = m.slim_optimize()
    assert f"STM1886 alone {zwf:.6g}" in answer and f"grows at {double:.6g}" in answer, answer
    assert f"wild type {m.slim_optimize():.6g}" in answer and "not synthetic lethal" in answer


@pytest.mark.parametrize(("question", "want"), [
    ("iJO1366: how many grams of biomass per gram of glucose at max growth (default medium)?",
     "iJO1366"),
    ("core model: g of dry biomass per g glucose consumed?", "textbook"),
])
def test_grams_of_biomass_per_gram_is_the_biomass_yield(agent: Any, question: str,
                                                        want: str) -> None:
    m = cobra.io.load_model(want)
    glucose = m.metabolites.glc__D_e.formula_weight
    yield_ = m.slim_optimize() / (10 * glucose / 1000)
    assert f"{yield_:.6g} gDW per g" in agent.ask(question, session_id=want + "y").answer


@pytest.mark.parametrize(("question", "fraction"), [
    ("anaerobic iJO1366, D-lactate max secretion with a growth floor of thirty percent of "
     "optimal growth?", 0.3),
    ("max succinate of the core model with a growth floor of 50% of the optimum", 0.5),
])
def test_a_floor_in_percent_is_a_fraction_not_a_rate(question: str, fraction: float) -> None:
    f = frame(question)
    assert f.slots.floor_fraction == fraction and f.slots.growth_floor is None


@pytest.mark.parametrize("question", [
    "maximum acetate production of the core model with growth at least 30 1/h",
    "max ethanol secretion in e_coli_core if growth must be >= 5 1/h",
])
def test_a_production_floor_the_model_cannot_reach_is_said(agent: Any, question: str) -> None:
    answer = agent.ask(question, session_id=f"prodfloor{len(question)}").answer
    assert "No flux state" in answer and "infeasible" in answer
    assert not re.search(r"(?<![\d.])0 mmol/gDW/h", answer), answer  # no maximum of 0 stated


@pytest.mark.parametrize(("question", "ids"), [
    ("Which ModelSEED reaction(s) correspond to BiGG PYK?", ("rxn00148",)),
    ("ModelSEED: what is the charge of citrate, and its compound id?", ("cpd00137", "-3")),
])
def test_modelseed_questions_in_plain_words(agent: Any, question: str,
                                            ids: tuple[str, ...]) -> None:
    answer = agent.ask(question, session_id=f"ms{len(question)}").answer
    assert all(i in answer for i in ids), answer


@pytest.mark.parametrize(("question", "medium"), [
    ("Set the core model's medium to exactly: glucose 8, ammonium 10, phosphate 5, oxygen 15, "
     "and water, protons, CO2 at 1000 (all mmol/gDW/h). Growth?",
     {"EX_glc__D_e": 8, "EX_nh4_e": 10, "EX_pi_e": 5, "EX_o2_e": 15, "EX_h2o_e": 1000,
      "EX_h_e": 1000, "EX_co2_e": 1000}),
    ("core model on a medium of only glucose 10, ammonium 5, phosphate 5, water 1000, H+ 1000 "
     "- growth?", {"EX_glc__D_e": 10, "EX_nh4_e": 5, "EX_pi_e": 5, "EX_h2o_e": 1000,
                   "EX_h_e": 1000}),
])
def test_a_whole_medium_replaces_the_default_as_in_cobrapy(agent: Any, question: str,
                                                           medium: dict[str, float]) -> None:
    """Every component with its uptake (names listed before a value share it), every other
    uptake closed: cobrapy's ``model.medium = ...``."""
    f = frame(question)
    assert len(f.slots.medium) == len(medium) and not f.unresolved, f.unresolved
    m = core()
    m.medium = medium
    want = m.slim_optimize()
    answer = agent.ask(question, session_id=f"medium{len(medium)}").answer
    assert f"grows at {want:.6g}" in answer and "Unverified" not in answer, answer


@pytest.mark.parametrize("question", [
    "How many exchange reactions are in tests/data/modelseed/examples/"
    "example_ecoli_modelseed_model.json?",
    "For example_ecoli_modelseed_model.json: how many compartments, and which?",
])
def test_a_model_file_named_again_is_the_one_the_session_holds(
        tmp_path: Any, question: str) -> None:
    """Given with the question (``ask --model``) and named in it: not imported a second time
    (outside the data dir that would wait for a person's approval)."""
    from pathlib import Path

    from fluxagent.agent import Agent
    from fluxagent.config import Settings
    from fluxagent.store.memory import MemoryStore

    repo = Path(__file__).resolve().parents[2]
    draft = repo / "tests/data/modelseed/examples/example_ecoli_modelseed_model.json"
    agent = Agent(settings=Settings(data_dir=tmp_path, workspaces=[repo]), store=MemoryStore())
    state = agent.ask(question, model=str(draft))
    assert state.status == "done", state.status
    calls = [e.data["name"] for e in agent.thread(state.session_id).events
             if e.type == "tool_call"]
    assert "load_model" not in calls
    m = cobra.io.load_json_model(draft)
    assert f"{len(m.exchanges)} exchange" in state.answer or "c0" in state.answer, state.answer


@pytest.mark.parametrize(("question", "entity"), [
    ("does e_coli_core contain the reaction PGI?", "PGI"),
    ("does iJO1366 have the gene b4025?", "b4025"),
    ("is PFK present in the core model?", "PFK"),
])
def test_whether_a_model_holds_something_is_searched_in_that_model(question: str,
                                                                    entity: str) -> None:
    f = frame(question)
    assert f.intent == "info" and entity in (*f.slots.reactions, *f.slots.genes)


@pytest.mark.parametrize("question", ["What EC number does ModelSEED reaction rxn00001 have?",
                                      "which EC number does rxn00148 have?"])
def test_what_a_biochemistry_entry_has_is_a_lookup(question: str) -> None:
    assert frame(question).intent == "lookup"


@pytest.mark.parametrize("question", [
    "draft model (example_ecoli_modelseed_model.json): allow D-glucose (cpd00027) uptake at 10 "
    "mmol/gDW/h and maximise its objective ATPM_c0. value?",
    "for example_ecoli_modelseed_model.json, with D-glucose (cpd00027) uptake at 10, maximise "
    "ATPM_c0",
])
def test_a_compound_id_after_its_name_and_a_file_in_parentheses(question: str) -> None:
    f = frame(question)
    assert f.slots.model == "example_ecoli_modelseed_model.json"
    assert f.slots.carbon_uptake == 10.0 or ("d-glucose", 10.0) in f.slots.uptakes
    assert not f.unresolved, f.unresolved


@pytest.mark.parametrize(("question", "bound"), [
    ("Cap EX_o2_e at 8 (uptake) in iJO1366 and tell me the growth rate.", ("EX_o2_e", -8, None)),
    ("limit EX_glc__D_e to 4 in the core model, growth?", ("EX_glc__D_e", -4, None)),
    ("cap the secretion of EX_ac_e at 2 in the core model", ("EX_ac_e", None, 2)),
])
def test_capping_an_exchange_caps_its_uptake(question: str,
                                             bound: tuple[str, float | None, float | None]
                                             ) -> None:
    assert bound in frame(question).slots.bounds


@pytest.mark.parametrize(("question", "screen"), [
    ("Anaerobically, which internal reactions (no exchanges, no biomass) of e_coli_core are "
     "indispensable? count them too", "without"),
    ("On succinate alone, how many reactions does the core model strictly need (exchanges and "
     "biomass included in the count)?", "with"),
])
def test_indispensable_and_strictly_needed_are_essential(question: str, screen: str) -> None:
    f = frame(question)
    assert f.intent == "essential" and f.slots.target == "reactions"
    assert (f.slots.boundary or "without") .startswith(screen)


@pytest.mark.parametrize("question", [
    "Of these single knockouts in the core model - pgi, zwf, sdhA, pta - which one hurts growth "
    "the most? growth for each please",
    "single deletions of pgi, zwf and pta in e_coli_core: which is worst for growth?",
])
def test_single_knockouts_of_a_list_are_grown_one_at_a_time(question: str) -> None:
    f = frame(question)
    assert f.slots.ko_alternatives and len(f.slots.knockouts) >= 3 and f.slots.best == "min"


@pytest.mark.parametrize(("question", "product"), [
    ("How many ATP per glucose can the core model make at most (max ATPM / glucose uptake)?",
     "ATPM"),
    ("Anaerobic iJO1366: D-lactate yield on glucose in g/g at maximum lactate?", "d-lactate"),
])
def test_a_yield_at_the_maximum(question: str, product: str) -> None:
    f = frame(question)
    assert f.intent == "production" and f.slots.product == product


def test_every_exchange_open_is_applied_as_cobrapy_does(agent: Any) -> None:
    m = core()
    for ex in m.exchanges:
        ex.lower_bound = -1000
    answer = agent.ask("with every exchange open, what is the max growth of e_coli_core?",
                       session_id="open").answer
    assert f"{m.slim_optimize():.6g}" in answer and "every exchange open" in answer


@pytest.mark.parametrize(("question", "want"), [
    ("medium = {EX_fru_e: 7, EX_o2_e: 1000, EX_nh4_e: 1000, EX_pi_e: 1000, EX_h2o_e: 1000, "
     "EX_h_e: 1000, EX_co2_e: 1000} on e_coli_core -> growth", {"EX_fru_e": 7.0}),
    ("Give e_coli_core a medium of only glucose (10), ammonium (10), phosphate (10), water and "
     "protons - note there's no oxygen in that list. What growth rate results?",
     {"glucose": 10.0, "water": 1000.0, "proton": 1000.0}),
])
def test_a_medium_as_a_dict_or_with_open_components(question: str,
                                                   want: dict[str, float]) -> None:
    f = frame(question)
    assert want.items() <= dict(f.slots.medium).items() and not f.unresolved


@pytest.mark.parametrize(("question", "oxygen"), [
    ("What happens to Salmonella growth if you take away oxygen completely?", False),
    ("take the oxygen away from iJO1366: growth?", False),
])
def test_oxygen_taken_away(question: str, oxygen: bool) -> None:
    assert frame(question).slots.oxygen is oxygen


@pytest.mark.parametrize(("question", "named"), [
    ("knock out b1852 in iJO1366 and tell me growth after the cells have adapted for three days",
     "for 3 days"),
    ("iJO1366 growth during stationary phase on the default medium?", "stationary phase"),
])
def test_time_and_growth_phases_are_not_understood(question: str, named: str) -> None:
    assert named in frame(question).unresolved


@pytest.mark.parametrize(("question", "ids"), [
    ("cpd00023 - name, formula and charge please", ("C5H8NO4", "-1")),
    ("what mass does ModelSEED list for fumarate?", ("cpd00106", "114")),
])
def test_modelseed_properties_asked_plainly(agent: Any, question: str,
                                            ids: tuple[str, ...]) -> None:
    answer = agent.ask(question, session_id=f"prop{len(question)}").answer
    assert all(i in answer for i in ids), answer


@pytest.mark.parametrize(("question", "carbon", "uptake"), [
    ("core model: L-malate is the one and only carbon source, uptake eight mmol/gDW/h. mu?",
     "l-malate", 8.0),
    ("For Salmonella: no glucose at all, D-galactose instead as the sole carbon. What's the "
     "predicted growth?", "d-galactose", None),
    ("Xylose (D-xylose) as the sole carbon for iJO1366 at 6 mmol gDW-1 h-1, everything else "
     "default. Growth rate?", "xylose", 6.0),
    ("acetate-only (uptake 10 for both): salmonella vs iJO1366 growth?", "acetate", 10.0),
])
def test_more_ways_to_name_the_sole_carbon_source(question: str, carbon: str,
                                                  uptake: float | None) -> None:
    f = frame(question)
    assert f.slots.carbon_source == carbon and f.slots.carbon_uptake == uptake
    assert not f.unresolved, f.unresolved


@pytest.mark.parametrize(("question", "nutrient", "uptake"), [
    ("salmonella with its usual glucose and, on top of that, glycerol at 2 -> growth rate?",
     "glycerol", 2.0),
    ("If the glucose exchange of iJO1366 gets a lower bound of -6, what's the growth rate?",
     "glucose", 6.0),
    ("core model under O2 limitation (uptake 5): what's the acetate secretion at max growth?",
     "oxygen", 5.0),
])
def test_an_uptake_said_another_way(question: str, nutrient: str, uptake: float) -> None:
    f = frame(question)
    got = f.slots.oxygen_uptake if nutrient == "oxygen" else \
        dict(f.slots.uptakes).get(nutrient, f.slots.carbon_uptake)
    assert got == uptake and not f.unresolved, (f.slots, f.unresolved)


def test_not_counting_exchanges_or_biomass_screens_internal_reactions(agent: Any) -> None:
    q = ("core model growing on fructose only: number of essential reactions, not counting EX_ "
         "reactions or biomass")
    m = core()
    m.reactions.EX_glc__D_e.lower_bound = 0
    m.reactions.EX_fru_e.lower_bound = -10
    wild = m.slim_optimize()
    internal = [r for r in m.reactions if not r.boundary and r.id != "Biomass_Ecoli_core"]
    count = 0
    for r in internal:
        with m:
            r.knock_out()
            value = m.slim_optimize(error_value=0.0)
            count += value < 0.01 * wild
    answer = agent.ask(q, session_id="internal").answer
    assert f"{count} essential reactions" in answer and "Not understood" not in answer, answer


def test_a_model_file_loaded_in_this_turn_is_used_by_path(tmp_path: Any) -> None:
    """"Load the model <file> and run FVA": the file is loaded once and the analysis runs on
    it (the name it was loaded under is no bundled model to load again)."""
    from fluxagent.agent import Agent
    from fluxagent.config import Settings
    from fluxagent.store.memory import MemoryStore

    m = core()
    m.id = "renamed"
    path = tmp_path / "renamed.json"
    cobra.io.save_json_model(m, str(path))
    agent = Agent(settings=Settings(data_dir=tmp_path), store=MemoryStore())
    state = agent.ask(f"Load the model {path} and run FVA for PGI and PFK")
    calls = [e.data for e in agent.thread(state.session_id).events if e.type == "tool_call"]
    loads = [c["args"] for c in calls if c["name"] == "load_model"]
    assert loads == [{"path": str(path)}] and state.status == "done", (loads, state.answer)
    assert "renamed" in state.answer and "PFK" in state.answer
