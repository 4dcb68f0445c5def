"""Flux variability analysis: the min and max flux of reactions at a fraction of the optimum.

Same algorithm as ``cobra.flux_analysis.flux_variability_analysis`` (fix the objective at
``fraction_of_optimum`` as a constraint, then minimise and maximise each reaction; loopless
uses cobrapy's CycleFreeFlux step on the cyclic reactions), run through ``tools/batch.py`` so it
reports progress, honours the time limit and uses one worker pool for both directions.
"""

from __future__ import annotations

import math
from typing import Any

import cobra
from cobra.flux_analysis.find_cyclic_reactions import find_cyclic_reactions
from cobra.flux_analysis.loopless import loopless_fva_iter
from optlang.symbolics import Zero
from pydantic import Field

from fluxagent.tools.batch import choose_processes, run_tasks
from fluxagent.tools.conditions import apply_conditions, conditions_text
from fluxagent.tools.linking import link_many
from fluxagent.tools.provenance import provenance
from fluxagent.tools.registry import REGISTRY, ToolContext
from fluxagent.tools.results import ToolResult
from fluxagent.tools.toolkit import (
    AnalysisArgs,
    Deadline,
    clean,
    cold_start,
    fmt,
    listing,
    put_table,
    require_feasible,
    require_objective,
)

from .fba import model_name


class FvaArgs(AnalysisArgs):
    reactions: list[str] | None = Field(default=None, description="Reactions (ids or names) "
                                        "to analyse; default: all.")
    fraction_of_optimum: float = Field(default=1.0, ge=0, le=1, description="Objective kept "
                                       "at least at this fraction of its optimum (0.9 = 90%).")
    loopless: bool = Field(default=False, description="Remove thermodynamically infeasible "
                           "loops (CycleFreeFlux; slower).")
    processes: int | None = Field(default=None, ge=1, le=64, description="Worker processes; "
                                  "default from settings for large jobs.")


def fva_step(model: cobra.Model, task: tuple[str, str, bool]) -> float:
    """Minimise or maximise one reaction on a model prepared by ``prepare_fva``."""
    rid, sense, loopless = task
    rxn = model.reactions.get_by_id(rid)
    if loopless:
        cold_start(model)
    objective = model.solver.objective
    if objective.direction != sense:
        objective.direction = sense
    objective.set_linear_coefficients({rxn.forward_variable: 1, rxn.reverse_variable: -1})
    try:
        model.slim_optimize()
        if model.solver.status != "optimal":
            value = math.nan
        elif loopless:
            value = float(loopless_fva_iter(model, rxn))
        else:
            value = float(objective.value)
    except Exception:
        value = math.nan
    objective = model.solver.objective  # loopless_fva_iter may have replaced it
    objective.set_linear_coefficients({rxn.forward_variable: 0, rxn.reverse_variable: 0})
    return value


def prepare_fva(model: cobra.Model, fraction: float) -> float:
    """Fix the objective at ``fraction`` of its optimum (inside ``with model:``); return it."""
    optimum = require_feasible(model, "FVA")
    prob = model.problem
    if model.solver.objective.direction == "max":
        var = prob.Variable("fva_old_objective", lb=fraction * model.solver.objective.value)
    else:
        var = prob.Variable("fva_old_objective", ub=fraction * model.solver.objective.value)
    cons = prob.Constraint(model.solver.objective.expression - var, lb=0, ub=0,
                           name="fva_old_objective_constraint")
    model.add_cons_vars([var, cons])
    model.objective = Zero
    return optimum


def fva_ranges(model: cobra.Model, rids: list[str], fraction: float, loopless: bool,
               ctx: ToolContext, processes: int | None) -> tuple[float, list[dict[str, Any]]]:
    """(optimum, [{id, name, minimum, maximum}]) on ``model`` (call inside ``with model:``)."""
    cyclic: dict[str, tuple[bool, bool]] = {}
    if loopless:
        ids, directions = find_cyclic_reactions(model)
        cyclic = {r: (bool(d[0]), bool(d[1])) for r, d in zip(ids, directions, strict=True)}
    optimum = prepare_fva(model, fraction)
    tasks = [(rid, sense, loopless and cyclic.get(rid, (False, False))[k])
             for rid in rids for k, sense in enumerate(("min", "max"))]
    procs = choose_processes(processes, ctx.settings.processes, len(tasks),
                             len(model.reactions))
    deadline = Deadline(ctx, f"FVA of {len(rids)} reactions",
                        hint="analyse fewer reactions (reactions=[...]), drop loopless, or "
                        "raise FLUXAGENT_TOOL_TIME_LIMIT_S / processes")
    ctx.progress(0.0, f"FVA: {len(rids)} reactions, {procs} process(es)")
    values = run_tasks(model, fva_step, tasks, processes=procs, progress=ctx.progress,
                       deadline=deadline, label="FVA")
    rows = []
    for i, rid in enumerate(rids):
        lo, hi = values[2 * i], values[2 * i + 1]
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
        applied = apply_conditions(model, args.conditions)
        require_objective(model)
        rids = (link_many(model, args.reactions, "reaction") if args.reactions
                else [r.id for r in model.reactions])
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
