"""Flux sampling with cobrapy's OptGP or ACHR hit-and-run steps, in fixed chains.

The samples are drawn in the fixed chains of ``sampling_engine.py`` (64 samples each, chain
``k`` with its own random stream from ``(seed, k)``, all from the same FVA warm-up points), so
a seed gives the same samples with any number of processes and fanned out over Temporal
workers (``runtime/temporal/fanout.py``). The sampler's warm-up starts from a canonical solver
state (a copy of the model, solved from the standard basis); the seed is always recorded
(drawn at random when not given), so a result can be reproduced from its provenance, which
also records the chains. Progress is reported per chain and the time limit is checked between
chains. The full sample table goes to a CSV artifact; ``data.reactions`` holds per-reaction
statistics (all reactions for small models, the requested ones or the exchanges and objective
for large ones).
"""

from __future__ import annotations

import math
import secrets
from typing import Literal

import numpy as np
import pandas as pd
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
from .sampling_engine import CHAIN_SAMPLES, sample_fluxes

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
    processes: int | None = Field(default=None, ge=1, le=64, description="Worker "
                                  "processes (the samples are the same with any number).")


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
        chains = math.ceil(args.n / CHAIN_SAMPLES)
        work = args.n * len(model.reactions)
        procs = choose_processes(args.processes, ctx.settings.processes, chains,
                                 len(model.reactions) if work >= 200_000 or args.processes
                                 else 0)
        # the warm-up LPs start from the optimal basis found from the standard basis, so a
        # seed gives the same samples whatever ran on this model instance before
        cold_start(model)
        require_feasible(model, "flux sampling")
        try:
            samples, sampler = sample_fluxes(model, args.n, method=args.method,
                                             thinning=args.thinning, seed=seed,
                                             processes=procs, progress=ctx.progress,
                                             deadline=deadline)
        except (ValueError, RuntimeError) as exc:
            raise ToolFailure("solver_error", f"sampler set-up failed: {exc}",
                              hint="check that the model is feasible and bounded") from None
        valid = sampler.validate(samples.to_numpy())
        prov = provenance(model, applied=applied, parameters={
            "n": args.n, "method": args.method, "thinning": args.thinning, "seed": seed,
            "processes": procs, "chains": chains, "chain_samples": CHAIN_SAMPLES,
            "chain_seeds": "numpy SeedSequence([seed, chain index]), MT19937"})
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
               f"{args.method} in {chains} chain{'s' if chains > 1 else ''} of up to "
               f"{CHAIN_SAMPLES}, thinning {args.thinning}, seed {seed}; "
               f"{valid_fraction:.0%} valid. "
               f"{'Most variable: ' if chosen is None else ''}{text} mmol/gDW/h.")
    return ToolResult(tool="flux_sampling", summary=summary, artifacts=artifacts,
                      provenance=prov, data={
                          "n": len(samples), "method": args.method, "thinning": args.thinning,
                          "seed": seed, "chains": chains, "chain_samples": CHAIN_SAMPLES,
                          "valid_fraction": valid_fraction, "reactions": table,
                          "conditions": applied})
