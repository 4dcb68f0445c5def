"""Profile memote's per-metabolite LPs and compare its answers with validate_model's.

memote's find_metabolites_not_produced_with_open_bounds / ..._not_consumed_... run here
through memote's own ``_init_worker`` and ``_solve_metabolite_exchange`` (its processes=1
path, one LP per metabolite), timing each LP, under one GLPK configuration:

- ``default``: memote run's setting (10 s solver time limit; GLPK warm-started from the
  previous metabolite's basis),
- ``presolve``: the same with GLPK's presolver on, so every LP starts from a fresh basis.

Then validate_model's ``metabolite_flux`` on the same model, and the sets side by side
(memote counts NaN as blocked, as its find_blocked_metabolites does).

Run: ``.venv/bin/python bench/memote_flux_profile.py MODEL CONFIG OUT.json`` (MODEL: a
bundled model name: iJO1366, salmonella, textbook).
"""

from __future__ import annotations

import json
import math
import sys
import time
from pathlib import Path
from typing import Any

import cobra
import memote.support.consistency as consistency
import memote.support.helpers as helpers

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "tools"))

#: memote run's --solver-timeout default.
SOLVER_TIMEOUT_S = 10
NAMES = {"textbook": "e_coli_core", "iJO1366": "iJO1366", "salmonella": "salmonella"}


def memote_lps(model: cobra.Model, coef: int) -> list[tuple[str, float | None, float]]:
    """(metabolite, memote's LP value or None for NaN, seconds) per metabolite."""
    rows: list[tuple[str, float | None, float]] = []
    with model:
        helpers.open_exchanges(model)
        sink = model.problem.Variable("__multi_sink", lb=0, ub=1000)
        model.add_cons_vars([sink])
        model.solver.update()
        consistency._init_worker(model, sink.name, coef)
        for met in model.metabolites:
            start = time.perf_counter()
            value, _ = consistency._solve_metabolite_exchange(met.id)
            rows.append((met.id, None if math.isnan(value) else float(value),
                         time.perf_counter() - start))
    return rows


def main(name: str, config: str, out: str) -> None:
    from toolctx import run  # the tests' tool context: a real session, no mocks

    model = cobra.io.load_model(name)
    model.solver.configuration.timeout = SOLVER_TIMEOUT_S
    if config == "presolve":
        model.solver.configuration.presolve = True
    tol = model.tolerance
    start = time.perf_counter()
    ours = run("validate_model", {"model": NAMES[name], "checks": ["metabolite_flux"],
                                  "processes": 1}).data["checks"]["metabolite_flux"]
    ours_s = time.perf_counter() - start
    result: dict[str, Any] = {"model": name, "config": config, "validate_model_s": ours_s}
    for coef, key in ((-1, "not_produced"), (1, "not_consumed")):
        rows = memote_lps(model, coef)
        blocked = sorted(m for m, v, _ in rows if v is None or v < tol)
        times = sorted(t for _, _, t in rows)
        result[key] = {
            "lps": len(rows), "seconds": sum(times), "median_s": times[len(times) // 2],
            "at_time_limit": [m for m, _, t in rows if t >= SOLVER_TIMEOUT_S],
            "nan": [m for m, v, _ in rows if v is None], "memote": len(blocked),
            "validate_model": len(ours[key]), "same": blocked == ours[key],
            "memote_only": sorted(set(blocked) - set(ours[key])),
            "validate_model_only": sorted(set(ours[key]) - set(blocked)), "rows": rows}
        print(name, config, key, {k: v for k, v in result[key].items() if k != "rows"},
              file=sys.stderr, flush=True)
    Path(out).write_text(json.dumps(result))


if __name__ == "__main__":
    main(*sys.argv[1:4])
