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
