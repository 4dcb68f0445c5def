"""Deletion screens: single and double gene/reaction deletions, essential genes and reactions.

Each deletion gives cobrapy's answer (knock out inside ``with model:``, optimise) with fewer and
cheaper LPs (``deletion_engine.py``: deletions of reactions idle in the wild-type optimum need
no LP, the others are warm-started), run through ``tools/batch.py`` (progress, the time limit,
worker processes; fixed chunks from the wild-type basis, ``tools/chunks.py``, so a screen gives
the same floats with any number of processes or fanned out over Temporal workers). Every
result reports ``lps`` (LPs solved) and ``settled_without_lp``.
Essentiality follows ``cobra.flux_analysis.find_essential_genes``:
a gene (reaction) is essential when growth without it is below ``threshold_fraction`` (default
1%) of the wild type, or infeasible. ``essential_reactions`` lists internal reactions (metabolic
and transport); essential exchanges and the objective itself are reported apart, in
``data.boundary``.
"""

from __future__ import annotations

import math
from itertools import combinations, product
from typing import Any, NamedTuple

import cobra
from pydantic import Field

from fluxagent.tools.batch import choose_processes, run_chunked
from fluxagent.tools.conditions import apply_conditions, conditions_text
from fluxagent.tools.linking import link_partial
from fluxagent.tools.provenance import provenance
from fluxagent.tools.registry import REGISTRY, ToolContext
from fluxagent.tools.results import ToolFailure, ToolResult
from fluxagent.tools.toolkit import (
    AnalysisArgs,
    Deadline,
    fmt,
    listing,
    objective_reactions,
    optimize,
    put_table,
    require_feasible,
    require_objective,
)

from .deletion_engine import DeletionPlan, Kind, deletion_lp, plan_deletions
from .fba import model_name

#: Double-deletion screens larger than this are refused with a hint to restrict the lists.
MAX_PAIRS = 200_000


def screen(model: cobra.Model, kind: Kind, sets: list[tuple[str, ...]], ctx: ToolContext,
           processes: int | None, what: str) -> list[tuple[float, str]]:
    """(growth, status) of each deletion (inside the caller's ``with model:``)."""
    return screen_plan(model, kind, sets, ctx, processes, what)[0]


def screen_plan(model: cobra.Model, kind: Kind, sets: list[tuple[str, ...]], ctx: ToolContext,
                processes: int | None, what: str,
                ) -> tuple[list[tuple[float, str]], DeletionPlan]:
    """``screen`` and its plan (how many LPs it took): the wild-type LP solved from a cold
    start, the deletions its solution settles answered without an LP, the others solved warm
    (``deletion_engine.py``)."""
    wild = require_feasible(model, what, cold=True)
    plan = plan_deletions(model, kind, sets, wild)
    procs = choose_processes(processes, ctx.settings.processes, len(plan.lps),
                             len(model.reactions))
    deadline = Deadline(ctx, what, hint=f"screen fewer {kind}s ({kind}s=[...]) or raise "
                        "FLUXAGENT_TOOL_TIME_LIMIT_S / processes")
    ctx.progress(0.0, f"{what}: {len(sets)} deletions, {len(plan.lps)} LPs ({plan.settled} "
                 f"settled by the wild-type solution), {procs} process(es)")
    values = run_chunked(model, deletion_lp, plan.lps, processes=procs, progress=ctx.progress,
                         deadline=deadline, label=what)
    values = [v if v[1] in ("optimal", "infeasible") else _settle(model, lp.rids)
              for lp, v in zip(plan.lps, values, strict=True)]
    return plan.results(values), plan


def _settle(model: cobra.Model, rids: tuple[str, ...]) -> tuple[float, str]:
    """A deletion whose LP gave no answer, solved again through ``optimize`` (the other
    solver next; a ToolFailure("solver_error") if neither answers): never counted as lethal
    because the solver failed."""
    with model:
        for rid in rids:
            model.reactions.get_by_id(rid).knock_out()
        status, value = optimize(model)
    return (value if status == "optimal" else math.nan), status


def _lp_counts(plan: DeletionPlan) -> dict[str, int]:
    return {"lps": len(plan.lps), "settled_without_lp": plan.settled}


def _names(model: cobra.Model, kind: Kind, ids: tuple[str, ...]) -> list[str]:
    table = model.genes if kind == "gene" else model.reactions
    return [table.get_by_id(i).name or i for i in ids]


def _rows(model: cobra.Model, kind: Kind, sets: list[tuple[str, ...]],
          results: list[tuple[float, str]], wild: float) -> list[dict[str, Any]]:
    rows = []
    for ids, (growth, status) in zip(sets, results, strict=True):
        g = 0.0 if math.isnan(growth) or abs(growth) < 1e-9 else growth
        rows.append({"ids": list(ids), "names": _names(model, kind, ids), "growth": g,
                     "relative": g / wild if wild else math.nan,
                     "status": "optimal" if status == "optimal" else "infeasible"})
    return rows


class ScreenArgs(AnalysisArgs):
    double: bool = Field(default=False, description="Pairs instead of single deletions.")
    processes: int | None = Field(default=None, ge=1, le=64)
    threshold_fraction: float = Field(default=0.01, gt=0, lt=1, description="Lethal below "
                                      "this fraction of wild-type growth.")


class GeneScreenArgs(ScreenArgs):
    genes: list[str] | None = Field(default=None, description="Genes to delete (ids or "
                                    "names); default: all.")
    genes2: list[str] | None = Field(default=None, description="Double screens: partners "
                                     "of `genes` (default: the same list).")


class ReactionScreenArgs(ScreenArgs):
    reactions: list[str] | None = Field(default=None, description="Reactions to delete; "
                                        "default: all.")
    reactions2: list[str] | None = Field(default=None, description="Double screens: "
                                         "partners of `reactions`.")


def _sets(first: list[str], second: list[str] | None, double: bool) -> list[tuple[str, ...]]:
    if not double:
        return [(i,) for i in first]
    if second is None:
        return [tuple(p) for p in combinations(first, 2)]
    seen: dict[frozenset[str], tuple[str, ...]] = {}
    for a, b in product(first, second):
        if a != b:
            seen.setdefault(frozenset((a, b)), (a, b))
    return list(seen.values())


def _run_screen(tool: str, kind: Kind, args: GeneScreenArgs | ReactionScreenArgs,
                first: list[str] | None, second: list[str] | None,
                ctx: ToolContext) -> ToolResult:
    model = ctx.model(args.model)
    with model:
        applied = apply_conditions(model, args.conditions)
        require_objective(model)
        table = model.genes if kind == "gene" else model.reactions
        # unknown mentions are left out and reported (data["unresolved"]), see tools/linking
        ids = link_partial(model, first, kind) if first else [x.id for x in table]
        ids2 = link_partial(model, second, kind) if second else None
        sets = _sets(ids, ids2, args.double)
        if len(sets) > MAX_PAIRS:
            raise ToolFailure("bad_arguments", f"{len(sets)} double deletions is too many "
                              f"(limit {MAX_PAIRS})", hint=f"restrict {kind}s=[...] and "
                              f"{kind}s2=[...] to the candidates of interest")
        wild = require_feasible(model, "deletion screen", cold=True)  # same floats anywhere
        results, plan = screen_plan(model, kind, sets, ctx, args.processes,
                                    f"{'double' if args.double else 'single'} {kind} "
                                    "deletion")
        prov = provenance(model, applied=applied, parameters=args.model_dump(
            exclude_none=True, exclude={"model", "conditions"}))
    rows = _rows(model, kind, sets, results, wild)
    lethal_at = args.threshold_fraction * wild
    for row in rows:
        row["effect"] = ("lethal" if row["growth"] < lethal_at else
                         "reduced" if row["relative"] < 0.99 else "none")
    rows.sort(key=lambda r: (r["growth"], r["ids"]))
    counts = {e: sum(r["effect"] == e for r in rows) for e in ("lethal", "reduced", "none")}
    name = model_name(model)
    artifacts = put_table(ctx, f"{tool}_{name}", [
        r | {"ids": " ".join(r["ids"]), "names": " ".join(r["names"])} for r in rows],
        ["ids", "names", "growth", "relative", "status", "effect"])
    lethal = [f"{'+'.join(r['ids'])} ({'+'.join(r['names'])})" for r in rows
              if r["effect"] == "lethal"]
    summary = (f"{'Double' if args.double else 'Single'} {kind} deletion screen of {name} "
               f"({conditions_text(applied)}), wild-type growth {fmt(wild)} 1/h: "
               f"{len(rows)} deletions; {counts['lethal']} lethal (< "
               f"{args.threshold_fraction:.0%} of wild type), {counts['reduced']} reduce "
               f"growth, {counts['none']} no effect. Lethal: {listing(lethal) or 'none'}.")
    return ToolResult(tool=tool, summary=summary, artifacts=artifacts, provenance=prov,
                      data={"wild_type_growth": wild, "results": rows, "counts": counts,
                            "threshold": lethal_at, "double": args.double,
                            "conditions": applied} | _lp_counts(plan))


@REGISTRY.tool("gene_deletion_screen", "Growth after deleting each gene (or each pair of "
               "genes).", GeneScreenArgs, long_running=True)
def gene_deletion_screen(args: GeneScreenArgs, ctx: ToolContext) -> ToolResult:
    return _run_screen("gene_deletion_screen", "gene", args, args.genes, args.genes2, ctx)


@REGISTRY.tool("reaction_deletion_screen", "Growth after blocking each reaction (or each "
               "pair).", ReactionScreenArgs, long_running=True)
def reaction_deletion_screen(args: ReactionScreenArgs, ctx: ToolContext) -> ToolResult:
    return _run_screen("reaction_deletion_screen", "reaction", args, args.reactions,
                       args.reactions2, ctx)


class EssentialArgs(AnalysisArgs):
    threshold_fraction: float = Field(default=0.01, gt=0, lt=1, description="Essential when "
                                      "growth falls below this fraction of wild type "
                                      "(cobrapy's default 1%).")
    threshold: float | None = Field(default=None, ge=0, description="Absolute growth "
                                    "threshold (1/h); overrides threshold_fraction.")
    processes: int | None = Field(default=None, ge=1, le=64)


class EssentialReactionArgs(EssentialArgs):
    include_boundary: bool = Field(default=False, description="Also list essential "
                                   "exchanges and the objective reaction in `reactions`.")
    include_objective: bool = Field(default=True, description="With include_boundary: false "
                                    "leaves the objective (biomass) reaction out.")
    include_exchanges: bool = Field(default=True, description="With include_boundary: false "
                                    "leaves exchanges, demands and sinks out.")


class _Essentiality(NamedTuple):
    model: cobra.Model
    applied: dict[str, Any]
    wild: float
    threshold: float
    essential: list[dict[str, Any]]
    everything: list[dict[str, Any]]
    prov: Any
    counts: dict[str, int]  # LPs solved, deletions settled without one


def _essential(tool: str, kind: Kind, args: EssentialArgs, ctx: ToolContext) -> _Essentiality:
    model = ctx.model(args.model)
    with model:
        applied = apply_conditions(model, args.conditions)
        require_objective(model)
        wild = require_feasible(model, f"essential {kind}s", cold=True)
        threshold = args.threshold if args.threshold is not None else \
            args.threshold_fraction * wild
        table = model.genes if kind == "gene" else model.reactions
        sets: list[tuple[str, ...]] = [(x.id,) for x in table]
        results, plan = screen_plan(model, kind, sets, ctx, args.processes,
                                    f"{kind} essentiality")
        prov = provenance(model, applied=applied, parameters={
            "threshold": threshold, "threshold_fraction": args.threshold_fraction})
    rows = _rows(model, kind, sets, results, wild)
    everything = [{"id": r["ids"][0], "name": r["names"][0], "growth": r["growth"],
                   "relative": r["relative"], "status": r["status"],
                   "essential": r["status"] != "optimal" or r["growth"] < threshold}
                  for r in rows]
    essential = [{k: r[k] for k in ("id", "name", "growth")} for r in everything
                 if r["essential"]]
    return _Essentiality(model, applied, wild, threshold, essential, everything, prov,
                         _lp_counts(plan))


@REGISTRY.tool("essential_genes", "Genes whose deletion stops growth (below 1% of wild type "
               "by default).", EssentialArgs, long_running=True)
def essential_genes(args: EssentialArgs, ctx: ToolContext) -> ToolResult:
    model, applied, wild, threshold, essential, everything, prov, counts = _essential(
        "essential_genes", "gene", args, ctx)
    name = model_name(model)
    artifacts = put_table(ctx, f"essential_genes_{name}", everything,
                          ["id", "name", "growth", "relative", "status", "essential"])
    listed = [f"{g['id']} ({g['name']})" for g in essential]
    summary = (f"{len(essential)} of {len(everything)} genes are essential in {name} "
               f"({conditions_text(applied)}; growth < {fmt(threshold)} 1/h = "
               f"{threshold / wild:.0%} of wild type {fmt(wild)} 1/h): "
               f"{listing(listed, 40) or 'none'}.")
    return ToolResult(tool="essential_genes", summary=summary, artifacts=artifacts,
                      provenance=prov,
                      data={"genes": essential, "threshold": threshold,
                            "wild_type_growth": wild, "screened": len(everything),
                            "conditions": applied} | counts)


@REGISTRY.tool("essential_reactions", "Reactions whose removal stops growth (below 1% of "
               "wild type by default).", EssentialReactionArgs, long_running=True)
def essential_reactions(args: EssentialReactionArgs, ctx: ToolContext) -> ToolResult:
    model, applied, wild, threshold, essential, everything, prov, counts = _essential(
        "essential_reactions", "reaction", args, ctx)
    name = model_name(model)
    boundary_ids = {r.id for r in model.boundary} | set(objective_reactions(model))
    demands, sinks = {r.id for r in model.demands}, {r.id for r in model.sinks}
    for r in essential:  # cobrapy's classes: a demand (DM_) or sink (SK_) is no exchange
        rxn = model.reactions.get_by_id(r["id"])
        r["type"] = ("demand" if r["id"] in demands else "sink" if r["id"] in sinks else
                     "exchange" if rxn.boundary else "objective" if r["id"] in boundary_ids
                     else "transport" if len(rxn.compartments) > 1 else "metabolic")
    internal = [r for r in essential if r["id"] not in boundary_ids]
    boundary = [r for r in essential if r["id"] in boundary_ids]
    listed = internal + [r for r in boundary if (args.include_objective or r["type"] != "objective")
                         and (args.include_exchanges or r["type"] == "objective")] \
        if args.include_boundary else internal
    artifacts = put_table(ctx, f"essential_reactions_{name}", everything,
                          ["id", "name", "growth", "relative", "status", "essential"])
    summary = (f"{len(listed)} essential reactions in {name} ({conditions_text(applied)}; "
               f"growth < {fmt(threshold)} 1/h = {threshold / wild:.0%} of wild type "
               f"{fmt(wild)} 1/h): {listing((r['id'] for r in listed), 60) or 'none'}.")
    if boundary and not args.include_boundary:
        summary += (f" Also essential: {', '.join(r['id'] for r in boundary)} (exchanges / "
                    "objective, in data.boundary).")
    return ToolResult(tool="essential_reactions", summary=summary, artifacts=artifacts,
                      provenance=prov,
                      data={"reactions": listed, "boundary": boundary,
                            "exchanges": [r["id"] for r in boundary if r["type"] == "exchange"],
                            "threshold": threshold, "wild_type_growth": wild,
                            "screened": len(everything), "conditions": applied} | counts)
