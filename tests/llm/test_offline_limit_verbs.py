"""Limits, knockouts and questions worded with verbs the planner did not know: an uptake
"held to" / "kept at" a value, a supply "tightened from 18.5 down to 10", a nutrient "let in at
no more than 0.3", oxygen that "can enter at 12.5 at most", an exchange "capped at -3.5" (its
uptake), the flux unit spelled out, a gene "taken out" after its description, a reaction
"shut", "hours per doubling", the genes a model "depends on absolutely". Each is compared with
plain cobrapy on the same settings."""

from __future__ import annotations

from typing import Any

import cobra
import pytest
from planner_frames import frame


def grown(model: str, **lower: float) -> float:
    m = cobra.io.load_model(model)
    for rid, lb in lower.items():
        m.reactions.get_by_id(rid).lower_bound = lb
    return float(m.slim_optimize())


@pytest.mark.parametrize(("question", "model", "bounds"), [
    ("If glucose uptake is held to six mmol per gram dry weight per hour, what growth does "
     "e_coli_core predict?", "textbook", {"EX_glc__D_e": -6}),
    ("e_coli_core growth with the glucose supply kept at 4 mmol/gDW/h", "textbook",
     {"EX_glc__D_e": -4}),
    ("Tighten Salmonella's oxygen supply from 18.5 down to 10 mmol/gDW/h. Resulting growth?",
     "salmonella", {"EX_o2_e": -10}),
    ("In iJO1366 let phosphate in at no more than 0.3 mmol/gDW/h. Growth under that phosphate "
     "limitation?", "iJO1366", {"EX_pi_e": -0.3}),
    ("I'd like the growth of E. coli core when oxygen can enter at 12.5 mmol/gDW/h at most.",
     "textbook", {"EX_o2_e": -12.5}),
    ("core model growth if ammonium may be taken up at 2 at most", "textbook",
     {"EX_nh4_e": -2}),
    ("Cap EX_glc__D_e at -3.5 in iJO1366 and re-optimise; what's µ?", "iJO1366",
     {"EX_glc__D_e": -3.5}),
])
def test_a_limit_said_with_another_verb(agent: Any, question: str, model: str,
                                        bounds: dict[str, float]) -> None:
    want = grown(model, **bounds)
    reply = agent.ask(question, session_id=f"verb{abs(hash(question))}")
    assert f"{want:.6g} 1/h" in reply.answer, reply.answer
    assert "Not understood" not in reply.answer, reply.answer


@pytest.mark.parametrize(("question", "gene"), [
    ("Take out the ATP synthase subunit atpA (b3734) in the core model: growth?", "b3734"),
    ("take out the isocitrate dehydrogenase icd and give me the growth of e_coli_core", "b1136"),
])
def test_a_gene_taken_out_after_its_description(agent: Any, question: str, gene: str) -> None:
    m = cobra.io.load_model("textbook")
    m.genes.get_by_id(gene).knock_out()
    want = m.slim_optimize()
    reply = agent.ask(question, session_id=f"out{len(question)}")
    assert f"growth rate {want:.6g} 1/h" in reply.answer, reply.answer


@pytest.mark.parametrize(("question", "model", "reaction"), [
    ("Shut the PTS glucose uptake reaction GLCptspp in iJO1366. How much does growth change - "
     "what's the new value?", "iJO1366", "GLCptspp"),
    ("shut PGI and report growth", "textbook", "PGI"),
])
def test_a_reaction_shut(agent: Any, question: str, model: str, reaction: str) -> None:
    m = cobra.io.load_model(model)
    m.reactions.get_by_id(reaction).knock_out()
    want = m.slim_optimize()
    reply = agent.ask(question, session_id=f"shut{len(question)}")
    assert f"growth rate {want:.6g} 1/h" in reply.answer, reply.answer
    assert "Not understood" not in reply.answer, reply.answer


@pytest.mark.parametrize(("question", "unit"), [
    ("If iJO1366 grows anaerobically, how many hours per doubling?", "h"),
    ("minutes for one doubling of e_coli_core on glucose?", "min"),
])
def test_time_per_doubling(question: str, unit: str) -> None:
    f = frame(question)
    assert f.slots.doubling == unit and not f.unresolved, (f.slots.doubling, f.unresolved)


@pytest.mark.parametrize("question", [
    "Under anaerobic conditions, how many genes does the core model depend on absolutely?",
    "Which genes does salmonella rely on for growth on glucose?",
])
def test_genes_a_model_depends_on_are_essential(question: str) -> None:
    f = frame(question)
    assert f.intent == "essential" and not f.unresolved, (f.intent, f.unresolved)
