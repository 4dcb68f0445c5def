"""validate_model against memote (0.17, the functions its test suite calls) on the same checks,
side by side in one run, on e_coli_core, iJO1366 and salmonella.

Per model and check: memote's functions on a freshly loaded model (inside ``with model:``, as
its suite runs each test on a fresh model) and ``REGISTRY.execute("validate_model",
{"checks": [check], ...})`` with memote's conventions (formula-less metabolites counted
unbalanced, energy cycles under memote's reset bounds), one after the other; whether both
found the same sets is recorded with each pair (``same``). Both sides get the same number of
processes (2) where they can use several. memote takes minutes per large model, so each pair
is timed once by default (FLUXAGENT_BENCH_VALIDATION_REPS); FLUXAGENT_BENCH_VALIDATION_MODELS
picks models (comma-separated). Ratios: validate_model / memote (target: at most 0.1 for the
whole set of checks).

Run: ``.venv/bin/python bench/run.py validation``.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from importlib import metadata
from pathlib import Path
from typing import Any

import cobra
import memote.support.basic as basic
import memote.support.consistency as consistency
import memote.support.consistency_helpers as con_helpers
import memote.support.helpers as helpers
import numpy as np
from cobra.flux_analysis import find_blocked_reactions

from fluxagent.config import Settings
from fluxagent.core.state import SessionState
from fluxagent.store.artifacts import ArtifactStore
from fluxagent.tools import load_all
from fluxagent.tools.cobra.quality_cycles import ENERGY_PAIRS
from fluxagent.tools.models import ModelStore
from fluxagent.tools.registry import REGISTRY, ToolContext
from fluxagent.tools.results import ToolResult

REPS = int(os.environ.get("FLUXAGENT_BENCH_VALIDATION_REPS", "1"))
MODELS = {"e_coli_core": "textbook", "iJO1366": "iJO1366", "salmonella": "salmonella"}
CHOSEN = [m for m in os.environ.get("FLUXAGENT_BENCH_VALIDATION_MODELS",
                                    ",".join(MODELS)).split(",") if m]
PROCESSES = 2


def _ids(xs: Any) -> list[str]:
    return sorted(x if isinstance(x, str) else x.id for x in xs)


def _egc(model: cobra.Model) -> list[str]:
    found = []
    for mnx, pair in zip(consistency.ENERGY_COUPLES, ENERGY_PAIRS, strict=True):
        with model:
            main = helpers.find_compartment_id_in_model(model, "c")
            try:
                helpers.find_met_in_model(model, mnx, main)
            except (ValueError, RuntimeError, IndexError):
                continue
            try:
                if consistency.detect_energy_generating_cycles(model, mnx):
                    found.append(pair[0])
            except RuntimeError:  # salmonella: MNXM15 is nh3_c and nh4_c; memote's test errors
                continue
    return sorted(found)


def _consistency(model: cobra.Model) -> list[str]:
    if consistency.check_stoichiometric_consistency(model):
        return []
    return _ids(consistency.find_unconserved_metabolites(model))


#: check -> (memote side on a model, our side from validate_model's data).
CHECKS: dict[str, tuple[Callable[[cobra.Model], Any], Callable[[dict[str, Any]], Any]]] = {
    "mass_balance": (
        lambda m: (_ids(consistency.find_mass_unbalanced_reactions(
            con_helpers.get_internals(m))), _ids(consistency.find_charge_unbalanced_reactions(
                con_helpers.get_internals(m)))),
        lambda c: (_ids(x["id"] for x in c["mass_balance"]["mass_unbalanced"]),
                   _ids(x["id"] for x in c["mass_balance"]["charge_unbalanced"]))),
    "stoichiometric_consistency": (
        _consistency, lambda c: c["stoichiometric_consistency"]["unconserved"]),
    "energy_cycles": (_egc, lambda c: sorted(x["energy"] for x in
                                             c["energy_cycles_memote"]["cycles"])),
    "balanced_cycles": (lambda m: _ids(consistency.find_stoichiometrically_balanced_cycles(m)),
                        lambda c: c["balanced_cycles"]["reactions"]),
    "dead_ends": (lambda m: (_ids(consistency.find_orphans(m)),
                             _ids(consistency.find_deadends(m)),
                             _ids(consistency.find_disconnected(m))),
                  lambda c: (c["dead_ends"]["orphan"], c["dead_ends"]["dead_end"],
                             c["dead_ends"]["disconnected"])),
    "gpr": (lambda m: sorted(set(_ids(basic.check_gene_protein_reaction_rule_presence(m)))
                             - {r.id for r in m.boundary}),
            lambda c: c["gpr"]["reactions"]),
    "blocked_open": (lambda m: _ids(find_blocked_reactions(m, open_exchanges=True,
                                                           processes=PROCESSES)),
                     lambda c: c["blocked_open"]["reactions"]),
    "metabolite_flux": (
        lambda m: (consistency.find_metabolites_not_produced_with_open_bounds(m, PROCESSES),
                   consistency.find_metabolites_not_consumed_with_open_bounds(m, PROCESSES)),
        lambda c: (c["metabolite_flux"]["not_produced"], c["metabolite_flux"]["not_consumed"])),
    "unbounded_flux": (
        lambda m: _ids(consistency.find_reactions_with_unbounded_flux_default_condition(m)[0]),
        lambda c: c["unbounded_flux"]["unbounded"]),
}


def load() -> float:
    return round(os.getloadavg()[0], 2)


def metric(name: str, xs: list[float], **extra: Any) -> dict[str, Any]:
    return {"metric": name, "unit": "s", "median": round(float(np.median(xs)), 4),
            "p95": round(float(np.percentile(xs, 95)), 4), "n": len(xs), "load_1m": load(),
            **extra}


def compare(name: str, ctx: ToolContext) -> tuple[list[dict[str, Any]], dict[str, bool]]:
    model = cobra.io.load_model(MODELS[name])
    metrics: list[dict[str, Any]] = []
    same: dict[str, bool] = {}
    total_m: list[float] = [0.0] * REPS
    total_o: list[float] = [0.0] * REPS
    REGISTRY.execute("validate_model", {"model": name, "checks": ["gpr"]}, ctx)  # load it
    for check, (mem_fn, our_fn) in CHECKS.items():
        t_mem, t_our = [], []
        for rep in range(REPS):
            start = time.perf_counter()
            with model:
                theirs = mem_fn(model)
            t_mem.append(time.perf_counter() - start)
            start = time.perf_counter()
            res = REGISTRY.execute("validate_model", {
                "model": name, "checks": [check], "formula_less": "counted",
                "energy_cycles_bounds": "memote", "sbml": "no", "processes": PROCESSES}, ctx)
            t_our.append(time.perf_counter() - start)
            if not isinstance(res, ToolResult):
                raise RuntimeError(f"validate_model failed: {res}")
            same[check] = our_fn(res.data["checks"]) == theirs
            total_m[rep] += t_mem[-1]
            total_o[rep] += t_our[-1]
        m_mem = metric(f"{name} {check}: memote", t_mem)
        m_our = metric(f"{name} {check}: validate_model", t_our, same=same[check])
        m_our |= {"ratio": round(m_our["median"] / m_mem["median"], 4),
                  "ratio_to": m_mem["metric"]}
        metrics += [m_mem, m_our]
    m_mem = metric(f"{name} all shared checks: memote", total_m)
    m_our = metric(f"{name} all shared checks: validate_model", total_o,
                   same=all(same.values()))
    metrics += [m_mem, m_our | {"ratio": round(m_our["median"] / m_mem["median"], 4),
                                "ratio_to": m_mem["metric"]}]
    return metrics, same


def run() -> dict[str, Any]:
    warnings.filterwarnings("ignore")
    load_all()
    before = load()
    started = time.perf_counter()
    metrics: list[dict[str, Any]] = []
    parity: dict[str, dict[str, bool]] = {}
    with tempfile.TemporaryDirectory(prefix="fluxagent-bench-validation-") as tmp:
        settings = Settings(data_dir=Path(tmp) / "data", processes=PROCESSES)
        ctx = ToolContext(session_id="bench", state=SessionState(session_id="bench"),
                          models=ModelStore(settings),
                          artifacts=ArtifactStore(Path(tmp) / "artifacts"), settings=settings)
        for name in CHOSEN:
            rows, parity[name] = compare(name, ctx)
            metrics += rows
    env = {"python": sys.version.split()[0], "cobra": cobra.__version__,
           "memote": metadata.version("memote"), "solver": "glpk", "cpus": os.cpu_count(),
           "load_avg_1m": f"{before} before, {load()} after",
           "minutes": round((time.perf_counter() - started) / 60, 1)}
    notes = ("Ratios: validate_model median / memote median (below 1 = faster). 'same' says "
             "whether validate_model reported the same sets as memote (mass and charge "
             "balance with formula-less metabolites counted, energy cycles under memote's "
             f"reset bounds, as memote). Parity per model: {parity}. The machine is shared: "
             "every metric records the 1-minute load average when it finished.")
    return {"metrics": metrics, "environment": env, "notes": notes}


if __name__ == "__main__":
    import json
    print(json.dumps(run(), indent=1))
