"""Limits stated the ways people state them, each mechanism on at least two phrasings: a
relative change of a limit (``Slots.factors``), a rate written next to its nutrient, a
negative exchange bound, and a nutrient taken out of the medium."""

from __future__ import annotations

from typing import Any

import pytest

from fluxagent.llm.offline.dialog import interpret
from fluxagent.llm.offline.frame import Frame
from fluxagent.llm.offline.plan import plan, sections_of
from fluxagent.llm.offline.text import analyse


def frame(q: str) -> Frame:
    return interpret(analyse(q))


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
