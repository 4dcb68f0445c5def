"""Medium, bounds and objective: read them, and change them for the rest of the session."""

from __future__ import annotations

from typing import Any, Literal

import cobra
from pydantic import Field, model_validator

from fluxagent.tools.conditions import Conditions, apply_conditions, describe_medium
from fluxagent.tools.linking import describe, link
from fluxagent.tools.models import ModelStore, build_info
from fluxagent.tools.provenance import provenance
from fluxagent.tools.registry import REGISTRY, ToolContext
from fluxagent.tools.results import ToolFailure, ToolResult
from fluxagent.tools.toolkit import ModelArgs, biomass_objective, fmt, listing, optimize


def _name(model: cobra.Model) -> str:
    info = build_info(model)
    return info.name if info else model.id


def _met_names(model: cobra.Model, exchanges: dict[str, float]) -> dict[str, str]:
    out = {}
    for ex in exchanges:
        met = next(iter(model.reactions.get_by_id(ex).metabolites), None)
        out[ex] = (met.name or met.id) if met is not None else ex
    return out


@REGISTRY.tool("get_medium", "The model's medium: every open uptake (max mmol/gDW/h), its "
               "carbon sources and oxygen status.", ModelArgs)
def get_medium(args: ModelArgs, ctx: ToolContext) -> ToolResult:
    model = ctx.model(args.model)
    med = describe_medium(model)
    names = _met_names(model, med["medium"])
    items = [f"{k} ({names[k]}) ≤ {v:g}" for k, v in med["medium"].items()]
    summary = (f"Medium of {_name(model)} ({len(items)} uptakes, mmol/gDW/h): "
               f"{listing(items, 30)}. Carbon sources: "
               f"{', '.join(med['carbon_sources']) or 'none'}; "
               f"{med['oxygen'] or 'no oxygen exchange'}.")
    return ToolResult(tool="get_medium", summary=summary, data=med | {"names": names},
                      provenance=provenance(model))


Preset = Literal["aerobic_glucose_minimal", "anaerobic_glucose_minimal", "model_default"]


class SetMediumArgs(ModelArgs):
    preset: Preset | None = Field(default=None, description="Start from a named medium: the "
                                  "model's own default, or its minimal salts with glucose "
                                  "(10 mmol/gDW/h) with or without oxygen.")
    medium: dict[str, float] | None = Field(default=None, description="Complete medium: "
                                            "exchange id or name -> max uptake; others closed.")
    uptakes: dict[str, float] | None = Field(default=None, description="Change only these "
                                             "uptakes (exchange id or name -> max uptake).")
    carbon_source: str | None = None
    carbon_uptake: float | None = Field(default=None, ge=0)
    oxygen: bool | None = None

    @model_validator(mode="after")
    def _something(self) -> SetMediumArgs:
        if not any((self.preset, self.medium is not None, self.uptakes, self.carbon_source,
                    self.carbon_uptake is not None, self.oxygen is not None)):
            raise ValueError("give a preset, a medium, uptakes, carbon_source, carbon_uptake "
                             "or oxygen")
        for table in (self.medium or {}, self.uptakes or {}):
            if any(v < 0 for v in table.values()):
                raise ValueError("uptakes are max uptake rates and must be >= 0")
        return self


def _default_medium(ctx: ToolContext, model: cobra.Model) -> dict[str, float]:
    info = build_info(model)
    if isinstance(ctx.models, ModelStore) and info is not None:
        return dict(ctx.models.base(info.base).model.medium)
    return dict(model.medium)


@REGISTRY.tool("set_medium", "Change the medium for the rest of the session (preset, full "
               "medium, single uptakes, carbon source, oxygen).", SetMediumArgs)
def set_medium(args: SetMediumArgs, ctx: ToolContext) -> ToolResult:
    model = ctx.model(args.model)
    before = dict(model.medium)
    with model:
        if args.preset:
            model.medium = _default_medium(ctx, model)
            if args.preset != "model_default":
                apply_conditions(model, Conditions(
                    carbon_source="glucose", carbon_uptake=10.0,
                    oxygen=args.preset.startswith("aerobic")))
        if args.medium is not None:
            model.medium = {link(model, k, "exchange"): float(v)
                            for k, v in args.medium.items()}
        if args.uptakes:
            medium = dict(model.medium)
            for k, v in args.uptakes.items():
                medium[link(model, k, "exchange")] = float(v)
            model.medium = {k: v for k, v in medium.items() if v > 0}
        apply_conditions(model, Conditions(carbon_source=args.carbon_source,
                                           carbon_uptake=args.carbon_uptake,
                                           oxygen=args.oxygen))
        after = describe_medium(model)
        status, value = optimize(model)
        growth_of = biomass_objective(model)
        prov = provenance(model, parameters=args.model_dump(exclude_none=True))
    name = _name(model)
    added = sorted(set(after["medium"]) - set(before))
    removed = sorted(set(before) - set(after["medium"]))
    changed = sorted(k for k in after["medium"] if k in before
                     and abs(before[k] - after["medium"][k]) > 1e-12)
    parts = [f"+{k} ≤ {after['medium'][k]:g}" for k in added]
    parts += [f"-{k}" for k in removed]
    parts += [f"{k} {before[k]:g} → {after['medium'][k]:g}" for k in changed]
    grow = (f"growth on it: {fmt(value)} 1/h" if growth_of and status == "optimal" else
            "no feasible growth on it (0 1/h)" if growth_of else
            f"objective on it: {fmt(value) if status == 'optimal' else 'infeasible'}")
    carbon = ", ".join(f"{k} ≤ {v:g}" for k, v in after["carbon_sources"].items()) or "none"
    summary = (f"Medium of {name} set ({len(after['medium'])} uptakes; "
               f"{after['oxygen'] or 'no oxygen exchange'}; carbon: {carbon}). "
               f"Changes: {listing(parts) or 'none'}; {grow}.")
    data: dict[str, Any] = after | {"added": added, "removed": removed, "changed": changed,
                                    "status": status,
                                    "growth_rate": value if growth_of else None}
    return ToolResult(tool="set_medium", summary=summary, data=data, provenance=prov,
                      effects=[{"op": "set_medium", "model": name,
                                "medium": after["medium"]}])


class SetBoundsArgs(ModelArgs):
    reaction: str = Field(description="Reaction id or name (an exchange may be named by its "
                          "metabolite).")
    lower: float | None = Field(default=None, description="New lower bound (mmol/gDW/h); "
                                "None keeps it.")
    upper: float | None = Field(default=None, description="New upper bound; None keeps it.")

    @model_validator(mode="after")
    def _order(self) -> SetBoundsArgs:
        if self.lower is None and self.upper is None:
            raise ValueError("give lower, upper or both")
        if self.lower is not None and self.upper is not None and self.lower > self.upper:
            raise ValueError(f"lower ({self.lower}) > upper ({self.upper})")
        return self


@REGISTRY.tool("set_bounds", "Set a reaction's flux bounds for the rest of the session.",
               SetBoundsArgs)
def set_bounds(args: SetBoundsArgs, ctx: ToolContext) -> ToolResult:
    model = ctx.model(args.model)
    rid = link(model, args.reaction, "reaction")
    rxn = model.reactions.get_by_id(rid)
    old = rxn.bounds
    lower = args.lower if args.lower is not None else old[0]
    upper = args.upper if args.upper is not None else old[1]
    if lower > upper:
        raise ToolFailure("bad_arguments", f"{rid}: lower {lower:g} > upper {upper:g}",
                          hint=f"current bounds are [{old[0]:g}, {old[1]:g}]")
    name = _name(model)
    return ToolResult(
        tool="set_bounds", summary=f"Bounds of {describe(model, rid, 'reaction')} in {name}: "
        f"[{old[0]:g}, {old[1]:g}] → [{lower:g}, {upper:g}] mmol/gDW/h.",
        data={"reaction": rid, "lower": lower, "upper": upper, "previous": list(old)},
        effects=[{"op": "set_bounds", "model": name, "reaction": rid, "lower": lower,
                  "upper": upper}],
        provenance=provenance(model, parameters=args.model_dump(exclude_none=True)))


class SetObjectiveArgs(ModelArgs):
    reaction: str | None = Field(default=None, description="Reaction to optimise (id or "
                                 "name).")
    coefficients: dict[str, float] | None = Field(default=None, description="Linear "
                                                  "objective: reaction -> coefficient.")
    direction: Literal["max", "min"] = "max"

    @model_validator(mode="after")
    def _one(self) -> SetObjectiveArgs:
        if (self.reaction is None) == (self.coefficients is None):
            raise ValueError("give either reaction or coefficients")
        return self


@REGISTRY.tool("set_objective", "Set the objective (a reaction or a linear combination) for "
               "the rest of the session.", SetObjectiveArgs)
def set_objective(args: SetObjectiveArgs, ctx: ToolContext) -> ToolResult:
    model = ctx.model(args.model)
    objective: str | dict[str, float]
    if args.reaction is not None:
        objective = link(model, args.reaction, "reaction")
        text = describe(model, objective, "reaction")
    else:
        objective = {link(model, k, "reaction"): float(v)
                     for k, v in (args.coefficients or {}).items()}
        if not objective:
            raise ToolFailure("bad_arguments", "coefficients is empty")
        text = " + ".join(f"{v:g}·{k}" for k, v in objective.items())
    name = _name(model)
    return ToolResult(
        tool="set_objective", summary=f"Objective of {name}: {args.direction}imize {text}.",
        data={"objective": objective, "direction": args.direction},
        effects=[{"op": "set_objective", "model": name, "objective": objective,
                  "direction": args.direction}],
        provenance=provenance(model, parameters=args.model_dump(exclude_none=True)))
