"""Run evaluation cases through the full agent (decider, context, tools, verifier, store).

One ``Agent`` serves every case, so each model is loaded once; every case is its own session
in an in-memory store (follow-up cases ask their earlier ``turns`` in that session first).
"""

from __future__ import annotations

import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fluxagent.config import Settings, get_settings
from fluxagent.evaluation.loader import Case
from fluxagent.evaluation.scoring import Score, honest_signal, score, tools_called


@dataclass
class CaseRun:
    case: Case
    score: Score
    answer: str
    status: str
    tools: list[str]
    seconds: float
    session_id: str = ""
    error: str = ""
    honest: bool = False        # the run said what it did not understand

    @property
    def outcome(self) -> str:
        """pass · honest (wrong or unanswered, but it says why) · silent_wrong."""
        return "pass" if self.score.passed else "honest" if self.honest else "silent_wrong"

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.case.id, "query": self.case.query, "passed": self.score.passed,
                "failures": self.score.failures, "checks": self.score.checks,
                "status": self.status, "answer": self.answer, "tools": self.tools,
                "seconds": round(self.seconds, 3), "session_id": self.session_id,
                "error": self.error, "outcome": self.outcome,
                "category": self.case.category}


@dataclass
class EvalRun:
    decider: str
    runs: list[CaseRun] = field(default_factory=list)
    seconds: float = 0.0
    source: str = ""

    @property
    def passed(self) -> int:
        return sum(r.score.passed for r in self.runs)

    @property
    def pass_rate(self) -> float:
        return self.passed / len(self.runs) if self.runs else 0.0

    def rate(self, outcome: str) -> float:
        return sum(r.outcome == outcome for r in self.runs) / len(self.runs) if self.runs \
            else 0.0

    def by_category(self) -> dict[str, dict[str, int]]:
        out: dict[str, dict[str, int]] = {}
        for r in self.runs:
            row = out.setdefault(r.case.category or "-", {"pass": 0, "honest": 0,
                                                          "silent_wrong": 0})
            row[r.outcome] += 1
        return out

    def as_dict(self) -> dict[str, Any]:
        return {"source": self.source, "decider": self.decider, "cases": len(self.runs),
                "passed": self.passed, "pass_rate": round(self.pass_rate, 4),
                "silent_wrong_rate": round(self.rate("silent_wrong"), 4),
                "honest_failure_rate": round(self.rate("honest"), 4),
                "by_category": self.by_category(),
                "seconds": round(self.seconds, 2), "runs": [r.as_dict() for r in self.runs]}


def make_eval_agent(decider: str | None = None, *, settings: Settings | None = None,
                    data_dir: Path | None = None) -> Any:
    """An Agent with an in-memory store and the chosen decider (approval policy as configured:
    a case that needs a person's approval fails, as it would stop a user's session)."""
    from fluxagent.agent import Agent
    from fluxagent.store.memory import MemoryStore

    base = settings or get_settings()
    updates: dict[str, Any] = {}
    if decider:
        updates["llm"] = decider
    if data_dir is not None:
        updates["data_dir"] = data_dir
    # cases may name model files of the repository (model_file): the working dir is a workspace
    updates["workspaces"] = [*base.workspaces, Path.cwd()]
    s = base.model_copy(update=updates)
    return Agent(settings=s, store=MemoryStore())


def run_case(agent: Any, case: Case) -> CaseRun:
    start = time.perf_counter()
    sid: str | None = None
    since = 0
    try:
        model = str(Path(case.model_file).resolve()) if case.model_file else None
        for q in case.turns:
            sid = agent.ask(q, model=model, session_id=sid).session_id
            model = None
        if sid is not None:
            since = len(agent.thread(sid))
        state = agent.ask(case.query, model=model, session_id=sid)
        sid = state.session_id
        thread = agent.thread(sid)
    except Exception as exc:  # a crash is a failed case, never a failed evaluation
        from fluxagent.evaluation.scoring import Score
        sc = Score(case_id=case.id, passed=False,
                   failures=[f"crashed: {type(exc).__name__}: {exc}"])
        return CaseRun(case, sc, "", "crashed", [], time.perf_counter() - start, sid or "",
                       traceback.format_exc(limit=4))
    answer = state.answer or ""
    sc = score(case, thread, state.status, answer, since=since)
    return CaseRun(case, sc, answer, state.status, tools_called(thread, since=since),
                   time.perf_counter() - start, sid,
                   honest=honest_signal(thread, state.status, answer))


def run_cases(cases: list[Case], *, decider: str | None = None, agent: Any = None,
              on_case: Callable[[CaseRun], None] | None = None, source: str = "") -> EvalRun:
    """Run every case; ``agent`` defaults to a fresh evaluation agent in a temporary data dir."""
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="fluxagent-eval-") as tmp:
        if agent is None:
            agent = make_eval_agent(decider, data_dir=Path(tmp))
        name = decider or agent.settings.llm
        out = EvalRun(decider=name, source=source)
        for case in cases:
            run = run_case(agent, case)
            out.runs.append(run)
            if on_case is not None:
                on_case(run)
    out.seconds = time.perf_counter() - start
    return out
