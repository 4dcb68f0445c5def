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
import swiglpk as glp

from fluxagent.tools.cobra.fva import fva_ranges
from fluxagent.tools.cobra.glpk_lp import load_matrix, set_col_bounds, solve_fresh
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
    for r, bounds in zip(model.reactions, closed_bounds(model, "memote"), strict=True):
        r.bounds = bounds


def closed_bounds(model: cobra.Model, convention: EgcConvention) -> list[tuple[float, float]]:
    """Per reaction, in model order: boundaries closed; ``memote`` resets the rest by
    reversibility (as reset_bounds); ``model`` relaxes forced fluxes to 0 and caps at +-1000."""
    out: list[tuple[float, float]] = []
    for r in model.reactions:
        if r.boundary:
            out.append((0.0, 0.0))
        elif convention == "memote":
            out.append((-1.0, 1.0) if r.reversibility else (0.0, 1.0))
        else:
            lb, ub = max(r.lower_bound, -1000.0), min(r.upper_bound, 1000.0)
            out.append((min(lb, 0.0), max(ub, 0.0)))
    return out


def _dissipations(model: cobra.Model, compartment: str
                  ) -> tuple[list[tuple[str, str, dict[str, float]]], list[str]]:
    """(energy, charged metabolite, stoichiometry) per couple whose metabolites all exist."""
    tests: list[tuple[str, str, dict[str, float]]] = []
    skipped: list[str] = []
    for name, charged, discharged, subs, prods in ENERGY_PAIRS:
        wanted = [(charged, -1.0), (discharged, 1.0), *((b, -float(c)) for b, c in subs.items()),
                  *((b, float(c)) for b, c in prods.items())]
        stoich = {f"{base}_{compartment}": coef for base, coef in wanted}
        if all(mid in model.metabolites for mid in stoich):
            tests.append((name, f"{charged}_{compartment}", stoich))
        else:
            skipped.append(name)
    return tests, skipped


def energy_generating_cycles(model: cobra.Model, compartment: str = "c",
                             convention: EgcConvention = "model") -> dict[str, Any]:
    """Maximise each energy couple's dissipation with every boundary closed (see module doc).

    Returns the couples checked (with the metabolite tested), those skipped because a
    metabolite is missing, and per cycle its optimum, the reactions carrying flux and (memote
    convention) the ones the model's own bounds would not allow in that direction. One GLPK
    problem (a column per reaction's net flux, a row per mass balance, a column per
    dissipation), built directly: through cobrapy the bound changes cost more than the LPs.
    """
    tests, skipped = _dissipations(model, compartment)
    checked: list[dict[str, str]] = []
    found: list[dict[str, Any]] = []
    if not tests:
        return {"convention": convention, "checked": checked,
                "skipped_missing_metabolites": skipped, "cycles": found}
    rxns = list(model.reactions)
    row = {m.id: i for i, m in enumerate(model.metabolites, start=1)}
    entries = [(row[m.id], j, float(c)) for j, r in enumerate(rxns, start=1)
               for m, c in r.metabolites.items() if c]
    first = len(rxns) + 1
    entries += [(row[mid], first + k, c) for k, (_, _, st) in enumerate(tests)
                for mid, c in st.items()]
    lp = glp.glp_create_prob()
    try:
        glp.glp_set_obj_dir(lp, glp.GLP_MAX)
        glp.glp_add_rows(lp, len(row))
        glp.glp_add_cols(lp, len(rxns) + len(tests))
        for i in range(1, len(row) + 1):
            glp.glp_set_row_bnds(lp, i, glp.GLP_FX, 0.0, 0.0)
        for j, (lb, ub) in enumerate(closed_bounds(model, convention), start=1):
            set_col_bounds(lp, j, lb, ub)
        for k in range(len(tests)):
            set_col_bounds(lp, first + k, 0.0, 0.0)
        load_matrix(lp, entries)
        for k, (name, met, _) in enumerate(tests):
            set_col_bounds(lp, first + k, 0.0, 1000.0)
            glp.glp_set_obj_coef(lp, first + k, 1.0)
            value = glp.glp_get_obj_val(lp) if solve_fresh(lp) else float("nan")
            checked.append({"energy": name, "metabolite": met})
            if value == value and value > FLUX_EPS:  # not NaN and positive
                flux = {r.id: glp.glp_get_col_prim(lp, j) for j, r in enumerate(rxns, start=1)}
                used = sorted(k for k, v in flux.items() if abs(v) > FLUX_EPS)
                own = {r.id: r.bounds for r in rxns}
                opened = sorted(k for k in used if (flux[k] > 0 and own[k][1] <= 0)
                                or (flux[k] < 0 and own[k][0] >= 0))
                found.append({"energy": name, "metabolite": met, "max_flux": round(value, 6),
                              "reactions": used, "opened_by": opened})
            glp.glp_set_obj_coef(lp, first + k, 0.0)
            set_col_bounds(lp, first + k, 0.0, 0.0)
    finally:
        glp.glp_delete_prob(lp)
    return {"convention": convention, "checked": checked,
            "skipped_missing_metabolites": skipped, "cycles": found}


def balanced_cycles(model: cobra.Model, ctx: ToolContext, processes: int | None = None
                    ) -> dict[str, Any]:
    """memote's find_stoichiometrically_balanced_cycles: reset bounds, one FVA at 100% of the
    (then zero) objective, reactions reaching -1 or 1."""
    fast = sbc_members(model, closed_bounds(model, "memote"))
    if fast is not None:
        return {"reactions": fast, "tested": len(model.reactions)}
    with model:
        reset_bounds(model)
        _, rows = fva_ranges(model, [r.id for r in model.reactions], 1.0, False, ctx,
                             processes)
    ids = sorted(r["id"] for r in rows
                 if r["minimum"] <= -1 + SBC_TOL or r["maximum"] >= 1 - SBC_TOL)
    return {"reactions": ids, "tested": len(rows)}
