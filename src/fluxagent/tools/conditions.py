"""Per-call growth conditions: medium, carbon source, oxygen, bounds and knockouts.

``Conditions`` is the argument every analysis tool accepts; ``apply_conditions`` applies it in
place inside the caller's ``with model:`` block (so it is undone afterwards) and returns what it
did, for provenance and for the answer ("succinate minimal medium, uptake 10, anaerobic").

Carbon sources are the organic uptakes of the medium: metabolites whose formula has carbon,
except inorganic carbon (CO2, bicarbonate, carbonate, CO) and trace supplements (max uptake
below ``TRACE_UPTAKE``, e.g. cobalamin at 0.01 in iJO1366), which are kept as they are.
"""

from __future__ import annotations

from typing import Any

import cobra
from pydantic import BaseModel, ConfigDict, Field, field_validator

from fluxagent.tools.linking import exchange_ids, link, link_knockouts, reactions_of_genes
from fluxagent.tools.results import ToolFailure

#: Uptakes at or below this (mmol/gDW/h) are supplements, not carbon sources.
TRACE_UPTAKE = 0.1
#: Uptake of a new carbon source when neither carbon_uptake nor a replaced source gives one.
DEFAULT_CARBON_UPTAKE = 10.0
#: Uptake opened for oxygen when ``oxygen=True`` and the medium has none.
OPEN_UPTAKE = 1000.0
_INORGANIC = {"CO2", "CHO3", "HCO3", "CO3", "CO"}


class Conditions(BaseModel):
    """Conditions for one analysis call; nothing here changes the session's model."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    carbon_source: str | None = Field(
        default=None, description="Sole carbon source: a name or exchange id ('succinate', "
        "'EX_succ_e'); replaces the medium's carbon sources.")
    carbon_uptake: float | None = Field(
        default=None, ge=0, description="Max uptake of the carbon source(s), mmol/gDW/h.")
    oxygen: bool | None = Field(default=None, description="False: anaerobic (no O2 uptake); "
                                "True: aerobic.")
    open_exchanges: bool = Field(
        default=False, description="Open every exchange for uptake (lower bound -1000, "
        "cobrapy's default bound) before the other conditions: 'with every exchange open'.")
    medium: dict[str, float] | None = Field(
        default=None, description="Complete medium: exchange id or name -> max uptake "
        "(mmol/gDW/h); every other uptake is closed.")
    uptakes: dict[str, float] | None = Field(
        default=None, description="Exchange id or nutrient name -> max uptake (mmol/gDW/h), "
        "applied after carbon_source: limits, raises, adds (co-feeding) or, with 0, removes "
        "one nutrient; every other uptake stays as it is.")
    bounds: dict[str, list[float | None]] | None = Field(
        default=None, description="Reaction id -> [lower, upper] flux bounds, mmol/gDW/h "
        "(null keeps that bound of the model).")
    factors: dict[str, float] | None = Field(
        default=None, description="Nutrient, exchange or reaction id -> factor on its limits "
        "as they stand after the conditions above: 2 doubles an uptake limit or the ATP "
        "maintenance demand (ATPM), 0.5 halves it. Only finite limits are scaled (not the "
        "open +-1000).")
    demands: list[str] = Field(
        default_factory=list, max_length=50, description="Metabolites (ids or names, e.g. "
        "'akg_c') that get a demand reaction DM_<id> (cobrapy's add_boundary, type demand: "
        "the metabolite leaves the network, 0 to 1000) for this call; optimise DM_<id> to "
        "ask for the most of it the network can make.")
    knockout_genes: list[str] = Field(default_factory=list,
                                      description="Genes to delete (ids or names, e.g. pgi).")
    knockout_reactions: list[str] = Field(default_factory=list,
                                          description="Reactions to block.")
    growth_floor: float | None = Field(
        default=None, ge=0, description="Growth the flux state must keep, 1/h: the lower "
        "bound of the model's own objective (biomass) reaction, set before any objective of "
        "the call ('CS flux range with growth at least 0.5': run_fva, fraction_of_optimum 0).")

    @field_validator("medium", "uptakes")
    @classmethod
    def _uptakes_non_negative(cls, v: dict[str, float] | None) -> dict[str, float] | None:
        if v is not None:
            bad = [k for k, x in v.items() if x < 0]
            if bad:
                raise ValueError(f"uptakes must be >= 0 (a max uptake rate): {bad}")
        return v

    @field_validator("factors")
    @classmethod
    def _factors_non_negative(cls, v: dict[str, float] | None) -> dict[str, float] | None:
        bad = [k for k, x in (v or {}).items() if x < 0]
        if bad:
            raise ValueError(f"factors must be >= 0 (2 doubles a limit, 0.5 halves it): {bad}")
        return v

    @field_validator("bounds")
    @classmethod
    def _pairs(cls, v: dict[str, list[float | None]] | None
               ) -> dict[str, list[float | None]] | None:
        for rid, pair in (v or {}).items():
            if len(pair) != 2 or (pair[0] is not None and pair[1] is not None
                                  and pair[0] > pair[1]):
                raise ValueError(f"bounds of {rid} must be [lower, upper] with lower <= upper")
        return v

    def is_empty(self) -> bool:
        return not any((self.carbon_source, self.carbon_uptake is not None, self.open_exchanges,
                        self.oxygen is not None, self.medium is not None, self.bounds,
                        self.uptakes, self.factors, self.demands,
                        self.knockout_genes, self.knockout_reactions,
                        self.growth_floor is not None))


def _met(ex: cobra.Reaction) -> cobra.Metabolite | None:
    return next(iter(ex.metabolites), None)


def is_carbon_source(ex: cobra.Reaction) -> bool:
    """An exchange whose metabolite is organic carbon."""
    met = _met(ex)
    if met is None or not met.formula:
        return False
    try:
        elements = met.elements
    except Exception:
        return False
    if elements.get("C", 0) <= 0:
        return False
    return met.formula.replace("1", "") not in _INORGANIC


def medium_of(model: cobra.Model) -> dict[str, float]:
    """``model.medium`` without cobrapy's boundary search on every call (same semantics)."""
    out: dict[str, float] = {}
    for rid in exchange_ids(model):
        r = model.reactions.get_by_id(rid)
        if (r.products and r.upper_bound > 0) or (r.reactants and r.lower_bound < 0):
            out[rid] = -r.lower_bound if r.reactants else r.upper_bound
    return out


def carbon_sources(model: cobra.Model) -> dict[str, float]:
    """The medium's carbon sources: {exchange id: max uptake}."""
    medium = medium_of(model)
    return {ex: v for ex, v in medium.items()
            if v > TRACE_UPTAKE and is_carbon_source(model.reactions.get_by_id(ex))}


def _set_uptake(model: cobra.Model, ex_id: str, value: float) -> None:
    """Set one exchange's max uptake, leaving every other exchange alone."""
    rxn = model.reactions.get_by_id(ex_id)
    if rxn.reactants:
        if rxn.upper_bound < -value:
            rxn.bounds = (-value, -value)
        else:
            rxn.lower_bound = -value
    elif rxn.products:
        if rxn.lower_bound > value:
            rxn.bounds = (value, value)
        else:
            rxn.upper_bound = value


def oxygen_exchange(model: cobra.Model) -> str | None:
    try:
        return link(model, "o2", "exchange")
    except ToolFailure:
        return None


def apply_conditions(model: cobra.Model, conditions: Conditions | None) -> dict[str, Any]:
    """Apply ``conditions`` in place (call inside ``with model:``); return what was applied.

    Order: medium, carbon source, carbon uptake, oxygen, bounds, knockouts, growth floor.
    Unknown names raise ToolFailure('unknown_id') before anything is changed, except in
    knockout lists: there unknown mentions are left out and listed in
    ``applied["unresolved"]`` (and in the tool result's ``data["unresolved"]``) as long as at
    least one knockout resolves.
    """
    c = conditions or Conditions()
    notes: list[str] = []
    # link everything first, so a typo fails before the model is touched
    medium = ({link(model, k, "exchange"): float(v) for k, v in c.medium.items()}
              if c.medium is not None else None)
    source = link(model, c.carbon_source, "exchange") if c.carbon_source else None
    bounds = {link(model, k, "reaction"): (v[0], v[1]) for k, v in (c.bounds or {}).items()}
    uptakes = {link(model, k, "exchange"): float(v) for k, v in (c.uptakes or {}).items()}
    factors = {_link_scaled(model, k): float(v) for k, v in (c.factors or {}).items()}
    demanded = [_link_demanded(model, m) for m in c.demands]
    kos = link_knockouts(model, c.knockout_genes, c.knockout_reactions)
    genes, rxns = kos.genes, kos.reactions
    o2 = oxygen_exchange(model)
    floored = [r for r in model.reactions if r.objective_coefficient != 0]
    if c.growth_floor is not None and len(floored) != 1:
        raise ToolFailure("bad_arguments", f"growth_floor needs one objective reaction; "
                          f"{model.id} has {len(floored)}",
                          hint="set the biomass reaction's lower bound in bounds instead")
    if c.oxygen is True and o2 is None:
        raise ToolFailure("bad_arguments", f"{model.id} has no oxygen exchange",
                          hint="oxygen=true needs an EX_o2_e-like exchange")

    demands = [_demand(model, mid) for mid in demanded]
    if medium is not None:
        model.medium = medium
        notes.append("medium replaced")
    if c.open_exchanges:
        for ex in model.exchanges:
            ex.lower_bound = -OPEN_UPTAKE
        notes.append("every exchange open")
    if source is not None:
        if not is_carbon_source(model.reactions.get_by_id(source)):
            raise ToolFailure("bad_arguments", f"{source} does not carry organic carbon",
                              hint="carbon_source is an organic compound such as glucose, "
                              "succinate or acetate")
        replaced = carbon_sources(model)
        uptake = (c.carbon_uptake if c.carbon_uptake is not None
                  else max(replaced.values(), default=DEFAULT_CARBON_UPTAKE))
        for ex in replaced:
            if ex != source:
                _set_uptake(model, ex, 0.0)
        _set_uptake(model, source, uptake)
        notes.append(f"carbon source {source} at {uptake:g} mmol/gDW/h replaces "
                     + (", ".join(sorted(replaced)) or "none"))
    elif c.carbon_uptake is not None:
        current = carbon_sources(model)
        if not current:
            raise ToolFailure("bad_arguments", "carbon_uptake given but the medium has no "
                              "carbon source", hint="also give carbon_source")
        for ex in current:
            _set_uptake(model, ex, c.carbon_uptake)
        notes.append(f"carbon uptake limited to {c.carbon_uptake:g} mmol/gDW/h")
    if c.oxygen is not None and o2 is not None:
        if c.oxygen is False:
            _set_uptake(model, o2, 0.0)
        elif medium_of(model).get(o2, 0.0) <= 0:
            _set_uptake(model, o2, OPEN_UPTAKE)
    for ex, value in uptakes.items():
        _set_uptake(model, ex, value)
    applied_bounds: dict[str, tuple[float, float]] = {}
    for rid, (lo, hi) in bounds.items():
        rxn = model.reactions.get_by_id(rid)
        new = (rxn.lower_bound if lo is None else float(lo),
               rxn.upper_bound if hi is None else float(hi))
        if new[0] > new[1]:  # raising a lower bound past the upper one moves both
            new = (new[0], new[0]) if lo is not None else (new[1], new[1])
        rxn.bounds = new
        applied_bounds[rid] = new
    for rid, factor in factors.items():
        applied_bounds[rid] = _scale(model.reactions.get_by_id(rid), factor)
        notes.append(f"{rid} limits x{factor:g}")
    disabled = reactions_of_genes(model, genes) if genes else []
    for gid in genes:
        model.genes.get_by_id(gid).knock_out()
    for rid in rxns:
        model.reactions.get_by_id(rid).knock_out()
    floor: dict[str, Any] = {}
    if c.growth_floor is not None:
        rxn = floored[0]
        if c.growth_floor > rxn.upper_bound:
            raise ToolFailure("bad_arguments", f"growth_floor {c.growth_floor:g} is above "
                              f"{rxn.id}'s upper bound {rxn.upper_bound:g}")
        rxn.lower_bound = max(rxn.lower_bound, c.growth_floor)
        floor = {"reaction": rxn.id, "value": c.growth_floor}
    return describe_medium(model) | {
        "growth_floor": floor,
        "knockout_genes": genes,
        "knockout_reactions": rxns,
        "unresolved": kos.texts,
        "reactions_disabled": sorted(set(disabled) | set(rxns)),
        "bounds": {k: list(v) for k, v in applied_bounds.items()},
        "uptakes": uptakes,
        "demands": demands,
        "notes": notes,
        "conditions": c.model_dump(exclude_defaults=True),
    }


def _link_demanded(model: cobra.Model, text: str) -> str:
    """A demanded metabolite; a name found in several compartments is the cytosol's (a
    demand drains what the cell makes inside)."""
    try:
        return link(model, text, "metabolite")
    except ToolFailure as e:
        if not (e.data or {}).get("ambiguous"):
            raise
        return link(model, text, "metabolite", compartment="c")


def _demand(model: cobra.Model, met_id: str) -> str:
    """The metabolite's demand reaction, added as cobrapy adds one (``DM_<id>``) unless the
    model has it; inside ``with model:`` the addition is undone with the context."""
    rid = f"DM_{met_id}"
    if rid not in model.reactions:
        model.add_boundary(model.metabolites.get_by_id(met_id), type="demand")
    return rid


def _link_scaled(model: cobra.Model, name: str) -> str:
    """A nutrient name or exchange id links to its exchange, anything else to a reaction."""
    try:
        return link(model, name, "exchange")
    except ToolFailure:
        return link(model, name, "reaction")


def _scale(rxn: cobra.Reaction, factor: float) -> tuple[float, float]:
    """Multiply the finite limits of ``rxn`` (an uptake limit, ATPM's demand); the open
    +-1000 (cobrapy's default bound) stays open."""
    open_ = max(abs(b) for b in cobra.Configuration().bounds)
    lo, hi = rxn.lower_bound, rxn.upper_bound
    scaled = [b * factor if 0 < abs(b) < open_ else b for b in (lo, hi)]
    if scaled == [lo, hi] and factor != 1:
        raise ToolFailure("bad_arguments", f"{rxn.id} has no finite limit to scale "
                          f"(bounds [{lo:g}, {hi:g}])",
                          hint="give the new limit as a value in bounds or uptakes")
    rxn.bounds = (scaled[0], scaled[1])
    return rxn.bounds


def describe_medium(model: cobra.Model) -> dict[str, Any]:
    """Medium, carbon sources and oxygen status of a model as it stands."""
    medium = {k: float(v) for k, v in sorted(medium_of(model).items())}
    o2 = oxygen_exchange(model)
    oxygen = None if o2 is None else ("aerobic" if medium.get(o2, 0.0) > 0 else "anaerobic")
    return {"medium": medium, "carbon_sources": carbon_sources(model), "oxygen": oxygen}


def conditions_text(applied: dict[str, Any]) -> str:
    """'carbon EX_glc__D_e ≤ 10, aerobic, knockouts b4025' for summaries."""
    parts: list[str] = []
    cs = applied.get("carbon_sources") or {}
    if cs:
        parts.append("carbon " + ", ".join(f"{k} ≤ {v:g}" for k, v in cs.items())
                     + " mmol/gDW/h")
    else:
        parts.append("no carbon source")
    if applied.get("oxygen"):
        parts.append(str(applied["oxygen"]))
    if applied.get("knockout_genes"):
        parts.append("genes deleted: " + ", ".join(applied["knockout_genes"]))
    if applied.get("knockout_reactions"):
        parts.append("reactions blocked: " + ", ".join(applied["knockout_reactions"]))
    if applied.get("uptakes"):
        parts.append("uptakes set: " + ", ".join(f"{k} ≤ {v:g}"
                                                 for k, v in applied["uptakes"].items()))
    if applied.get("demands"):
        parts.append("demand reactions added: " + ", ".join(applied["demands"]))
    if applied.get("bounds"):
        parts.append("bounds " + ", ".join(f"{k} [{v[0]:g}, {v[1]:g}]"
                                           for k, v in applied["bounds"].items()))
    if applied.get("growth_floor"):
        floor = applied["growth_floor"]
        parts.append(f"growth ≥ {floor['value']:g} 1/h ({floor['reaction']} lower bound)")
    return "; ".join(parts)
