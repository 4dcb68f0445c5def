"""Model checks: ``find_blocked_reactions`` and ``validate_model``.

validate_model runs, on the model as the session has it: mass and charge balance of every
internal reaction, stoichiometric consistency (can every metabolite get a positive mass?),
energy-generating cycles with all boundary reactions closed, dead-end / orphan / disconnected
metabolites and, when cheap, libSBML's and cobrapy's validators on the exported SBML. The checks
are plain functions on a ``cobra.Model``; none leaves a change on the model.
"""

from __future__ import annotations

import logging
import os
import tempfile
from typing import Any, Literal

import cobra
from cobra.core.solution import get_solution
from optlang.interface import OPTIMAL
from optlang.symbolics import Zero
from pydantic import Field

from fluxagent.tools.cobra.fva import fva_ranges
from fluxagent.tools.conditions import apply_conditions, conditions_text
from fluxagent.tools.linking import link_many
from fluxagent.tools.models import build_info
from fluxagent.tools.provenance import provenance
from fluxagent.tools.registry import REGISTRY, ToolContext
from fluxagent.tools.results import ToolResult
from fluxagent.tools.toolkit import (
    AnalysisArgs,
    ModelArgs,
    fmt,
    is_biomass,
    listing,
    put_json,
    put_table,
    require_feasible,
)

#: Pairs of (charged, discharged) energy metabolites, as in Fritzemeier et al. 2017
#: (PLoS Comput Biol 13:e1005494): a dissipation reaction charged -> discharged must carry no
#: flux when every boundary reaction is closed, or the model has an energy-generating cycle.
#: Entries: name, substrates {base id: coefficient}, products {base id: coefficient}.
ENERGY_PAIRS: tuple[tuple[str, dict[str, float], dict[str, float]], ...] = (
    ("ATP", {"atp": 1, "h2o": 1}, {"adp": 1, "pi": 1, "h": 1}),
    ("CTP", {"ctp": 1, "h2o": 1}, {"cdp": 1, "pi": 1, "h": 1}),
    ("GTP", {"gtp": 1, "h2o": 1}, {"gdp": 1, "pi": 1, "h": 1}),
    ("UTP", {"utp": 1, "h2o": 1}, {"udp": 1, "pi": 1, "h": 1}),
    ("ITP", {"itp": 1, "h2o": 1}, {"idp": 1, "pi": 1, "h": 1}),
    ("NADH", {"nadh": 1}, {"nad": 1, "h": 1}),
    ("NADPH", {"nadph": 1}, {"nadp": 1, "h": 1}),
    ("FADH2", {"fadh2": 1}, {"fad": 1, "h": 2}),
    ("FMNH2", {"fmnh2": 1}, {"fmn": 1, "h": 2}),
    ("ubiquinol-8", {"q8h2": 1}, {"q8": 1, "h": 2}),
    ("menaquinol-8", {"mql8": 1}, {"mqn8": 1, "h": 2}),
    ("2-demethylmenaquinol-8", {"2dmmql8": 1}, {"2dmmq8": 1, "h": 2}),
    ("acetyl-CoA", {"accoa": 1, "h2o": 1}, {"ac": 1, "coa": 1, "h": 1}),
    ("L-glutamate", {"glu__L": 1, "h2o": 1}, {"akg": 1, "nh4": 1, "h": 2}),
)

FLUX_EPS = 1e-6


def biomass_reactions(model: cobra.Model) -> list[cobra.Reaction]:
    """Objective reactions plus any reaction that looks like a biomass reaction."""
    return sorted((r for r in model.reactions if r.objective_coefficient != 0 or is_biomass(r)),
                  key=lambda r: r.id)


def internal_reactions(model: cobra.Model) -> list[cobra.Reaction]:
    """Reactions that should conserve mass: not boundary (exchange, demand, sink), not biomass."""
    skip = {r.id for r in model.boundary} | {r.id for r in biomass_reactions(model)}
    return [r for r in model.reactions if r.id not in skip]


def mass_charge_balance(model: cobra.Model) -> dict[str, Any]:
    """Element and charge imbalance of every internal reaction (cobrapy's check_mass_balance)."""
    mass: list[dict[str, Any]] = []
    charge: list[dict[str, Any]] = []
    no_formula = sorted(m.id for m in model.metabolites if not m.formula)
    no_charge = sorted(m.id for m in model.metabolites if m.charge is None)
    unchecked: list[str] = []
    reactions = internal_reactions(model)
    for r in reactions:
        mets = r.metabolites
        if any(not m.formula for m in mets):
            unchecked.append(r.id)
            continue
        imbalance = r.check_mass_balance()
        elements = {k: round(v, 9) for k, v in imbalance.items() if k != "charge"}
        if elements:
            mass.append({"id": r.id, "imbalance": elements})
        if "charge" in imbalance and all(m.charge is not None for m in mets):
            charge.append({"id": r.id, "imbalance": round(imbalance["charge"], 9)})
    return {"checked": len(reactions) - len(unchecked), "mass_unbalanced": mass,
            "charge_unbalanced": charge, "unchecked_no_formula": sorted(unchecked),
            "metabolites_without_formula": no_formula, "metabolites_without_charge": no_charge}


def unconserved_metabolites(model: cobra.Model) -> dict[str, Any]:
    """Stoichiometric consistency: is there a positive mass for every metabolite?

    One LP (Gevorgyan et al. 2008, as in memote): maximise sum z_i subject to
    S_internal^T m = 0, m_i >= z_i, 0 <= z_i <= 1. Metabolites with z_i = 0 at the optimum cannot
    get a positive mass, so they take part in a reaction that creates or destroys mass.
    """
    iface = model.problem
    lp = iface.Model()
    mets = list(model.metabolites)
    m_vars = {m.id: iface.Variable(f"m_{i}", lb=0) for i, m in enumerate(mets)}
    z_vars = {m.id: iface.Variable(f"z_{i}", lb=0, ub=1) for i, m in enumerate(mets)}
    lp.add(list(m_vars.values()) + list(z_vars.values()))
    lp.update()
    mz = [iface.Constraint(Zero, lb=0, name=f"mz_{i}") for i in range(len(mets))]
    reactions = internal_reactions(model)
    rc = [iface.Constraint(Zero, lb=0, ub=0, name=f"r_{j}") for j in range(len(reactions))]
    lp.add(mz + rc)
    lp.update()
    for con, met in zip(mz, mets, strict=True):  # m_i - z_i >= 0
        con.set_linear_coefficients({m_vars[met.id]: 1.0, z_vars[met.id]: -1.0})
    for con, r in zip(rc, reactions, strict=True):  # sum_i S_ij m_i = 0
        con.set_linear_coefficients({m_vars[m.id]: float(c) for m, c in r.metabolites.items()})
    lp.objective = iface.Objective(Zero, direction="max")
    lp.objective.set_linear_coefficients(dict.fromkeys(z_vars.values(), 1.0))
    status = lp.optimize()
    if status != OPTIMAL:
        return {"consistent": None, "status": status, "unconserved": []}
    bad = sorted(k for k, z in z_vars.items() if (z.primal or 0.0) < 1e-7)
    return {"consistent": not bad, "status": status, "unconserved": bad,
            "reactions_checked": len(reactions)}


def _met(model: cobra.Model, base: str, compartment: str) -> cobra.Metabolite | None:
    mid = f"{base}_{compartment}"
    return model.metabolites.get_by_id(mid) if mid in model.metabolites else None


def energy_generating_cycles(model: cobra.Model, compartment: str = "c") -> dict[str, Any]:
    """Maximise a dissipation reaction per energy pair with every boundary reaction closed.

    Forced fluxes (lower bounds > 0, e.g. ATP maintenance) are relaxed to 0 and every internal
    flux is bounded by 1000, so a positive optimum means energy is made from nothing.
    """
    checked: list[str] = []
    found: list[dict[str, Any]] = []
    skipped: list[str] = []
    tests: list[tuple[str, cobra.Reaction]] = []
    for name, subs, prods in ENERGY_PAIRS:
        stoich: dict[cobra.Metabolite, float] = {}
        for base, coef in [*((b, -c) for b, c in subs.items()), *prods.items()]:
            met = _met(model, base, compartment)
            if met is None:
                skipped.append(name)
                break
            stoich[met] = float(coef)
        else:
            rxn = cobra.Reaction(f"EGC_check_{name.replace(' ', '_')}", lower_bound=0.0,
                                 upper_bound=0.0)
            rxn.add_metabolites(stoich)
            tests.append((name, rxn))
    if not tests:
        return {"checked": checked, "skipped_missing_metabolites": skipped, "cycles": found}
    with model:
        boundary = {r.id for r in model.boundary}
        for r in model.reactions:
            if r.id in boundary:
                r.bounds = (0.0, 0.0)
            elif r.lower_bound > 0 or r.upper_bound < 0 or r.lower_bound < -1000 \
                    or r.upper_bound > 1000:
                lb, ub = max(r.lower_bound, -1000.0), min(r.upper_bound, 1000.0)
                r.bounds = (min(lb, 0.0), max(ub, 0.0))
        model.add_reactions([rxn for _, rxn in tests])
        for name, rxn in tests:
            rxn.upper_bound = 1000.0
            model.objective = rxn
            value = model.slim_optimize(error_value=float("nan"))
            rxn.upper_bound = 0.0
            checked.append(name)
            if value == value and value > FLUX_EPS:  # not NaN and positive
                found.append({"energy": name, "max_flux": round(value, 6)})
    return {"checked": checked, "skipped_missing_metabolites": skipped, "cycles": found}


def dead_ends(model: cobra.Model) -> dict[str, list[str]]:
    """Metabolites that can only be made (dead ends), only used (orphans) or are in no reaction.

    Directions follow the current bounds, so a reversible reaction both makes and uses.
    """
    made: set[str] = set()
    used: set[str] = set()
    for r in model.reactions:
        fwd, rev = r.upper_bound > 0, r.lower_bound < 0
        for m, coef in r.metabolites.items():
            if (coef > 0 and fwd) or (coef < 0 and rev):
                made.add(m.id)
            if (coef < 0 and fwd) or (coef > 0 and rev):
                used.add(m.id)
    all_ids = {m.id for m in model.metabolites}
    connected = {m.id for m in model.metabolites if m.reactions}
    return {"dead_end": sorted((made - used) & connected),
            "orphan": sorted((used - made) & connected),
            "disconnected": sorted(all_ids - connected)}


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
                    "dead_ends", "sbml"]
ALL_CHECKS: tuple[CheckName, ...] = ("mass_balance", "stoichiometric_consistency",
                                     "energy_cycles", "dead_ends", "sbml")
#: ``sbml: auto`` re-validates an exported SBML only for models up to this size (it takes
#: about 15 s on iJO1366); user files were validated when they were loaded.
SBML_AUTO_REACTIONS = 1000


class ValidateArgs(ModelArgs):
    checks: list[CheckName] | None = Field(default=None, description="Checks to run "
                                           "(default: all).")
    sbml: Literal["auto", "yes", "no"] = Field(default="auto", description="Export SBML and "
                                               "run libSBML/cobrapy validators: auto = only "
                                               "for models up to 1000 reactions.")


def _sbml_check(model: cobra.Model, mode: str) -> dict[str, Any]:
    info = build_info(model)
    from_file = bool(info and info.base.startswith("file:"))
    out: dict[str, Any] = {"from_file": from_file,
                           "load_warnings": list(info.warnings) if info else []}
    if mode == "yes" or (mode == "auto" and len(model.reactions) <= SBML_AUTO_REACTIONS):
        return out | {"ran": True} | sbml_issues(model)
    return out | {"ran": False, "counts": {}, "messages": {},
                  "note": "skipped (large model); pass sbml='yes' to run it"}


@REGISTRY.tool("validate_model", "Model quality checks: mass and charge balance, "
               "stoichiometric consistency, energy-generating cycles, dead-end and orphan "
               "metabolites, SBML validity.", ValidateArgs, long_running=True)
def validate_model(args: ValidateArgs, ctx: ToolContext) -> ToolResult:
    model = ctx.model(args.model)
    wanted = list(dict.fromkeys(args.checks or ALL_CHECKS))
    checks: dict[str, Any] = {}
    runners: dict[str, Any] = {
        "mass_balance": mass_charge_balance, "stoichiometric_consistency":
        unconserved_metabolites, "energy_cycles": energy_generating_cycles,
        "dead_ends": dead_ends, "sbml": lambda m: _sbml_check(m, args.sbml)}
    for i, name in enumerate(wanted):
        ctx.progress(i / len(wanted), name)
        checks[name] = runners[name](model)
    ctx.progress(1.0, "done")
    counts: dict[str, int] = {}
    parts: list[str] = []
    if "mass_balance" in checks:
        mb = checks["mass_balance"]
        counts |= {"mass_unbalanced": len(mb["mass_unbalanced"]),
                   "charge_unbalanced": len(mb["charge_unbalanced"]),
                   "no_formula": len(mb["metabolites_without_formula"])}
        parts.append(f"mass balance: {counts['mass_unbalanced']} of {mb['checked']} internal "
                     f"reactions unbalanced in mass"
                     + (f" ({listing([x['id'] for x in mb['mass_unbalanced']], 8)})"
                        if mb["mass_unbalanced"] else "")
                     + f", {counts['charge_unbalanced']} in charge"
                     + (f" ({listing([x['id'] for x in mb['charge_unbalanced']], 8)})"
                        if mb["charge_unbalanced"] else "")
                     + (f"; {counts['no_formula']} metabolites lack a formula"
                        if counts["no_formula"] else ""))
    if "stoichiometric_consistency" in checks:
        sc = checks["stoichiometric_consistency"]
        counts["unconserved_metabolites"] = len(sc["unconserved"])
        parts.append("stoichiometrically consistent" if sc["consistent"] else
                     "consistency check failed to solve" if sc["consistent"] is None else
                     f"stoichiometrically INCONSISTENT: {len(sc['unconserved'])} metabolites "
                     f"cannot get a positive mass ({listing(sc['unconserved'], 8)})")
    if "energy_cycles" in checks:
        eg = checks["energy_cycles"]
        counts["energy_generating_cycles"] = len(eg["cycles"])
        parts.append("energy-generating cycles with all exchanges closed: "
                     + (", ".join(f"{c['energy']} (max {fmt(c['max_flux'], 4)} mmol/gDW/h)"
                                  for c in eg["cycles"]) or "none")
                     + f" (tested {', '.join(eg['checked']) or 'nothing'})")
    if "dead_ends" in checks:
        de = checks["dead_ends"]
        counts |= {"dead_end": len(de["dead_end"]), "orphan": len(de["orphan"]),
                   "disconnected": len(de["disconnected"])}
        parts.append(f"dead-end metabolites (made, never used) {counts['dead_end']}"
                     + (f" ({listing(de['dead_end'], 6)})" if de["dead_end"] else "")
                     + f", orphans (used, never made) {counts['orphan']}"
                     + (f" ({listing(de['orphan'], 6)})" if de["orphan"] else "")
                     + f", disconnected {counts['disconnected']}")
    if "sbml" in checks:
        sb = checks["sbml"]
        if sb["ran"]:
            c = sb["counts"]
            errs = sum(v for k, v in c.items() if "FATAL" in k or "ERROR" in k)
            warns = sum(v for k, v in c.items() if "WARNING" in k or "CHECK" in k)
            counts |= {"sbml_errors": errs, "sbml_warnings": warns}
            parts.append(f"SBML export: {errs} errors, {warns} warnings")
        else:
            parts.append("SBML validation skipped (large model; sbml='yes' runs it)")
        if sb["load_warnings"]:
            parts.append(f"{len(sb['load_warnings'])} warnings when the file was loaded")
    summary = f"Validation of {_name(model)}: " + "; ".join(parts) + "."
    rows = [{"check": k, "count": v} for k, v in counts.items()]
    return ToolResult(tool="validate_model", summary=summary,
                      data={"checks": checks, "counts": counts},
                      provenance=provenance(model, parameters={"checks": wanted,
                                                               "sbml": args.sbml}),
                      artifacts=put_table(ctx, "validation_counts", rows, ["check", "count"])
                      + put_json(ctx, "validation", checks))
