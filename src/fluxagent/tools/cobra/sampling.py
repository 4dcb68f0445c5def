"""Flux sampling with cobrapy's OptGP or ACHR hit-and-run samplers.

The sampler's warm-up starts from a canonical solver state (standard basis, then one solve),
so a seed always gives the same samples; the seed is always recorded (drawn at random when not
given), so a result can be reproduced from its provenance. Samples are drawn in batches so the
tool reports progress and stops at the time limit. The full sample table goes to a CSV
artifact; ``data.reactions`` holds per-reaction statistics (all reactions for small models, the
requested ones or the exchanges and objective for large ones).
"""

from __future__ import annotations

import math
import secrets
from typing import Any, Literal

import numpy as np
import pandas as pd
from cobra.sampling import ACHRSampler, OptGPSampler
from pydantic import Field

from fluxagent.tools.batch import choose_processes
from fluxagent.tools.conditions import apply_conditions, conditions_text
from fluxagent.tools.linking import link_many
from fluxagent.tools.provenance import provenance
from fluxagent.tools.registry import REGISTRY, ToolContext
from fluxagent.tools.results import ToolFailure, ToolResult
from fluxagent.tools.toolkit import (
    AnalysisArgs,
    Deadline,
    cold_start,
    fmt,
    listing,
    objective_reactions,
    require_feasible,
)

from .fba import model_name

#: Models with more reactions than this get statistics only for chosen reactions in ``data``.
FULL_STATS_MAX = 300


class SamplingArgs(AnalysisArgs):
    n: int = Field(default=500, ge=1, le=100_000, description="Number of samples.")
    method: Literal["optgp", "achr"] = "optgp"
    thinning: int = Field(default=100, ge=1, le=10_000)
    seed: int | None = Field(default=None, ge=0, lt=2**31, description="Random seed "
                             "(recorded in provenance; random when omitted).")
    reactions: list[str] | None = Field(default=None, description="Reactions to report "
                                        "statistics for.")
    processes: int | None = Field(default=None, ge=1, le=64)


def batches(n: int) -> list[int]:
    """Split n samples into at most 10 batches (progress steps)."""
    k = min(10, n)
    base, extra = divmod(n, k)
    return [base + (1 if i < extra else 0) for i in range(k)]


def stats(samples: pd.DataFrame, rids: list[str]) -> dict[str, dict[str, float]]:
    out = {}
    for rid in rids:
        col = samples[rid].to_numpy()
        out[rid] = {"mean": float(col.mean()), "std": float(col.std(ddof=1)) if len(col) > 1
                    else 0.0, "min": float(col.min()), "max": float(col.max()),
                    "q05": float(np.quantile(col, 0.05)), "median": float(np.median(col)),
                    "q95": float(np.quantile(col, 0.95))}
    return out


@REGISTRY.tool("flux_sampling", "Sample the space of feasible flux distributions (OptGP or "
               "ACHR); per-reaction statistics and a CSV of all samples.", SamplingArgs,
               long_running=True)
def flux_sampling(args: SamplingArgs, ctx: ToolContext) -> ToolResult:
    model = ctx.model(args.model)
    name = model_name(model)
    seed = args.seed if args.seed is not None else secrets.randbelow(2**31)
    deadline = Deadline(ctx, f"sampling {args.n} points", hint="ask for fewer samples (n) or "
                        "a smaller thinning, or raise FLUXAGENT_TOOL_TIME_LIMIT_S")
    with model:
        applied = apply_conditions(model, args.conditions)
        require_feasible(model, "flux sampling")
        chosen = link_many(model, args.reactions, "reaction") if args.reactions else None
        work = args.n * len(model.reactions)
        procs = 1 if args.method == "achr" else choose_processes(
            args.processes, ctx.settings.processes, args.n,
            len(model.reactions) if work >= 200_000 or args.processes else 0)
        # the warm-up LPs start from the optimal basis found from the standard basis, so a
        # seed gives the same samples whatever ran on this model instance before
        cold_start(model)
        require_feasible(model, "flux sampling")
        ctx.progress(0.0, f"sampling: warm-up on {len(model.reactions)} reactions")
        try:
            if args.method == "optgp":
                sampler: Any = OptGPSampler(model, thinning=args.thinning, processes=procs,
                                            seed=seed)
            else:
                sampler = ACHRSampler(model, thinning=args.thinning, seed=seed)
        except Exception as exc:
            raise ToolFailure("solver_error", f"sampler set-up failed: {exc}",
                              hint="check that the model is feasible and bounded") from None
        deadline.check()
        parts, done = [], 0
        for size in batches(args.n):
            parts.append(sampler.sample(size))
            done += size
            ctx.progress(done / args.n, f"sampling: {done}/{args.n}")
            deadline.check()
        samples = pd.concat(parts, ignore_index=True).iloc[:args.n]
        valid = sampler.validate(samples.to_numpy())
        prov = provenance(model, applied=applied, parameters={
            "n": args.n, "method": args.method, "thinning": args.thinning, "seed": seed,
            "processes": procs})
        exchanges = [r.id for r in model.exchanges]
        objective = objective_reactions(model)
    if chosen is not None:
        report = chosen
    elif len(samples.columns) <= FULL_STATS_MAX:
        report = list(samples.columns)
    else:
        report = list(dict.fromkeys([*objective, *exchanges]))
    table = stats(samples, report)
    valid_fraction = float(np.mean(np.asarray(valid) == "v")) if len(valid) else math.nan
    artifacts = []
    if ctx.artifacts is not None:
        artifacts.append(ctx.artifacts.put(f"samples_{name}.csv",
                                           samples.to_csv(index=False).encode(), "text/csv"))
    shown = sorted(table.items(), key=lambda kv: -kv[1]["std"])[:6] if chosen is None else \
        list(table.items())[:12]
    text = listing(f"{k} mean {fmt(v['mean'], 4)} (5–95%: {fmt(v['q05'], 4)}…"
                   f"{fmt(v['q95'], 4)})" for k, v in shown)
    summary = (f"{len(samples)} flux samples of {name} ({conditions_text(applied)}) by "
               f"{args.method}, thinning {args.thinning}, seed {seed}; "
               f"{valid_fraction:.0%} valid. "
               f"{'Most variable: ' if chosen is None else ''}{text} mmol/gDW/h.")
    return ToolResult(tool="flux_sampling", summary=summary, artifacts=artifacts,
                      provenance=prov, data={
                          "n": len(samples), "method": args.method, "thinning": args.thinning,
                          "seed": seed, "valid_fraction": valid_fraction, "reactions": table,
                          "conditions": applied})
