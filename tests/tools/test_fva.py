"""run_fva against cobrapy's flux_variability_analysis, progress, time limit and errors."""

from __future__ import annotations

import csv
import io
import itertools
from pathlib import Path

from cobra.flux_analysis import flux_variability_analysis
from toolctx import SETTINGS, ctx, err, reference, run

TOL = 1e-6


def test_dev_set_ranges_pfk_and_acetate() -> None:
    res = run("run_fva", {"reactions": ["PFK", "acetate exchange"],
                          "fraction_of_optimum": 0.9})
    ranges = {r["id"]: (r["minimum"], r["maximum"]) for r in res.data["ranges"]}
    assert [round(v, 4) for v in ranges["PFK"]] == [1.1717, 25.2906]
    assert [round(v, 4) for v in ranges["EX_ac_e"]] == [0.0, 3.8136]
    assert res.data["fraction_of_optimum"] == 0.9
    assert abs(res.data["objective_value"] - 0.873922) < 1e-6
    assert "PFK [1.1717, 25.2906]" in res.summary


def _compare(rows: list[dict], fraction: float, **conditions_bounds: float) -> None:
    m = reference()
    for rid, lb in conditions_bounds.items():
        m.reactions.get_by_id(rid).lower_bound = lb
    ref = flux_variability_analysis(m, fraction_of_optimum=fraction, processes=1)
    assert [r["id"] for r in rows] == list(ref.index)
    for r in rows:
        assert abs(r["minimum"] - ref.at[r["id"], "minimum"]) < TOL, r
        assert abs(r["maximum"] - ref.at[r["id"], "maximum"]) < TOL, r


def test_all_reactions_match_cobrapy_serial_and_parallel() -> None:
    progress: list[tuple[float, str]] = []
    serial = run("run_fva", {"fraction_of_optimum": 0.95}, ctx(progress=progress))
    _compare(serial.data["ranges"], 0.95)
    assert progress and progress[-1][0] == 1.0
    assert all(a[0] <= b[0] for a, b in itertools.pairwise(progress))
    parallel = run("run_fva", {"fraction_of_optimum": 0.95, "processes": 2})
    _compare(parallel.data["ranges"], 0.95)
    art = serial.artifacts[0]
    rows = list(csv.DictReader(io.StringIO(Path(art.path).read_text())))
    assert len(rows) == 95 and set(rows[0]) == {"id", "name", "minimum", "maximum"}


def test_fva_under_conditions_matches_cobrapy() -> None:
    res = run("run_fva", {"fraction_of_optimum": 1.0, "conditions": {"oxygen": False}})
    _compare(res.data["ranges"], 1.0, EX_o2_e=0)


def test_loopless_matches_cobrapy_on_acyclic_and_removes_loops() -> None:
    res = run("run_fva", {"reactions": ["PFK", "SUCDi", "FRD7"], "loopless": True,
                          "fraction_of_optimum": 0.9})
    ranges = {r["id"]: (r["minimum"], r["maximum"]) for r in res.data["ranges"]}
    m = reference()
    ref = flux_variability_analysis(m, ["PFK"], fraction_of_optimum=0.9,
                                    loopless="cycleFreeFlux", processes=1)
    assert abs(ranges["PFK"][0] - ref.at["PFK", "minimum"]) < TOL
    assert abs(ranges["PFK"][1] - ref.at["PFK", "maximum"]) < TOL
    plain = run("run_fva", {"reactions": ["SUCDi", "FRD7"], "fraction_of_optimum": 0.9})
    loose = {r["id"]: r["maximum"] for r in plain.data["ranges"]}
    assert loose["FRD7"] == 1000.0 and ranges["FRD7"][1] < 1.0  # the loop is gone
    assert ranges["SUCDi"][1] < loose["SUCDi"]
    again = run("run_fva", {"reactions": ["FRD7", "SUCDi", "PFK"], "loopless": True,
                            "fraction_of_optimum": 0.9})
    for r in again.data["ranges"]:  # CycleFreeFlux results do not depend on task order
        assert abs(r["minimum"] - ranges[r["id"]][0]) < TOL
        assert abs(r["maximum"] - ranges[r["id"]][1]) < TOL
    assert ranges["SUCDi"][1] > 1.0


def test_timeout_unknown_ids_and_infeasible() -> None:
    slow = SETTINGS.model_copy(update={"tool_time_limit_s": 0.0})
    e = err("run_fva", {}, ctx(settings=slow))
    assert e.kind == "timeout" and "reactions" in e.hint and e.retryable
    e = err("run_fva", {"reactions": ["PFKK"]})
    assert e.kind == "unknown_id" and "PFK" in e.hint
    e = err("run_fva", {"conditions": {"carbon_source": "acetate", "oxygen": False}})
    assert e.kind == "infeasible" and "ATPM" in e.hint
    assert err("run_fva", {"fraction_of_optimum": 1.5}).kind == "bad_arguments"
    assert abs(run("run_fba", {}).data["growth_rate"] - 0.873922) < 1e-6


def test_genome_scale_subset_in_parallel_matches_cobrapy() -> None:
    from toolctx import STORE, state

    m = STORE.base("iJO1366").model.copy()
    ids = [r.id for r in m.reactions[::60]]
    res = run("run_fva", {"reactions": ids, "processes": 2, "fraction_of_optimum": 0.9},
              ctx(state("iJO1366")))
    ref = flux_variability_analysis(m, ids, fraction_of_optimum=0.9, processes=1)
    for r in res.data["ranges"]:
        assert abs(r["minimum"] - ref.at[r["id"], "minimum"]) < TOL, r
        assert abs(r["maximum"] - ref.at[r["id"], "maximum"]) < TOL, r
