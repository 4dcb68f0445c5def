"""Goals and feeds worded plainly: a growth floor "at or above 0.5 h-1", "keep half of their
anaerobic optimum growth", a maximum asked as "how much ethanol at most", an objective given as
"objective = ethanol exchange" (the exchange linked by name in the model at hand), and a new
carbon source "given" or "fed" to the cells ("give it acetate instead (same 10 mmol/gDW/h)",
"remove glucose and feed it succinate at 8"). Numbers are plain cobrapy's."""

from __future__ import annotations

import re
from typing import Any

import cobra
import pytest


def stated(value: float, text: str, unit: str) -> bool:
    """``value`` is stated before ``unit`` (to the 6 significant digits answers carry)."""
    return any(abs(float(x) - value) <= 1e-5 * max(1.0, abs(value))
               for x in re.findall(rf"(-?[\d.]+(?:e-?\d+)?) {re.escape(unit)}", text))


def production(model: str, exchange: str, floor_fraction: float = 0.0, floor: float = 0.0,
               **lower: float) -> float:
    m = cobra.io.load_model(model)
    for rid, lb in lower.items():
        m.reactions.get_by_id(rid).lower_bound = lb
    biomass = next(iter(cobra.util.solver.linear_reaction_coefficients(m)))
    mu = m.slim_optimize()
    biomass.lower_bound = max(floor, floor_fraction * mu)
    m.objective = exchange
    return float(m.slim_optimize())


@pytest.mark.parametrize(("question", "want"), [
    ("Maximise acetate secretion of e_coli_core while keeping growth at or above 0.5 h-1.",
     lambda: production("textbook", "EX_ac_e", floor=0.5)),
    ("max succinate export of the core model with growth not under 0.3 1/h",
     lambda: production("textbook", "EX_succ_e", floor=0.3)),
    ("Anaerobic iJO1366: how much ethanol at most if the cells must keep half of their "
     "anaerobic optimum growth?",
     lambda: production("iJO1366", "EX_etoh_e", floor_fraction=0.5, EX_o2_e=0)),
    ("how much succinate at most can the core model make?",
     lambda: production("textbook", "EX_succ_e")),
])
def test_a_maximum_under_a_floor(agent: Any, question: str, want: Any) -> None:
    value = want()
    reply = agent.ask(question, session_id=f"goal{abs(hash(question))}")
    assert stated(value, reply.answer, "mmol/gDW/h"), (value, reply.answer)
    assert "Not understood" not in reply.answer, reply.answer


@pytest.mark.parametrize(("question", "model", "exchange", "lower"), [
    ("Anaerobic iJO1366, objective = ethanol exchange. Maximum?", "iJO1366", "EX_etoh_e",
     {"EX_o2_e": 0}),
    ("set the objective to the acetate exchange in e_coli_core and optimise", "textbook",
     "EX_ac_e", {}),
])
def test_an_objective_named_as_an_exchange(agent: Any, question: str, model: str,
                                           exchange: str, lower: dict[str, float]) -> None:
    m = cobra.io.load_model(model)
    for rid, lb in lower.items():
        m.reactions.get_by_id(rid).lower_bound = lb
    m.objective = exchange
    want = m.slim_optimize()
    reply = agent.ask(question, session_id=f"obj{len(question)}")
    assert f"Maximum flux through {exchange}" in reply.answer and f"{want:.6g}" in reply.answer, \
        reply.answer


@pytest.mark.parametrize(("question", "exchange", "uptake"), [
    ("Take glucose away from the core model and give it acetate instead (same 10 mmol/gDW/h). "
     "How well does it grow?", "EX_ac_e", 10),
    ("Remove glucose and feed it succinate at 8: growth of e_coli_core?", "EX_succ_e", 8),
])
def test_a_carbon_source_given_to_the_cells(agent: Any, question: str, exchange: str,
                                            uptake: float) -> None:
    m = cobra.io.load_model("textbook")
    m.reactions.EX_glc__D_e.lower_bound = 0
    m.reactions.get_by_id(exchange).lower_bound = -uptake
    want = m.slim_optimize()
    reply = agent.ask(question, session_id=f"feed{len(question)}")
    assert f"grows at {want:.6g} 1/h" in reply.answer, reply.answer
    assert "Not understood" not in reply.answer, reply.answer
