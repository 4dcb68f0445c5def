"""ATP safety: energy-generating cycles and ModelSEED's ATP-correction tests.

A model is ATP-safe when it cannot make ATP (or reduce NAD/NADP) with no nutrients at all; a
gapfill that adds such a cycle inflates every growth prediction. The full ModelSEED check
(MSATPCorrection) also measures the maximal ATP yield on its 54 test media with the core
reactions only, and flags non-core reactions that push the yield above 1.2x that (2x on
glucose): these are the reactions ModelSEED's pipeline filters before gapfilling.
"""

from __future__ import annotations

import logging
import math
import os
from typing import Any

from pydantic import BaseModel, Field

from fluxagent.tools.modelseed import templates
from fluxagent.tools.modelseed._common import modelseed_session, modelseedpy, versions
from fluxagent.tools.registry import REGISTRY, ToolContext
from fluxagent.tools.results import Provenance, ToolFailure, ToolResult

EPS = 1e-6
#: carrier: (ModelSEED ids, BiGG ids) of "charged -> discharged" (+ water, + proton)
CARRIERS: dict[str, tuple[dict[str, float], dict[str, float]]] = {
    "ATP": ({"cpd00002": -1, "cpd00001": -1, "cpd00008": 1, "cpd00009": 1, "cpd00067": 1},
            {"atp": -1, "h2o": -1, "adp": 1, "pi": 1, "h": 1}),
    "GTP": ({"cpd00038": -1, "cpd00001": -1, "cpd00031": 1, "cpd00009": 1, "cpd00067": 1},
            {"gtp": -1, "h2o": -1, "gdp": 1, "pi": 1, "h": 1}),
    "NADH": ({"cpd00004": -1, "cpd00003": 1, "cpd00067": 1}, {"nadh": -1, "nad": 1, "h": 1}),
    "NADPH": ({"cpd00005": -1, "cpd00006": 1, "cpd00067": 1},
              {"nadph": -1, "nadp": 1, "h": 1}),
}


def _cytosol(model: Any) -> tuple[str, str]:
    """(namespace, cytosol suffix) of a model."""
    ids = {m.id for m in model.metabolites}
    if "cpd00002_c0" in ids:
        return "modelseed", "_c0"
    return "bigg", "_c"


def energy_cycles(model: Any) -> list[dict[str, Any]]:
    """Carriers a model can charge with every uptake closed (each is an energy cycle)."""
    ns, suffix = _cytosol(model)
    found: list[dict[str, Any]] = []
    with model:
        for rxn in model.boundary:
            if rxn.lower_bound < 0:
                rxn.lower_bound = 0.0
        for rxn in model.reactions:  # forced fluxes (ATP maintenance) would be infeasible
            if rxn.lower_bound > 0:
                rxn.lower_bound = 0.0
            if rxn.upper_bound < 0:
                rxn.upper_bound = 0.0
        for name, (seed, bigg) in CARRIERS.items():
            coefs = seed if ns == "modelseed" else bigg
            mids = {k + suffix: v for k, v in coefs.items()}
            if not all(m in model.metabolites for m in mids):
                continue
            with model:
                import cobra

                test = cobra.Reaction(f"FLUXAGENT_{name}_DRAIN", f"{name} discharge test", "", 0,
                                      1000)
                test.add_metabolites({model.metabolites.get_by_id(m): v
                                      for m, v in mids.items()})
                model.add_reactions([test])
                model.objective = test
                value = model.slim_optimize(error_value=0.0)
                if not math.isnan(value) and value > EPS:
                    flux = model.optimize().fluxes.drop(test.id)
                    top = flux[flux.abs() > EPS].abs().sort_values(ascending=False)
                    found.append({"carrier": name, "max_flux": round(float(value), 6),
                                  "reactions": list(top.index[:15])})
    return found


def atp_media() -> list[Any]:
    """modelseedpy's ATP test media (built by hand: its loader fails in 0.4.2)."""
    import pandas as pd

    msp = modelseedpy()
    path = os.path.join(os.path.dirname(str(msp.__file__)), "data", "atp_medias.tsv")
    table = pd.read_csv(path, sep="\t", index_col=0).to_dict()
    medias = []
    for mid, col in table.items():
        comp = {ex.split("_")[1]: v for ex, v in col.items() if v > 0}
        comp.update(cpd00001=1000, cpd00067=1000)
        media = msp.MSMedia.from_dict(comp)
        media.id = media.name = mid
        medias.append([media, 0.01])
    return medias


def atp_correction(model: Any, template: Any) -> tuple[Any, list[dict[str, Any]]]:
    """Run MSATPCorrection on ``model`` (it changes it: adds ATP hydrolysis, removes the
    reactions that break ATP tests). Returns (the correction object, the tests). Call it
    inside modelseed_session()."""
    msp = modelseedpy()
    logging.getLogger("modelseedpy").setLevel(logging.ERROR)
    corr = msp.MSATPCorrection(model, template, atp_media(), compartment="c0",
                               load_default_medias=False)
    tests = corr.run_atp_correction()
    return corr, tests


class AtpArgs(BaseModel):
    model: str | None = Field(None, description="Model to check (default: the current one).")
    full: bool = Field(True, description="Also run ModelSEED's ATP correction tests "
                       "(ModelSEED models only; about 10-60 s).")
    template: str = Field("Core-V6", description="Core template that defines 'core' reactions.")


@REGISTRY.tool("atp_safety_check", "Check a model for ATP safety: energy-generating cycles "
               "(ATP, GTP, NADH, NADPH made from nothing) and, for ModelSEED models, ModelSEED's "
               "ATP-yield tests on 54 media (reactions that inflate ATP).", AtpArgs,
               long_running=True)
def atp_safety_check(args: AtpArgs, ctx: ToolContext) -> ToolResult:
    model = ctx.model(args.model)
    ns, _ = _cytosol(model)
    ctx.progress(0.1, "testing for energy-generating cycles")
    cycles = energy_cycles(model)
    data: dict[str, Any] = {"energy_cycles": cycles, "namespace": ns}
    parts = [("energy-generating cycles: " + "; ".join(
        f"{c['carrier']} up to {c['max_flux']:g} via {', '.join(c['reactions'][:6])}"
        for c in cycles)) if cycles else "no energy-generating cycle (no ATP, GTP, NADH or "
        "NADPH without nutrients)"]
    if args.full and ns == "modelseed":
        label, tpl = templates.load(args.template, ctx.paths, ctx.settings.max_model_bytes)
        if label == templates.UNIVERSAL:
            raise ToolFailure("bad_arguments", "the ATP tests need a core template",
                              hint="template: Core-V6, Core-V5.2 or CoreModelTemplateV5")
        ctx.progress(0.3, "running ModelSEED's ATP correction tests")
        with modelseed_session():
            corr, tests = atp_correction(model.copy(), tpl)
        flagged = [{"reaction": r.id, "direction": d, "name": r.name}
                   for r, d in corr.filtered_noncore]
        yields = {m.id: round(float(v), 4) for m, v in
                  ((t["media"], t["threshold"]) for t in tests)}
        data.update(template=label, atp_tests=yields, selected_media=[
            m.id for m in corr.selected_media], unsafe_reactions=flagged)
        parts.append(f"ModelSEED ATP tests on {len(corr.selected_media)} media: "
                     + (f"{len(flagged)} reaction(s) inflate ATP yield: "
                        + ", ".join(f"{f['reaction']} ({f['direction']})" for f in flagged[:10])
                        if flagged else "no reaction inflates the ATP yield"))
    elif args.full:
        parts.append("ModelSEED ATP tests skipped (the model does not use ModelSEED ids)")
    safe = not cycles and not data.get("unsafe_reactions")
    data["safe"] = safe
    name = getattr(getattr(model, "_fluxagent", None), "name", None) or model.id
    summary = f"ATP safety of {name}: {'SAFE' if safe else 'UNSAFE'}; " + "; ".join(parts) + "."
    return ToolResult(tool="atp_safety_check", summary=summary, data=data,
                      provenance=Provenance(model_id=name, parameters=args.model_dump(),
                                            versions=versions()))

