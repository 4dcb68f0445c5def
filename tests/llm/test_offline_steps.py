"""Questions of several steps and follow-ups, each on at least two phrasings and compared with
plain cobrapy: "first ... then ..." and numbered steps are answered step by step with the
conditions accumulating; a step that only sets a condition is no result of its own; the
"then" of "if ... then" is no step; a bare "Load X." loads the model; "the growth now" after
a knockout keeps the mutant; a follow-up naming a reaction keeps the earlier knockouts; "and
with oxygen limited to 5?" after a comparison keeps the comparison.
"""

from __future__ import annotations

import re
from typing import Any

import cobra
import pytest
from planner_frames import conversation

from fluxagent.llm.offline.steps import segments


def fba(model: str = "textbook", *, genes: tuple[str, ...] = (),
        **bounds: tuple[float, float]) -> float:
    m = cobra.io.load_model(model)
    for rid, b in bounds.items():
        m.reactions.get_by_id(rid).bounds = b
    for g in genes:
        m.genes.get_by_id(g).knock_out()
    return float(m.slim_optimize())


@pytest.mark.parametrize(("question", "n"), [
    ("First cap salmonella's glucose at 3 mmol/gDW/h and get the growth; then, keeping that "
     "cap, limit oxygen to 5 mmol/gDW/h and get growth again.", 2),
    ("For the anaerobic core model I need the growth rate and then the maximum ethanol "
     "secretion (biomass unconstrained).", 2),
    ("Three things for e_coli_core: (1) wild-type growth, (2) growth after knocking out pgi, "
     "(3) that pgi mutant with glucose capped at 5 mmol/gDW/h.", 4),
    ("first set glucose to 5, then knock out zwf, and report growth for both steps", 2),
])
def test_the_steps_of_a_question(question: str, n: int) -> None:
    assert len(segments(question)) == n


@pytest.mark.parametrize("question", [
    "knock out pgi and then compute growth",      # the first step only sets a condition
    "if it grows anaerobically then what's the PFK flux?",
    "what is the growth of the core model on acetate?",
])
def test_one_step_is_no_list_of_steps(question: str) -> None:
    assert segments(question) == []


def test_steps_accumulate_conditions_as_cobrapy_does(agent: Any) -> None:
    q = ("First cap salmonella's glucose at 3 mmol/gDW/h and get the growth; then, keeping "
         "that cap, limit oxygen to 5 mmol/gDW/h and get growth again.")
    answer = agent.ask(q, session_id="steps1").answer
    one = fba("salmonella", EX_glc__D_e=(-3, 1000))
    two = fba("salmonella", EX_glc__D_e=(-3, 1000), EX_o2_e=(-5, 1000))
    assert one > two > 0
    assert f"Step 1: salmonella grows at {one:.6g}" in answer, answer
    assert f"Step 2: salmonella grows at {two:.6g}" in answer, answer
    assert "step 1:" in answer.splitlines()[-1] and "step 2:" in answer.splitlines()[-1]


def test_numbered_steps_start_from_the_wild_type(agent: Any) -> None:
    q = ("Three things for e_coli_core: (1) wild-type growth, (2) growth after knocking out "
         "pgi, (3) that pgi mutant with glucose capped at 5 mmol/gDW/h.")
    state = agent.ask(q, session_id="steps2")
    wild, mutant = fba(), fba(genes=("b4025",))
    capped = fba(genes=("b4025",), EX_glc__D_e=(-5, 1000))
    for value in (wild, mutant, capped):
        assert f"{value:.6g}" in state.answer, state.answer
    final = [e for e in agent.thread(state.session_id).events if e.type == "final_answer"][-1]
    steps = final.data["data"]["interpretation"]["steps"]
    assert len(steps) == 3 and not final.data["data"]["unresolved"]


def test_growth_and_then_a_maximum_are_both_reported(agent: Any) -> None:
    q = ("For the anaerobic core model I need the growth rate and then the maximum ethanol "
         "secretion (biomass unconstrained).")
    answer = agent.ask(q, session_id="steps3").answer
    assert f"{fba(EX_o2_e=(0, 1000)):.6g}" in answer
    m = cobra.io.load_model("textbook")
    m.reactions.EX_o2_e.lower_bound = 0
    m.objective = "EX_etoh_e"
    assert f"{m.slim_optimize():.6g} mmol/gDW/h" in answer, answer


@pytest.mark.parametrize("turns", [
    ("Load iJO1366.", "Knock out b4025.", "What's the growth now, and the doubling time in "
     "minutes?"),
    ("use iJO1366", "delete b4025", "what's the growth rate now?"),
])
def test_a_loaded_model_and_its_mutant_carry_on(agent: Any, turns: tuple[str, ...]) -> None:
    sid = f"load{len(turns[-1])}"
    for q in turns[:-1]:
        agent.ask(q, session_id=sid)
    answer = agent.ask(turns[-1], session_id=sid).answer
    assert f"{fba('iJO1366', genes=('b4025',)):.6g}" in answer, answer


@pytest.mark.parametrize("follow_up", [
    "FVA of acetate exchange at 90% of optimum for that mutant?",
    "and the range of EX_ac_e at 90% of the optimum?",
])
def test_a_follow_up_naming_a_reaction_keeps_the_knockout(follow_up: str) -> None:
    f = conversation("For salmonella, knock out TpiA and give me the growth rate.", follow_up)
    assert f.intent == "fva" and f.slots.knockouts == ("TpiA",) and f.slots.model == "salmonella"


@pytest.mark.parametrize("follow_up", ["And with oxygen limited to 5 mmol/gDW/h?",
                                       "what about with O2 capped at 5?"])
def test_a_follow_up_keeps_the_comparison(follow_up: str) -> None:
    f = conversation("Which carbon source is better for iJO1366: glycerol or xylose?", follow_up)
    assert f.slots.carbon_sources == ("glycerol", "xylose") and f.slots.oxygen_uptake == 5.0
    assert f.slots.model == "iJO1366" and f.slots.best == "max"


@pytest.mark.parametrize(("question", "n"), [
    ("1. fix ATPM at 20 in the core model  2. then lower the glucose limit to 5  -> growth at 1 "
     "and at 2", 2),
    ("Salmonella: glucose up to 8 first; after that limit O2 to 10 too. What's growth after "
     "step 1 and after step 2?", 2),
    ("iJO1366 - first cap glucose at 5, then also delete b4025, and finally take the oxygen "
     "away. report mu at every stage", 3),
])
def test_steps_numbered_with_a_dot_or_named_by_number(question: str, n: int) -> None:
    parts = segments(question)
    assert len(parts) == n and all(asks for _, asks in parts)


def test_every_stage_is_reported_as_cobrapy_computes_it(agent: Any) -> None:
    q = ("iJO1366 - first cap glucose at 5, then also delete b4025, and finally take the "
         "oxygen away. report mu at every stage")
    answer = agent.ask(q, session_id="stages").answer
    glc = {"EX_glc__D_e": (-5, 1000)}
    stated = [float(x) for x in re.findall(r"\d+\.\d+", answer)]
    for value in (fba("iJO1366", **glc), fba("iJO1366", genes=("b4025",), **glc),
                  fba("iJO1366", genes=("b4025",), EX_o2_e=(0, 1000), **glc)):
        assert any(abs(x - value) <= 1e-5 * value for x in stated), (value, answer)
    assert "Not understood" not in answer


@pytest.mark.parametrize(("turns", "want"), [
    (("knock out pykF in the core model; growth?", "add a pykA knockout on top"),
     ("pykF", "pykA")),
    (("knock out pgi in e_coli_core", "plus zwf as well"), ("pgi", "zwf")),
])
def test_a_knockout_added_on_top(turns: tuple[str, str], want: tuple[str, ...]) -> None:
    assert conversation(*turns).slots.knockouts == want


@pytest.mark.parametrize("follow_up", ["switch the carbon to fructose at the same rate instead",
                                       "now fructose instead, same uptake"])
def test_the_same_rate_is_the_previous_one(follow_up: str) -> None:
    f = conversation("cap glucose uptake of e_coli_core at 5 and give me the growth", follow_up)
    assert f.slots.carbon_source == "fructose" and f.slots.carbon_uptake == 5.0


@pytest.mark.parametrize("follow_up", ["and what yield on glucose is that in mol/mol?",
                                       "what's the yield per glucose?"])
def test_a_yield_on_the_substrate_is_the_same_products(follow_up: str) -> None:
    f = conversation("maximum anaerobic ethanol production of e_coli_core?", follow_up)
    assert f.intent == "production" and f.slots.product == "ethanol"


def test_a_new_nitrogen_source_in_a_later_step_keeps_the_carbon_source(agent: Any) -> None:
    q = ("first put iJO1366 on glycerol as sole carbon, then swap ammonium for glutamine (5) as "
         "the N source; growth at both points?")
    answer = agent.ask(q, session_id="nsource").answer
    m = cobra.io.load_model("iJO1366")
    m.reactions.EX_glc__D_e.lower_bound = 0
    m.reactions.EX_glyc_e.lower_bound = -10
    first = m.slim_optimize()
    m.reactions.EX_nh4_e.lower_bound = 0
    m.reactions.EX_gln__L_e.lower_bound = -5
    assert f"{first:.6g}" in answer and f"{m.slim_optimize():.6g}" in answer, answer


@pytest.mark.parametrize("question", [
    "1. fix ATPM at 20 in the core model  2. then lower the glucose limit to 5  -> growth at 1 "
    "and at 2",
    "(1) knock out pgi (2) then cap glucose at 4; growth at 1 and 2",
])
def test_growth_at_step_numbers_is_no_floor(question: str) -> None:
    f = conversation(question)
    assert f.steps and all(st.slots.growth_floor is None for st in f.steps) and not f.unresolved
