"""Asides around a value: a correction in parentheses ("at 5 (no, make that 7)"), the old
value named after "instead of" / "rather than", the flux unit written as "units", a negative
bound on a nutrient without the word "exchange", "force N through the ATP maintenance
reaction", and "which deletions kill it" (an essentiality screen, not a gene named "kill")."""

from __future__ import annotations

from typing import Any

import cobra
import pytest
from planner_frames import frame


@pytest.mark.parametrize(("question", "uptake"), [
    ("Cap glucose at 5 (no, make that 7) and tell me e_coli_core growth", 7.0),
    ("glucose at 5 (sorry, 3.5), growth of e_coli_core?", 3.5),
    ("What is e_coli_core growth with the glucose bound at -7?", 7.0),
    ("e_coli_core growth with glucose at 4 rather than 10", 4.0),
])
def test_the_value_meant_is_the_glucose_limit(question: str, uptake: float) -> None:
    f = frame(question)
    assert f.slots.carbon_uptake == uptake and not f.unresolved, (f.slots, f.unresolved)


def test_the_old_value_after_instead_of_is_not_left_over() -> None:
    f = frame("e_coli_core growth if ATPM is 12 instead of 8.39")
    assert f.slots.bounds == (("ATPM", 12.0, 12.0),) and not f.unresolved, f


@pytest.mark.parametrize(("question", "uptakes"), [
    ("e_coli_core: allow at most 2.5 units of ammonium, growth?", (("ammonium", 2.5),)),
    ("core model growth with 0.5 units of phosphate at most", (("phosphate", 0.5),)),
])
def test_units_are_the_flux_unit(question: str, uptakes: tuple[tuple[str, float], ...]) -> None:
    f = frame(question)
    assert f.slots.uptakes == uptakes and not f.unresolved, (f.slots.uptakes, f.unresolved)


@pytest.mark.parametrize(("question", "bound"), [
    ("What growth does e_coli_core reach when I force 5 units through the ATP maintenance "
     "reaction?", ("ATPM", 5.0, 5.0)),
    ("e_coli_core growth when requiring at least 12 mmol/gDW/h through ATPM",
     ("ATPM", 12.0, None)),
])
def test_forcing_flux_through_atp_maintenance(agent: Any, question: str,
                                              bound: tuple[str, float, float | None]) -> None:
    f = frame(question)
    assert f.slots.bounds == (bound,) and not f.unresolved, (f.slots.bounds, f.unresolved)
    m = cobra.io.load_model("textbook")
    m.reactions.ATPM.bounds = (bound[1], bound[2] if bound[2] is not None else 1000.0)
    reply = agent.ask(question, session_id=f"atpm{len(question)}")
    assert f"{m.slim_optimize():.6g} 1/h" in reply.answer, reply.answer


@pytest.mark.parametrize("question", [
    "Which gene deletions kill e_coli_core anaerobically?",
    "list the knockouts that abolish growth of e_coli_core without oxygen",
])
def test_deletions_that_kill_are_an_essentiality_screen(agent: Any, question: str) -> None:
    f = frame(question)
    assert f.intent == "essential" and not f.slots.knockouts, (f.intent, f.slots.knockouts)
    m = cobra.io.load_model("textbook")
    m.reactions.EX_o2_e.lower_bound = 0
    wild = m.slim_optimize()
    essential = set()
    for g in m.genes:
        with m:
            g.knock_out()
            if m.slim_optimize(error_value=0.0) < 0.01 * wild:
                essential.add(g.id)
    reply = agent.ask(question, session_id=f"kill{len(question)}")
    assert f"{len(essential)} essential genes" in reply.answer, reply.answer
    assert all(g in reply.answer for g in essential), reply.answer


@pytest.mark.parametrize(("question", "carbon", "oxygen", "uptakes"), [
    ("Set glucose to 20 and oxygen to 1000 and report biomass of iJO1366", 20.0, 1000.0, ()),
    ("limit glucose to 5, ammonium to 2 and oxygen to 8; e_coli_core growth?", 5.0, 8.0,
     (("ammonium", 2.0),)),
])
def test_one_verb_sets_every_nutrient_of_its_list(question: str, carbon: float, oxygen: float,
                                                  uptakes: tuple[tuple[str, float], ...]) -> None:
    f = frame(question)
    s = f.slots
    assert (s.carbon_uptake, s.oxygen_uptake, s.uptakes) == (carbon, oxygen, uptakes), s
    assert not f.unresolved, f.unresolved


@pytest.mark.parametrize(("question", "bound"), [
    ("What is the maximum biomass of e_coli_core when the PDH flux is fixed at 3?",
     ("PDH", 3.0, 3.0)),
    ("e_coli_core growth with PFK flux set to 2", ("PFK", 2.0, 2.0)),
])
def test_a_reaction_flux_fixed_in_passing_is_a_bound(agent: Any, question: str,
                                                     bound: tuple[str, float, float]) -> None:
    f = frame(question)
    assert f.intent == "growth" and f.slots.bounds == (bound,) and not f.unresolved, f
    m = cobra.io.load_model("textbook")
    m.reactions.get_by_id(bound[0]).bounds = bound[1:]
    reply = agent.ask(question, session_id=f"fix{len(question)}")
    assert f"{m.slim_optimize():.6g} 1/h" in reply.answer, reply.answer


@pytest.mark.parametrize(("question", "sources", "uptake", "winner"), [
    ("Which is higher for e_coli_core: growth on succinate or on malate (both 10)?",
     ("succ", "mal__L"), 10.0, "succinate"),
    ("e_coli_core: is growth lower on acetate or on pyruvate, both at 5?", ("ac", "pyr"), 5.0,
     "acetate"),
])
def test_alternatives_joined_by_or_are_compared_not_fed_together(
        agent: Any, question: str, sources: tuple[str, str], uptake: float, winner: str) -> None:
    f = frame(question)
    assert not f.slots.cofeed and f.slots.best is not None, f.slots
    reply = agent.ask(question, session_id=f"or{len(question)}")
    for met in sources:
        m = cobra.io.load_model("textbook")
        m.reactions.EX_glc__D_e.lower_bound = 0
        m.reactions.get_by_id(f"EX_{met}_e").lower_bound = -uptake
        assert f"{m.slim_optimize():.6g} 1/h" in reply.answer, reply.answer
    assert f"growth: {winner}" in reply.answer, reply.answer
