"""Medium design: ``minimal_medium`` (a true MILP), ``find_auxotrophies``, ``compare_media``.

The algorithms are plain functions on a ``cobra.Model`` (tested directly against cobrapy); the
tool wrappers at the bottom add linking, conditions, summaries and artifacts.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, Literal

import cobra
from cobra.core.solution import get_solution
from cobra.medium import minimal_medium
from optlang.interface import TIME_LIMIT
from pydantic import BaseModel, ConfigDict, Field

from fluxagent.tools.conditions import (
    Conditions,
    apply_conditions,
    conditions_text,
    describe_medium,
)
from fluxagent.tools.linking import link_many
from fluxagent.tools.models import build_info
from fluxagent.tools.provenance import provenance
from fluxagent.tools.registry import REGISTRY, ToolContext
from fluxagent.tools.results import ToolFailure, ToolResult
from fluxagent.tools.toolkit import (
    AnalysisArgs,
    Deadline,
    ModelArgs,
    biomass_objective,
    fmt,
    infeasible_hint,
    optimize,
    put_table,
    require_objective,
)

Progress = Callable[[float, str], None]


def _zero(x: float) -> float:
    return round(float(x), 9) + 0.0  # no "-0.0" in results


def max_growth(model: cobra.Model) -> float:
    """The objective optimum, 0.0 when infeasible."""
    value = model.slim_optimize(error_value=float("nan"))
    return 0.0 if value != value else float(value)


def solve_minimal_medium(model: cobra.Model, min_growth: float = 0.1, *,
                         minimize_components: bool = True, open_exchanges: bool = False,
                         time_limit_s: float | None = None) -> dict[str, float]:
    """cobrapy's minimal_medium with a solver time limit and structured failures.

    minimize_components=True solves the MILP for the fewest imported components;
    False solves the LP for the smallest total import flux.
    """
    config = model.solver.configuration
    old_timeout = getattr(config, "timeout", None)
    try:
        if time_limit_s:
            config.timeout = max(1, int(time_limit_s))
        medium = minimal_medium(model, min_growth, minimize_components=minimize_components,
                                open_exchanges=open_exchanges)
        status = model.solver.status
    finally:
        if time_limit_s:
            config.timeout = old_timeout
    if medium is None:
        if status == TIME_LIMIT:
            raise ToolFailure("timeout", f"the minimal-medium MILP hit the time limit of "
                              f"{time_limit_s:g} s",
                              hint="use minimize='flux' (an LP) or raise "
                              "FLUXAGENT_TOOL_TIME_LIMIT_S")
        raise ToolFailure("infeasible", f"no medium from the available exchanges reaches a "
                          f"growth of {min_growth:g} 1/h",
                          hint="lower min_growth, or set open_exchanges=true to allow every "
                          "exchange of the model")
    return {str(k): _zero(v) for k, v in medium.items() if abs(v) > 1e-9}


def auxotrophy_screen(model: cobra.Model, *, threshold: float = 0.01,
                      supplement_uptake: float = 10.0, progress: Progress | None = None,
                      check: Callable[[], None] | None = None) -> dict[str, Any]:
    """Which nutrients does the organism need on its current medium?

    Every exchange reaction is a candidate. For exchange e, growth_with is growth on the medium
    plus e (uptake up to ``supplement_uptake``) and growth_without on the medium minus e; e is
    needed when growth_without < threshold <= growth_with. When the medium supports growth, only
    its own components can be needed ("required"); when it does not, any single supplement
    that restores growth is reported ("rescue").
    """
    base = max_growth(model)
    grows = base >= threshold
    exchanges = sorted(model.exchanges, key=lambda r: r.id)
    candidates = [ex for ex in exchanges if (ex.lower_bound < 0) == grows]
    found: list[dict[str, Any]] = []
    for i, ex in enumerate(candidates):
        with model:
            ex.lower_bound = 0.0 if grows else -abs(supplement_uptake)
            g = max_growth(model)
        without, with_ = (g, base) if grows else (base, g)
        if without < threshold <= with_:
            met = next(iter(ex.metabolites), None)
            found.append({"exchange": ex.id, "name": met.name if met else ex.name,
                          "kind": "required" if grows else "rescue",
                          "growth_without": _zero(without), "growth_with": _zero(with_)})
        if progress and (i % 25 == 0 or i == len(candidates) - 1):
            progress((i + 1) / max(len(candidates), 1), f"tested {ex.id}")
        if check is not None:
            check()
    result: dict[str, Any] = {"base_growth": _zero(base), "threshold": threshold,
                              "tested": len(candidates), "exchanges": len(exchanges),
                              "auxotrophies": found}
    if not grows and not found:  # no single supplement: does anything help at all?
        with model:
            for ex in exchanges:
                ex.lower_bound = min(ex.lower_bound, -abs(supplement_uptake))
            result["growth_all_supplements"] = _zero(max_growth(model))
    return result


# --------------------------------------------------------------------------- tools
def _name(model: cobra.Model) -> str:
    info = build_info(model)
    return info.name if info else model.id


def _met_name(model: cobra.Model, ex_id: str) -> str:
    met = next(iter(model.reactions.get_by_id(ex_id).metabolites), None)
    return (met.name or met.id) if met is not None else ex_id


def _quiet_cobra() -> None:
    """cobrapy logs 'Minimization of medium was infeasible' as a warning; we report it."""
    logging.getLogger("cobra.medium").setLevel(logging.ERROR)


class MinimalMediumArgs(AnalysisArgs):
    min_growth: float = Field(default=0.1, gt=0, description="Growth (objective) the medium "
                              "must support, 1/h.")
    minimize: Literal["components", "flux"] = Field(
        default="components", description="components: fewest nutrients (MILP); flux: "
        "smallest total uptake (LP).")
    open_exchanges: bool = Field(default=False, description="Consider every exchange of the "
                                 "model, not only the uptakes open in the medium.")
    growth_fraction: float | None = Field(
        default=None, gt=0, le=1, description="Instead of min_growth: this fraction of the "
        "maximal growth on the medium (1.0: at the optimum, as cobrapy's "
        "minimal_medium(model, model.slim_optimize())).")


@REGISTRY.tool("minimal_medium", "Minimal medium (MILP): the fewest nutrients, or the smallest "
               "total uptake, that still support a given growth rate.", MinimalMediumArgs,
               long_running=True)
def minimal_medium_tool(args: MinimalMediumArgs, ctx: ToolContext) -> ToolResult:
    _quiet_cobra()
    model = ctx.model(args.model)
    with model:
        applied = apply_conditions(model, args.conditions)
        require_objective(model)
        status, best = optimize(model)
        if args.growth_fraction is not None and status == "optimal":
            args = args.model_copy(update={"min_growth": args.growth_fraction * best})
        if not args.open_exchanges and (status != "optimal" or best < args.min_growth * (1 - 1e-9)):
            raise ToolFailure(
                "infeasible", f"{_name(model)} reaches at most "
                f"{fmt(best if status == 'optimal' else 0.0)} 1/h on this medium, below "
                f"min_growth {args.min_growth:g} 1/h",
                hint=f"lower min_growth, or set open_exchanges=true; {infeasible_hint(model)}")
        medium = solve_minimal_medium(
            model, args.min_growth, minimize_components=args.minimize == "components",
            open_exchanges=args.open_exchanges, time_limit_s=ctx.settings.tool_time_limit_s)
        prov = provenance(model, parameters=args.model_dump(
            exclude_none=True, exclude={"model", "conditions"}), applied=applied)
        imports = {k: v for k, v in medium.items() if v > 0}
        with model:
            model.medium = {k: max(v, 0.0) for k, v in imports.items()}
            check = max_growth(model)
    names = {k: _met_name(model, k) for k in imports}
    total = _zero(sum(imports.values()))
    rows = [{"exchange": k, "name": names[k], "flux": v} for k, v in sorted(imports.items())]
    how = ("fewest components (MILP)" if args.minimize == "components"
           else "smallest total uptake (LP)")
    items = ", ".join(f"{k} ({names[k]}) {fmt(v, 4)}" for k, v in sorted(imports.items()))
    where = "any exchange of the model" if args.open_exchanges else \
        f"the current medium ({conditions_text(applied)})"
    summary = (f"Minimal medium of {_name(model)} for growth ≥ {args.min_growth:g} 1/h, "
               f"{how}, choosing from {where}: {len(imports)} components: {items} "
               f"(uptake, mmol/gDW/h; total {fmt(total, 4)}). Growth with exactly these "
               f"uptakes: {fmt(check)} 1/h. Other media of the same size may exist.")
    data = {"medium": imports, "components": len(imports), "min_growth": args.min_growth,
            "minimize": args.minimize, "names": names, "total_uptake": total,
            "open_exchanges": args.open_exchanges, "max_growth": _zero(best),
            "growth_on_medium": _zero(check), "conditions": applied}
    return ToolResult(tool="minimal_medium", summary=summary, data=data, provenance=prov,
                      artifacts=put_table(ctx, "minimal_medium", rows,
                                          ["exchange", "name", "flux"]))


class AuxotrophyArgs(AnalysisArgs):
    threshold: float = Field(default=0.01, ge=0, description="Growth (1/h) below which the "
                             "organism counts as not growing.")
    supplement_uptake: float = Field(default=10.0, gt=0, description="Max uptake given to a "
                                     "tested supplement, mmol/gDW/h.")
    base_medium: Literal["current", "minimal"] = Field(
        default="current", description="current: the model's medium (with conditions); "
        "minimal: its fewest-components minimal medium for the wild type.")


def _split(c: Conditions | None) -> tuple[Conditions, Conditions, bool]:
    c = c or Conditions()
    wild = c.model_copy(update={"knockout_genes": [], "knockout_reactions": []})
    kos = Conditions(knockout_genes=c.knockout_genes, knockout_reactions=c.knockout_reactions)
    return wild, kos, bool(c.knockout_genes or c.knockout_reactions)


@REGISTRY.tool("find_auxotrophies", "Auxotrophy screen over every exchange: which nutrients "
               "the organism (or a knockout mutant) needs, or which single supplement restores "
               "its growth.", AuxotrophyArgs, long_running=True)
def find_auxotrophies(args: AuxotrophyArgs, ctx: ToolContext) -> ToolResult:
    _quiet_cobra()
    deadline = Deadline(ctx, "auxotrophy screen", "raise FLUXAGENT_TOOL_TIME_LIMIT_S")
    model = ctx.model(args.model)
    wild_c, ko_c, mutant = _split(args.conditions)
    with model:
        applied = apply_conditions(model, wild_c)
        require_objective(model)
        optimize(model)  # unbounded or solver failure -> ToolError
        if args.base_medium == "minimal":
            comps = solve_minimal_medium(model, max(args.threshold, 0.1),
                                         time_limit_s=ctx.settings.tool_time_limit_s)
            current = model.medium
            model.medium = {k: current.get(k, args.supplement_uptake) for k in comps}
            applied |= describe_medium(model)
        wild = auxotrophy_screen(model, threshold=args.threshold,
                                 supplement_uptake=args.supplement_uptake,
                                 check=deadline.check) if mutant else None
        if mutant:
            ko = apply_conditions(model, ko_c)
            for key in ("knockout_genes", "knockout_reactions", "reactions_disabled"):
                applied[key] = ko[key]
            applied["conditions"] = (args.conditions or Conditions()).model_dump(
                exclude_defaults=True)
        screen = auxotrophy_screen(model, threshold=args.threshold,
                                   supplement_uptake=args.supplement_uptake,
                                   progress=ctx.progress, check=deadline.check)
        prov = provenance(model, parameters=args.model_dump(
            exclude_none=True, exclude={"model", "conditions"}), applied=applied)
    wild_needs = {a["exchange"] for a in wild["auxotrophies"]} if wild else set()
    for a in screen["auxotrophies"]:
        a["wild_type_needs"] = a["exchange"] in wild_needs if mutant else None
    auxo = screen["auxotrophies"]
    where = f"{_name(model)} ({conditions_text(applied)})"
    head = (f"Auxotrophy screen of {where}: growth on the base medium "
            f"{fmt(screen['base_growth'])} 1/h (threshold {args.threshold:g}); "
            f"{screen['tested']} of {screen['exchanges']} exchanges tested.")

    def item(a: dict[str, Any]) -> str:
        return f"{a['exchange']} ({a['name']})"
    if screen["base_growth"] >= args.threshold:
        need = ", ".join(item(a) for a in auxo) or "none"
        body = f" Needed from the medium (growth 0 without it): {need}."
        if mutant:
            own = [item(a) for a in auxo if not a["wild_type_needs"]]
            body += (f" Needed by the mutant but not the wild type: "
                     f"{', '.join(own) or 'none'}.")
    elif auxo:
        body = (" No growth without a supplement; growth restored by a single supplement "
                f"(uptake ≤ {args.supplement_uptake:g}): "
                + ", ".join(f"{item(a)} → {fmt(a['growth_with'], 4)} 1/h" for a in auxo[:15])
                + (f" … (+{len(auxo) - 15} more)" if len(auxo) > 15 else "") + ".")
    else:
        body = (" No single supplement restores growth (growth with every exchange open: "
                f"{fmt(screen.get('growth_all_supplements', 0.0))} 1/h).")
    data = screen | {"mutant": mutant, "conditions": applied,
                     "base_medium": args.base_medium}
    rows = [{k: a[k] for k in ("exchange", "name", "kind", "growth_without", "growth_with",
                               "wild_type_needs")} for a in auxo]
    return ToolResult(tool="find_auxotrophies", summary=head + body, data=data,
                      provenance=prov, artifacts=put_table(
                          ctx, "auxotrophies", rows, ["exchange", "name", "kind",
                                                      "growth_without", "growth_with",
                                                      "wild_type_needs"]))


class MediumCase(BaseModel):
    model_config = ConfigDict(extra="forbid")

    label: str = Field(min_length=1, max_length=80)
    conditions: Conditions = Field(default_factory=Conditions)


class CompareMediaArgs(ModelArgs):
    cases: list[MediumCase] = Field(min_length=1, max_length=30, description="Labelled "
                                    "conditions to compare side by side.")
    exchanges: list[str] | None = Field(default=None, description="Exchanges to report in "
                                        "every row (default: the largest fluxes of each).")


@REGISTRY.tool("compare_media", "Growth and key exchange fluxes under several labelled media "
               "or conditions, side by side.", CompareMediaArgs)
def compare_media(args: CompareMediaArgs, ctx: ToolContext) -> ToolResult:
    model = ctx.model(args.model)
    require_objective(model)
    labels = [c.label for c in args.cases]
    if len(set(labels)) != len(labels):
        raise ToolFailure("bad_arguments", "case labels must be unique",
                          hint=f"labels given: {', '.join(labels)}")
    chosen = link_many(model, args.exchanges, "exchange") if args.exchanges else None
    rows: list[dict[str, Any]] = []
    for i, case in enumerate(args.cases):
        with model:
            try:
                applied = apply_conditions(model, case.conditions)
            except ToolFailure as exc:
                raise ToolFailure(exc.kind, f"case {case.label!r}: {exc.message}", exc.hint,
                                  **exc.data) from None
            status, value = optimize(model, cold=True)  # its exchange fluxes are reported
            fluxes: dict[str, float] = {}
            if status == "optimal":
                sol = get_solution(model, reactions=model.exchanges)
                fluxes = {k: _zero(v) for k, v in sol.fluxes.items() if abs(v) > 1e-6}
            if chosen is not None:
                shown = {k: fluxes.get(k, 0.0) for k in chosen}
            else:
                shown = {k: fluxes[k] for k in sorted(fluxes, key=lambda k: (-abs(fluxes[k]),
                                                                           k))[:6]}
            rows.append({"label": case.label, "growth_rate": _zero(value), "status": status,
                         "exchanges": shown, "all_exchanges": fluxes,
                         "conditions": conditions_text(applied), "applied": applied})
        ctx.progress((i + 1) / len(args.cases), case.label)
    growth_of = biomass_objective(model)
    unit = "1/h" if growth_of else "objective units"
    parts = [f"{r['label']}: {fmt(r['growth_rate'])}" + ("" if r["status"] == "optimal"
                                                          else " (infeasible, no growth)")
             for r in rows]
    key = sorted({k for r in rows for k in r["exchanges"]})
    summary = (f"{'Growth' if growth_of else 'Objective'} of {_name(model)} under "
               f"{len(rows)} conditions ({unit}): " + "; ".join(parts) + ".")
    if key:
        summary += " Exchange fluxes (mmol/gDW/h, negative = uptake): " + "; ".join(
            f"{r['label']}: " + ", ".join(f"{k} {fmt(v, 4)}" for k, v in r["exchanges"].items())
            for r in rows if r["exchanges"]) + "."
    columns = ["label", "growth_rate", "status", *key]
    table = [{"label": r["label"], "growth_rate": r["growth_rate"], "status": r["status"],
              **{k: r["all_exchanges"].get(k, 0.0) for k in key}} for r in rows]
    with model:
        prov = provenance(model, parameters={"cases": [c.model_dump(exclude_defaults=True)
                                                       for c in args.cases],
                                             "exchanges": chosen})
    return ToolResult(tool="compare_media", summary=summary,
                      data={"rows": rows, "objective": growth_of or
                            [r.id for r in model.reactions if r.objective_coefficient]},
                      provenance=prov, artifacts=put_table(ctx, "compare_media", table,
                                                           columns))
