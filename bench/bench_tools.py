"""The toolset against cobrapy called directly, side by side in one run.

- FBA: ``REGISTRY.execute("run_fba", ...)`` with a real ToolContext (ModelStore, artifact
  store) against ``model.optimize()`` (cobrapy's Solution with fluxes, the same information)
  and ``model.slim_optimize()`` (objective value only) on an already-loaded model, for
  e_coli_core and iJO1366. Calls alternate between the three, so load swings hit all alike.
- FVA of all 2583 reactions of iJO1366 through the registry (``run_fva``) against
  ``cobra.flux_analysis.flux_variability_analysis`` with the same solver (GLPK), at 100% and
  90% of the optimum, with 1 and 2 processes; the two alternate (which goes first flips every
  repetition); cobrapy gets a fresh copy of the model each run (copied outside the timing).
  The largest difference between the two answers is recorded with each pair.
- Model load: iJO1366 parsed from SBML (``cobra.io.read_sbml_model``) against a fresh
  ModelStore's pickle cache (content hash of the SBML file, then unpickling).

The machine is shared: every metric carries the 1-minute load average at its end, medians are
what to compare. Repetitions: FLUXAGENT_BENCH_FVA_REPS (default 3), FLUXAGENT_BENCH_FBA_REPS
(default 60 on e_coli_core, a third of that on iJO1366).

Run: ``.venv/bin/python bench/run.py tools``.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from importlib import metadata, resources
from pathlib import Path
from typing import Any

import cobra
import numpy as np
from cobra.flux_analysis import flux_variability_analysis

from fluxagent.config import Settings
from fluxagent.core.state import SessionState
from fluxagent.store.artifacts import ArtifactStore
from fluxagent.tools import load_all
from fluxagent.tools.models import ModelStore
from fluxagent.tools.registry import REGISTRY, ToolContext
from fluxagent.tools.results import ToolResult

FVA_REPS = int(os.environ.get("FLUXAGENT_BENCH_FVA_REPS", "3"))
FBA_REPS = int(os.environ.get("FLUXAGENT_BENCH_FBA_REPS", "60"))
LOAD_REPS = 5


def load() -> float:
    return round(os.getloadavg()[0], 2)


def stats(name: str, samples_s: list[float], unit: str = "ms", **extra: Any) -> dict[str, Any]:
    scale = 1000.0 if unit == "ms" else 1.0
    xs = np.array(samples_s) * scale
    return {"metric": name, "unit": unit, "median": round(float(np.median(xs)), 4),
            "p95": round(float(np.percentile(xs, 95)), 4), "n": len(samples_s),
            "load_1m": load(), **extra}


def ratio(metric: dict[str, Any], base: dict[str, Any]) -> dict[str, Any]:
    return {**metric, "ratio": round(metric["median"] / base["median"], 3),
            "ratio_to": base["metric"]}


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def interleaved(fns: list[Callable[[], object]], reps: int) -> list[list[float]]:
    """Time each function ``reps`` times, rotating which goes first."""
    out: list[list[float]] = [[] for _ in fns]
    for r in range(reps):
        order = list(range(len(fns)))
        order = order[r % len(order):] + order[:r % len(order)]
        for i in order:
            out[i].append(timed(fns[i]))
    return out


def execute(name: str, args: dict[str, Any], ctx: ToolContext) -> ToolResult:
    out = REGISTRY.execute(name, args, ctx)
    if not isinstance(out, ToolResult):
        raise RuntimeError(f"{name} failed: {out}")
    return out


def fba_metrics(store: ModelStore, ctx: ToolContext) -> list[dict[str, Any]]:
    metrics = []
    for name, reps in (("e_coli_core", FBA_REPS), ("iJO1366", max(10, FBA_REPS // 3))):
        model = store.base(name).model.copy()
        args = {"model": name}
        for _ in range(3):  # warm: the store lends a prepared instance, the bases are optimal
            execute("run_fba", args, ctx)
            model.optimize()
        res = execute("run_fba", args, ctx)
        assert abs(res.data["objective_value"] - model.slim_optimize()) < 1e-9
        call: Callable[[], object] = partial(execute, "run_fba", args, ctx)
        reg, opt, slim = interleaved([call, model.optimize, model.slim_optimize], reps)
        m_opt = stats(f"FBA {name}: cobrapy model.optimize()", opt)
        m_slim = stats(f"FBA {name}: cobrapy model.slim_optimize()", slim)
        m_reg = ratio(stats(f"FBA {name}: registry run_fba (ToolResult, provenance)", reg),
                      m_opt)
        m_reg["ratio_to_slim_optimize"] = round(m_reg["median"] / m_slim["median"], 3)
        metrics += [m_opt, m_slim, m_reg]
    return metrics


def fba_breakdown(store: ModelStore, ctx: ToolContext) -> dict[str, float]:
    """Median ms of the parts of run_fba on iJO1366 beyond the solve (where the time goes)."""
    from fluxagent.tools.cobra.fba import flux_tables, solution_fluxes
    from fluxagent.tools.conditions import medium_of
    from fluxagent.tools.models import fingerprint
    from fluxagent.tools.provenance import provenance

    model = ctx.model("iJO1366")
    with model:
        model.slim_optimize()
        fluxes = solution_fluxes(model)
        parts: dict[str, Callable[[], object]] = {
            "solve (slim_optimize, incl. optlang re-scaling)": model.slim_optimize,
            "fluxes": lambda: solution_fluxes(model),
            "flux and exchange tables": lambda: flux_tables(model, fluxes),
            "medium": lambda: medium_of(model),
            "provenance": lambda: provenance(model),
            "lent-model fingerprint (ModelStore reuse check)": lambda: fingerprint(model),
        }
        out = {k: round(float(np.median([timed(fn) for _ in range(20)])) * 1000, 2)
               for k, fn in parts.items()}
    return out


def _ours(box: dict[str, Any], ctx: ToolContext) -> None:
    box["ours"] = execute("run_fva", box["args"], ctx)


def _theirs(box: dict[str, Any]) -> None:
    box["ref"] = flux_variability_analysis(box["fresh"], fraction_of_optimum=box["fraction"],
                                           processes=box["procs"])


def fva_metrics(store: ModelStore, ctx: ToolContext) -> tuple[list[dict[str, Any]],
                                                              dict[str, Any]]:
    base = store.base("iJO1366").model
    metrics: list[dict[str, Any]] = []
    facts: dict[str, Any] = {}
    for fraction in (1.0, 0.9):
        for procs in (1, 2):
            args = {"model": "iJO1366", "fraction_of_optimum": fraction, "processes": procs}
            ours_s: list[float] = []
            theirs_s: list[float] = []
            diff = 0.0
            for rep in range(FVA_REPS):
                box: dict[str, Any] = {"fresh": base.copy(), "args": args,
                                       "fraction": fraction, "procs": procs}
                pair = [(lambda b=box: _ours(b, ctx), ours_s),
                        (lambda b=box: _theirs(b), theirs_s)]
                for fn, sink in (pair if rep % 2 == 0 else pair[::-1]):
                    sink.append(timed(fn))
                ref = box["ref"]
                for row in box["ours"].data["ranges"]:
                    diff = max(diff, abs(row["minimum"] - ref.at[row["id"], "minimum"]),
                               abs(row["maximum"] - ref.at[row["id"], "maximum"]))
            label = f"FVA iJO1366 all reactions, {fraction:.0%} of optimum, {procs} process"
            label += "es" if procs > 1 else ""
            m_ref = stats(f"{label}: cobrapy", theirs_s, unit="s")
            m_ours = ratio(stats(f"{label}: registry run_fva", ours_s, unit="s",
                                 max_abs_diff=float(f"{diff:.3g}")), m_ref)
            metrics += [m_ref, m_ours]
            facts[f"f{fraction}_p{procs}_max_abs_diff"] = float(f"{diff:.3g}")
    messages: list[str] = []
    counting = ToolContext(session_id="bench", state=ctx.state, models=ctx.models,
                           settings=ctx.settings,
                           progress=lambda fraction, message: messages.append(message))
    execute("run_fva", {"model": "iJO1366", "processes": 1}, counting)
    facts["plan"] = messages[0]  # "FVA: 2583 reactions, N LPs, ..." (cobrapy: 5166 LPs)
    return metrics, facts


def load_metrics(settings: Settings) -> list[dict[str, Any]]:
    sbml = Path(str(resources.files("cobra.data") / "iJO1366.xml.gz"))
    ModelStore(settings).base("iJO1366")  # the cache exists from here on
    parse, cached = interleaved([lambda: cobra.io.read_sbml_model(str(sbml)),
                                 lambda: ModelStore(settings).base("iJO1366")], LOAD_REPS)
    m_sbml = stats("load iJO1366: SBML (cobra.io.read_sbml_model)", parse, unit="s")
    m_pkl = ratio(stats("load iJO1366: ModelStore pickle cache (fresh store)", cached,
                        unit="s"), m_sbml)
    return [m_sbml, m_pkl]


def run() -> dict[str, Any]:
    load_all()
    before = load()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="fluxagent-bench-tools-") as tmp:
        settings = Settings(data_dir=Path(tmp) / "data", processes=2)
        store = ModelStore(settings)
        ctx = ToolContext(session_id="bench", state=SessionState(session_id="bench"),
                          models=store, artifacts=ArtifactStore(Path(tmp) / "artifacts"),
                          settings=settings)
        metrics = load_metrics(settings)
        metrics += fba_metrics(store, ctx)
        breakdown = fba_breakdown(store, ctx)
        fva, facts = fva_metrics(store, ctx)
        metrics += fva
    env = {"python": sys.version.split()[0], "cobra": cobra.__version__,
           "optlang": metadata.version("optlang"), "swiglpk": metadata.version("swiglpk"),
           "solver": "glpk", "cpus": os.cpu_count(),
           "load_avg_1m": f"{before} before, {load()} after",
           "minutes": round((time.perf_counter() - started) / 60, 1)}
    notes = ("Ratios: registry median / cobrapy median (below 1 = faster than cobrapy). "
             "FBA registry rows also carry ratio_to_slim_optimize (objective value only, no "
             "fluxes). FVA rows carry max_abs_diff, the largest |registry - cobrapy| over all "
             f"2583 minima and maxima and all repetitions ({facts}); at 90% the largest is "
             "the maximum of COBALT2tex, which fluxagent takes from the LP of EX_cobalt2_e "
             "(one chain, equal and opposite fluxes): that LP stops 8.8e-7 short of the exact "
             "rational optimum (glp_exact) within GLPK's optimality tolerance, in cobrapy too, "
             "whose separate LP for COBALT2tex lands on the exact value, so cobrapy's two "
             "ends of the chain differ by 8.8e-7. Parts of run_fba on iJO1366, median "
             f"ms: {breakdown}. Every metric records the 1-minute load average when it "
             "finished (load_1m); the machine is shared.")
    return {"metrics": metrics, "environment": env, "notes": notes}


if __name__ == "__main__":
    import json

    print(json.dumps(run(), indent=1))
