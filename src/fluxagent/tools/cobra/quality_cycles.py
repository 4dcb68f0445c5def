"""Energy-generating cycles (EGC) under two conventions, and stoichiometrically balanced
cycles (SBC).

EGC (Fritzemeier et al. 2017, PLoS Comput Biol 13:e1005494; memote's
detect_energy_generating_cycles): add a dissipation reaction per energy couple, close every
boundary reaction and maximise it; a positive optimum is energy made from nothing. The
conventions differ only in the other bounds:

- ``model``: the model's own bounds (forced fluxes relaxed to 0, capped at +-1000), so a
  cycle is one the model really allows;
- ``memote``: every reaction reset by its reversibility to (-1, 1) or (0, 1), as memote's
  close_boundaries_sensibly does. A reaction the model keeps closed or runs backward only
  is then opened forward; ``opened_by`` lists the cycle's reactions that run in a direction
  the model's bounds forbid (the reason the cycle exists only under this convention).

SBC (memote's find_stoichiometrically_balanced_cycles): with memote's reset bounds, reactions
whose FVA range reaches a bound; few LPs on the reactions that can carry flux
(quality_sbc.py), else one FVA on the shared fast engine.
"""

from __future__ import annotations

from typing import Any, Literal

import cobra

from fluxagent.tools.cobra.fva import fva_ranges
from fluxagent.tools.cobra.quality_sbc import SBC_TOL, sbc_members
from fluxagent.tools.registry import ToolContext

EgcConvention = Literal["model", "memote"]

#: (name, charged base id, discharged base id, extra substrates, extra products), the energy
#: couples of memote's ENERGY_COUPLES (MetaNetX ids mapped to BiGG) in its order.
NUCLEOTIDE: tuple[dict[str, float], dict[str, float]] = (
    {"h2o": 1.0}, {"pi": 1.0, "h": 1.0})
ENERGY_PAIRS: tuple[tuple[str, str, str, dict[str, float], dict[str, float]], ...] = (
    ("ATP", "atp", "adp", *NUCLEOTIDE),
    ("CTP", "ctp", "cdp", *NUCLEOTIDE),
    ("GTP", "gtp", "gdp", *NUCLEOTIDE),
    ("UTP", "utp", "udp", *NUCLEOTIDE),
    ("ITP", "itp", "idp", *NUCLEOTIDE),
    ("NADPH", "nadph", "nadp", {}, {"h": 1.0}),
    ("NADH", "nadh", "nad", {}, {"h": 1.0}),
    ("FADH2", "fadh2", "fad", {}, {"h": 2.0}),
    ("FMNH2", "fmnh2", "fmn", {}, {"h": 2.0}),
    ("ubiquinol-8", "q8h2", "q8", {}, {"h": 2.0}),
    ("menaquinol-8", "mql8", "mqn8", {}, {"h": 2.0}),
    ("menaquinol-6", "mql6", "mqn6", {}, {"h": 2.0}),
    ("menaquinol-7", "mql7", "mqn7", {}, {"h": 2.0}),
    ("2-demethylmenaquinol-8", "2dmmql8", "2dmmq8", {}, {"h": 2.0}),
    ("acetyl-CoA", "accoa", "coa", {"h2o": 1.0}, {"ac": 1.0, "h": 1.0}),
    ("L-glutamate", "glu__L", "akg", {"h2o": 1.0}, {"nh4": 1.0, "h": 2.0}),
)
#: A flux above this counts as carried (cycle members, "opened by").
FLUX_EPS = 1e-9


def reset_bounds(model: cobra.Model) -> None:
    """memote's close_boundaries_sensibly (inside ``with model:``)."""
    for r in model.reactions:
        r.bounds = (-1.0, 1.0) if r.reversibility else (0.0, 1.0)
    for r in model.boundary:
        r.bounds = (0.0, 0.0)


def _model_bounds(model: cobra.Model) -> None:
    """Boundaries closed; forced fluxes relaxed to 0; everything capped at +-1000."""
    boundary = {r.id for r in model.boundary}
    for r in model.reactions:
        if r.id in boundary:
            r.bounds = (0.0, 0.0)
        elif r.lower_bound > 0 or r.upper_bound < 0 or r.lower_bound < -1000 \
                or r.upper_bound > 1000:
            lb, ub = max(r.lower_bound, -1000.0), min(r.upper_bound, 1000.0)
            r.bounds = (min(lb, 0.0), max(ub, 0.0))


def _dissipations(model: cobra.Model, compartment: str
                  ) -> tuple[list[tuple[str, str, cobra.Reaction]], list[str]]:
    tests: list[tuple[str, str, cobra.Reaction]] = []
    skipped: list[str] = []
    for name, charged, discharged, subs, prods in ENERGY_PAIRS:
        stoich: dict[cobra.Metabolite, float] = {}
        wanted = [(charged, -1.0), (discharged, 1.0), *((b, -float(c)) for b, c in subs.items()),
                  *((b, float(c)) for b, c in prods.items())]
        for base, coef in wanted:
            mid = f"{base}_{compartment}"
            if mid not in model.metabolites:
                skipped.append(name)
                break
            stoich[model.metabolites.get_by_id(mid)] = coef
        else:
            rxn = cobra.Reaction(f"EGC_check_{name.replace(' ', '_')}", lower_bound=0.0,
                                 upper_bound=0.0)
            rxn.add_metabolites(stoich)
            tests.append((name, f"{charged}_{compartment}", rxn))
    return tests, skipped


def energy_generating_cycles(model: cobra.Model, compartment: str = "c",
                             convention: EgcConvention = "model") -> dict[str, Any]:
    """Maximise each energy couple's dissipation with every boundary closed (see module doc).

    Returns the couples checked (with the metabolite tested), those skipped because a
    metabolite is missing, and per cycle its optimum, the reactions carrying flux and (memote
    convention) the ones the model's own bounds would not allow in that direction.
    """
    own = {r.id: r.bounds for r in model.reactions}
    tests, skipped = _dissipations(model, compartment)
    checked: list[dict[str, str]] = []
    found: list[dict[str, Any]] = []
    if not tests:
        return {"convention": convention, "checked": checked,
                "skipped_missing_metabolites": skipped, "cycles": found}
    with model:
        reset_bounds(model) if convention == "memote" else _model_bounds(model)
        model.add_reactions([rxn for _, _, rxn in tests])
        for name, met, rxn in tests:
            rxn.upper_bound = 1000.0
            model.objective = rxn
            value = model.slim_optimize(error_value=float("nan"))
            checked.append({"energy": name, "metabolite": met})
            if value == value and value > FLUX_EPS:  # not NaN and positive
                primal = model.solver.primal_values
                flux = {r.id: primal[r.forward_variable.name] - primal[r.reverse_variable.name]
                        for r in model.reactions if r.id in own}
                used = sorted(k for k, v in flux.items() if abs(v) > FLUX_EPS)
                opened = sorted(k for k in used if (flux[k] > 0 and own[k][1] <= 0)
                                or (flux[k] < 0 and own[k][0] >= 0))
                found.append({"energy": name, "metabolite": met, "max_flux": round(value, 6),
                              "reactions": used, "opened_by": opened})
            rxn.upper_bound = 0.0
    return {"convention": convention, "checked": checked,
            "skipped_missing_metabolites": skipped, "cycles": found}


def balanced_cycles(model: cobra.Model, ctx: ToolContext, processes: int | None = None
                    ) -> dict[str, Any]:
    """memote's find_stoichiometrically_balanced_cycles: reset bounds, one FVA at 100% of the
    (then zero) objective, reactions reaching -1 or 1."""
    with model:
        reset_bounds(model)
        fast = sbc_members(model)
        if fast is not None:
            return {"reactions": fast, "tested": len(model.reactions)}
        _, rows = fva_ranges(model, [r.id for r in model.reactions], 1.0, False, ctx,
                             processes)
    ids = sorted(r["id"] for r in rows
                 if r["minimum"] <= -1 + SBC_TOL or r["maximum"] >= 1 - SBC_TOL)
    return {"reactions": ids, "tested": len(rows)}
