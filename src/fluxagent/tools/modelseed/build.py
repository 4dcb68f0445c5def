"""build_model_from_genome: an annotated genome -> a ModelSEED draft model the session uses.

The draft is built by modelseedpy's MSBuilder from the genome's RAST functions and a template.
Core templates have no biomass, so ModelSEED's static core biomass (``bio1``) and ATP
hydrolysis (``bio2``) are added, as the data README's verified recipe does; a genome-scale
template's own biomass is used when it has one. The model is saved under the data dir by
content hash (atomically) and becomes the session's current model via a ``use_model`` effect.
"""

from __future__ import annotations

import math
import re
from typing import Any, Literal

from pydantic import BaseModel, Field

from fluxagent.tools.modelseed import templates
from fluxagent.tools.modelseed._common import (
    modelseed_session,
    modelseedpy,
    save_model,
    versions,
)
from fluxagent.tools.modelseed.genome import read_genome
from fluxagent.tools.modelseed.media import resolve_medium
from fluxagent.tools.registry import REGISTRY, ToolContext
from fluxagent.tools.results import Provenance, ToolFailure, ToolResult


class BuildArgs(BaseModel):
    genome: str | None = Field(None, description="Path of a RAST-annotated genome JSON, or of a "
                               "TSV/CSV table of feature id -> RAST function.")
    functions: dict[str, str | list[str]] | None = Field(
        None, description="Inline annotation instead of a file: {feature id: function(s)}.")
    template: str = Field("Core-V6", description="Core-V6, Core-V5.2, CoreModelTemplateV5 "
                          "(shipped) or the path of a genome-scale template JSON file.")
    name: str | None = Field(None, description="Name of the new model in the session "
                             "(default: draft_<genome id>).")
    medium: str | dict[str, float] = Field(
        "glucose_minimal", description="Medium set on the draft and used to report growth: "
        "a media-library name, 'glucose_minimal', or {compound: max uptake}.")
    biomass: Literal["auto", "core", "template"] = Field(
        "auto", description="auto: the template's biomass if it has one, else ModelSEED's "
        "core biomass.")


def build_draft(genome: Any, template: Any, model_id: str, biomass: str) -> tuple[Any, list[str]]:
    """MSBuilder draft plus a biomass; returns (model, biomass reaction ids)."""
    msp = modelseedpy()
    builder = msp.MSBuilder(genome, template)
    model = builder.build(model_id, index="0", annotate_with_rast=False)
    use_template = biomass == "template" or (biomass == "auto" and templates.has_biomass(template))
    if biomass == "template" and not templates.has_biomass(template):
        raise ToolFailure("bad_arguments", "this template has no biomass reaction",
                          hint="use biomass='core' (ModelSEED's core biomass) with core templates")
    if use_template:
        bios = [r.id for r in model.reactions if re.match(r"^bio\d+$", r.id)]
        return model, bios
    add_core_biomass(model, template)
    return model, ["bio1", "bio2"]


def add_core_biomass(model: Any, template: Any) -> None:
    """modelseedpy's static core biomass (bio1), ATP hydrolysis (bio2) and a biomass sink."""
    import cobra

    from fluxagent.tools.modelseed._common import modelseedpy as _msp

    mb = _msp().core.msbuilder

    def reaction(rid: str, name: str, coefs: dict[str, float]) -> cobra.Reaction:
        rxn, stoich = cobra.Reaction(rid, name, "", 0, 1000), {}
        for key, value in coefs.items():
            mid = key + "0"
            if mid in model.metabolites:
                met = model.metabolites.get_by_id(mid)
            elif key in template.compcompounds:
                tc = template.compcompounds.get_by_id(key)
                met = cobra.Metabolite(mid, tc.formula, tc.name, tc.charge, "c0")
            else:
                met = cobra.Metabolite(mid, None, "Biomass", 0, "c0")
            stoich[met] = value
        rxn.add_metabolites(stoich)
        return rxn

    for rid in ("bio1", "bio2", "SK_cpd11416_c0"):
        if rid in model.reactions:
            model.remove_reactions([rid])
    model.add_reactions([reaction("bio1", "Core biomass (ModelSEED)", mb.core_biomass),
                         reaction("bio2", "ATP hydrolysis (ModelSEED core ATP)", mb.core_atp)])
    sink = cobra.Reaction("SK_cpd11416_c0", "Biomass sink", "", 0, 1000)
    sink.add_metabolites({model.metabolites.get_by_id("cpd11416_c0"): -1})
    model.add_reactions([sink])
    model.objective = "bio1"


def growth(model: Any) -> float:
    value = model.slim_optimize(error_value=float("nan"))
    return 0.0 if math.isnan(value) else float(value)


def _model_name(args: BuildArgs, genome_id: str) -> str:
    if args.name:
        return args.name
    return "draft_" + (re.sub(r"[^A-Za-z0-9]+", "_", genome_id).strip("_") or "genome")


@REGISTRY.tool("build_model_from_genome", "Build a ModelSEED draft model from a RAST-annotated "
               "genome (JSON or feature/function table) with a template (Core-V6 default), add "
               "a biomass, save it and make it the session's current model.", BuildArgs,
               writes=True)
def build_model_from_genome(args: BuildArgs, ctx: ToolContext) -> ToolResult:
    genome = read_genome(args.genome, args.functions, ctx.settings.max_model_bytes,
                         ctx.paths)
    label, template = templates.load(args.template, ctx.paths, ctx.settings.max_model_bytes)
    if label == templates.UNIVERSAL:
        raise ToolFailure("bad_arguments", "the universal template is for gapfilling only",
                          hint="build with Core-V6 or a genome-scale template file")
    medium = resolve_medium(args.medium, ctx=ctx)
    name = _model_name(args, genome.genome_id)
    ctx.progress(0.1, f"building {name} from {genome.annotated} annotated features")
    with modelseed_session():
        model, bios = build_draft(genome.msgenome(), template, name, args.biomass)
    if len(model.genes) == 0 or not bios:
        raise ToolFailure("bad_arguments", f"no reaction of template {label} matches the "
                          "genome's functions", hint="are these RAST functions? RAST-annotate "
                          "the genome (annotate_genome) and check the template fits the organism")
    missing = medium.apply(model)
    rate = growth(model)
    ctx.progress(0.8, "saving the draft")
    base, path, digest = save_model(model, ctx.settings)
    data: dict[str, Any] = {
        "model": name, "base": base, "path": str(path), "template": label,
        "reactions": len(model.reactions), "metabolites": len(model.metabolites),
        "genes": len(model.genes), "features": genome.features_total,
        "annotated_features": genome.annotated, "biomass": bios, "objective": bios[0],
        "growth_rate": rate, "medium_name": medium.name, "medium": medium.exchange_medium(),
        "medium_without_exchange": missing, "exchanges": len(model.exchanges)}
    note = (" (core biomass: central-metabolism precursors only, not a true growth rate)"
            if bios[0] == "bio1" and "bio2" in bios else "")
    verdict = (f"grows at {rate:.4g} 1/h on {medium.name}{note}" if rate > 1e-6 else
               f"does not grow on {medium.name}; gapfill it (modelseed_gapfill)")
    summary = (f"Built draft model {name!r} from {genome.source} with template {label}: "
               f"{data['reactions']} reactions, {data['metabolites']} metabolites, "
               f"{data['genes']} genes ({genome.annotated} of {genome.features_total} features "
               f"annotated). Objective {bios[0]}; it {verdict}. Saved as {base}; it is now the "
               "session's current model.")
    return ToolResult(
        tool="build_model_from_genome", summary=summary, data=data,
        effects=[{"op": "use_model", "model": name, "base": base}],
        provenance=Provenance(model_id=name, model_hash=digest,
                              medium=medium.exchange_medium(), solver=_solver(model),
                              versions=versions(),
                              parameters={**args.model_dump(), "template_label": label}))


def _solver(model: Any) -> str:
    return type(model.solver).__module__.rsplit(".", 1)[-1].replace("_interface", "")
