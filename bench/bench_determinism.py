"""What reproducible fluxes cost: FBA from the previous basis (warm) against the standard basis.

Since issue 11 every LP whose flux vector is reported starts cold (``tools/solver.py``), so the
vector is the one a fresh process's ``model.optimize()`` returns. Side by side on one pooled
model (ModelStore), calls alternating so load swings hit all alike:

- ``slim_optimize`` warm (what run_fba did before, in its best case: the same LP solved just
  before, so the basis is already optimal) and cold (``glp_std_basis`` first), with their
  ratio. Before, a warm solve after other work on the instance cost anything in between;
- the registry's ``run_fba`` as it is now (cold start, ToolResult, provenance, and the FVA at
  100% of the optimum on the exchanges the summary names: ``flux_ranges``/``nonunique``), and
  the same with one asked reaction (``reactions=["FRD2"]``), against the cold solve alone;
- ``flux_ranges`` alone (the FVA on the named fluxes after the cold solve);
- ``run_fba`` on an LP never solved before in the process (a new oxygen bound each call: a
  true cold solve plus the ranges), against the same LP asked again (the remembered optimal
  basis and ranges, ``tools/solver.py``).

The machine is shared: every metric carries the 1-minute load average at its end; compare
medians and ratios. Repetitions: FLUXAGENT_BENCH_DET_REPS (default 15; a third on iJO1366,
at least 5).

Run: ``.venv/bin/python bench/run.py determinism``.
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import swiglpk

from fluxagent.config import Settings
from fluxagent.core.state import SessionState
from fluxagent.tools import load_all
from fluxagent.tools.cobra import fva_engine
from fluxagent.tools.cobra.fba import named_exchanges, solution_fluxes
from fluxagent.tools.cobra.fva_engine import flux_ranges
from fluxagent.tools.models import ModelStore
from fluxagent.tools.registry import REGISTRY, ToolContext
from fluxagent.tools.results import ToolResult
from fluxagent.tools.solver import optimize

REPS = int(os.environ.get("FLUXAGENT_BENCH_DET_REPS", "15"))


def load() -> float:
    return round(os.getloadavg()[0], 2)


def stats(name: str, samples_s: list[float], **extra: Any) -> dict[str, Any]:
    xs = np.array(samples_s) * 1000.0
    return {"metric": name, "unit": "ms", "median": round(float(np.median(xs)), 3),
            "p95": round(float(np.percentile(xs, 95)), 3), "n": len(samples_s),
            "load_1m": load(), **extra}


def ratio(metric: dict[str, Any], base: dict[str, Any]) -> dict[str, Any]:
    return {**metric, "ratio": round(metric["median"] / base["median"], 3),
            "ratio_to": base["metric"]}


def interleaved(fns: list[Callable[[], object]], reps: int) -> list[list[float]]:
    out: list[list[float]] = [[] for _ in fns]
    for r in range(reps):
        order = list(range(len(fns)))
        order = order[r % len(order):] + order[:r % len(order)]
        for i in order:
            start = time.perf_counter()
            fns[i]()
            out[i].append(time.perf_counter() - start)
    return out


def metrics_for(name: str, reps: int, store: ModelStore, ctx: ToolContext
                ) -> list[dict[str, Any]]:
    model = store.build(name, SessionState(session_id="bench"))
    problem = model.solver.problem
    exchanges = [r.id for r in model.exchanges]

    def warm() -> None:  # the same LP solved just before: the old run_fba's best case
        model.slim_optimize()
        start = time.perf_counter()
        model.slim_optimize()
        warm_box.append(time.perf_counter() - start)

    def cold() -> None:
        swiglpk.glp_std_basis(problem)
        model.slim_optimize()

    def ranges() -> None:
        with model:
            optimize(model, cold=True)
            fluxes = solution_fluxes(model)
            up, out = named_exchanges({k: fluxes[k] for k in exchanges})
            fva_engine._RANGES.clear()  # the FVA itself, not the remembered answer
            start = time.perf_counter()
            flux_ranges(model, [k for k, _ in up + out], fluxes)
            box.append(time.perf_counter() - start)

    def tool(extra: dict[str, Any]) -> Callable[[], None]:
        def call() -> None:
            res = REGISTRY.execute("run_fba", {"model": name, **extra}, ctx)
            assert isinstance(res, ToolResult), res
        return call

    new_lp = iter(range(10_000))

    def tool_new() -> None:
        bound = 900.0 - next(new_lp)  # an open oxygen bound: a new LP, the same optimum
        res = REGISTRY.execute("run_fba", {"model": name, "conditions": {
            "bounds": {"EX_o2_e": [-bound, 1000.0]}}}, ctx)
        assert isinstance(res, ToolResult), res

    box: list[float] = []
    warm_box: list[float] = []
    warm()
    warm_box.clear()
    _, t_cold, _, t_tool, t_asked, t_new = interleaved(
        [warm, cold, ranges, tool({}), tool({"reactions": ["PGI"]}), tool_new], reps)
    m_warm = stats(f"FBA {name}: LP warm from the same LP's optimal basis (before, best "
                   "case)", warm_box)
    m_cold = ratio(stats(f"FBA {name}: LP from the standard basis (cold, now)", t_cold), m_warm)
    m_ranges = ratio(stats(f"FBA {name}: FVA at 100% on the summary's exchanges "
                           "(flux_ranges)", box), m_cold)
    m_new = ratio(stats(f"FBA {name}: registry run_fba, LP new to the process (cold solve + "
                        "flux_ranges + ToolResult)", t_new), m_cold)
    m_tool = ratio(stats(f"FBA {name}: registry run_fba, same LP again (remembered basis "
                         "and ranges)", t_tool), m_warm)
    m_asked = ratio(stats(f"FBA {name}: registry run_fba with reactions=[PGI], same LP again",
                          t_asked), m_warm)
    return [m_warm, m_cold, m_ranges, m_new, m_tool, m_asked]


def run() -> dict[str, Any]:
    load_all()
    settings = Settings(data_dir=Path(tempfile.gettempdir()) / f"fluxagent-bench-{os.getuid()}")
    store = ModelStore(settings)
    ctx = ToolContext(session_id="bench", state=SessionState(session_id="bench"),
                      models=store, settings=settings)
    metrics = [*metrics_for("e_coli_core", REPS, store, ctx),
               *metrics_for("iJO1366", max(5, REPS // 3), store, ctx)]
    return {"metrics": metrics,
            "environment": {"cpus": os.cpu_count(), "load_1m_start": load()},
            "notes": "warm = the old run_fba (vector depends on what ran before on the pooled "
                     "instance); cold = now (vector of a fresh process's model.optimize()). "
                     "The machine is shared by several sessions; see load_1m."}
