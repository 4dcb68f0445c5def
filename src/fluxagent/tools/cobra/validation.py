"""Model checks: ``find_blocked_reactions`` and ``validate_model``.

validate_model runs memote's consistency checks (memote 0.17, ``memote.support``) with the
same definitions, on the model as the session has it, in a fraction of memote's time: mass and
charge balance, stoichiometric consistency, energy-generating and stoichiometrically balanced
cycles, orphan / dead-end / disconnected metabolites, reactions without a gene rule, blocked
reactions and metabolites with open exchanges, unbounded fluxes in the default condition, and
(when cheap) libSBML's and cobrapy's validators on the exported SBML. Where fluxagent's reading
differs from memote's it is a named convention with a switch, stated in the report
(tests/tools/test_memote_parity.py compares every shared check with memote). The checks are
plain functions on a ``cobra.Model`` (``quality_*`` modules); none leaves a change on the model.
"""

from __future__ import annotations

import logging
import os
import tempfile
from typing import Any, Literal

import cobra
import swiglpk
from cobra.core.solution import get_solution
from pydantic import Field

from fluxagent.render.validation_report import html, markdown
from fluxagent.tools.batch import PARALLEL_WORK
from fluxagent.tools.cobra.fva import fva_ranges
from fluxagent.tools.cobra.glpk_lp import load_matrix, solve_fresh
from fluxagent.tools.cobra.quality_cycles import (
    EgcConvention,
    balanced_cycles,
    energy_generating_cycles,
)
from fluxagent.tools.cobra.quality_flux import (
    blocked_metabolites,
    blocked_open_reactions,
    unbounded_flux,
)
from fluxagent.tools.cobra.quality_score import build_sections
from fluxagent.tools.cobra.quality_structure import (
    FormulaLess,
    dead_ends,
    internal_reactions,
    mass_charge_balance,
    reactions_without_gpr,
)
from fluxagent.tools.cobra.quality_summary import conventions, count_findings, summary_parts
from fluxagent.tools.conditions import apply_conditions, conditions_text
from fluxagent.tools.linking import link_many
from fluxagent.tools.models import build_info
from fluxagent.tools.provenance import provenance
from fluxagent.tools.registry import REGISTRY, ToolContext
from fluxagent.tools.results import ToolResult
from fluxagent.tools.toolkit import (
    AnalysisArgs,
    ModelArgs,
    is_biomass,
    listing,
    put_json,
    put_table,
    require_feasible,
)

FLUX_EPS = 1e-6


def biomass_reactions(model: cobra.Model) -> list[cobra.Reaction]:
    """Objective reactions plus any reaction that looks like a biomass reaction."""
    return sorted((r for r in model.reactions if r.objective_coefficient != 0 or is_biomass(r)),
                  key=lambda r: r.id)


def unconserved_metabolites(model: cobra.Model) -> dict[str, Any]:
    """Stoichiometric consistency: is there a positive mass for every metabolite?

    One LP (Gevorgyan et al. 2008, as in memote): maximise sum z_i subject to
    S_internal^T m = 0, m_i >= z_i, 0 <= z_i <= 1. Metabolites with z_i = 0 at the optimum cannot
    get a positive mass, so they take part in a reaction that creates or destroys mass. (The
    set is unique: masses add, so an optimum gives z_i = 1 to every metabolite that can have
    one.) Built in GLPK directly, in one matrix load: through optlang the rows cost 20x the solve.
    """
    mets = list(model.metabolites)
    index = {m.id: i for i, m in enumerate(mets, start=1)}
    n = len(mets)
    reactions = internal_reactions(model)
    entries: list[tuple[int, int, float]] = []
    for i in range(1, n + 1):  # row i: m_i - z_i >= 0 (columns m_i = i, z_i = n + i)
        entries += [(i, i, 1.0), (i, n + i, -1.0)]
    for j, r in enumerate(reactions, start=n + 1):  # row n + j: sum_i S_ij m_i = 0
        entries += [(j, index[m.id], float(c)) for m, c in r.metabolites.items() if c]
    lp = swiglpk.glp_create_prob()
    try:
        swiglpk.glp_set_obj_dir(lp, swiglpk.GLP_MAX)
        swiglpk.glp_add_rows(lp, n + len(reactions))
        swiglpk.glp_add_cols(lp, 2 * n)
        for i in range(1, n + 1):
            swiglpk.glp_set_row_bnds(lp, i, swiglpk.GLP_LO, 0.0, 0.0)
            swiglpk.glp_set_col_bnds(lp, i, swiglpk.GLP_LO, 0.0, 0.0)
            swiglpk.glp_set_col_bnds(lp, n + i, swiglpk.GLP_DB, 0.0, 1.0)
            swiglpk.glp_set_obj_coef(lp, n + i, 1.0)
        for j in range(n + 1, n + len(reactions) + 1):
            swiglpk.glp_set_row_bnds(lp, j, swiglpk.GLP_FX, 0.0, 0.0)
        load_matrix(lp, entries)
        if not solve_fresh(lp):
            return {"consistent": None, "status": "not optimal", "unconserved": []}
        bad = sorted(m.id for i, m in enumerate(mets, start=1)
                     if swiglpk.glp_get_col_prim(lp, n + i) < 1e-7)
    finally:
        swiglpk.glp_delete_prob(lp)
    return {"consistent": not bad, "status": "optimal", "unconserved": bad,
            "reactions_checked": len(reactions)}


def sbml_issues(model: cobra.Model) -> dict[str, Any]:
    """Write the model as SBML and run libSBML's and cobrapy's validators on that file."""
    sbml_log = logging.getLogger("cobra.io.sbml")
    level = sbml_log.level
    sbml_log.setLevel(logging.CRITICAL)  # the findings are returned, not logged
    try:
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "model.xml")  # never the model's id: it is untrusted
            cobra.io.write_sbml_model(model, path)
            _, errors = cobra.io.validate_sbml_model(path)
    finally:
        sbml_log.setLevel(level)
    return {"counts": {k: len(v) for k, v in errors.items()},
            "messages": {k: [str(x) for x in v[:20]] for k, v in errors.items() if v}}


# --------------------------------------------------------------------------- tools
def _name(model: cobra.Model) -> str:
    info = build_info(model)
    return info.name if info else model.id


class BlockedArgs(AnalysisArgs):
    open_exchanges: bool = Field(default=False, description="Open every exchange (uptake and "
                                 "secretion to 1000) first, so only reactions blocked by the "
                                 "network itself remain.")
    reactions: list[str] | None = Field(default=None, description="Only test these reactions "
                                        "(default: all).")
    processes: int | None = Field(default=None, ge=1, le=64, description="Worker processes "
                                  "(default: by model size and FLUXAGENT_PROCESSES).")


def blocked_reactions(model: cobra.Model, subset: list[str] | None, open_exchanges: bool,
                      ctx: ToolContext, processes: int | None) -> list[str]:
    """cobrapy's find_blocked_reactions, run on the shared FVA engine (progress, time limit,
    worker processes): reactions without flux in one optimal solution get an FVA at 0% of the
    optimum; those whose minimum and maximum are both within the tolerance are blocked."""
    with model:
        if open_exchanges:
            for r in model.exchanges:
                r.bounds = (min(r.lower_bound, -1000.0), max(r.upper_bound, 1000.0))
        tol = model.tolerance
        require_feasible(model, "find_blocked_reactions")
        rids = subset if subset is not None else [r.id for r in model.reactions]
        fluxes = get_solution(model, reactions=[model.reactions.get_by_id(i) for i in rids])
        zero = [i for i in rids if abs(fluxes.fluxes[i]) < tol]
        if not zero:
            return []
        _, rows = fva_ranges(model, zero, 0.0, False, ctx, processes)
    return sorted(r["id"] for r in rows if abs(r["minimum"]) < tol and abs(r["maximum"]) < tol)


@REGISTRY.tool("find_blocked_reactions", "Reactions that cannot carry any flux (flux "
               "variability min = max = 0) on the current medium or with all exchanges open.",
               BlockedArgs, long_running=True)
def find_blocked(args: BlockedArgs, ctx: ToolContext) -> ToolResult:
    model = ctx.model(args.model)
    with model:
        applied = apply_conditions(model, args.conditions)
        subset = link_many(model, args.reactions, "reaction") if args.reactions else None
        n = len(subset) if subset is not None else len(model.reactions)
        blocked = blocked_reactions(model, subset, args.open_exchanges, ctx, args.processes)
        prov = provenance(model, parameters=args.model_dump(
            exclude_none=True, exclude={"model", "conditions"}), applied=applied)
    ids = blocked
    names = {i: model.reactions.get_by_id(i).name for i in ids}
    how = ("with every exchange open" if args.open_exchanges
           else f"on the current medium ({conditions_text(applied)})")
    summary = (f"{len(ids)} of {n} reactions of {_name(model)} are blocked (cannot carry flux) "
               f"{how}: {listing(ids, 40) or 'none'}.")
    if not args.open_exchanges and ids:
        summary += (" Some are blocked only because their substrate is not in the medium; "
                    "open_exchanges=true tests with every exchange open.")
    data = {"reactions": ids, "count": len(ids), "tested": n, "names": names,
            "open_exchanges": args.open_exchanges, "conditions": applied}
    rows = [{"id": i, "name": names[i]} for i in ids]
    return ToolResult(tool="find_blocked_reactions", summary=summary, data=data,
                      provenance=prov,
                      artifacts=put_table(ctx, "blocked_reactions", rows, ["id", "name"]))


CheckName = Literal["mass_balance", "stoichiometric_consistency", "energy_cycles",
                    "balanced_cycles", "dead_ends", "gpr", "blocked_open", "metabolite_flux",
                    "unbounded_flux", "sbml"]
ALL_CHECKS: tuple[CheckName, ...] = ("mass_balance", "stoichiometric_consistency",
                                     "energy_cycles", "balanced_cycles", "dead_ends", "gpr",
                                     "blocked_open", "metabolite_flux", "unbounded_flux",
                                     "sbml")
#: ``sbml: auto`` re-validates an exported SBML only for models up to this size (it takes
#: about 15 s on iJO1366); user files were validated when they were loaded.
SBML_AUTO_REACTIONS = 1000


class ValidateArgs(ModelArgs):
    checks: list[CheckName] | None = Field(default=None, description="Checks to run "
                                           "(default: all).")
    sbml: Literal["auto", "yes", "no"] = Field(default="auto", description="Export SBML and "
                                               "run libSBML/cobrapy validators: auto = only "
                                               "for models up to 1000 reactions.")
    formula_less: FormulaLess = Field(default="apart", description="Reactions with a "
                                      "metabolite without formula (charge): 'apart' = not "
                                      "checked, listed on their own; 'counted' = counted "
                                      "unbalanced, as memote does.")
    energy_cycles_bounds: Literal["model", "memote", "both"] = Field(
        default="both", description="Energy-generating cycles with all boundaries closed "
        "under the model's own bounds, under memote's reset bounds (every reaction -1..1 or "
        "0..1 by its reversibility), or both.")
    processes: int | None = Field(default=None, ge=1, le=64, description="Worker processes "
                                  "for the FVA-based checks (default: by model size); a small "
                                  "model runs in process whatever is asked.")


def _sbml_check(model: cobra.Model, mode: str) -> dict[str, Any]:
    info = build_info(model)
    from_file = bool(info and info.base.startswith("file:"))
    out: dict[str, Any] = {"from_file": from_file,
                           "load_warnings": list(info.warnings) if info else []}
    if mode == "yes" or (mode == "auto" and len(model.reactions) <= SBML_AUTO_REACTIONS):
        return out | {"ran": True} | sbml_issues(model)
    return out | {"ran": False, "counts": {}, "messages": {},
                  "note": "skipped (large model); pass sbml='yes' to run it"}


@REGISTRY.tool("validate_model", "Model quality checks at memote parity: mass and charge "
               "balance, stoichiometric consistency, energy-generating and balanced cycles, "
               "dead-end and orphan metabolites, reactions without gene rules, blocked "
               "reactions and metabolites with open exchanges, unbounded fluxes, SBML "
               "validity; a scored report (Markdown, HTML, JSON).", ValidateArgs,
               long_running=True)
def validate_model(args: ValidateArgs, ctx: ToolContext) -> ToolResult:
    model = ctx.model(args.model)
    wanted = list(dict.fromkeys(args.checks or ALL_CHECKS))
    # Forking workers costs more than a small model's LPs (e_coli_core: 0.1 s per check
    # against 0.02 s of solving), so below batch.PARALLEL_WORK every check runs in process.
    procs = 1 if len(model.reactions) ** 2 < PARALLEL_WORK else args.processes
    both: tuple[EgcConvention, ...] = ("model", "memote")
    egc = both if args.energy_cycles_bounds == "both" else (
        ("memote",) if args.energy_cycles_bounds == "memote" else ("model",))

    def cycles(m: cobra.Model) -> dict[str, Any]:
        return {("energy_cycles" if conv == "model" else "energy_cycles_memote"):
                energy_generating_cycles(m, convention=conv) for conv in egc}

    runners: dict[str, Any] = {
        "mass_balance": lambda m: mass_charge_balance(m, args.formula_less),
        "stoichiometric_consistency": unconserved_metabolites,
        "energy_cycles": cycles,
        "balanced_cycles": lambda m: balanced_cycles(m, ctx, procs),
        "dead_ends": dead_ends,
        "gpr": lambda m: {"reactions": reactions_without_gpr(m),
                          "tested": len(m.reactions) - len(m.boundary)},
        "blocked_open": lambda m: blocked_open_reactions(m, ctx),
        "metabolite_flux": lambda m: blocked_metabolites(m, ctx, procs),
        "unbounded_flux": lambda m: unbounded_flux(m, ctx, procs),
        "sbml": lambda m: _sbml_check(m, args.sbml)}
    checks: dict[str, Any] = {}
    for i, name in enumerate(wanted):
        ctx.progress(i / len(wanted), name)
        out = runners[name](model)
        checks |= out if name == "energy_cycles" else {name: out}
    ctx.progress(1.0, "done")
    title = _name(model)
    report = build_sections(checks, len(model.reactions), len(model.metabolites))
    report |= {"model": title, "conventions": conventions(checks)}
    counts = count_findings(checks)
    summary = f"Validation of {title}: " + "; ".join(summary_parts(checks, counts)) + \
        f". Score {report['score']:.0%} (" + ", ".join(
            f"{s['title'].lower()} {s['score']:.0%}" for s in report["sections"]) + ")."
    rows = [{"check": k, "count": v} for k, v in counts.items()]
    artifacts = put_table(ctx, "validation_counts", rows, ["check", "count"]) \
        + put_json(ctx, "validation", checks | {"report": report})
    if ctx.artifacts is not None:
        artifacts += [
            ctx.artifacts.put("validation_report.md", markdown(report).encode(),
                              "text/markdown"),
            ctx.artifacts.put("validation_report.html", html(report).encode(), "text/html")]
    params = {"checks": wanted, "sbml": args.sbml, "formula_less": args.formula_less,
              "energy_cycles_bounds": args.energy_cycles_bounds}
    return ToolResult(tool="validate_model", summary=summary,
                      data={"checks": checks, "counts": counts, "report": report},
                      provenance=provenance(model, parameters=params), artifacts=artifacts)
