"""Flux variability analysis: the min and max flux of reactions at a fraction of the optimum.

Same problem as ``cobra.flux_analysis.flux_variability_analysis`` (fix the objective at
``fraction_of_optimum`` as a constraint, then minimise and maximise each reaction; loopless
uses cobrapy's CycleFreeFlux step on the cyclic reactions) and the same numbers, with fewer and
cheaper LPs (``fva_engine.py``), run through ``tools/batch.py`` so it reports progress, honours
the time limit and uses worker processes: in the fixed chunks of ``tools/chunks.py``, each from
the prepared basis, so a run gives the same floats with any number of processes, and fanned
out over Temporal workers.
"""

from __future__ import annotations

import math
from typing import Any

import cobra
from cobra.flux_analysis.find_cyclic_reactions import find_cyclic_reactions
from pydantic import Field

from fluxagent.tools.batch import choose_processes, run_chunked
from fluxagent.tools.conditions import apply_conditions, conditions_text
from fluxagent.tools.linking import link_many
from fluxagent.tools.provenance import provenance
from fluxagent.tools.registry import REGISTRY, ToolContext
from fluxagent.tools.results import ToolResult
from fluxagent.tools.toolkit import (
    AnalysisArgs,
    Deadline,
    clean,
    fmt,
    listing,
    put_table,
    require_objective,
)

from .fba import model_name
from .fva_engine import Plan, fva_step, plan_fva, prepare_fva, settle_failures


class FvaArgs(AnalysisArgs):
    reactions: list[str] | None = Field(default=None, description="Reactions (ids or names) "
                                        "to analyse; default: all.")
    fraction_of_optimum: float = Field(default=1.0, ge=0, le=1, description="Objective kept "
                                       "at least at this fraction of its optimum (0.9 = 90%).")
    loopless: bool = Field(default=False, description="Remove thermodynamically infeasible "
                           "loops (CycleFreeFlux; slower).")
    processes: int | None = Field(default=None, ge=1, le=64, description="Worker processes; "
                                  "default from settings for large jobs.")


def fva_plan(model: cobra.Model, rids: list[str], fraction: float, loopless: bool
             ) -> tuple[float, Plan]:
    """(optimum, the LPs to solve) on ``model``, left prepared for them (inside ``with``)."""
    cyclic: dict[str, tuple[bool, bool]] | None = None
    if loopless:
        ids, directions = find_cyclic_reactions(model)
        cyclic = {r: (bool(d[0]), bool(d[1])) for r, d in zip(ids, directions, strict=True)}
    optimum, fluxes = prepare_fva(model, fraction)
    return optimum, plan_fva(model, rids, fluxes, cyclic)


def fva_targets(model: cobra.Model, args: FvaArgs) -> tuple[dict[str, Any], list[str]]:
    """Apply the run's conditions to ``model`` (inside ``with``): (applied, reaction ids)."""
    applied = apply_conditions(model, args.conditions)
    require_objective(model)
    rids = (link_many(model, args.reactions, "reaction") if args.reactions
            else [r.id for r in model.reactions])
    return applied, rids


def fva_ranges(model: cobra.Model, rids: list[str], fraction: float, loopless: bool,
               ctx: ToolContext, processes: int | None) -> tuple[float, list[dict[str, Any]]]:
    """(optimum, [{id, name, minimum, maximum}]) on ``model`` (call inside ``with model:``)."""
    optimum, plan = fva_plan(model, rids, fraction, loopless)
    procs = choose_processes(processes, ctx.settings.processes, len(plan.tasks),
                             len(model.reactions))
    deadline = Deadline(ctx, f"FVA of {len(rids)} reactions",
                        hint="analyse fewer reactions (reactions=[...]), drop loopless, or "
                        "raise FLUXAGENT_TOOL_TIME_LIMIT_S / processes")
    ctx.progress(0.0, f"FVA: {len(rids)} reactions, {len(plan.tasks)} LPs, {procs} "
                 "process(es)")
    direction = model.solver.objective.direction
    try:
        values = run_chunked(model, fva_step, plan.tasks, processes=procs,
                             progress=ctx.progress, deadline=deadline, label="FVA")
        values = settle_failures(model, plan.tasks, values)
    finally:
        model.solver.objective.direction = direction
    ranges = plan.ranges(values)
    rows = []
    for rid in rids:
        lo, hi = ranges[rid]
        rows.append({"id": rid, "name": model.reactions.get_by_id(rid).name,
                     "minimum": clean(lo) if not math.isnan(lo) else lo,
                     "maximum": clean(hi) if not math.isnan(hi) else hi})
    return optimum, rows


def _summary(where: str, rows: list[dict[str, Any]], fraction: float, optimum: float,
             loopless: bool) -> str:
    head = (f"FVA on {where} at {fraction:.0%} of the optimum ({fmt(optimum)})"
            f"{', loopless' if loopless else ''}")
    if len(rows) <= 12:
        ranges = "; ".join(f"{r['id']} [{fmt(r['minimum'], 4)}, {fmt(r['maximum'], 4)}]"
                           for r in rows)
        return f"{head}: {ranges} mmol/gDW/h."
    blocked = [r["id"] for r in rows if r["minimum"] == 0 and r["maximum"] == 0]
    fixed = [r for r in rows if r["id"] not in blocked
             and abs(r["maximum"] - r["minimum"]) < 1e-6]
    wide = sorted((r for r in rows if r["id"] not in blocked),
                  key=lambda r: -(r["maximum"] - r["minimum"]))[:5]
    widest = listing(f"{r['id']} [{fmt(r['minimum'], 4)}, {fmt(r['maximum'], 4)}]"
                     for r in wide)
    return (f"{head}: {len(rows)} reactions; {len(blocked)} carry no flux, {len(fixed)} are "
            f"fixed, {len(rows) - len(blocked) - len(fixed)} vary. Widest: {widest} "
            "mmol/gDW/h. Full table in data.ranges and the CSV artifact.")


@REGISTRY.tool("run_fva", "Flux variability analysis: min and max flux of reactions at a "
               "fraction of the optimal objective.", FvaArgs, long_running=True)
def run_fva(args: FvaArgs, ctx: ToolContext) -> ToolResult:
    model = ctx.model(args.model)
    with model:
        applied, rids = fva_targets(model, args)
        optimum, rows = fva_ranges(model, rids, args.fraction_of_optimum, args.loopless, ctx,
                                   args.processes)
        prov = provenance(model, applied=applied, parameters={
            "reactions": args.reactions or "all", "fraction_of_optimum":
            args.fraction_of_optimum, "loopless": args.loopless})
    where = f"{model_name(model)} ({conditions_text(applied)})"
    artifacts = put_table(ctx, f"fva_{model_name(model)}", rows,
                          ["id", "name", "minimum", "maximum"])
    return ToolResult(
        tool="run_fva", summary=_summary(where, rows, args.fraction_of_optimum, optimum,
                                         args.loopless),
        data={"ranges": rows, "fraction_of_optimum": args.fraction_of_optimum,
              "objective_value": optimum, "loopless": args.loopless, "conditions": applied},
        artifacts=artifacts, provenance=prov)
