"""memote's flux checks on the large bundled models, run as a separate process beside the suite.

memote's per-metabolite and FVA-based checks take ~20 single-core minutes on iJO1366 and
salmonella together (bench/results/memote_flux_profile.md), far longer than any one test may
take. The suite is one pytest process, so the second core is mostly idle: tests/conftest.py
starts this script (niced) as soon as the parity tests that need it are collected, and moves
those tests to the end of the run; they wait for the files written here.

Each check is memote's own function (memote 0.17, the ones its test suite calls), on a freshly
loaded cobrapy model inside ``with model:`` as memote's suite gets a fresh model per test, with
memote run's solver time limit (``--solver-timeout`` 10 s) and one process.

Run: ``.venv/bin/python tests/tools/memote_flux_checks.py OUT_DIR MODEL...`` (MODEL: a cobrapy
bundled model: textbook, iJO1366, salmonella). Writes OUT_DIR/MODEL.json when a model is done,
or OUT_DIR/MODEL.error with the traceback.
"""

from __future__ import annotations

import json
import logging
import sys
import time
import traceback
from pathlib import Path
from typing import Any

import cobra
import memote.support.consistency as consistency
from cobra.flux_analysis import find_blocked_reactions

#: memote run's default ``--solver-timeout``.
SOLVER_TIMEOUT_S = 10


def memote_flux_checks(model: cobra.Model) -> dict[str, Any]:
    """The five flux checks memote runs, each named by the memote test it mirrors."""
    out: dict[str, Any] = {}
    started = time.perf_counter()
    with model:  # test_blocked_reactions
        out["blocked_open"] = sorted(find_blocked_reactions(model, open_exchanges=True))
    with model:  # test_find_stoichiometrically_balanced_cycles
        out["sbc"] = sorted(consistency.find_stoichiometrically_balanced_cycles(model))
    with model:  # test_find_metabolites_not_produced_with_open_bounds
        out["not_produced"] = sorted(consistency.find_metabolites_not_produced_with_open_bounds(
            model, processes=1))
    with model:  # test_find_metabolites_not_consumed_with_open_bounds
        out["not_consumed"] = sorted(consistency.find_metabolites_not_consumed_with_open_bounds(
            model, processes=1))
    with model:  # test_find_reactions_unbounded_flux_default_condition
        unb, frac, blocked = consistency.find_reactions_with_unbounded_flux_default_condition(
            model)
        out["unbounded"] = {"reactions": sorted(unb), "fraction": frac,
                            "blocked": sorted(blocked)}
    out["seconds"] = round(time.perf_counter() - started, 1)
    return out


def main(out_dir: Path, names: list[str]) -> None:
    logging.getLogger("cobra").setLevel(logging.ERROR)
    out_dir.mkdir(parents=True, exist_ok=True)
    for name in names:
        try:
            model = cobra.io.load_model(name)
            model.solver.configuration.timeout = SOLVER_TIMEOUT_S
            result = memote_flux_checks(model)
        except Exception:  # reported to the waiting test, which fails with it
            (out_dir / f"{name}.error").write_text(traceback.format_exc())
            continue
        part = out_dir / f"{name}.json.part"
        part.write_text(json.dumps(result))
        part.rename(out_dir / f"{name}.json")  # whole or absent: the test never reads half


if __name__ == "__main__":
    main(Path(sys.argv[1]), sys.argv[2:])
