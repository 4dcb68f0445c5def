"""Entity linking for the planner: ``linking.classify(model, token)`` on iJO1366.

- index build: the per-model tables (ids, names, annotations, cross-references) of a freshly
  loaded iJO1366, built from scratch (``linking.index.build``).
- first unknown token: ``classify`` of a token the model does not know reads the ModelSEED
  BiGG alias tables, once per process (caches cleared before each repetition).
- link, deep bridge: ``link`` of a mention nobody knows also reads the ModelSEED names (270k),
  once per process; ``classify`` never does.
- classify, cold: each distinct token of the development questions (eval/dev_queries.yaml and
  eval/paraphrases.yaml), index and bridge already loaded, the token not asked before.
- classify, warm: the same tokens asked again (one dict lookup each).
- CPU time (``time.process_time``) is recorded beside the wall time of the one-off costs:
  on a loaded shared machine the wall time is several times the work.
- mentions: ``linking.mentions`` over each whole development question (spans of up to five
  words, longest first), cold (answers cache cleared) and warm.

Run: ``.venv/bin/python bench/run.py linking``.
"""

from __future__ import annotations

import contextlib
import os
import re
import statistics
import time
from pathlib import Path
from typing import Any

import cobra
import yaml

from fluxagent.tools.linking import classify, link, mentions
from fluxagent.tools.linking.index import build, index
from fluxagent.tools.modelseed import bridge
from fluxagent.tools.results import ToolFailure

ROOT = Path(__file__).resolve().parents[1]


def _questions() -> list[str]:
    out: list[str] = []
    for name in ("dev_queries.yaml", "paraphrases.yaml"):
        path = ROOT / "eval" / name
        if path.is_file():
            out.extend(str(c.get("query", "")) for c in yaml.safe_load(path.read_text()) or []
                       if isinstance(c, dict))
    return [q for q in out if q]


def _tokens() -> list[str]:
    out: list[str] = []
    for name in ("dev_queries.yaml", "paraphrases.yaml"):
        path = ROOT / "eval" / name
        if path.is_file():
            for case in yaml.safe_load(path.read_text()) or []:
                text = case.get("query", "") if isinstance(case, dict) else ""
                out.extend(re.findall(r"[\w.+-]+", text))
    return list(dict.fromkeys(t.strip(".,") for t in out if t.strip(".,")))


def _stats(metric: str, samples: list[float], unit: str = "ms") -> dict[str, Any]:
    ordered = sorted(samples)
    return {"metric": metric, "unit": unit, "median": round(statistics.median(ordered), 4),
            "p95": round(ordered[int(0.95 * (len(ordered) - 1))], 4), "n": len(ordered)}


def _clear_bridge() -> None:
    for fn in (bridge._maps, bridge._folded, bridge._xrefs, bridge._names, bridge._ecs):
        fn.cache_clear()


def run() -> dict[str, Any]:
    reps = int(os.environ.get("FLUXAGENT_BENCH_LINK_REPS", "5"))
    model = cobra.io.load_model("iJO1366")
    tokens = _tokens()
    builds, builds_cpu = [], []
    for _ in range(reps):
        t, c = time.perf_counter(), time.process_time()
        build(model)
        builds.append((time.perf_counter() - t) * 1000)
        builds_cpu.append((time.process_time() - c) * 1000)
    ix = index(model)
    loads, loads_cpu = [], []
    for _ in range(reps):
        _clear_bridge()
        ix.classified.clear()
        t, c = time.perf_counter(), time.process_time()
        classify(model, "notaname")
        loads.append((time.perf_counter() - t) * 1000)
        loads_cpu.append((time.process_time() - c) * 1000)
    deep, deep_cpu = [], []
    for _ in range(reps):
        _clear_bridge()
        t, c = time.perf_counter(), time.process_time()
        with contextlib.suppress(ToolFailure):
            link(model, "notaname", "reaction")
        deep.append((time.perf_counter() - t) * 1000)
        deep_cpu.append((time.process_time() - c) * 1000)
    cold: list[float] = []
    warm: list[float] = []
    for _ in range(reps):
        ix.classified.clear()
        for tok in tokens:
            t = time.perf_counter()
            classify(model, tok)
            cold.append((time.perf_counter() - t) * 1000)
        for tok in tokens:
            t = time.perf_counter()
            classify(model, tok)
            warm.append((time.perf_counter() - t) * 1000)
    known = sum(bool(classify(model, tok)) for tok in tokens)
    questions = _questions()
    scan_cold: list[float] = []
    scan_warm: list[float] = []
    for _ in range(reps):
        ix.classified.clear()
        for q in questions:
            t = time.perf_counter()
            mentions(model, q)
            scan_cold.append((time.perf_counter() - t) * 1000)
        for q in questions:
            t = time.perf_counter()
            mentions(model, q)
            scan_warm.append((time.perf_counter() - t) * 1000)
    metrics = [_stats("iJO1366 linking index build", builds),
               _stats("iJO1366 linking index build, CPU time", builds_cpu),
               _stats("classify, first unknown token (BiGG alias tables, once per process)",
                      loads),
               _stats("classify, first unknown token, CPU time", loads_cpu),
               _stats("link, first unknown mention (all bridge tables, once per process)",
                      deep),
               _stats("link, first unknown mention, CPU time", deep_cpu),
               _stats("classify one token, cold (index built)", cold),
               _stats("classify one token, warm", warm),
               _stats("mentions in one question, cold", scan_cold),
               _stats("mentions in one question, warm", scan_warm)]
    return {"metrics": metrics, "environment": {
        "load_1m": round(os.getloadavg()[0], 2), "cobra": cobra.__version__},
        "notes": f"{len(tokens)} distinct tokens of {len(questions)} development questions, "
                 f"{known} name something in iJO1366; times are wall clock on a shared "
                 "machine (see load_1m)"}


if __name__ == "__main__":
    import json

    print(json.dumps(run(), indent=1))
