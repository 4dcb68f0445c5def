"""Conditions restated around their value: "Sole carbon source X, max uptake N", "X only, N
mmol/gDW/h", "let it take up N", a stated default then "raise it to N", "only N mmol of X is
available", "half a mmol", "to exactly N", "leave the rest as shipped", glosses in
parentheses, a listed group of exchanges taken out, "take up X (EX_x_e) at up to N", "put pgi
back", "Under those same conditions, ..." as the next step, maximising the ATP maintenance,
"how much X can it push out at most", a gene's reaction and a quoted BiGG id."""

from __future__ import annotations

import math
from typing import Any

import cobra
import pytest
from planner_frames import conversation, frame

from fluxagent.llm.evidence import Sources


@pytest.mark.parametrize(("question", "carbon", "uptake"), [
    ("Core model. Sole carbon source L-malate, max uptake 7 mmol/gDW/h. Growth?", "l-malate",
     7.0),
    ("In e_coli_core, what growth does fructose support as the only carbon source? Let it "
     "take up 4 mmol/gDW/h.", "fructose", 4.0),
    ("succinate only, 9 mmol/gDW/h, e_coli_core -- growth?", "succinate", 9.0),
])
def test_the_sole_carbon_source_and_its_rate_said_apart(question: str, carbon: str,
                                                        uptake: float) -> None:
    f = frame(question)
    assert (f.slots.carbon_source, f.slots.carbon_uptake) == (carbon, uptake), f.slots
    assert not f.unresolved, f.unresolved


@pytest.mark.parametrize(("question", "nutrient", "value"), [
    ("e_coli_core growth if its glucose uptake were cut to 3 mmol/gDW/h?", "glucose", 3.0),
    ("Suppose only 1.5 mmol/gDW/h of ammonium is available. e_coli_core growth?", "ammonium",
     1.5),
    ("Limit phosphate uptake in e_coli_core to half a mmol/gDW/h. Growth?", "phosphate", 0.5),
    ("e_coli_core's default glucose limit is 10. Lower it to 6 and leave everything else as "
     "shipped. Growth?", "glucose", 6.0),
    ("The core model ships with O2 limited to 1000. Tighten that to 12: growth?", "oxygen",
     12.0),
])
def test_a_limit_said_in_passing_is_applied(question: str, nutrient: str, value: float) -> None:
    f = frame(question)
    s = f.slots
    got = s.oxygen_uptake if nutrient == "oxygen" else \
        s.carbon_uptake if nutrient == "glucose" and s.carbon_uptake is not None else \
        dict(s.uptakes).get(nutrient)
    assert got == value and not f.unresolved, (s, f.unresolved)


def test_forced_to_exactly_a_value() -> None:
    f = frame("e_coli_core with the ATP maintenance forced to exactly 12. Growth rate?")
    assert f.slots.bounds == (("ATPM", 12.0, 12.0),) and not f.unresolved, f


@pytest.mark.parametrize("question", [
    "e_coli_core delta-b1723 (a phosphofructokinase isozyme). Growth?",
    "e_coli_core with PFK (6-phosphofructokinase step) switched off: growth?",
])
def test_a_gloss_in_parentheses_is_not_a_condition(question: str) -> None:
    f = frame(question)
    assert f.intent == "knockout" and f.slots.knockouts and not f.unresolved, f


def test_a_listed_group_of_exchanges_is_taken_out() -> None:
    f = frame("e_coli_core: take both inorganic uptakes (ammonium and phosphate) out of the "
              "medium. Growth?")
    assert {("ammonium", 0.0), ("phosphate", 0.0)} <= set(f.slots.uptakes), f.slots.uptakes
    assert not f.unresolved, f.unresolved


def test_take_up_a_nutrient_named_with_its_exchange() -> None:
    f = frame("let it take up fructose (EX_fru_e) at up to 3 mmol/gDW/h, e_coli_core growth?")
    assert ("fructose", 3.0) in f.slots.uptakes and not f.unresolved, f


def test_putting_a_gene_back_keeps_the_other_conditions() -> None:
    f = conversation("Knock out zwf in e_coli_core; growth?",
                     "Also limit glucose to 5. Growth now?",
                     "Put zwf back but keep the glucose limit. Growth?")
    assert not f.slots.knockouts and f.slots.carbon_uptake == 5.0 and not f.unresolved, f


def test_under_those_same_conditions_is_the_next_step(agent: Any) -> None:
    q = ("e_coli_core: cap oxygen at 6 and tell me the growth. Under those same conditions, "
         "what's the maximum acetate secretion?")
    m = cobra.io.load_model("textbook")
    m.reactions.EX_o2_e.lower_bound = -6
    growth = m.slim_optimize()
    m.objective = "EX_ac_e"
    acetate = m.slim_optimize()
    reply = agent.ask(q, session_id="sameconds")
    assert f"{growth:.6g} 1/h" in reply.answer and f"{acetate:.6g} mmol/gDW/h" in reply.answer, \
        reply.answer


@pytest.mark.parametrize("question", [
    "e_coli_core: maximise ATP maintenance instead of biomass. Value?",
    "maximize the non-growth associated maintenance of e_coli_core",
])
def test_maximising_the_atp_maintenance(question: str) -> None:
    f = frame(question)
    assert f.slots.objective == "ATPM" or f.slots.product == "ATPM", f.slots
    assert not f.unresolved, f.unresolved


def test_how_much_can_it_push_out_at_most(agent: Any) -> None:
    q = "how much acetate (EX_ac_e) can e_coli_core push out at most?"
    m = cobra.io.load_model("textbook")
    m.objective = "EX_ac_e"
    reply = agent.ask(q, session_id="pushout")
    assert f"{m.slim_optimize():.6g} mmol/gDW/h" in reply.answer, reply.answer


def test_what_reaction_that_gene_catalyses(agent: Any) -> None:
    reply = agent.ask("b1723 -- what reaction does that gene catalyse in e_coli_core?",
                      session_id="catalyse")
    assert "PFK" in reply.answer and "Not understood" not in reply.answer, reply.answer


def test_a_quoted_bigg_id_is_translated(agent: Any) -> None:
    reply = agent.ask("I have the BiGG metabolite id 'pyr'. What's the corresponding ModelSEED "
                      "compound?", session_id="quoted")
    assert "cpd00020" in reply.answer, reply.answer


def test_names_of_deletion_screen_rows_are_names_not_claims() -> None:
    src = Sources()
    src.learn_ids({"rows": [{"ids": ["BIOMASS_X"], "names": ["biomass with 53.95 GAM"],
                             "growth": 0.0}]})
    assert src.names.get("biomass with 53.95 gam") == "BIOMASS_X"


def test_an_enzyme_named_with_locants(agent: Any) -> None:
    m = cobra.io.load_model("textbook")
    m.reactions.PGI.knock_out()
    reply = agent.ask("In e_coli_core remove the glucose-6-phosphate isomerase reaction. Growth?",
                      session_id="locants")
    assert f"{m.slim_optimize():.6g} 1/h" in reply.answer and "PGI" in reply.answer, reply.answer


def test_a_value_borrowed_from_another_model_is_a_bound_not_a_comparison(agent: Any) -> None:
    q = "Give iJO1366 the same ATPM lower bound e_coli_core uses (8.39 mmol/gDW/h). Growth?"
    f = frame(q)
    assert f.slots.models == ("iJO1366",) and f.slots.bounds == (("ATPM", 8.39, None),), f.slots
    m = cobra.io.load_model("iJO1366")
    m.reactions.ATPM.lower_bound = 8.39
    reply = agent.ask(q, session_id="borrowed")
    assert f"{m.slim_optimize():.6g} 1/h" in reply.answer, reply.answer


@pytest.mark.parametrize(("question", "element", "source", "uptake"), [
    ("With ammonium replaced by L-glutamine (uptake 4), what is iJO1366 growth?", "nitrogen",
     "l-glutamine", 4.0),
    ("replace sulfate with taurine (1 mmol/gDW/h) in iJO1366: growth?", "sulfur", "taurine", 1.0),
])
def test_the_default_source_replaced_names_the_element(question: str, element: str,
                                                       source: str, uptake: float) -> None:
    f = frame(question)
    assert f.slots.sole_element == ((element, source),), f.slots
    assert (source, uptake) in f.slots.uptakes and not f.unresolved, f


def test_growth_pinned_at_a_value_is_the_floor_of_a_maximum() -> None:
    f = frame("e_coli_core: the maximal lactate flux when growth is pinned at 0.3")
    assert f.intent == "production" and f.slots.growth_floor == 0.3 and not f.unresolved, f


def test_minus_genes_and_minus_a_nutrient(agent: Any) -> None:
    f = frame("iJO1366 minus b0733 and b0734: growth?")
    assert f.slots.knockouts == ("b0733", "b0734"), f.slots
    q = "e_coli_core growth minus glucose plus fructose 10"
    m = cobra.io.load_model("textbook")
    m.reactions.EX_glc__D_e.lower_bound = 0
    m.reactions.EX_fru_e.lower_bound = -10
    reply = agent.ask(q, session_id="minus")
    assert f"{m.slim_optimize():.6g} 1/h" in reply.answer and "EX_glc__D_e closed" in \
        reply.answer, reply.answer


@pytest.mark.parametrize(("question", "exchange", "values"), [
    ("e_coli_core: growth on glucose at 10 with O2 at 5, versus the same with O2 at 15",
     "EX_o2_e", (5.0, 15.0)),
    ("e_coli_core growth with glucose at 4 versus glucose at 8", "EX_glc__D_e", (4.0, 8.0)),
])
def test_one_nutrient_at_two_values_compared(agent: Any, question: str, exchange: str,
                                            values: tuple[float, float]) -> None:
    reply = agent.ask(question, session_id=f"two{len(question)}")
    for v in values:
        m = cobra.io.load_model("textbook")
        m.reactions.get_by_id(exchange).lower_bound = -v
        assert f"{m.slim_optimize():.6g} 1/h" in reply.answer, reply.answer


@pytest.mark.parametrize(("question", "biomass"), [
    ("How many reactions of e_coli_core are essential, not counting exchanges?", True),
    ("How many reactions of e_coli_core are essential, not counting exchanges or biomass?",
     False),
])
def test_leaving_exchanges_out_keeps_the_biomass_reaction(agent: Any, question: str,
                                                          biomass: bool) -> None:
    from cobra.flux_analysis import single_reaction_deletion
    m = cobra.io.load_model("textbook")
    wild = m.slim_optimize()
    table = single_reaction_deletion(m)
    lethal = {next(iter(ids)) for ids, g in zip(table["ids"], table["growth"], strict=True)
              if math.isnan(g) or g < 0.01 * wild}
    kept = {r for r in lethal if not m.reactions.get_by_id(r).boundary and (
        biomass or r != "Biomass_Ecoli_core")}
    reply = agent.ask(question, session_id=f"ex{len(question)}")
    assert reply.answer.startswith(f"{len(kept)} essential reactions"), reply.answer


@pytest.mark.parametrize("question", [
    "core model without oxygen and on fructose: how many essential genes?",
    "e_coli_core without oxygen and with fructose at 5: growth?",
])
def test_a_removal_list_stops_before_the_next_condition(question: str) -> None:
    f = frame(question)
    assert f.slots.oxygen is False and f.slots.carbon_source == "fructose", f.slots
    assert "fructose" not in dict(f.slots.uptakes), f.slots.uptakes
