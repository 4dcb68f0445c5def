"""Fault-injection recovery benchmark (factor 9): does a session get past an error on its own?

Each session asks a dev-set question (eval/dev_queries.yaml, the e_coli_core cases)
to the real Agent (offline planner, real tools, real model) with one fault injected:

- ``wrong_id``: the decider's first call names a misspelled reaction, gene or model id;
- ``misspelled_metabolite``: its first call sets ``conditions.carbon_source`` to a typo;
- ``infeasible_medium``: its first call runs on a medium with glucose only (no N, P, O2...);
- ``malformed_args``: its first call has arguments of the wrong type;
- ``solver_timeout``: the first tool run times out (the tool layer reports a time-out);
- ``solver_error``: the first tool run fails in the solver;
- ``provider_transient``: the LLM provider fails twice before answering;
- ``provider_outage``: the provider fails on every request (cannot recover: must escalate).

Outcomes: ``recovered`` = the session ends done with an answer that passes the case's checks,
with no person involved; ``escalated`` = it waits for a person with a question that explains the
error (kind and message); anything else (failed, crashed, a wrong answer, a step limit, still
running) is ``lost``. Back-off sleeps are recorded, not slept.

Run alone: ``.venv/bin/python bench/bench_recovery.py`` (or ``bench/run.py recovery``).
"""

from __future__ import annotations

import copy
import json
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

from fluxagent.core.context import Context
from fluxagent.core.steps import Step, ToolCall
from fluxagent.llm.base import Decider, DeciderError
from fluxagent.tools.registry import Registry, ToolContext
from fluxagent.tools.results import ToolError, ToolResult

DEV_SET = Path(__file__).resolve().parents[1] / "eval" / "dev_queries.yaml"
FAULTS = ["wrong_id", "misspelled_metabolite", "infeasible_medium", "malformed_args",
          "solver_timeout", "solver_error", "provider_transient", "provider_outage"]
#: Sessions per fault; the outage, which no agent can recover from, gets fewer.
PER_FAULT = {"provider_outage": 3}
CASES_PER_FAULT = 8


def _typo(text: str) -> str:
    return text[:-1] if len(text) > 3 else text + "x"


def corrupt(fault: str, call: ToolCall) -> ToolCall:
    """The decider's first call with the fault applied to its arguments."""
    args = copy.deepcopy(call.args)
    if fault == "wrong_id":
        for key in ("reactions", "genes"):
            if isinstance(args.get(key), list) and args[key]:
                args[key][0] = _typo(str(args[key][0]))
                break
        else:
            args["model"] = "e_coli_cor"
    elif fault == "misspelled_metabolite":
        cond = dict(args.get("conditions") or {})
        cond["carbon_source"] = _typo(str(cond.get("carbon_source") or "glucose"))
        args["conditions"] = cond
    elif fault == "infeasible_medium":
        cond = dict(args.get("conditions") or {})
        cond["medium"] = {"EX_glc__D_e": 10.0}
        args["conditions"] = cond
    elif fault == "malformed_args":
        args["conditions"] = "anaerobic please"
    return call.model_copy(update={"args": args})


class FaultyDecider:
    """Wraps the real decider; injects decider-side faults."""

    def __init__(self, inner: Decider, fault: str) -> None:
        self.inner, self.fault, self.name = inner, fault, inner.name
        self.decisions = 0
        self.failures = {"provider_transient": 2, "provider_outage": 10 ** 6}.get(fault, 0)

    def next_step(self, context: Context, tools: list[dict[str, Any]]) -> Step:
        if self.failures > 0:
            self.failures -= 1
            raise DeciderError("HTTP 503 Service Unavailable from the LLM provider")
        step = self.inner.next_step(context, tools)
        self.decisions += 1
        if self.decisions == 1 and isinstance(step, ToolCall) and self.fault in (
                "wrong_id", "misspelled_metabolite", "infeasible_medium", "malformed_args"):
            return corrupt(self.fault, step)
        return step


class FaultyRegistry(Registry):
    """The real registry; the first tool run fails with a time-out or a solver error."""

    def __init__(self, base: Registry, fault: str) -> None:
        super().__init__()
        self._tools = dict(base._tools)
        self.pending = 1 if fault in ("solver_timeout", "solver_error") else 0
        self.kind = "timeout" if fault == "solver_timeout" else "solver_error"

    def execute(self, name: str, raw: dict[str, Any], ctx: ToolContext
                ) -> ToolResult | ToolError:
        if self.pending:
            self.pending -= 1
            message = ("time limit of 600 s reached" if self.kind == "timeout"
                       else "GLPK returned an undefined status (numerical trouble)")
            return ToolError.of(name, self.kind, message)  # type: ignore[arg-type]
        return super().execute(name, raw, ctx)


class Outcome:
    """One session's fate (a plain class: bench/run.py loads this file without a module)."""

    def __init__(self, fault: str, case: str, outcome: str, status: str, errors: int,
                 tool_calls: int, detail: str) -> None:
        self.fault, self.case, self.outcome, self.status = fault, case, outcome, status
        self.errors, self.tool_calls, self.detail = errors, tool_calls, detail


def classify(agent: Any, case: Any, sid: str) -> Outcome:
    from fluxagent.evaluation.scoring import score

    thread = agent.thread(sid)
    state = agent.state(sid)
    errors = [e for e in thread if e.type == "tool_error"]
    calls = sum(1 for e in thread if e.type == "tool_call")
    if state.status == "done":
        sc = score(case, thread, state.status, state.answer or "")
        outcome = "recovered" if sc.passed else "lost"
        detail = "" if sc.passed else "; ".join(sc.failures)[:200]
    elif state.status == "waiting_for_human":
        ask = next((e for e in reversed(thread) if e.type == "human_request"), None)
        question = str(ask.data.get("question", "")) if ask else ""
        explained = bool(errors) and all(
            str(errors[-1].data.get(k, "")).rstrip(".")[:40] in question
            for k in ("kind", "message"))
        outcome = "escalated" if explained else "lost"
        detail = question[:200]
    else:
        outcome, detail = "lost", state.failure or state.status
    return Outcome("", case.id, outcome, state.status, len(errors), calls, detail)


def run() -> dict[str, Any]:
    from fluxagent.agent import Agent
    from fluxagent.config import get_settings
    from fluxagent.evaluation.loader import load_cases
    from fluxagent.llm.factory import make_decider
    from fluxagent.store.memory import MemoryStore

    started = time.perf_counter()
    cases = [c for c in load_cases(DEV_SET) if c.model == "e_coli_core" and not c.turns]
    outcomes: list[Outcome] = []
    slept: list[float] = []
    with tempfile.TemporaryDirectory(prefix="fluxagent-bench-recovery-") as tmp:
        settings = get_settings().model_copy(update={"data_dir": Path(tmp)})
        agent = Agent(settings=settings, store=MemoryStore())
        base_registry, planner = agent.registry, make_decider(settings)
        agent.runner.sleep = slept.append
        for f_index, fault in enumerate(FAULTS):
            n = PER_FAULT.get(fault, CASES_PER_FAULT)
            for i in range(n):
                case = cases[(f_index * 3 + i) % len(cases)]
                agent.runner.decider = FaultyDecider(planner, fault)
                agent.runner.registry = FaultyRegistry(base_registry, fault)
                try:
                    sid = agent.ask(case.query).session_id
                    out = classify(agent, case, sid)
                except Exception as exc:  # a crash is a lost session, never a lost benchmark
                    out = Outcome("", case.id, "lost", "crashed", 0, 0,
                                  f"{type(exc).__name__}: {exc}")
                out.fault = fault
                outcomes.append(out)
    total = len(outcomes)
    counts = Counter(o.outcome for o in outcomes)
    by_fault = {f: dict(Counter(o.outcome for o in outcomes if o.fault == f)) for f in FAULTS}
    metrics = [
        {"metric": "sessions recovered on their own", "unit": "%",
         "median": round(100 * counts["recovered"] / total, 1), "n": total},
        {"metric": "sessions escalated with the error explained", "unit": "%",
         "median": round(100 * counts["escalated"] / total, 1), "n": total},
        {"metric": "sessions lost or stuck", "unit": "", "median": counts["lost"], "n": total},
    ]
    for fault in FAULTS:
        rows = [o for o in outcomes if o.fault == fault]
        metrics.append({"metric": f"recovered: {fault}", "unit": "%",
                        "median": round(100 * sum(o.outcome == "recovered" for o in rows)
                                        / len(rows), 1), "n": len(rows)})
    return {"metrics": metrics, "by_fault": by_fault,
            "lost": [o.__dict__ for o in outcomes if o.outcome == "lost"],
            "environment": {"sessions": total, "cases": len(cases),
                            "backoff_sleeps_s": round(sum(slept), 2)},
            "notes": (f"{counts['recovered']}/{total} recovered, {counts['escalated']} "
                      f"escalated with the error explained, {counts['lost']} lost. Decider: "
                      f"offline planner with injected faults. "
                      f"{time.perf_counter() - started:.0f} s.")}


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    print(json.dumps(run(), indent=1))
