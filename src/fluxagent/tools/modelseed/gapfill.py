"""modelseed_gapfill: gapfill a ModelSEED model with ModelSEED templates on a chosen medium.

The medium is applied to the gapfilling problem itself (MSGapfill builds the exchange bounds
from it: every uptake closed except the medium's), so a different medium gives a different
solution, or none. When there is none, the tool says why: elements the biomass needs that no
medium compound provides, medium compounds neither the model nor the template can use, and
biomass precursors that stay unproducible even with every template reaction. The gapfilled
model is saved as a new file (atomically, by content hash) and becomes the session's model; a
failed run writes nothing.
"""

from __future__ import annotations

import logging
import re
import time
from typing import Any

from pydantic import BaseModel, Field

from fluxagent.tools.modelseed import templates
from fluxagent.tools.modelseed._common import modelseed_session, modelseedpy, save_model, versions
from fluxagent.tools.modelseed.atp import atp_correction, energy_cycles
from fluxagent.tools.modelseed.build import growth
from fluxagent.tools.modelseed.media import Medium, resolve_medium
from fluxagent.tools.modelseed.translate import model_namespace
from fluxagent.tools.registry import REGISTRY, ToolContext
from fluxagent.tools.results import Provenance, ToolFailure, ToolResult

log = logging.getLogger(__name__)
_ELEMENT = re.compile(r"([A-Z][a-z]?)(\d*)")
_EXPLAIN_MAX_TEMPLATE = 5000  # per-precursor LPs on larger gapfilling models take minutes
ELEMENT_NAMES = {"C": "carbon", "N": "nitrogen", "P": "phosphorus", "S": "sulfur",
                 "Fe": "iron", "Mg": "magnesium", "K": "potassium", "Co": "cobalt",
                 "Mn": "manganese", "Zn": "zinc", "Cu": "copper", "Ca": "calcium",
                 "Na": "sodium", "Cl": "chlorine", "Mo": "molybdenum", "Se": "selenium"}


SOURCES = {"C": "D-glucose cpd00027", "N": "NH3 cpd00013", "P": "phosphate cpd00009",
           "S": "sulfate cpd00048", "Fe": "Fe2+ cpd10515", "Mg": "Mg cpd00254",
           "K": "K+ cpd00205"}


class GapfillArgs(BaseModel):
    model: str | None = Field(None, description="ModelSEED model to gapfill (default: the "
                              "current one).")
    medium: str | dict[str, float] = Field(
        "glucose_minimal", description="Medium to gapfill on: a media-library name (e.g. "
        "'Carbon-D-Glucose', 'LB', 'Complete'), 'glucose_minimal', or {compound: uptake}.")
    template: str = Field("Core-V6", description="Core-V6, Core-V5.2, CoreModelTemplateV5, "
                          "'universal' (the whole ModelSEED biochemistry, for genome-scale "
                          "drafts; slow: about 1-2 min) or the path of a template JSON file.")
    target: str | None = Field(None, description="Reaction to make feasible (default: the "
                               "model's objective, e.g. bio1).")
    minimum_growth: float = Field(0.01, gt=0, description="Flux the target must reach, 1/h.")
    atp_safe: bool = Field(False, description="ModelSEED's ATP-safe gapfilling: run the ATP "
                           "correction first and forbid template reactions that inflate ATP "
                           "yield (slower).")
    integrate: bool = Field(True, description="Save the gapfilled model and make it the "
                            "session's current model.")
    name: str | None = Field(None, description="Session name of the gapfilled model "
                             "(default: the input model's name).")


def _elements(formula: str | None) -> set[str]:
    if not formula or formula == "null":
        return set()
    return {el for el, _n in _ELEMENT.findall(formula) if el not in ("R",)}


def explain_infeasible(model: Any, gf: Any, target: str, medium: Medium,
                       template_size: int, ctx: ToolContext) -> dict[str, Any]:
    """Why no gapfilling solution exists (see the module docstring)."""
    rxn = model.reactions.get_by_id(target)
    needed = set().union(*(_elements(m.formula) for m, c in rxn.metabolites.items() if c < 0))
    gfm = gf.gfmodel
    takeable = {r.id[3:].rsplit("_", 1)[0] for r in gfm.reactions if r.id.startswith("EX_")}
    out: dict[str, Any] = {"missing_elements": [], "unusable_sources": {}}
    if not medium.complete:
        from fluxagent.tools.modelseed.index import get_index

        rows = get_index(ctx.settings).rows("compound", list(medium.uptake))
        ids = {m.id.rsplit("_", 1)[0]: m for m in model.metabolites}
        formulas = {c: (ids[c].formula if c in ids else
                        rows[c]["formula"] if c in rows else "") or ""
                    for c, up in medium.uptake.items() if up > 0}
        for el in sorted(needed - {"H", "O", "R"}):
            # CO2 and bicarbonate feed autotrophs only; they are no carbon source here
            sources = [c for c, f in formulas.items() if el in _elements(f)
                       and not (el == "C" and c in ("cpd00011", "cpd00242"))]
            if not sources:
                out["missing_elements"].append(el)
            elif not any(c in takeable for c in sources):
                out["unusable_sources"][el] = [
                    f"{c} ({rows[c]['name']})" if c in rows else c for c in sources]
    if template_size <= _EXPLAIN_MAX_TEMPLATE:
        out["unproducible_precursors"] = _unproducible(gf, rxn.id)
    return out


def _unproducible(gf: Any, target: str) -> list[str]:
    """Reactants of the target that the model plus the whole template cannot make."""
    gfm = gf.gfmodel
    objc = gf.gfpkgmgr.getpkg("ObjConstPkg").constraints["objc"]["1"]
    old_lb = objc.lb
    objc.lb = 0
    bad: list[str] = []
    try:
        rxn = gfm.reactions.get_by_id(target)
        for met, coef in rxn.metabolites.items():
            if coef >= 0 or met.id.startswith(("cpd00001_", "cpd00067_")):
                continue
            with gfm:
                demand = gfm.add_boundary(met, type="demand")
                gfm.objective = demand
                value = gfm.slim_optimize(error_value=0.0)
            if not value or value < 1e-6:
                bad.append(met.id)
    finally:
        objc.lb = old_lb
    return bad


def _target(model: Any, given: str | None) -> str:
    if given:
        if given not in model.reactions:
            from difflib import get_close_matches
            close = get_close_matches(given, [r.id for r in model.reactions], n=5)
            raise ToolFailure("unknown_id", f"no reaction {given!r} in the model",
                              hint=("closest: " + ", ".join(close)) if close else
                              "give a biomass reaction id such as bio1")
        return given
    obj = [r.id for r in model.reactions if r.objective_coefficient != 0]
    if len(obj) == 1 and re.match(r"^(bio\d|.*biomass)", obj[0], re.I):
        return obj[0]
    if "bio1" in model.reactions:  # ModelSEED models often load with ATPM as objective
        return "bio1"
    if len(obj) != 1:
        raise ToolFailure("bad_arguments", "the model's objective is not a single reaction",
                          hint="pass target=<biomass reaction id>, e.g. bio1")
    return obj[0]


def integrate(model: Any, gfmodel: Any, solution: dict[str, Any], medium: Medium, target: str,
              minimum: float) -> tuple[list[str], list[str]]:
    """Add a gapfilling solution to ``model``, then drop the reactions it does not need.

    modelseedpy 0.4.2's integrate_gapfill_solution reads exchange directions wrongly (an
    added uptake exchange becomes export-only) and prunes under the model's old medium, so it
    loses the solution on any medium but the one the model already had. Here exchanges are
    added reversible (the medium bounds them) and pruning runs under the gapfill medium.
    """
    import cobra

    new: list[str] = []
    for rid, direction in solution.get("new", {}).items():
        if rid in model.reactions or rid not in gfmodel.reactions:
            continue
        src = gfmodel.reactions.get_by_id(rid)
        rxn = cobra.Reaction(rid, src.name, src.subsystem, 0, 1000)
        mets = {}
        for met, coef in src.metabolites.items():
            if met.id in model.metabolites:
                mets[model.metabolites.get_by_id(met.id)] = coef
            else:
                mets[cobra.Metabolite(met.id, met.formula, met.name, met.charge,
                                      met.compartment)] = coef
        rxn.add_metabolites(mets)
        if rid.startswith("EX_"):
            rxn.bounds = (-1000.0, 1000.0)
        elif direction == "<":
            rxn.bounds = (-1000.0, 0.0)
        model.add_reactions([rxn])
        new.append(rid)
    flipped: list[str] = []
    for rid, direction in solution.get("reversed", {}).items():
        if rid not in model.reactions:
            continue
        rxn = model.reactions.get_by_id(rid)
        if direction == ">" and rxn.upper_bound <= 0:
            rxn.upper_bound = 1000.0
        elif direction == "<" and rxn.lower_bound >= 0:
            rxn.lower_bound = -1000.0
        flipped.append(rid)
    unneeded: list[str] = []
    with model:
        medium.apply(model)
        model.objective = target
        for rid in [r for r in new if not r.startswith("EX_")]:
            rxn = model.reactions.get_by_id(rid)
            bounds = rxn.bounds
            rxn.bounds = (0.0, 0.0)
            if growth(model) >= minimum:
                unneeded.append(rid)  # stays off while the others are tested
            else:
                rxn.bounds = bounds
    model.remove_reactions(unneeded, remove_orphans=True)
    return [r for r in new if r not in unneeded], flipped


def _describe(model: Any, rid: str, direction: str) -> dict[str, Any]:
    rxn = model.reactions.get_by_id(rid) if rid in model.reactions else None
    if rid.startswith("EX_"):
        direction = "="  # exchanges are added reversible; the medium bounds the uptake
    return {"id": rid, "direction": direction, "name": rxn.name if rxn else "",
            "equation": rxn.build_reaction_string(use_metabolite_names=True) if rxn else ""}


@REGISTRY.tool("modelseed_gapfill", "Gapfill a ModelSEED model with a ModelSEED template "
               "(Core-V6, universal biochemistry, or a template file) on any medium of the "
               "media library, then save it as the current model.", GapfillArgs,
               long_running=True, writes=True)
def modelseed_gapfill(args: GapfillArgs, ctx: ToolContext) -> ToolResult:
    with modelseed_session():
        return _gapfill(args, ctx)


def _gapfill(args: GapfillArgs, ctx: ToolContext) -> ToolResult:
    start = time.perf_counter()
    model = ctx.model(args.model)
    info = getattr(model, "_fluxagent", None)
    session_name = getattr(info, "name", None) or args.model or model.id
    if model_namespace(model) != "modelseed":
        raise ToolFailure("bad_arguments", f"{session_name} does not use ModelSEED ids",
                          hint="ModelSEED templates gapfill ModelSEED models (cpd00027_c0, "
                          "rxn00558_c0), e.g. from build_model_from_genome; use gapfill for "
                          "BiGG models")
    target = _target(model, args.target)
    medium = resolve_medium(args.medium, ctx=ctx)
    label, template = templates.load(args.template, ctx.paths, ctx.settings.max_model_bytes)
    work = model.copy()
    with work:
        medium.apply(work)
        work.objective = target
        before = growth(work)
    params = {**args.model_dump(), "template_label": label, "target": target}
    prov = Provenance(model_id=session_name, model_hash=getattr(info, "model_hash", None),
                      medium=medium.exchange_medium(), versions=versions(), parameters=params,
                      solver=type(work.solver).__module__.rsplit(".", 1)[-1]
                      .replace("_interface", ""))
    if before >= args.minimum_growth:
        return ToolResult(
            tool="modelseed_gapfill", provenance=prov,
            summary=f"{session_name} already reaches {target} = {before:.4g} on {medium.name} "
            f"(minimum {args.minimum_growth:g}); nothing to gapfill.",
            data={"added": [], "reversed": [], "growth_before": before, "growth_after": before,
                  "target": target, "template": label, "medium_name": medium.name,
                  "medium": medium.exchange_medium(), "integrated": False})
    tests: list[dict[str, Any]] = []
    if args.atp_safe:
        if label == templates.UNIVERSAL or len(template.reactions) > _EXPLAIN_MAX_TEMPLATE:
            _, core = templates.load("Core-V6")
        else:
            core = template
        ctx.progress(0.1, "ATP correction (ModelSEED ATP tests)")
        _, tests = atp_correction(work, core)
    ctx.progress(0.2, f"building the gapfilling problem with {len(template.reactions)} "
                 f"template reactions")
    msp = modelseedpy()
    gf = msp.MSGapfill(work, default_gapfill_templates=[template], default_target=target,
                       minimum_obj=args.minimum_growth, test_conditions=tests)
    ctx.progress(0.4, f"solving the gapfilling problem on {medium.name}")
    limit = float(ctx.settings.tool_time_limit_s)
    remaining = limit - (time.perf_counter() - start)
    if remaining <= 1:
        raise _timeout(limit, label)
    gf.gfmodel.solver.configuration.timeout = int(remaining)
    solution = gf.run_gapfilling(medium.msmedia(), target)
    if not solution and time.perf_counter() - start >= limit - 1:
        raise _timeout(limit, label)
    if not solution or (not solution.get("new") and not solution.get("reversed")):
        why = explain_infeasible(work, gf, target, medium, len(template.reactions), ctx)
        raise ToolFailure("infeasible", f"no gapfilling solution: even with all "
                          f"{len(template.reactions)} reactions of template {label}, {target} "
                          f"cannot reach {args.minimum_growth:g} on medium {medium.name}",
                          hint=_why_text(why, label), **why)
    ctx.progress(0.8, "integrating the solution")
    added_ids, flipped_ids = integrate(work, gf.gfmodel, solution, medium, target,
                                       args.minimum_growth)
    added = [_describe(work, rid, solution["new"][rid]) for rid in added_ids]
    flipped = [_describe(work, rid, solution["reversed"][rid]) for rid in flipped_ids]
    medium.apply(work)  # the saved model carries the medium it was gapfilled on
    work.objective = target
    after = growth(work)
    if after < args.minimum_growth:
        raise ToolFailure("infeasible", f"the gapfilling solution does not let {target} reach "
                          f"{args.minimum_growth:g} on {medium.name} (got {after:.3g})",
                          hint="try atp_safe=false, a larger template or a richer medium")
    cycles = energy_cycles(work)
    data: dict[str, Any] = {
        "added": added, "reversed": flipped, "growth_before": before, "growth_after": after,
        "target": target, "template": label, "medium_name": medium.name,
        "medium": medium.exchange_medium(), "energy_cycles": cycles, "atp_safe": args.atp_safe,
        "reactions": len(work.reactions), "integrated": args.integrate,
        "solve_s": round(time.perf_counter() - start, 2)}
    effects: list[dict[str, Any]] = []
    name = args.name or session_name
    if args.integrate:
        base, path, digest = save_model(work, ctx.settings)
        data.update(model=name, base=base, path=str(path))
        effects.append({"op": "use_model", "model": name, "base": base})
        prov = prov.model_copy(update={"model_hash": digest})
    listed = ", ".join(f"{a['id']} {a['name']} ({a['direction']})" for a in added[:12])
    summary = (f"Gapfilled {session_name} on {medium.name} with template {label}: added "
               f"{len(added)} reaction(s)" + (f": {listed}" if added else "")
               + (f"; reversed {', '.join(f['id'] for f in flipped)}" if flipped else "")
               + f". {target}: {before:.4g} -> {after:.4g} 1/h. "
               + ("ATP check: no energy-generating cycle. " if not cycles else
                  "ATP check: energy-generating cycles for "
                  + ", ".join(c["carrier"] for c in cycles) + " (run atp_safety_check). ")
               + (f"Saved as {data['base']}; {name} is now the current model."
                  if args.integrate else "Not integrated (integrate=false)."))
    return ToolResult(tool="modelseed_gapfill", summary=summary, data=data, effects=effects,
                      provenance=prov)


def _timeout(limit: float, label: str) -> ToolFailure:
    return ToolFailure("timeout", f"gapfilling with template {label} exceeded the time limit "
                       f"of {limit:g} s", hint="raise FLUXAGENT_TOOL_TIME_LIMIT_S (a universal-"
                       "template gapfill takes minutes) or use a smaller template")


def _why_text(why: dict[str, Any], label: str) -> str:
    parts = []
    if why.get("missing_elements"):
        names = [f"{ELEMENT_NAMES.get(e, e)} ({e})" for e in why["missing_elements"]]
        fixes = [SOURCES[e] for e in why["missing_elements"] if e in SOURCES]
        parts.append("the biomass needs " + ", ".join(names) + " but no medium compound "
                     "contains it" + (": add e.g. " + ", ".join(fixes) if fixes else ""))
    for el, cpds in why.get("unusable_sources", {}).items():
        parts.append(f"the medium's only {ELEMENT_NAMES.get(el, el)} source(s) "
                     f"{', '.join(cpds[:6])} cannot be taken up: neither the model nor the "
                     "template has an exchange and transporter for them")
    if why.get("unproducible_precursors"):
        parts.append("biomass precursors unproducible even with every template reaction: "
                     + ", ".join(why["unproducible_precursors"][:12]))
    if not parts:
        parts.append(f"template {label} lacks the reactions this medium needs")
    return "; ".join(parts) + (". Try a richer medium (e.g. Complete) or template='universal'."
                               if label != templates.UNIVERSAL else ".")
