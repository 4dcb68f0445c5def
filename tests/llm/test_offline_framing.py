"""How a question is framed around its conditions: lettered steps ("a) ... b) then ..."),
"within N % of the optimum" (N % below it), zeroed bounds, a model loaded on one turn and
asked about on the next, an exchange "shut", number words after a nutrient, the ATP yield
per glucose, "with O2 closed" (anaerobic, not both), the size of a gene rule, and biology a
flux balance cannot represent (regulation, plasmid burden) named as not understood."""

from __future__ import annotations

from typing import Any

import cobra
import pytest
from planner_frames import conversation, frame


def test_lettered_steps_are_answered_in_order(agent: Any) -> None:
    q = ("e_coli_core, one change after another: a) glucose capped at 6; b) then oxygen "
         "limited to 5; c) then ATPM fixed at 12. Growth after a, b and c?")
    m = cobra.io.load_model("textbook")
    want = []
    m.reactions.EX_glc__D_e.lower_bound = -6
    want.append(m.slim_optimize())
    m.reactions.EX_o2_e.lower_bound = -5
    want.append(m.slim_optimize())
    m.reactions.ATPM.bounds = (12, 12)
    want.append(m.slim_optimize())
    reply = agent.ask(q, session_id="letters")
    for i, w in enumerate(want, 1):
        assert f"Step {i}: " in reply.answer and f"{w:.6g} 1/h" in reply.answer, reply.answer


@pytest.mark.parametrize(("question", "fraction"), [
    ("FVA of PGI in e_coli_core with growth within 10 % of the optimum", 0.9),
    ("how far can EX_ac_e vary in e_coli_core if growth stays within 2 percent of its maximum?",
     0.98),
    ("range of EX_o2_e in e_coli_core when growth must stay within 95% of the optimum", 0.95),
])
def test_within_n_percent_of_the_optimum(question: str, fraction: float) -> None:
    f = frame(question)
    assert f.intent == "fva" and f.slots.fraction == pytest.approx(fraction), f.slots
    assert not f.unresolved, f.unresolved


@pytest.mark.parametrize(("question", "reaction"), [
    ("zero the bounds of PGK in e_coli_core, then what's the growth?", "PGK"),
    ("e_coli_core growth when I zero out the flux through TPI", "TPI"),
])
def test_zeroed_bounds_block_the_reaction(agent: Any, question: str, reaction: str) -> None:
    f = frame(question)
    assert (reaction, 0.0, 0.0) in f.slots.bounds or reaction in f.slots.knockouts, f.slots
    m = cobra.io.load_model("textbook")
    m.reactions.get_by_id(reaction).bounds = (0, 0)
    want = m.slim_optimize(error_value=0.0)
    reply = agent.ask(question, session_id=f"zero{reaction}")
    shown = "0" if abs(want) < 1e-9 else f"{want:.6g}"
    assert f" {shown} 1/h" in reply.answer, reply.answer


@pytest.mark.parametrize(("first", "model"), [("Load iJO1366 please.", "iJO1366"),
                                              ("could you open salmonella?", "salmonella")])
def test_the_model_loaded_is_the_one_asked_about_next(first: str, model: str) -> None:
    assert frame(first).intent == "summary"
    f = conversation(first, "What's its doubling time on the default medium, in hours?")
    assert f.slots.model == model and f.slots.doubling == "h", f.slots


@pytest.mark.parametrize("then", ["ok, and once you shut the oxygen exchange?",
                                  "and if I close the O2 exchange?"])
def test_shutting_the_oxygen_exchange_is_anaerobic(then: str) -> None:
    f = conversation("How fast does e_coli_core grow?", then)
    assert f.intent == "growth" and f.slots.oxygen is False and not f.slots.reactions, f.slots


@pytest.mark.parametrize("question", [
    "e_coli_core fed glucose four and fructose four (mmol/gDW/h each): growth?",
    "growth of e_coli_core co-fed with glucose four, fructose four",
])
def test_number_words_after_a_nutrient_are_its_uptake(question: str) -> None:
    f = frame(question)
    assert f.slots.carbon_uptake == 4.0 and ("fructose", 4.0) in f.slots.uptakes, f.slots
    assert not f.unresolved, f.unresolved


@pytest.mark.parametrize(("question", "o2"), [
    ("e_coli_core anaerobic: mol ATP per mol glucose?", 0.0),
    ("What is the most ATP per glucose e_coli_core can make?", None),
])
def test_atp_per_glucose_is_the_atp_maintenance_yield(agent: Any, question: str,
                                                      o2: float | None) -> None:
    m = cobra.io.load_model("textbook")
    if o2 is not None:
        m.reactions.EX_o2_e.lower_bound = o2
    m.objective = "ATPM"
    per_glucose = m.slim_optimize() / 10.0
    reply = agent.ask(question, session_id=f"atp{len(question)}")
    assert f"yield {per_glucose:.6g} mol/mol" in reply.answer, reply.answer


def test_with_o2_closed_is_anaerobic_only() -> None:
    f = frame("growth of salmonella and iJO1366 with O2 closed")
    assert f.slots.oxygen is False and not f.slots.oxygen_both, f.slots


@pytest.mark.parametrize("reaction", ["NADH16", "ATPS4r"])
def test_the_size_of_a_gene_rule_is_stated(agent: Any, reaction: str) -> None:
    n = len(cobra.io.load_model("textbook").reactions.get_by_id(reaction).genes)
    reply = agent.ask(f"How many genes are in the gene rule of {reaction} in e_coli_core?",
                      session_id=f"rule{reaction}")
    assert f"genes: {n} in its rule" in reply.answer, reply.answer


@pytest.mark.parametrize(("question", "phrase"), [
    ("How does Fnr-mediated induction of nitrate reductase change e_coli_core growth?",
     "mediated"),
    ("What growth burden does a high-copy plasmid put on the core model?", "plasmid"),
    ("e_coli_core growth under microaerobic conditions?", "microaerob"),
])
def test_biology_outside_flux_balance_is_named(question: str, phrase: str) -> None:
    f = frame(question)
    assert any(phrase in p.lower() for p in f.unresolved), f.unresolved


@pytest.mark.parametrize(("question", "choose"), [
    ("For e_coli_core, which helps growth more: raising the glucose limit to 12, or adding "
     "5 mmol/gDW/h of fructose?", "max"),
    ("What hurts the core model more: losing the PGI reaction or losing oxygen?", "min"),
])
def test_alternatives_are_each_applied_alone_and_the_winner_named(
        agent: Any, question: str, choose: str) -> None:
    f = conversation(question)
    assert len(f.choices) == 2 and f.choose == choose and not f.unresolved, f
    m = cobra.io.load_model("textbook")
    grown = []
    for i, label in enumerate(f.choices):
        with m:
            if "glucose" in label:
                m.reactions.EX_glc__D_e.lower_bound = -12
            elif "fructose" in label:
                m.reactions.EX_fru_e.lower_bound = -5
            elif "PGI" in label:
                m.reactions.PGI.knock_out()
            else:
                m.reactions.EX_o2_e.lower_bound = 0
            grown.append((label, m.slim_optimize()))
        assert not (i and f.steps[i].slots.knockouts and f.steps[i - 1].slots.knockouts)
    reply = agent.ask(question, session_id=f"alt{len(question)}")
    for label, g in grown:
        assert f"'{label}': " in reply.answer and f"{g:.6g} 1/h" in reply.answer, reply.answer
    label, g = (max if choose == "max" else min)(grown, key=lambda t: t[1])
    word = "More growth" if choose == "max" else "Less growth"
    assert f"{word}: '{label}' ({g:.6g} 1/h)" in reply.answer, reply.answer


@pytest.mark.parametrize(("question", "phrase"), [
    ("For e_coli_core, what helps growth more: raising the glucose limit to 12, or adding "
     "5 mmol/gDW/h of fructose? Assume heat shock.", "heat shock"),
    ("e_coli_core growth, assuming a cold shock", "cold shock"),
])
def test_an_assumption_after_the_question_is_accounted(question: str, phrase: str) -> None:
    assert phrase in conversation(question).unresolved


def test_a_condition_after_the_alternatives_applies_to_each() -> None:
    f = conversation("For e_coli_core, which helps growth more: raising the glucose limit to 12, "
                     "or adding 5 mmol/gDW/h of fructose? Assume it is anaerobic.")
    assert len(f.steps) == 2 and all(st.slots.oxygen is False for st in f.steps), f.steps
    assert not f.unresolved, f.unresolved
