"""Reference values of the extra cases in eval/paraphrases.yaml, computed with plain cobrapy.

Run ``.venv/bin/python tests/evaluation/reference_values.py`` to print them; the numbers were
copied into the YAML file. Only cobrapy and GLPK are used here (no fluxagent code), so the
evaluation checks the agent against an independent computation.
"""

from __future__ import annotations

from typing import Any

import cobra
from cobra.flux_analysis import find_essential_genes, find_essential_reactions, pfba
from cobra.io import load_model


def carbon(model: cobra.Model, ex: str, uptake: float = 10.0) -> None:
    model.reactions.EX_glc__D_e.lower_bound = 0.0
    model.reactions.get_by_id(ex).lower_bound = -uptake


def anaerobic(model: cobra.Model) -> None:
    model.reactions.EX_o2_e.lower_bound = 0.0


def max_flux(model: cobra.Model, rid: str, min_growth: float | None = None) -> float:
    with model:
        if min_growth is not None:
            bio = next(r for r in model.reactions if r.objective_coefficient)
            bio.lower_bound = min_growth
        model.objective = rid
        return float(model.slim_optimize())


def compute() -> dict[str, Any]:
    core = load_model("textbook")
    core.solver = "glpk"
    out: dict[str, Any] = {}
    with core:
        carbon(core, "EX_pyr_e")
        out["X01 pyruvate growth"] = core.slim_optimize()
    with core:
        anaerobic(core)
        out["X02 max ethanol anaerobic"] = max_flux(core, "EX_etoh_e")
    with core:
        carbon(core, "EX_succ_e")
        out["X03 essential genes on succinate"] = sorted(
            g.id for g in find_essential_genes(core, threshold=0.01 * core.slim_optimize()))
    with core:
        core.reactions.EX_glc__D_e.lower_bound = -2.0
        anaerobic(core)
        out["X04 glucose 2 anaerobic"] = core.slim_optimize()
    with core:
        core.reactions.PFK.knock_out()
        out["X05 PFK reaction knockout"] = core.slim_optimize()
    with core:
        core.genes.b4025.knock_out()
        anaerobic(core)
        out["X10 pgi anaerobic"] = core.slim_optimize()
    with core:
        anaerobic(core)
        out["X11 max succinate anaerobic growth>=0.1"] = max_flux(core, "EX_succ_e", 0.1)
    with core:
        sol = core.optimize()
        fva = cobra.flux_analysis.flux_variability_analysis(core, ["PFK"], fraction_of_optimum=1.0)
        out["X12 PFK flux"] = (sol.fluxes["PFK"], fva.loc["PFK"].tolist())
    with core:
        anaerobic(core)
        out["X13 essential reactions anaerobic"] = sorted(
            r.id for r in find_essential_reactions(core, threshold=0.01 * core.slim_optimize()))
    with core:
        core.genes.b1852.knock_out()
        out["X16 zwf knockout"] = core.slim_optimize()
    with core:
        core.reactions.EX_o2_e.lower_bound = -5.0
        out["X19 oxygen 5"] = core.slim_optimize()
    out["X20 max ethanol aerobic"] = max_flux(core, "EX_etoh_e")
    with core:
        out["X21 pfba total flux anaerobic"] = (anaerobic(core), pfba(core).objective_value)[1]
    sal = load_model("salmonella")
    sal.solver = "glpk"
    out["X06 salmonella genes"] = len(sal.genes)
    out["X07 salmonella growth"] = sal.slim_optimize()
    ijo = load_model("iJO1366")
    ijo.solver = "glpk"
    with ijo:
        carbon(ijo, "EX_glyc_e")
        out["X15 iJO1366 glycerol"] = ijo.slim_optimize()
    return out


if __name__ == "__main__":
    for k, v in compute().items():
        print(k, v)
