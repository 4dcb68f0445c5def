"""A product or nutrient named twice, by name and by its exchange id ("ethanol export
EX_etoh_e", "acetate secretion (EX_ac_e)"), is one thing: the id is accounted for and the
answer is cobrapy's maximum of that exchange. An exchange id of a metabolite the question
does not otherwise use is still named as not understood."""

from __future__ import annotations

from typing import Any

import cobra
import pytest
from planner_frames import frame


@pytest.mark.parametrize(("question", "exchange"), [
    ("With the objective switched to ethanol export EX_etoh_e, what is the maximum flux?",
     "EX_etoh_e"),
    ("max acetate secretion (EX_ac_e) in e_coli_core?", "EX_ac_e"),
])
def test_a_product_named_with_its_exchange_id(agent: Any, question: str, exchange: str) -> None:
    m = cobra.io.load_model("textbook")
    m.objective = exchange
    want = m.slim_optimize()
    reply = agent.ask(question, session_id=f"twice{len(question)}")
    assert f"{want:.6g} mmol/gDW/h" in reply.answer, reply.answer
    assert "Not understood" not in reply.answer, reply.answer


def test_an_unrelated_exchange_id_is_still_named() -> None:
    f = frame("maximum ethanol production with EX_foo_e closed")
    assert any("EX_foo_e" in u for u in f.unresolved), f.unresolved
