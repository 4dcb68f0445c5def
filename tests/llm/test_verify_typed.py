"""The typed answer verifier on real tool results: adversarial answers are flagged, correct
answers of every claim kind pass.

One real agent session on e_coli_core (real cobrapy, real tools, in-memory store) is driven by
a scripted decider through FBA (aerobic and anaerobic), FVA, essential genes, a knockout and a
model summary; every answer below is checked against that thread.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest

from fluxagent.agent import Agent
from fluxagent.config import Settings
from fluxagent.core.events import Thread
from fluxagent.core.steps import Done, ToolCall
from fluxagent.human.approvals import ApprovalPolicy
from fluxagent.llm.claims import extract_claims
from fluxagent.llm.scripted import ScriptedDecider
from fluxagent.llm.verify import Verification, verify_answer
from fluxagent.store.memory import MemoryStore

QUESTION = ("For e_coli_core with glucose uptake limited to 8 mmol/gDW/h: growth, the flux of "
            "PFK, FVA of PFK and EX_ac_e at 90%, essential genes, a pgi knockout, and the "
            "model's size. Use 42 samples.")
SCRIPT = [
    ToolCall(name="run_fba", args={"conditions": {"carbon_uptake": 8}}),
    ToolCall(name="run_fba", args={"conditions": {"carbon_uptake": 8,
                                                  "oxygen": False}}),
    ToolCall(name="run_fva", args={"reactions": ["PFK", "EX_ac_e"], "fraction_of_optimum": 0.9,
                                   "conditions": {"carbon_uptake": 8}}),
    ToolCall(name="essential_genes", args={}),
    ToolCall(name="knockout_genes", args={"genes": ["pgi"]}),
    ToolCall(name="model_summary", args={}),
    Done(answer="done"),
]


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Thread, dict[str, Any]]:
    """The real session's thread (up to its final answer) and its tool results by tool."""
    data_dir: Path = tmp_path_factory.mktemp("verify")
    agent = Agent(settings=Settings(data_dir=data_dir), store=MemoryStore(),
                  decider=ScriptedDecider(SCRIPT), policy=ApprovalPolicy(tools=frozenset()))
    st = agent.ask(QUESTION, model="e_coli_core")
    assert st.status == "done", st.status
    thread = agent.thread(st.session_id)
    errors = [ev.data for ev in thread if ev.type == "tool_error"]
    assert not errors, errors
    results: dict[str, Any] = {}
    for ev in thread.of_type("tool_result"):
        results.setdefault(ev.data["tool"], []).append(ev.data["data"])
    final = next(ev.seq for ev in thread if ev.type == "final_answer")
    return Thread(thread.session_id, thread.events[:final]), results


def check(run: tuple[Thread, dict[str, Any]], answer: str) -> Verification:
    return verify_answer(run[0], answer)


def flagged(v: Verification) -> list[tuple[str, str]]:
    return [(c.text, c.kind) for c in v.flagged]


def values(run: tuple[Thread, dict[str, Any]]) -> dict[str, Any]:
    r = run[1]
    aerobic, anaerobic = r["run_fba"]
    ranges = {row["id"]: row for row in r["run_fva"][0]["ranges"]}
    return {"mu": aerobic["growth_rate"], "mu_an": anaerobic["growth_rate"],
            "pfk": aerobic["fluxes"]["PFK"], "pgi": aerobic["fluxes"]["PGI"],
            "pfk_range": ranges["PFK"], "ac_range": ranges["EX_ac_e"],
            "essential": len(r["essential_genes"][0]["genes"]),
            "ko": r["knockout_genes"][0]["growth_rate"],
            "wt": r["knockout_genes"][0]["wild_type_growth"],
            "reactions": r["model_summary"][0]["reactions"]}


# -- correct answers of every kind pass -----------------------------------------------------
def test_correct_answers_of_every_kind_pass(run: tuple[Thread, dict[str, Any]]) -> None:
    v = values(run)
    lo, hi = v["pfk_range"]["minimum"], v["pfk_range"]["maximum"]
    answers = {
        "growth": f"e_coli_core grows at {v['mu']:.4f} 1/h; anaerobic growth rate "
                  f"{v['mu_an']:.4g} h-1.",
        "flux": f"The flux through PFK: {v['pfk']:.4g} mmol/gDW/h; PGI carries {v['pgi']:.4g}.",
        "range": f"FVA of PFK: [{lo:.4g}, {hi:.4g}] mmol/gDW/h; EX_ac_e (Acetate exchange): "
                 f"{v['ac_range']['minimum']:.4g} to {v['ac_range']['maximum']:.4g} mmol/gDW/h",
        "count": f"{v['essential']} essential genes; the model has {v['reactions']} reactions.",
        "doubling": f"Doubling time {math.log(2) / v['mu'] * 60:.1f} min "
                    f"({math.log(2) / v['mu']:.3f} h).",
        "percent": f"The pgi knockout grows at {v['ko']:.4g} 1/h, "
                   f"{100 * v['ko'] / v['wt']:.1f}% of wild type "
                   f"({100 * (v['wt'] - v['ko']) / v['wt']:.2f}% lower). Without oxygen growth "
                   f"is {100 * (v['mu'] - v['mu_an']) / v['mu']:.1f}% lower.",
        "objective": f"FVA at 90% of the optimum (objective value {v['mu']:.4g}).",
        # the offline planner's templates
        "planner": f"Doubling time ln(2)/µ = {math.log(2) / v['mu'] * 60:.4g} min at growth "
                   f"rate {v['mu']:.4g} 1/h. Growth is {100 * v['ko'] / v['wt']:.4g}% of the "
                   f"wild type's ({v['ko']:.6g} of {v['wt']:.6g} 1/h). Growth changes by "
                   f"{100 * (v['mu_an'] - v['mu']) / v['mu']:+.4g}% against aerobic growth.",
        "condition": "With glucose uptake limited to 8 mmol/gDW/h, as asked.",
    }
    for kind, answer in answers.items():
        result = check(run, answer)
        assert result.ok, (kind, answer, [c.as_dict() for c in result.flagged])


def test_claims_are_typed_with_their_source(run: tuple[Thread, dict[str, Any]]) -> None:
    v = values(run)
    lo, hi = v["pfk_range"]["minimum"], v["pfk_range"]["maximum"]
    result = check(run, f"growth rate {v['mu']:.4f} 1/h, flux through PFK: {v['pfk']:.4g} "
                        f"mmol/gDW/h, FVA of PFK: [{lo:.4g}, {hi:.4g}] mmol/gDW/h, "
                        f"{v['essential']} essential genes, doubling time "
                        f"{math.log(2) / v['mu'] * 60:.1f} min")
    got = [(c.kind, c.reaction) for c in result.claims]
    assert got == [("growth", None), ("flux", "PFK"), ("range", "PFK"), ("count", None),
                   ("doubling_time", None)]
    src = {c.kind: c.source for c in result.claims}
    assert "run_fba" in src["growth"] and "PFK" in src["flux"]
    assert "run_fva" in src["range"] and "essential_genes" in src["count"]
    assert src["doubling_time"].startswith("ln2/µ")


# -- adversarial answers are flagged --------------------------------------------------------
def test_growth_claim_matched_only_by_an_unrelated_flux(
        run: tuple[Thread, dict[str, Any]]) -> None:
    v = values(run)
    # the PFK flux exists in the thread, but not as a growth rate
    result = check(run, f"e_coli_core grows at {v['pfk']:.4g} 1/h.")
    assert flagged(result) == [(f"{v['pfk']:.4g}", "growth")]
    assert "fluxes." in result.flagged[0].why  # the detail says what it really is


def test_number_taken_from_the_question_is_flagged(
        run: tuple[Thread, dict[str, Any]]) -> None:
    # 42 is only in the question (no tool call used it); 8 was used by the calls
    result = check(run, "I used 42 samples with glucose uptake at 8 mmol/gDW/h.")
    assert flagged(result) == [("42", "count")]
    assert "only in the question" in result.flagged[0].why
    # restated as a condition that was not applied, it claims nothing
    assert check(run, "The 42 samples were not applied; FBA does not sample.").ok


def test_number_from_a_model_name_is_no_claim(run: tuple[Thread, dict[str, Any]]) -> None:
    assert [c.number.text for c in extract_claims("iJO1366 and e_coli_core, b1779, "
                                                  "BIOMASS_Ec_iJO1366_core_53p95M")] == []
    # ... so a count made of a model name's digits stands alone and is flagged
    result = check(run, "iJO1366 has 1366 genes.")
    assert flagged(result) == [("1366", "count")]


def test_count_off_by_one_is_flagged(run: tuple[Thread, dict[str, Any]]) -> None:
    v = values(run)
    assert check(run, f"{v['essential']} essential genes.").ok
    for wrong in (v["essential"] - 1, v["essential"] + 1):
        assert flagged(check(run, f"{wrong} essential genes.")) == [(str(wrong), "count")]
    assert flagged(check(run, f"The model has {v['reactions'] + 1} reactions.")) == [
        (str(v["reactions"] + 1), "count")]


def test_wrong_doubling_time_is_flagged(run: tuple[Thread, dict[str, Any]]) -> None:
    v = values(run)
    right_h = math.log(2) / v["mu"]
    for wrong in (f"{1 / v['mu'] * 60:.1f} min",   # 1/µ instead of ln2/µ
                  f"{right_h:.1f} min",            # hours stated as minutes
                  f"{right_h * 60 + 2:.1f} min"):
        result = check(run, f"The doubling time is {wrong}.")
        assert [c.kind for c in result.flagged] == ["doubling_time"], wrong


def test_wrong_percent_change_is_flagged(run: tuple[Thread, dict[str, Any]]) -> None:
    v = values(run)
    right = 100 * (v["mu"] - v["mu_an"]) / v["mu"]
    assert check(run, f"Without oxygen growth drops by {right:.1f}%.").ok
    for wrong in (right + 3, 100 * (v["mu"] - v["mu_an"]) / v["mu_an"]):
        result = check(run, f"Without oxygen growth drops by {wrong:.1f}%.")
        assert flagged(result) == [(f"{wrong:.1f}%", "percent")], wrong


def test_flux_claim_carrying_another_reactions_flux(
        run: tuple[Thread, dict[str, Any]]) -> None:
    v = values(run)
    assert check(run, f"The flux through PFK: {v['pfk']:.4g} mmol/gDW/h.").ok
    result = check(run, f"The flux through PFK: {v['pgi']:.4g} mmol/gDW/h.")
    assert [(c.kind, c.reaction) for c in result.flagged] == [("flux", "PFK")]
    # an FVA range of PFK that is really EX_ac_e's range is flagged too
    ac = v["ac_range"]
    result = check(run, f"FVA of PFK: [{ac['minimum']:.4g}, {ac['maximum']:.4g}] mmol/gDW/h")
    assert [(c.kind, c.reaction) for c in result.flagged] == [("range", "PFK")]


def test_runtime_annotation_carries_the_claim_detail(
        run: tuple[Thread, dict[str, Any]]) -> None:
    from fluxagent.runtime.local import verified
    v = values(run)
    step, notes = verified(run[0], Done(answer=f"It grows at {v['pfk']:.4g} 1/h."))
    assert f"⚠ Unverified: {v['pfk']:.4g} (growth:" in step.answer
    (note,) = notes
    assert note.data["numbers"] == [f"{v['pfk']:.4g}"]
    (claim,) = note.data["claims"]
    assert claim["kind"] == "growth" and "why" in claim


def test_the_documented_claim_shapes_are_typed() -> None:
    text = ("growth rate 0.8739 1/h (≈ 0.874); flux through PFK: 7.477 mmol/gDW/h; "
            "FVA of PFK: [1.172, 25.29] mmol/gDW/h; 10 essential genes; doubling time 47.6 min; "
            "yield 1.39 mol/mol; 19.4% lower than wild type; 98.8% of wild type; "
            "objective value 0.8739; 7 are essential")
    got = [(c.kind, c.text, c.reaction, c.unit or c.change or c.noun)
           for c in extract_claims(text, frozenset({"PFK"}))]
    assert got == [("growth", "0.8739", None, ""), ("growth", "0.874", None, ""),
                   ("flux", "7.477", "PFK", ""), ("range", "[1.172, 25.29]", "PFK", ""),
                   ("count", "10", None, "essential gene"),
                   ("doubling_time", "47.6", None, "min"),
                   ("yield", "1.39", None, ""), ("percent", "19.4%", None, "down"),
                   ("percent", "98.8%", None, ""), ("objective", "0.8739", None, ""),
                   ("count", "7", None, "essential")]


def test_a_wrong_rounded_restatement_is_flagged(run: tuple[Thread, dict[str, Any]]) -> None:
    v = values(run)
    assert check(run, f"It grows at {v['mu']:.6f} 1/h (≈ {v['mu']:.3f}).").ok
    result = check(run, f"It grows at {v['mu']:.6f} 1/h (≈ {v['pfk']:.3f}).")
    assert flagged(result) == [(f"{v['pfk']:.3f}", "growth")]


def test_a_count_difference_is_checked_against_two_counts(
        tmp_path_factory: pytest.TempPathFactory) -> None:
    """'iJO1366 has N more genes than e_coli_core': N must be the difference of two gene
    counts of the thread; off by one, or a difference of other counts, is flagged."""
    agent = Agent(settings=Settings(data_dir=tmp_path_factory.mktemp("difference")),
                  store=MemoryStore(), policy=ApprovalPolicy(tools=frozenset()),
                  decider=ScriptedDecider([ToolCall(name="model_summary", args={}),
                                           ToolCall(name="model_summary",
                                                    args={"model": "iJO1366"}),
                                           Done(answer="done")]))
    st = agent.ask("how many more genes does iJO1366 have than e_coli_core?",
                   model="e_coli_core")
    thread = agent.thread(st.session_id)
    final = next(ev.seq for ev in thread if ev.type == "final_answer")
    thread = Thread(thread.session_id, thread.events[:final])
    small, big = (ev.data["data"] for ev in thread.of_type("tool_result"))
    n = big["genes"] - small["genes"]
    assert verify_answer(thread, f"iJO1366 has {n} more genes than e_coli_core.").ok
    for wrong in (n + 1, big["reactions"] - small["reactions"]):
        v = verify_answer(thread, f"iJO1366 has {wrong} more genes than e_coli_core.")
        assert flagged(v) == [(str(wrong), "count")]


def test_a_coefficient_in_a_quoted_equation_is_no_flux_claim() -> None:
    text = "Reaction ATPS4r in e_coli_core: adp_c + 4.0 h_e + pi_c <=> atp_c + h2o_c + 3.0 h_c"
    kinds = {c.number.text: c.kind for c in extract_claims(text, frozenset({"ATPS4r"}))}
    assert kinds["4.0"] == "untyped" and kinds["3.0"] == "untyped"
    flux = extract_claims("ATPS4r carries 4.0 mmol/gDW/h", frozenset({"ATPS4r"}))
    assert [c.kind for c in flux] == ["flux"]
