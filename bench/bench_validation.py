"""validate_model against memote (0.17) side by side in one run, on e_coli_core, iJO1366 and
salmonella: (a) memote's functions for the shared checks against validate_model per check, and
(b) a full ``memote run`` (what a user runs) against a full ``fluxagent tools run
validate_model``, both as commands on the same SBML file.

Per model and check: memote's functions on a freshly loaded model (inside ``with model:``, as
its suite runs each test on a fresh model) and ``REGISTRY.execute("validate_model",
{"checks": [check], ...})`` with memote's conventions (formula-less metabolites counted
unbalanced, energy cycles under memote's reset bounds), one after the other; whether both
found the same sets is recorded with each pair (``same``). "all shared checks" times memote's
functions one after the other against one validate_model call with every shared check (what a
user runs: one model copy, one report). Both sides get the same number of
processes (2) where they can use several. memote's functions run with the solver time limit
``memote run`` sets (10 s, ``--solver-timeout``): without it its per-metabolite LPs do not
finish on iJO1366 (bench/results/memote_flux_profile.md). memote takes minutes per large model,
so each pair is timed once by default (FLUXAGENT_BENCH_VALIDATION_REPS; e_coli_core's pairs 7 times,
FLUXAGENT_BENCH_VALIDATION_SMALL_REPS; the full runs:
FLUXAGENT_BENCH_VALIDATION_FULL_REPS); FLUXAGENT_BENCH_VALIDATION_MODELS picks models
(comma-separated); FLUXAGENT_BENCH_VALIDATION_FULL=0 leaves out (b),
FLUXAGENT_BENCH_VALIDATION_FULL_MODELS picks the models it runs on. Ratios: validate_model /
memote (target: at most 0.1). (c) in the same run: ``essential_genes`` against cobrapy's
``single_gene_deletion`` on iJO1366 (bench_deletions' pair, 2 processes each, alternating;
FLUXAGENT_BENCH_VALIDATION_ESSENTIAL=0 leaves it out, FLUXAGENT_BENCH_VALIDATION_ESSENTIAL_REPS
sets its repeats, default 1).

Run: ``.venv/bin/python bench/run.py validation``.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from importlib import metadata
from pathlib import Path
from types import ModuleType
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
#: e_coli_core takes seconds: its pairs are repeated and compared by median.
SMALL_REPS = int(os.environ.get("FLUXAGENT_BENCH_VALIDATION_SMALL_REPS", "7"))
MODELS = {"e_coli_core": "textbook", "iJO1366": "iJO1366", "salmonella": "salmonella"}
CHOSEN = [m for m in os.environ.get("FLUXAGENT_BENCH_VALIDATION_MODELS",
                                    ",".join(MODELS)).split(",") if m]
PROCESSES = 2
FULL = os.environ.get("FLUXAGENT_BENCH_VALIDATION_FULL", "1") != "0"
#: The models whose full runs (b) are timed (salmonella's memote run alone takes ~40 min).
FULL_MODELS = [m for m in os.environ.get("FLUXAGENT_BENCH_VALIDATION_FULL_MODELS",
                                         ",".join(MODELS)).split(",") if m]
FULL_REPS = int(os.environ.get("FLUXAGENT_BENCH_VALIDATION_FULL_REPS", "1"))
#: memote run's default solver time limit (memote.suite.api.test_model).
SOLVER_TIMEOUT_S = 10
BIN = Path(sys.executable).parent
ESSENTIAL = os.environ.get("FLUXAGENT_BENCH_VALIDATION_ESSENTIAL", "1") != "0"
ESSENTIAL_REPS = int(os.environ.get("FLUXAGENT_BENCH_VALIDATION_ESSENTIAL_REPS", "1"))


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
    row = {"metric": name, "unit": "s", "median": round(float(np.median(xs)), 4),
           "p95": round(float(np.percentile(xs, 95)), 4), "n": len(xs), "load_1m": load(),
           **extra}
    print(f"validation: {name}: {row['median']} s (load {row['load_1m']})", file=sys.stderr,
          flush=True)  # a long run shows its rows as they come
    return row


def compare(name: str, ctx: ToolContext) -> tuple[list[dict[str, Any]], dict[str, bool]]:
    model = cobra.io.load_model(MODELS[name])
    model.solver.configuration.timeout = SOLVER_TIMEOUT_S  # as memote run sets it
    metrics: list[dict[str, Any]] = []
    same: dict[str, bool] = {}
    reps = SMALL_REPS if name == "e_coli_core" else REPS
    total_m: list[float] = [0.0] * reps
    total_o: list[float] = [0.0] * reps
    REGISTRY.execute("validate_model", {"model": name, "checks": ["gpr"]}, ctx)  # load it
    for check, (mem_fn, our_fn) in CHECKS.items():
        t_mem, t_our = [], []
        for rep in range(reps):
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
        m_mem = metric(f"{name} {check}: memote", t_mem)
        m_our = metric(f"{name} {check}: validate_model", t_our, same=same[check])
        m_our |= {"ratio": round(m_our["median"] / m_mem["median"], 4),
                  "ratio_to": m_mem["metric"]}
        metrics += [m_mem, m_our]
    # what a user runs: one validate_model call with every shared check (one report), timed
    # against memote's functions one after the other
    for rep in range(reps):
        start = time.perf_counter()
        res = REGISTRY.execute("validate_model", {
            "model": name, "checks": list(CHECKS), "formula_less": "counted",
            "energy_cycles_bounds": "memote", "sbml": "no", "processes": PROCESSES}, ctx)
        total_o[rep] = time.perf_counter() - start
        if not isinstance(res, ToolResult):
            raise RuntimeError(f"validate_model failed: {res}")
    m_mem = metric(f"{name} all shared checks: memote", total_m)
    m_our = metric(f"{name} all shared checks: validate_model (one call)", total_o,
                   same=all(same.values()))
    metrics += [m_mem, m_our | {"ratio": round(m_our["median"] / m_mem["median"], 4),
                                "ratio_to": m_mem["metric"]}]
    return metrics, same


def _timed(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)
    took = time.perf_counter() - start
    if proc.returncode not in (0, 1):  # memote run exits 1 when a test of its suite fails
        raise RuntimeError(f"{' '.join(cmd)} exited {proc.returncode}:\n{proc.stderr[-3000:]}")
    return took


def full_runs(name: str, tmp: Path) -> list[dict[str, Any]]:
    """``memote run`` on the model's SBML file and ``fluxagent tools run validate_model`` (every
    check, defaults) on the bundled model of that name, each a fresh command, in turn."""
    sbml = tmp / f"{name}.xml"
    cobra.io.write_sbml_model(cobra.io.load_model(MODELS[name]), str(sbml))
    env = dict(os.environ, DISABLE_PANDERA_IMPORT_WARNING="True")
    t_mem, t_our = [], []
    for rep in range(FULL_REPS):
        t_mem.append(_timed([str(BIN / "memote"), "run", "--ignore-git", "--solver-timeout",
                             str(SOLVER_TIMEOUT_S), "--filename", str(tmp / f"{name}.json"),
                             str(sbml)], env))
        ours_env = env | {"FLUXAGENT_DATA_DIR": str(tmp / f"data-{name}-{rep}"),
                          "FLUXAGENT_PROCESSES": str(PROCESSES)}
        t_our.append(_timed([str(BIN / "fluxagent"), "tools", "run", "validate_model",
                             "--model", name, "--json"], ours_env))
    m_mem = metric(f"{name} full run: memote run", t_mem)
    m_our = metric(f"{name} full run: fluxagent tools run validate_model", t_our)
    return [m_mem, m_our | {"ratio": round(m_our["median"] / m_mem["median"], 4),
                            "ratio_to": m_mem["metric"]}]


def _deletions() -> ModuleType:
    """bench_deletions, loaded by path (run.py loads benchmarks as files, not a package)."""
    spec = importlib.util.spec_from_file_location(
        "fluxagent_bench_deletions_pair", Path(__file__).with_name("bench_deletions.py"))
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def essential(ctx: ToolContext) -> list[dict[str, Any]]:
    """essential_genes vs single_gene_deletion on iJO1366, alternating which goes first."""
    dels = _deletions()
    base = ctx.models.base("iJO1366").model
    dels._ours(ctx, "iJO1366")  # warm: the store prepares the model once
    t_ours, t_theirs, worst, same, lps, genes = [], [], 0.0, True, 0, 0
    for rep in range(ESSENTIAL_REPS):
        fresh = base.copy()
        if rep % 2 == 0:
            mine, theirs = dels._ours(ctx, "iJO1366"), dels._cobrapy(fresh)
        else:
            theirs = dels._cobrapy(fresh)
            mine = dels._ours(ctx, "iJO1366")
        t_ours.append(mine[0])
        t_theirs.append(theirs[0])
        diff, equal = dels._compare(mine[1], theirs[1], theirs[2])
        worst, same = max(worst, diff), same and equal
        lps, genes = int(mine[1].data["lps"]), int(mine[1].data["screened"])
    label = f"essential genes iJO1366, all {genes} genes, {PROCESSES} processes"
    m_theirs = metric(f"{label}: cobrapy single_gene_deletion", t_theirs, lps=genes)
    m_ours = metric(f"{label}: registry essential_genes", t_ours, lps=lps,
                    max_abs_growth_diff=worst, identical_essential_sets=same)
    return [m_theirs, m_ours | {"ratio": round(m_ours["median"] / m_theirs["median"], 4),
                                "ratio_to": m_theirs["metric"]}]


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
            if FULL and name in FULL_MODELS:
                metrics += full_runs(name, Path(tmp))
        if ESSENTIAL:
            metrics += essential(ctx)
    env = {"python": sys.version.split()[0], "cobra": cobra.__version__,
           "memote": metadata.version("memote"), "solver": "glpk", "cpus": os.cpu_count(),
           "load_avg_1m": f"{before} before, {load()} after",
           "minutes": round((time.perf_counter() - started) / 60, 1)}
    notes = ("Ratios: validate_model median / memote median (below 1 = faster). 'same' says "
             "whether validate_model reported the same sets as memote (mass and charge "
             "balance with formula-less metabolites counted, energy cycles under memote's "
             "reset bounds, as memote); memote's functions run under memote run's 10 s "
             "solver time limit. 'full run': `memote run --ignore-git --solver-timeout 10` "
             "on the model written as SBML by cobrapy against `fluxagent tools run validate_model "
             "--model NAME --json` on the bundled model (every check, 2 processes), each a "
             "fresh command with its start-up and model loading. "
             f"Parity per model: {parity}. The machine is shared: "
             "every metric records the 1-minute load average when it finished.")
    return {"metrics": metrics, "environment": env, "notes": notes}


if __name__ == "__main__":
    import json
    print(json.dumps(run(), indent=1))
