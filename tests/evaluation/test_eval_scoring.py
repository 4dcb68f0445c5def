"""Scoring semantics of dev_queries.yaml: tools_any, numbers (1% / 1e-3), ids "a|b", no_growth,
plus: a run needs a final answer and no unverified numbers."""

from __future__ import annotations

from pathlib import Path

import pytest

from fluxagent.core.events import Thread, new_event
from fluxagent.evaluation.loader import Case, CaseFileError, load_cases
from fluxagent.evaluation.scoring import id_present, number_present, says_no_growth, score

ROOT = Path(__file__).resolve().parents[2]


def run(answer: str, tools: tuple[str, ...] = ("run_fba",), annotate: list[str] | None = None
        ) -> Thread:
    t = Thread("s").append(new_event("user_message", {"text": "q"}))
    for i, name in enumerate(tools):
        t = t.append(new_event("tool_call", {"name": name, "args": {}}, call_id=f"c{i}"),
                     new_event("tool_result", {"tool": name, "data": {}}, call_id=f"c{i}"))
    if annotate:
        t = t.append(new_event("annotation", {"kind": "unverified_numbers",
                                              "numbers": annotate}))
    return t.append(new_event("final_answer", {"answer": answer}))


def test_number_tolerance_is_1_percent_or_1e_3() -> None:
    assert number_present(0.873922, [0.8739])          # rounding
    assert number_present(20.0, [19.85])                # within 1%
    assert not number_present(20.0, [19.7])             # 1.5% off
    assert number_present(0.0, [0.0009])                # 1e-3 absolute
    assert not number_present(0.0, [0.002])
    assert number_present(-3.8136, [3.8136])            # absolute values


def test_ids_alternatives_and_whole_words() -> None:
    assert id_present("b0720|gltA", "essential: gltA, icd")
    assert id_present("b0720|gltA", "b0720 (x)")
    assert not id_present("CS", "ACS and CSx")         # whole words only
    assert id_present("EX_glc__D_e", "uptake EX_glc__D_e 10")


@pytest.mark.parametrize("text", ["It cannot grow.", "growth rate 0 1/h", "No growth here",
                                  "the LP is infeasible", "growth is 0.0 1/h",
                                  "the knockout is lethal"])
def test_no_growth_phrases(text: str) -> None:
    assert says_no_growth(text)


@pytest.mark.parametrize("text", ["grows at 0.87 1/h", "growth rate 0.211663 1/h"])
def test_growth_is_not_no_growth(text: str) -> None:
    assert not says_no_growth(text)


def test_score_passes_and_fails_for_the_right_reasons() -> None:
    case = Case(id="T", query="q", tools_any=["run_fba", "run_pfba"], numbers=[0.211663],
                ids=["b0720|gltA"])
    ok = score(case, run("growth 0.211663 1/h; gltA"), "done", "growth 0.211663 1/h; gltA")
    assert ok.passed and ok.failures == []
    bad = score(case, run("growth 0.3 1/h", tools=("model_summary",)), "done",
                "growth 0.3 1/h")
    assert not bad.passed
    assert {k for k, v in bad.checks.items() if not v} == {"tools", "numbers", "ids"}


def test_unverified_numbers_and_missing_answers_fail() -> None:
    case = Case(id="T", query="q", numbers=[0.211663])
    text = "growth 0.211663 1/h, 42"
    flagged = score(case, run(text, annotate=["42"]), "done", text)
    assert not flagged.passed and flagged.checks["verified"] is False
    waiting = score(case, run(""), "waiting_for_human", None)
    assert not waiting.passed and waiting.checks["answered"] is False


def test_no_growth_case() -> None:
    case = Case(id="T", query="q", no_growth=True)
    assert score(case, run("cannot grow"), "done", "cannot grow").passed
    assert not score(case, run("grows at 0.5 1/h"), "done", "grows at 0.5 1/h").passed


def test_loader_reads_the_dev_and_paraphrase_sets() -> None:
    dev = load_cases(ROOT / "eval" / "dev_queries.yaml")
    assert len(dev) == 30 and dev[0].id == "D01" and dev[0].numbers == [0.873922]
    para = load_cases(ROOT / "eval" / "paraphrases.yaml")
    per_dev: dict[str, int] = {}
    for c in para:
        if c.paraphrases:
            per_dev[c.paraphrases] = per_dev.get(c.paraphrases, 0) + 1
    assert set(per_dev) == {c.id for c in dev}
    assert min(per_dev.values()) >= 2
    assert all(c.query not in {d.query for d in dev} for c in para)


def test_loader_rejects_bad_files(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("- {id: A}\n")
    with pytest.raises(CaseFileError, match="query"):
        load_cases(bad)
    bad.write_text("a: [")
    with pytest.raises(CaseFileError, match="YAML"):
        load_cases(bad)
    with pytest.raises(CaseFileError, match="cannot read"):
        load_cases(tmp_path / "missing.yaml")


def _final(answer: str, unresolved: list[str]) -> Thread:
    t = Thread("s").append(new_event("user_message", {"text": "q"}),
                           new_event("tool_call", {"name": "run_fba", "args": {}}, call_id="c"),
                           new_event("tool_result", {"tool": "run_fba", "data": {}},
                                     call_id="c"))
    return t.append(new_event("final_answer", {"answer": answer, "data": {
        "interpretation": {"model": "m", "conditions": [], "analyses": []},
        "unresolved": unresolved}}))


def test_outcomes_pass_honest_and_silent_wrong() -> None:
    from fluxagent.evaluation.runner import CaseRun, EvalRun
    from fluxagent.evaluation.scoring import honest_signal
    case = Case(id="x", query="q", numbers=[0.5])
    wrong = "grows at 0.9 1/h"
    silent = _final(wrong, [])
    named = _final(wrong, ["at pH 5"])
    flagged = _final(wrong + "\n⚠ Not understood, so not applied: 'pH 5'.", [])
    runs = []
    for thread, text in ((silent, wrong), (named, wrong), (flagged, wrong + "\n⚠ ...")):
        sc = score(case, thread, "done", text)
        assert not sc.passed
        runs.append(CaseRun(case, sc, text, "done", ["run_fba"], 0.0,
                            honest=honest_signal(thread, "done", text)))
    ok = _final("grows at 0.5 1/h", [])
    runs.append(CaseRun(case, score(case, ok, "done", "grows at 0.5 1/h"), "", "done", [],
                        0.0, honest=False))
    assert [r.outcome for r in runs] == ["silent_wrong", "honest", "honest", "pass"]
    result = EvalRun(decider="offline", runs=runs)
    assert result.rate("silent_wrong") == 0.25 and result.rate("honest") == 0.5
    assert result.as_dict()["by_category"] == {"-": {"pass": 1, "honest": 2, "silent_wrong": 1}}


def test_expect_unresolved_cases_pass_only_when_the_run_says_so() -> None:
    case = Case(id="x", query="growth at pH 5?", expect_unresolved=True)
    assert not score(case, _final("grows at 0.87 1/h", []), "done", "grows at 0.87").passed
    assert score(case, _final("grows at 0.87 1/h", ["at pH 5"]), "done", "grows").passed
