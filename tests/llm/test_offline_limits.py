"""Limits stated the ways people state them, each mechanism on at least two phrasings: a
relative change of a limit (``Slots.factors``), a rate written next to its nutrient, a
negative exchange bound, and a nutrient taken out of the medium."""

from __future__ import annotations

from typing import Any

import pytest
from planner_frames import frame

from fluxagent.llm.offline.frame import Frame
from fluxagent.llm.offline.plan import plan, sections_of


def conditions(f: Frame) -> list[dict[str, Any]]:
    return [c.args.get("conditions", {}) for part in sections_of(f)
            for c in plan(part, current_model=None, specs=[]) if c.name != "load_model"]


@pytest.mark.parametrize(("question", "factors"), [
    ("What is the max growth rate of iJO1366 when the ATP maintenance requirement is doubled?",
     {"ATPM": 2.0}),
    ("halve ATPM in the core model and report growth", {"ATPM": 0.5}),
    ("iJO1366 growth if the NGAM is cut by 20 percent", {"ATPM": 0.8}),
    ("double the glucose uptake of e_coli_core. growth?", {"glucose": 2.0}),
    ("salmonella with twice the glucose uptake", {"glucose": 2.0}),
    ("iJO1366: raise the oxygen uptake by 50% - growth?", {"oxygen": 1.5}),
    ("a 3-fold higher glucose uptake in salmonella, growth?", {"glucose": 3.0}),
    ("e_coli_core growth with the glucose supply halved, anaerobic", {"glucose": 0.5}),
])
def test_a_relative_change_is_a_factor_on_the_models_limit(question: str,
                                                          factors: dict[str, float]) -> None:
    f = frame(question)
    assert f.intent == "growth" and not f.unresolved
    assert dict(f.slots.factors) == factors
    assert [c["factors"] for c in conditions(f)] == [factors]


@pytest.mark.parametrize("question", [
    "double the glucose uptake of e_coli_core to 20 mmol/gDW/h. growth?",
    "e_coli_core with the glucose uptake doubled to 20",
])
def test_a_relative_change_with_a_value_is_that_value(question: str) -> None:
    s = frame(question).slots
    assert not s.factors and 20.0 in (s.carbon_uptake, dict(s.uptakes).get("glucose"))


@pytest.mark.parametrize(("question", "uptake"), [
    ("core model on L-malate, 8 mmol/gDW/h uptake, no glucose at all. growth rate?", 8.0),
    ("double the glucose supply of the core model (20 mmol/gDW/h), how fast now?", 20.0),
    ("iJO1366 with the glucose uptake bound at -6.5 - biomass?", 6.5),
    ("e_coli_core, glucose exchange lower bound of -4: growth?", 4.0),
])
def test_a_rate_next_to_its_nutrient_is_its_uptake(question: str, uptake: float) -> None:
    f = frame(question)
    assert not f.unresolved
    c = conditions(f)[0]
    assert uptake in (c.get("carbon_uptake"), *c.get("uptakes", {}).values())


@pytest.mark.parametrize(("question", "uptakes"), [
    ("co-feed the core model 5 glucose + 5 acetate (mmol/gDW/h). growth?",
     {"glucose": 5.0, "acetate": 5.0}),
    ("glucose at its usual 10 plus 4 mmol/gDW/h succinate for iJO1366 - growth rate?",
     {"glucose": 10.0, "succinate": 4.0}),
])
def test_rates_written_before_or_after_each_cofed_source(question: str,
                                                         uptakes: dict[str, float]) -> None:
    f = frame(question)
    assert not f.unresolved
    c = conditions(f)[0]
    got = dict(c.get("uptakes", {})) | {c["carbon_source"]: c.get("carbon_uptake")}
    assert got == uptakes


@pytest.mark.parametrize("question", [
    "Take ammonium out of the iJO1366 medium and give it L-glutamine at 5 mmol/gDW/h. Growth?",
    "leave the ammonium out and feed 5 mmol/gDW/h L-glutamine to iJO1366 - growth?",
])
def test_taking_a_nutrient_out_removes_it(question: str) -> None:
    f = frame(question)
    assert not f.unresolved
    assert conditions(f)[0]["uptakes"] == {"ammonium": 0.0, "l-glutamine": 5.0}


@pytest.mark.parametrize(("question", "uptakes"), [
    ("Drop both iron sources (Fe2+ and Fe3+) from the iJO1366 medium. Still growing?",
     {"fe2+": 0.0, "fe3+": 0.0}),
    ("iJO1366 without ammonium, sulfate or phosphate - growth?",
     {"ammonium": 0.0, "sulfate": 0.0, "phosphate": 0.0}),
    ("phosphate limitation in iJO1366 - cap Pi uptake at 0.5 mmol/gDW/h", {"pi": 0.5}),
    ("sulfate-limited iJO1366: SO4 uptake at most 0.1", {"so4": 0.1}),
])
def test_lists_and_abbreviations_of_inorganic_nutrients(question: str,
                                                         uptakes: dict[str, float]) -> None:
    f = frame(question)
    assert not f.unresolved
    assert conditions(f)[0]["uptakes"] == uptakes


@pytest.mark.parametrize(("question", "bounds"), [
    ("cap PGI at an upper bound of 2 mmol/gDW/h in e_coli_core - growth?", {"PGI": [None, 2.0]}),
    ("e_coli_core: set PFK to a lower bound of 1, growth?", {"PFK": [1.0, None]}),
])
def test_a_bound_named_after_the_reaction(question: str, bounds: dict[str, Any]) -> None:
    f = frame(question)
    assert f.intent == "growth" and not f.unresolved
    assert conditions(f)[0]["bounds"] == bounds


@pytest.mark.parametrize(("question", "floor"), [
    ("Salmonella: maximum acetate export with a biomass floor of 0.2 per hour", 0.2),
    ("iJO1366 formate secretion, maximised, growth held at >= 0.5", 0.5),
    ("max succinate in e_coli_core with growth kept at 0.3", 0.3),
])
def test_growth_floor_phrasings(question: str, floor: float) -> None:
    f = frame(question)
    assert f.intent == "production" and not f.unresolved
    assert f.slots.growth_floor == floor


@pytest.mark.parametrize(("question", "reaction"), [
    ("Switch off the pyruvate dehydrogenase reaction (PDH) in the core model. Growth?", "PDH"),
    ("core model without citrate synthase (reaction CS) - does it grow?", "CS"),
    ("e_coli_core growth with PGI switched off", "PGI"),
    ("turn off the CYTBD reaction in e_coli_core, growth?", "CYTBD"),
])
def test_a_reaction_switched_off_is_knocked_out(question: str, reaction: str) -> None:
    f = frame(question)
    assert f.intent == "knockout" and not f.unresolved
    assert f.slots.knockouts == (reaction,)


@pytest.mark.parametrize(("question", "reaction"), [
    ("how much acetate does the core model secrete anaerobically (EX_ac_e)?", "EX_ac_e"),
    ("how much ethanol is produced by e_coli_core without oxygen?", "ethanol exchange"),
])
def test_how_much_is_secreted_is_the_flux_at_the_optimum(question: str, reaction: str) -> None:
    f = frame(question)
    assert f.intent == "flux" and not f.unresolved and f.slots.reactions[0] == reaction


def test_how_much_can_be_secreted_is_the_maximum() -> None:
    f = frame("how much acetate can e_coli_core secrete at most?")
    assert f.intent == "production" and f.slots.product == "acetate"


@pytest.mark.parametrize(("question", "reaction"), [
    ("iJO1366: min/max O2 uptake at 99 % of the growth optimum", "o2 exchange"),
    ("range of the NH4 uptake at 95% of max growth in iJO1366", "nh4 exchange"),
])
def test_an_uptake_at_a_fraction_of_the_optimum_is_its_range(question: str,
                                                              reaction: str) -> None:
    f = frame(question)
    assert not f.unresolved
    fva = [c.args for part in sections_of(f) for c in plan(part, current_model=None, specs=[])
           if c.name == "run_fva"]
    assert fva and fva[0]["reactions"] == [reaction] and fva[0]["fraction_of_optimum"] < 1


@pytest.mark.parametrize(("question", "pair"), [
    ("iJO1366: are pgi (b4025) and zwf (b1852) synthetic lethal? give the double-mutant growth",
     ["pgi", "zwf"]),
    ("is the pgi zwf pair synthetic lethal in e_coli_core?", ["pgi", "zwf"]),
    ("are PGI and G6PDH2r synthetic lethal reactions in the core model?", ["PGI", "G6PDH2r"]),
])
def test_two_named_genes_or_reactions_are_one_pair_tested(question: str,
                                                          pair: list[str]) -> None:
    f = frame(question)
    assert f.intent == "synthetic_lethal" and not f.unresolved
    (call,) = [c for part in sections_of(f) for c in plan(part, current_model=None, specs=[])
               if c.name == "synthetic_lethals"]
    assert call.args["pair"] == pair


@pytest.mark.parametrize("question", [
    "which exchange reactions are essential for e_coli_core on glucose?",
    "how many essential exchanges does iJO1366 have?",
])
def test_essential_exchanges_ask_for_the_exchanges_alone(question: str) -> None:
    f = frame(question)
    assert f.intent == "essential" and f.slots.boundary == "exchanges" and not f.unresolved
    (call,) = [c for part in sections_of(f) for c in plan(part, current_model=None, specs=[])
               if c.name.startswith("essential")]
    assert call.name == "essential_reactions" and call.args["include_boundary"] is True


@pytest.mark.parametrize(("question", "unit"), [
    ("td on acetate for the core model? minutes", "min"),
    ("what is the t_d of iJO1366 in hours", "h"),
])
def test_td_is_the_doubling_time(question: str, unit: str) -> None:
    f = frame(question)
    assert f.intent == "growth" and f.slots.doubling == unit and not f.unresolved


@pytest.mark.parametrize(("question", "what"), [
    ("how many more genes does the salmonella model have than iJO1366?", "genes"),
    ("difference in the number of reactions between iJO1366 and e_coli_core", "reactions"),
])
def test_a_count_difference_between_two_models(question: str, what: str) -> None:
    f = frame(question)
    assert f.intent == "summary" and f.slots.count_difference == what and not f.unresolved
    assert [c.name for part in sections_of(f) for c in plan(part, current_model=None,
                                                            specs=[])] == ["model_summary"] * 2


@pytest.mark.parametrize(("question", "uptakes"), [
    ("can iJO1366 use cytidine (2 mmol/gDW/h) as its sole nitrogen source when NH4 is taken "
     "away?", {"ammonium": 0.0, "cytidine": 2.0}),
    ("iJO1366 on L-alanine (5 mmol/gDW/h) as the only N source, ammonium removed",
     {"ammonium": 0.0, "l-alanine": 5.0}),
])
def test_the_default_source_is_not_its_own_replacement(question: str,
                                                        uptakes: dict[str, float]) -> None:
    f = frame(question)
    assert not f.unresolved and conditions(f)[0]["uptakes"] == uptakes


@pytest.mark.parametrize("question", [
    "which carbon source gives e_coli_core the fastest growth: glucose, fructose or pyruvate "
    "(10 mmol/gDW/h each)?",
    "rank glucose, fructose and pyruvate (10 each) for e_coli_core growth",
])
def test_a_per_item_uptake_is_not_an_extra_uptake(question: str) -> None:
    f = frame(question)
    assert [c.get("uptakes") for c in conditions(f)] == [None] * 3
    assert {c["carbon_uptake"] for c in conditions(f)} == {10.0}


@pytest.mark.parametrize("question", [
    "after deleting pgi from e_coli_core, how many genes are essential?",
    "after knocking out pgi in e_coli_core, which genes become essential?",
])
def test_an_essentiality_screen_after_a_deletion_runs_on_the_mutant(question: str) -> None:
    f = frame(question)
    screens = [c.args for part in sections_of(f) for c in plan(part, current_model=None,
                                                                specs=[])
               if c.name == "essential_genes"]
    assert screens and screens[0]["conditions"]["knockout_genes"] == ["pgi"]
    if "become" in question:  # against the wild type: a second screen without the deletion
        assert len(screens) == 2 and not screens[1].get("conditions"), screens


@pytest.mark.parametrize("question", [
    "grow the core model on unobtainium as sole carbon source",
    "e_coli_core with moonrock as the only carbon source - growth?",
])
def test_an_unknown_sole_carbon_source_is_not_dropped(question: str) -> None:
    assert frame(question).unresolved


def test_conditions_alone_with_a_sole_carbon_source_ask_for_growth() -> None:
    f = frame("e_coli_core with acetate as the sole carbon source")
    assert f.intent == "growth" and conditions(f) == [{"carbon_source": "acetate"}]


@pytest.mark.parametrize("question", [
    "e_coli_core with O2 uptake fixed to zero - growth?",
    "iJO1366 with the oxygen uptake set to 0",
])
def test_an_oxygen_uptake_of_zero_is_anaerobic(question: str) -> None:
    f = frame(question)
    assert not f.unresolved and conditions(f)[0]["oxygen"] is False


@pytest.mark.parametrize(("question", "uptake"), [
    ("salmonella with oxygen lowered to 5 mmol/gDW/h (from 18.5) - growth?", 5.0),
    ("iJO1366, oxygen reduced to 8 (default was 18.5), growth?", 8.0),
])
def test_the_old_value_in_parentheses_is_not_a_condition(question: str, uptake: float) -> None:
    f = frame(question)
    assert not f.unresolved and conditions(f)[0]["uptakes"] == {"oxygen": uptake}


@pytest.mark.parametrize(("question", "expect"), [
    ("core model medium minus phosphate - what happens to growth?", {"phosphate": 0.0}),
    ("e_coli_core on L-glutamate as sole carbon, 10 mmol/gDW/h", None),
])
def test_minus_a_nutrient_and_a_trailing_rate(question: str, expect: Any) -> None:
    f = frame(question)
    assert not f.unresolved
    c = conditions(f)[0]
    assert c.get("uptakes") == expect
    if expect is None:
        assert c["carbon_uptake"] == 10.0


def test_gene_count_is_a_summary() -> None:
    assert frame("gene count of iJO1366?").intent == "summary"
