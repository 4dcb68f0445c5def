"""Product yields: the theoretical maximum of a product, and the production envelope.

``theoretical_yield`` maximises the secretion of a product exchange (optionally with a growth
floor) and reports the molar and carbon yields on the carbon source(s). ``production_envelope``
is cobrapy's ``production_envelope`` (product range at each growth rate, with carbon yields)
computed point by point so it can report progress and honour the time limit: the points are
one chunked job (tools/chunks.py), the same floats in one process or fanned out.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import cobra
import numpy as np
from cobra.core.solution import get_solution
from cobra.flux_analysis import flux_variability_analysis
from cobra.flux_analysis.phenotype_phase_plane import _reaction_elements, _total_yield
from pydantic import Field, model_validator

from fluxagent.tools.batch import choose_processes, run_chunked
from fluxagent.tools.conditions import apply_conditions, conditions_text, is_carbon_source
from fluxagent.tools.linking import describe, link
from fluxagent.tools.provenance import provenance
from fluxagent.tools.registry import REGISTRY, ToolContext
from fluxagent.tools.results import ToolFailure, ToolResult
from fluxagent.tools.toolkit import (
    AnalysisArgs,
    Deadline,
    clean,
    find_biomass,
    fmt,
    optimize,
    put_table,
    require_feasible,
)

from .fba import model_name


def secretion_sign(rxn: cobra.Reaction) -> float:
    """+1 when positive flux secretes the metabolite (met <=> ), -1 for ( <=> met)."""
    return 1.0 if rxn.reactants else -1.0


def _carbon(rxn: cobra.Reaction) -> float:
    met = next(iter(rxn.metabolites), None)
    try:
        return float(met.elements.get("C", 0)) if met is not None else 0.0
    except Exception:
        return 0.0


class YieldArgs(AnalysisArgs):
    product: str = Field(description="Product exchange or metabolite name (acetate, "
                         "EX_succ_e).")
    min_growth: float | None = Field(default=None, ge=0, description="Growth floor, 1/h.")
    growth_fraction: float | None = Field(default=None, ge=0, le=1, description="Growth "
                                          "floor as a fraction of the maximum growth.")

    @model_validator(mode="after")
    def _one_floor(self) -> YieldArgs:
        if self.min_growth is not None and self.growth_fraction is not None:
            raise ValueError("give min_growth or growth_fraction, not both")
        return self


@REGISTRY.tool("theoretical_yield", "Maximum production (secretion) rate of a product and its "
               "yield on the carbon source, optionally with a growth floor.", YieldArgs)
def theoretical_yield(args: YieldArgs, ctx: ToolContext) -> ToolResult:
    model = ctx.model(args.model)
    name = model_name(model)
    with model:
        applied = apply_conditions(model, args.conditions)
        try:
            product = link(model, args.product, "exchange")
        except ToolFailure:
            if args.product not in model.reactions:
                raise
            product = args.product  # a reaction maximised as the product: ATPM for ATP
        rxn = model.reactions.get_by_id(product)
        biomass = find_biomass(model)
        floor = args.min_growth
        if args.growth_fraction is not None:
            if biomass is None:
                raise ToolFailure("bad_arguments", "growth_fraction needs a biomass objective",
                                  hint="use min_growth with an explicit biomass reaction")
            status, best = optimize(model)
            floor = args.growth_fraction * best if status == "optimal" else 0.0
        if floor:
            if biomass is None:
                raise ToolFailure("bad_arguments", f"{name} has no biomass reaction for a "
                                  "growth floor")
            model.reactions.get_by_id(biomass).lower_bound = floor
        model.objective = {rxn: secretion_sign(rxn)}
        model.objective_direction = "max"
        status, value = optimize(model, cold=True)  # the growth and uptakes are reported
        sources: dict[str, float] = {}
        growth = None
        if status == "optimal":
            sol = get_solution(model)
            growth = clean(sol.fluxes[biomass]) if biomass else None
            sources = {ex: clean(-sol.fluxes[ex] * secretion_sign(model.reactions.get_by_id(ex)))
                       for ex in applied["carbon_sources"]}
            sources = {k: v for k, v in sources.items() if v > 0}
        c_in = sum(v * _carbon(model.reactions.get_by_id(k)) for k, v in sources.items())
        weights = [_weight(model.reactions.get_by_id(k)) for k in (product, *sources)]
        prov = provenance(model, applied=applied, parameters={
            "product": product, "min_growth": floor})
    value = clean(value) if status == "optimal" else 0.0
    molar = value / sum(sources.values()) if len(sources) == 1 and value else (
        0.0 if sources else None)
    # C-mol and grams are of a product metabolite: an exchange's one metabolite, not the
    # first of a reaction such as ATPM (whose flux is the ATP it regenerates, in mol)
    one = len(rxn.metabolites) == 1
    c_yield = value * _carbon(rxn) / c_in if one and c_in and is_carbon_source(rxn) else None
    # g product per g substrate, from the metabolites' formula weights (one substrate only)
    mass = molar * weights[0] / weights[1] if one and molar is not None and \
        len(weights) == 2 and weights[0] and weights[1] else None
    where = f"{name} ({conditions_text(applied)}{f'; growth ≥ {fmt(floor)} 1/h' if floor else ''})"
    if status != "optimal":
        summary = (f"{where}: infeasible, {describe(model, product, 'exchange')} cannot be "
                   "produced under these conditions (maximum 0 mmol/gDW/h).")
    else:
        summary = (f"{where}: maximum secretion of {describe(model, product, 'exchange')} is "
                   f"{fmt(value)} mmol/gDW/h")
        if molar is not None and sources:
            summary += (f", {fmt(molar, 4)} mol per mol of {', '.join(sources)}"
                        + (f" ({fmt(c_yield, 4)} C-mol/C-mol)" if c_yield is not None else "")
                        + (f", {fmt(mass, 4)} g/g" if mass is not None else ""))
        summary += f"; growth at that point {fmt(growth)} 1/h." if growth is not None else "."
    return ToolResult(tool="theoretical_yield", summary=summary, provenance=prov, data={
        "maximum": value, "product": product, "status": status, "min_growth": floor or 0.0,
        "growth_rate": growth, "carbon_sources": sources, "yield": molar,
        "carbon_yield": c_yield, "mass_yield": mass, "conditions": applied})


def _weight(exchange: Any) -> float | None:
    """Formula weight (g/mol) of an exchange's metabolite, if its formula is known."""
    met = next(iter(exchange.metabolites), None)
    try:
        return float(met.formula_weight) if met is not None and met.formula else None
    except Exception:  # a formula cobrapy cannot weigh (R groups, unknown elements)
        return None


class EnvelopeArgs(AnalysisArgs):
    product: str = Field(description="Product exchange or metabolite name.")
    reaction: str | None = Field(default=None, description="x axis reaction (default: the "
                                 "biomass reaction).")
    points: int = Field(default=20, ge=2, le=200)


def _envelope_point(xrxn: cobra.Reaction, sources: list[cobra.Reaction],
                    prod: cobra.Reaction, threshold: float
                    ) -> Callable[[cobra.Model, tuple[str, float]], tuple[float, float]]:
    """One point of the envelope: (product flux, carbon yield) minimising or maximising the
    product with the x reaction fixed at x (one task of the chunked job, tools/batch.py)."""
    in_el = [_reaction_elements(r) for r in sources]
    out_el = _reaction_elements(prod)

    def point(model: cobra.Model, task: tuple[str, float]) -> tuple[float, float]:
        direction, x = task
        with model:
            model.objective_direction = direction
            xrxn.bounds = x, x
            value = model.slim_optimize()
            if model.solver.status != "optimal":
                return math.nan, math.nan
            flux = 0.0 if abs(value) < threshold else float(value)
            carbon = (_total_yield([r.flux for r in sources], in_el, value, out_el)
                      if sources else math.nan)
        return flux, float(carbon)
    return point


@REGISTRY.tool("production_envelope", "Production envelope: min and max product flux at each "
               "growth rate (or another reaction's flux), with carbon yields.", EnvelopeArgs,
               long_running=True)
def production_envelope(args: EnvelopeArgs, ctx: ToolContext) -> ToolResult:
    model = ctx.model(args.model)
    name = model_name(model)
    deadline = Deadline(ctx, "production envelope", hint="use fewer points")
    with model:
        applied = apply_conditions(model, args.conditions)
        product = link(model, args.product, "exchange")
        xid = link(model, args.reaction, "reaction") if args.reaction else find_biomass(model)
        if xid is None:
            raise ToolFailure("bad_arguments", f"{name} has no single biomass reaction",
                              hint="give reaction=... for the x axis")
        prod, xrxn = model.reactions.get_by_id(product), model.reactions.get_by_id(xid)
        sources = [model.reactions.get_by_id(k) for k in applied["carbon_sources"]]
        model.objective = prod
        require_feasible(model, "production envelope", cold=True)  # the same floats anywhere
        threshold = model.tolerance
        rng = flux_variability_analysis(model, [xid], fraction_of_optimum=0, processes=1)
        lo, hi = (0.0 if abs(v) < threshold else float(v) for v in
                  (rng.at[xid, "minimum"], rng.at[xid, "maximum"]))
        grid = np.linspace(lo, hi, args.points, endpoint=True)
        rows: list[dict[str, Any]] = [{"x": float(x)} for x in grid]
        tasks = [(d, row["x"]) for d in ("minimum", "maximum") for row in rows]
        step = _envelope_point(xrxn, sources, prod, threshold)
        values = run_chunked(model, step, tasks, processes=choose_processes(
            None, ctx.settings.processes, len(tasks), len(model.reactions)),
            progress=ctx.progress, deadline=deadline, label="envelope")
        for (direction, _), (flux, carbon), row in zip(tasks, values, rows + rows,
                                                       strict=True):
            row[f"flux_{direction}"] = flux
            row[f"carbon_yield_{direction}"] = carbon
        prov = provenance(model, applied=applied, parameters={
            "product": product, "x": xid, "points": args.points})
    feasible = [r for r in rows if not math.isnan(r["flux_maximum"])]
    best = max(feasible, key=lambda r: r["flux_maximum"]) if feasible else rows[0]
    maximum = best["flux_maximum"] if feasible else 0.0
    at_max_x = rows[-1]
    artifacts = put_table(ctx, f"envelope_{name}_{product}", rows, [
        "x", "flux_minimum", "flux_maximum", "carbon_yield_minimum", "carbon_yield_maximum"])
    summary = (f"Production envelope of {describe(model, product, 'exchange')} against {xid} "
               f"in {name} ({conditions_text(applied)}), {args.points} points: {xid} from "
               f"{fmt(lo)} to {fmt(hi)}; the product ranges up to {fmt(maximum)} mmol/gDW/h "
               f"(at {xid} = {fmt(best['x'])}) and must be at least "
               f"{fmt(at_max_x['flux_minimum'])} and at most {fmt(at_max_x['flux_maximum'])} "
               f"at the highest {xid} flux.")
    return ToolResult(tool="production_envelope", summary=summary, artifacts=artifacts,
                      provenance=prov, data={
                          "product": product, "reaction": xid, "maximum": maximum,
                          "points": rows, "x_range": [lo, hi],
                          "carbon_sources": [r.id for r in sources], "conditions": applied})
