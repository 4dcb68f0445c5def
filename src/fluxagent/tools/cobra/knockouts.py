"""Knockouts of chosen genes or reactions (temporary or for the session), and MOMA.

No growth is an answer: a lethal knockout returns ``growth_rate`` 0.0 with ``status``
"infeasible" (or "optimal" at zero), never an error. The wild type is the same model under the
same conditions without the knockouts.
"""

from __future__ import annotations

from typing import Any

import cobra
from cobra.flux_analysis import moma, pfba
from pydantic import Field, model_validator

from fluxagent.tools.conditions import Conditions, apply_conditions, conditions_text
from fluxagent.tools.linking import (
    describe,
    link_each,
    link_knockouts,
    not_found_text,
    reactions_of_genes,
)
from fluxagent.tools.provenance import provenance
from fluxagent.tools.registry import REGISTRY, ToolContext
from fluxagent.tools.results import ToolFailure, ToolResult
from fluxagent.tools.toolkit import (
    AnalysisArgs,
    biomass_objective,
    clean,
    find_biomass,
    fmt,
    listing,
    optimize,
    require_feasible,
    require_objective,
)

from .fba import flux_tables, model_name


class KnockoutGenesArgs(AnalysisArgs):
    genes: list[str] = Field(min_length=1, description="Genes to delete: ids (b4025) or "
                             "names (pgi).")
    persist: bool = Field(default=False, description="Keep the deletion for the rest of the "
                          "session (default: this call only).")


class KnockoutReactionsArgs(AnalysisArgs):
    reactions: list[str] = Field(min_length=1, description="Reactions to block (ids or "
                                 "names).")
    persist: bool = False


def _without_knockouts(c: Conditions | None) -> tuple[Conditions | None, list[str], list[str]]:
    if c is None:
        return None, [], []
    rest = c.model_copy(update={"knockout_genes": [], "knockout_reactions": []})
    return rest, list(c.knockout_genes), list(c.knockout_reactions)


def _knockout(tool: str, args: KnockoutGenesArgs | KnockoutReactionsArgs, genes_in: list[str],
              rxns_in: list[str], ctx: ToolContext) -> ToolResult:
    model = ctx.model(args.model)
    name = model_name(model)
    with model:
        rest, cgenes, crxns = _without_knockouts(args.conditions)
        applied = apply_conditions(model, rest)
        where = conditions_text(applied)
        require_objective(model)
        kos = link_knockouts(model, [*cgenes, *genes_in], [*crxns, *rxns_in])
        genes, rxns = kos.genes, kos.reactions
        wstatus, wild = optimize(model)
        disabled = sorted(set(reactions_of_genes(model, genes)) | set(rxns))
        for g in genes:
            model.genes.get_by_id(g).knock_out()
        for r in rxns:
            model.reactions.get_by_id(r).knock_out()
        status, growth = optimize(model)
        applied = applied | {"knockout_genes": genes, "knockout_reactions": rxns,
                             "reactions_disabled": disabled}
        prov = provenance(model, applied=applied, parameters={
            "genes": genes, "reactions": rxns, "persist": args.persist})
        is_growth = biomass_objective(model) is not None
    relative = growth / wild if wstatus == "optimal" and wild else None
    what = ", ".join(describe(model, g, "gene") for g in genes) if genes else ", ".join(rxns)
    unit = "1/h" if is_growth else "mmol/gDW/h"
    if status != "optimal" or growth <= 1e-9:
        verdict = (f"no growth: growth rate 0 {unit} ({status}); the knockout is lethal"
                   if is_growth else f"objective 0 ({status})")
    else:
        verdict = (f"growth rate {fmt(growth)} {unit}, "
                   f"{relative:.1%} of wild type" if relative is not None else
                   f"growth rate {fmt(growth)} {unit}")
    missed = f"; {not_found_text(kos.unresolved)}" if kos.unresolved else ""
    summary = (f"{name} with {what} knocked out{missed} ({where}): {verdict}; "
               f"wild type {fmt(wild) if wstatus == 'optimal' else 'infeasible'} {unit}. "
               f"Reactions disabled: {listing(disabled) or 'none (redundant genes)'}.")
    effects: list[dict[str, Any]] = []
    if args.persist:
        # this call's own lists only (the conditions' knockouts are for this call)
        kept_genes = [g for g in link_each(model, genes_in, "gene").ids if g in genes]
        kept_rxns = [r for r in link_each(model, rxns_in, "reaction").ids if r in rxns]
        if kept_genes:
            effects.append({"op": "knockout_genes", "model": name, "genes": kept_genes})
        if kept_rxns:
            effects.append({"op": "knockout_reactions", "model": name,
                            "reactions": kept_rxns})
        summary += " The knockout is kept for the rest of the session."
    data = {"growth_rate": growth if status == "optimal" else 0.0,
            "wild_type_growth": wild if wstatus == "optimal" else 0.0,
            "relative": relative, "status": status, "knocked_out": genes + rxns,
            "genes": genes, "reactions": rxns, "reactions_disabled": disabled,
            "unresolved": kos.texts, "unresolved_detail": kos.unresolved,
            "persist": args.persist, "conditions": applied}
    return ToolResult(tool=tool, summary=summary, data=data, provenance=prov, effects=effects)


@REGISTRY.tool("knockout_genes", "Delete genes (ids or names) and report growth against the "
               "wild type; persist=true keeps the deletion.", KnockoutGenesArgs)
def knockout_genes(args: KnockoutGenesArgs, ctx: ToolContext) -> ToolResult:
    return _knockout("knockout_genes", args, args.genes, [], ctx)


@REGISTRY.tool("knockout_reactions", "Block reactions and report growth against the wild "
               "type; persist=true keeps the change.", KnockoutReactionsArgs)
def knockout_reactions(args: KnockoutReactionsArgs, ctx: ToolContext) -> ToolResult:
    return _knockout("knockout_reactions", args, [], args.reactions, ctx)


class MomaArgs(AnalysisArgs):
    genes: list[str] = Field(default_factory=list, description="Genes to delete.")
    reactions: list[str] = Field(default_factory=list, description="Reactions to block.")
    linear: bool = Field(default=True, description="Linear MOMA (sum of |v - v_wt|); the "
                         "quadratic form needs a QP solver.")

    @model_validator(mode="after")
    def _some(self) -> MomaArgs:
        c = self.conditions
        if not (self.genes or self.reactions or (c and (c.knockout_genes
                                                        or c.knockout_reactions))):
            raise ValueError("give genes or reactions to knock out")
        return self


@REGISTRY.tool("run_moma", "MOMA: the mutant's flux state closest to the wild type (pFBA "
               "reference) after knockouts.", MomaArgs)
def run_moma(args: MomaArgs, ctx: ToolContext) -> ToolResult:
    model = ctx.model(args.model)
    name = model_name(model)
    with model:
        rest, cgenes, crxns = _without_knockouts(args.conditions)
        applied = apply_conditions(model, rest)
        where = conditions_text(applied)
        require_objective(model)
        kos = link_knockouts(model, [*cgenes, *args.genes], [*crxns, *args.reactions])
        genes, rxns = kos.genes, kos.reactions
        require_feasible(model, "MOMA wild type", cold=True)
        reference = pfba(model)
        biomass = find_biomass(model)
        wild = reference.fluxes[biomass] if biomass else None
        for g in genes:
            model.genes.get_by_id(g).knock_out()
        for r in rxns:
            model.reactions.get_by_id(r).knock_out()
        fstatus, fba_growth = optimize(model)
        try:
            sol = moma(model, solution=reference, linear=args.linear)
        except cobra.exceptions.OptimizationError:
            sol = None
        except Exception as exc:
            raise ToolFailure("solver_error" if args.linear else "bad_arguments",
                              f"MOMA failed: {exc}", hint="quadratic MOMA needs a QP solver; "
                              "use linear=true" if not args.linear else "retry") from None
        applied = applied | {"knockout_genes": genes, "knockout_reactions": rxns}
        prov = provenance(model, applied=applied, parameters={
            "genes": genes, "reactions": rxns, "linear": args.linear})
    if sol is None or sol.status != "optimal":
        summary = (f"MOMA on {name} with {listing(genes + rxns)} knocked out: no feasible "
                   "mutant flux state; the knockout is lethal (growth 0 1/h).")
        return ToolResult(tool="run_moma", summary=summary, provenance=prov, data={
            "status": "infeasible", "growth_rate": 0.0, "wild_type_growth": wild,
            "fba_growth": 0.0, "distance": None, "fluxes": {}, "changes": [],
            "knocked_out": genes + rxns, "conditions": applied})
    fluxes = sol.fluxes.to_dict()
    growth = clean(fluxes[biomass]) if biomass else None
    nz, ex = flux_tables(model, fluxes)
    changes = sorted(({"id": k, "wild_type": clean(reference.fluxes[k]),
                       "mutant": clean(v), "change": clean(v - reference.fluxes[k])}
                      for k, v in fluxes.items()), key=lambda r: -abs(r["change"]))
    changes = [c for c in changes if c["change"] != 0.0]
    largest = listing(f"{c['id']} {fmt(c['change'], 4)}" for c in changes[:6])
    summary = (f"MOMA ({'linear' if args.linear else 'quadratic'}) on {name} "
               f"({where}) with {listing(genes + rxns)} knocked out: "
               f"growth {fmt(growth)} 1/h (wild type {fmt(wild)}, mutant FBA optimum "
               f"{fmt(fba_growth) if fstatus == 'optimal' else 'infeasible'}); distance "
               f"{fmt(sol.objective_value, 4)}. Largest changes: {largest} mmol/gDW/h.")
    return ToolResult(tool="run_moma", summary=summary, provenance=prov, data={
        "status": "optimal", "growth_rate": growth, "wild_type_growth": wild,
        "fba_growth": fba_growth if fstatus == "optimal" else 0.0,
        "distance": float(sol.objective_value), "fluxes": nz, "exchanges": ex,
        "changes": changes, "knocked_out": genes + rxns, "conditions": applied})
