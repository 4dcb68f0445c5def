"""Real results for context tests: FVA and FBA of cobrapy's e_coli_core (textbook)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import cobra
from cobra.flux_analysis import flux_variability_analysis


@lru_cache(maxsize=1)
def core_results() -> dict[str, Any]:
    model = cobra.io.load_model("textbook")
    sol = model.optimize()
    fva = flux_variability_analysis(model, fraction_of_optimum=0.9)
    ranges = [{"id": rid, "name": model.reactions.get_by_id(rid).name,
               "minimum": float(row.minimum), "maximum": float(row.maximum)}
              for rid, row in fva.iterrows()]
    fluxes = {r: float(v) for r, v in sol.fluxes.items() if abs(v) > 1e-9}
    return {
        "fba": {"objective_value": sol.objective_value, "growth_rate": sol.objective_value,
                "status": sol.status, "objective": "Biomass_Ecoli_core",
                "fluxes": fluxes,
                "exchanges": {r: v for r, v in fluxes.items() if r.startswith("EX_")}},
        "fva": {"ranges": ranges, "fraction_of_optimum": 0.9,
                "objective_value": sol.objective_value},
    }
