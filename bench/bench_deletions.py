"""Gene essentiality against cobrapy, side by side in one run.

``essential_genes`` on iJO1366 through the registry (a real ToolContext: ModelStore, artifact
store) against ``cobra.flux_analysis.single_gene_deletion`` on the same model, the same 1367
genes and the same number of processes (2), with GLPK; the two alternate (which goes first
flips every repetition) and cobrapy gets a fresh copy of the model each run (copied outside
the timing). Each pair records the largest growth difference over all genes and whether the
essential-gene sets are identical; the LP count shows where the time went (cobrapy: one LP
per gene).

The machine is shared: every metric carries the 1-minute load average at its end, medians are
what to compare. Repetitions: FLUXAGENT_BENCH_DELETION_REPS (default 3). Then one run each on
e_coli_core, iJO1366 and salmonella, aerobic and anaerobic, for the agreement (same essential
genes, largest growth difference; FLUXAGENT_BENCH_DELETION_AGREEMENT=0 skips it).

Run: ``.venv/bin/python bench/run.py deletions``.
"""

from __future__ import annotations

import csv
import io
import math
import os
import tempfile
import time
from importlib import metadata
from pathlib import Path
from typing import Any

import cobra
import numpy as np
from cobra.flux_analysis import single_gene_deletion

from fluxagent.config import Settings
from fluxagent.core.state import SessionState
from fluxagent.store.artifacts import ArtifactStore
from fluxagent.tools import load_all
from fluxagent.tools.models import ModelStore
from fluxagent.tools.registry import REGISTRY, ToolContext
from fluxagent.tools.results import ToolResult

REPS = int(os.environ.get("FLUXAGENT_BENCH_DELETION_REPS", "3"))
#: Also compare once on every bundled model with and without oxygen (0 to skip).
AGREEMENT = os.environ.get("FLUXAGENT_BENCH_DELETION_AGREEMENT", "1") != "0"
PROCESSES = 2
MODEL = "iJO1366"


def _load() -> float:
    return round(os.getloadavg()[0], 2)


def _stats(name: str, samples: list[float], **extra: Any) -> dict[str, Any]:
    xs = np.array(samples)
    return {"metric": name, "unit": "s", "median": round(float(np.median(xs)), 4),
            "p95": round(float(np.percentile(xs, 95)), 4), "n": len(samples),
            "load_1m": _load(), **extra}


def _ours(ctx: ToolContext, name: str = MODEL, oxygen: bool = True,
          ) -> tuple[float, ToolResult]:
    args: dict[str, Any] = {"model": name, "processes": PROCESSES}
    if not oxygen:
        args["conditions"] = {"oxygen": False}
    start = time.perf_counter()
    out = REGISTRY.execute("essential_genes", args, ctx)
    elapsed = time.perf_counter() - start
    if not isinstance(out, ToolResult):
        raise RuntimeError(f"essential_genes failed: {out}")
    return elapsed, out


def _cobrapy(model: cobra.Model) -> tuple[float, dict[str, float], float]:
    start = time.perf_counter()
    frame = single_gene_deletion(model, processes=PROCESSES)
    elapsed = time.perf_counter() - start
    growth = {}
    for ids, value, status in zip(frame["ids"], frame["growth"], frame["status"],
                                  strict=True):
        ok = status == "optimal" and not math.isnan(value)
        growth[next(iter(ids))] = value if ok and abs(value) > 1e-9 else 0.0
    return elapsed, growth, model.slim_optimize()


def _compare(res: ToolResult, want: dict[str, float], wild: float) -> tuple[float, bool]:
    rows = csv.DictReader(io.StringIO(Path(res.artifacts[0].path).read_text()))
    got = {r["id"]: float(r["growth"]) for r in rows}
    worst = max(abs(got[g] - want[g]) for g in want) if set(got) == set(want) else math.inf
    essential = {g for g, w in want.items() if w < 0.01 * wild}
    return worst, {g["id"] for g in res.data["genes"]} == essential


def _agreement(store: ModelStore, ctx: ToolContext) -> list[dict[str, Any]]:
    """One run each on the three bundled models, with and without oxygen."""
    out = []
    for name in ("e_coli_core", "iJO1366", "salmonella"):
        for oxygen in (True, False):
            fresh = store.base(name).model.copy()
            if not oxygen:
                fresh.reactions.EX_o2_e.lower_bound = 0.0
            _ours(ctx, name, oxygen)  # the store prepares the model once
            theirs = _cobrapy(fresh)
            mine = _ours(ctx, name, oxygen)
            diff, same = _compare(mine[1], theirs[1], theirs[2])
            label = (f"essential genes {name} {'aerobic' if oxygen else 'anaerobic'}, "
                     f"{PROCESSES} processes")
            base = _stats(f"{label}: cobrapy single_gene_deletion", [theirs[0]],
                          lps=len(theirs[1]))
            ours = _stats(f"{label}: registry essential_genes", [mine[0]],
                          lps=int(mine[1].data["lps"]), max_abs_growth_diff=diff,
                          identical_essential_sets=same,
                          essential=len(mine[1].data["genes"]))
            ours |= {"ratio": round(ours["median"] / base["median"], 3),
                     "ratio_to": base["metric"]}
            out += [base, ours]
    return out


def run() -> dict[str, Any]:
    load_all()
    with tempfile.TemporaryDirectory(prefix="fluxagent-bench-deletions-") as tmp:
        settings = Settings(data_dir=Path(tmp) / "data", processes=PROCESSES)
        store = ModelStore(settings)
        ctx = ToolContext(session_id="bench", state=SessionState(session_id="bench"),
                          models=store, artifacts=ArtifactStore(Path(tmp) / "artifacts"),
                          progress=lambda f, m: None, settings=settings)
        base = store.base(MODEL).model
        _ours(ctx)  # warm: the store parses and pickles the model once
        ours_s: list[float] = []
        theirs_s: list[float] = []
        worst, same, lps, genes = 0.0, True, 0, 0
        for rep in range(REPS):
            fresh = base.copy()
            if rep % 2 == 0:
                mine, theirs = _ours(ctx), _cobrapy(fresh)
            else:
                theirs = _cobrapy(fresh)
                mine = _ours(ctx)
            ours_s.append(mine[0])
            theirs_s.append(theirs[0])
            diff, equal = _compare(mine[1], theirs[1], theirs[2])
            worst, same = max(worst, diff), same and equal
            lps, genes = int(mine[1].data["lps"]), int(mine[1].data["screened"])
        label = f"essential genes {MODEL}, all {genes} genes, {PROCESSES} processes"
        m_theirs = _stats(f"{label}: cobrapy single_gene_deletion", theirs_s,
                          lps=genes)
        m_ours = _stats(f"{label}: registry essential_genes", ours_s, lps=lps,
                        max_abs_growth_diff=worst, identical_essential_sets=same)
        m_ours["ratio"] = round(m_ours["median"] / m_theirs["median"], 3)
        m_ours["ratio_to"] = m_theirs["metric"]
        metrics = [m_theirs, m_ours]
        if AGREEMENT:
            metrics += _agreement(store, ctx)
    return {"metrics": metrics,
            "environment": {"cpus": os.cpu_count(), "cobra": metadata.version("cobra"),
                            "optlang": metadata.version("optlang"), "solver": "glpk"},
            "notes": "ratio = median registry essential_genes / median cobrapy "
                     "single_gene_deletion, same model, genes and processes; lps = LPs "
                     "solved (cobrapy one per gene); max_abs_growth_diff over all genes and "
                     "repetitions."}
