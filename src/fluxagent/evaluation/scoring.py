"""Scoring one run against a case, with the semantics written at the top of dev_queries.yaml.

- tools_any: at least one of these tools was called;
- numbers: every number appears in the final answer (absolute values; tolerance 1% relative
  or 1e-3 absolute, whichever is larger);
- ids: every entry appears in the answer; "a|b" means a or b (an id or a name);
- no_growth: the answer says the organism cannot grow.

On top of that a run fails when it did not finish with an answer, or when the answer verifier
flagged a number that no tool result or question contains.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from fluxagent.core.events import Thread
from fluxagent.evaluation.loader import Case
from fluxagent.llm.verify import numbers_in

REL_TOL = 0.01
ABS_TOL = 1e-3

_NO_GROWTH = re.compile(
    r"\b(no growth|cannot grow|can ?not grow|can't grow|does not grow|doesn't grow|"
    r"do not grow|don't grow|unable to grow|not able to grow|no longer grows?|"
    r"infeasible|not viable|non-viable|inviable|lethal|zero growth|"
    r"growth (rate )?(is |of |= ?|drops to |falls to )?0(\.0+)?(?![.\d]))", re.IGNORECASE)


@dataclass
class Score:
    case_id: str
    passed: bool
    failures: list[str] = field(default_factory=list)
    checks: dict[str, bool] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"case": self.case_id, "passed": self.passed, "failures": self.failures,
                "checks": self.checks}


#: The visible lines an answer carries when something was not understood or not verified.
FLAG = re.compile(r"^⚠", re.MULTILINE)


def honest_signal(thread: Thread, status: str, answer: str) -> bool:
    """The run says what it did not understand: ``unresolved`` phrases, a flag line in the
    answer, or a question to a person (a specific one: the planner names the phrase, or an
    approval the policy requires)."""
    from fluxagent.runtime.interpretation import interpretation
    _, unresolved = interpretation(thread)
    return bool(unresolved) or bool(FLAG.search(answer)) or status in (
        "waiting_for_human", "waiting_for_approval")


def number_present(expected: float, answer_numbers: list[float]) -> bool:
    target = abs(expected)
    tol = max(REL_TOL * target, ABS_TOL)
    return any(abs(a - target) <= tol for a in answer_numbers)


def id_present(entry: str, answer: str) -> bool:
    """'b0720|gltA': any alternative as a whole word (case-insensitive)."""
    for alt in (a.strip() for a in entry.split("|")):
        if alt and re.search(rf"(?<![\w]){re.escape(alt)}(?![\w])", answer, re.IGNORECASE):
            return True
    return False


def says_no_growth(answer: str) -> bool:
    return bool(_NO_GROWTH.search(answer))


def tools_called(thread: Thread, *, since: int = 0) -> list[str]:
    return [str(ev.data.get("name")) for ev in thread.events[since:] if ev.type == "tool_call"]


def unverified(thread: Thread, *, since: int = 0) -> list[str]:
    out: list[str] = []
    for ev in thread.events[since:]:
        if ev.type == "annotation" and ev.data.get("kind") == "unverified_numbers":
            out.extend(str(n) for n in ev.data.get("numbers", []))
    return out


def score(case: Case, thread: Thread, status: str, answer: str | None, *,
          since: int = 0) -> Score:
    """Score the turn of ``thread`` that starts at event ``since``."""
    s = Score(case_id=case.id, passed=True)

    def check(name: str, ok: bool, why: str) -> None:
        s.checks[name] = ok
        if not ok:
            s.failures.append(why)

    text = answer or ""
    if case.expect_unresolved:
        check("unresolved", honest_signal(thread, status, text),
              "answered without saying what it did not understand")
        s.passed = not s.failures
        return s
    check("answered", status == "done" and bool(text),
          f"no final answer (status {status})")
    if case.tools_any:
        called = tools_called(thread, since=since)
        check("tools", any(t in called for t in case.tools_any),
              f"none of {case.tools_any} called (called: {called or 'nothing'})")
    if case.numbers:
        found = [n.value for n in numbers_in(text)]
        missing = [n for n in case.numbers if not number_present(n, found)]
        check("numbers", not missing, f"numbers missing from the answer: {missing}")
    if case.ids:
        missing_ids = [i for i in case.ids if not id_present(i, text)]
        check("ids", not missing_ids, f"ids missing from the answer: {missing_ids}")
    if case.no_growth:
        check("no_growth", says_no_growth(text), "the answer does not say it cannot grow")
    flagged = unverified(thread, since=since)
    check("verified", not flagged, f"unverified numbers in the answer: {flagged}")
    s.passed = not s.failures
    return s
