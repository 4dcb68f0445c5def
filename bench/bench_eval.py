"""The evaluation as a benchmark: pass rate and wall time of the offline planner on the dev set
(eval/dev_queries.yaml) and on the paraphrase set (eval/paraphrases.yaml).

Each set runs through the full agent (router, context, tools, verifier) with one Agent per set
(models load once per set), exactly as ``fluxagent eval`` does. Also reported: per-case
seconds, and how many dev questions the planner rates confident enough (>= 0.8) that hybrid
mode would answer them without any LLM call.

Run alone: ``.venv/bin/python bench/bench_eval.py`` (or ``bench/run.py eval``).
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEV_SET = ROOT / "eval" / "dev_queries.yaml"
PARAPHRASES = ROOT / "eval" / "paraphrases.yaml"
HYBRID_THRESHOLD = 0.8  # llm/hybrid.py's default


def _p95(xs: list[float]) -> float:
    return sorted(xs)[max(0, round(0.95 * len(xs)) - 1)]


def _confident(questions: list[str]) -> int:
    from fluxagent.core.context import Context
    from fluxagent.core.events import Thread, new_event
    from fluxagent.core.state import fold
    from fluxagent.llm.offline import OfflinePlanner

    planner = OfflinePlanner()
    n = 0
    for q in questions:
        t = Thread("bench").append(new_event("user_message", {"text": q}))
        n += planner.confidence(Context(thread=t, state=fold(t), messages=[])) >= \
            HYBRID_THRESHOLD
    return n


def run() -> dict[str, Any]:
    from fluxagent.evaluation import load_cases, run_cases

    metrics: list[dict[str, Any]] = []
    failures: dict[str, list[str]] = {}
    for label, path in (("dev set", DEV_SET), ("paraphrase set", PARAPHRASES)):
        cases = load_cases(path)
        start = time.perf_counter()
        result = run_cases(cases, decider="offline", source=str(path))
        wall = time.perf_counter() - start
        per_case = [r.seconds for r in result.runs]
        metrics += [
            {"metric": f"{label}: pass rate ({len(cases)} cases)", "unit": "%",
             "median": round(100 * result.pass_rate, 1), "n": len(cases)},
            {"metric": f"{label}: wall time, whole set", "unit": "s", "median": round(wall, 1),
             "n": 1},
            {"metric": f"{label}: seconds per case", "unit": "s",
             "median": round(statistics.median(per_case), 3), "p95": round(_p95(per_case), 3),
             "n": len(per_case)},
        ]
        failures[label] = [f"{r.case.id}: {'; '.join(r.score.failures)}" for r in result.runs
                           if not r.score.passed]
    dev = load_cases(DEV_SET)
    metrics.append({"metric": "dev questions hybrid mode answers with no LLM call "
                    f"(planner confidence >= {HYBRID_THRESHOLD})", "unit": "questions",
                    "median": _confident([c.query for c in dev]), "n": len(dev)})
    return {"metrics": metrics,
            "environment": {"cpus": os.cpu_count(), "load_avg": list(os.getloadavg()),
                            "python": sys.version.split()[0]},
            "failures": failures,
            "notes": "Offline planner through the full Agent (router, context, tools, answer "
                     "verifier), in-memory store, temporary data dir; the wall time includes "
                     "building the agent and loading each model once per set. Command for the "
                     "dev set alone: .venv/bin/fluxagent eval eval/dev_queries.yaml"}


if __name__ == "__main__":
    print(json.dumps(run(), indent=1))
