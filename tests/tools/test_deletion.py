"""Deletion screens and essentiality against cobrapy, with the dev-set gene and reaction lists."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from cobra.flux_analysis import (
    double_gene_deletion,
    find_essential_genes,
    find_essential_reactions,
    single_gene_deletion,
    single_reaction_deletion,
)
from toolctx import SETTINGS, ctx, err, reference, run

TOL = 1e-6
D06 = {"b0720", "b1136", "b1779", "b2415", "b2416", "b2779", "b2926"}
D19 = D06 | {"b3919", "b3956", "b4025"}
D07 = {"CS", "ENO", "GAPD", "PGK", "PGM", "ICDHyr", "GLNS", "RPI", "ACONTa", "ACONTb",
       "GLCpts"}


def test_essential_genes_aerobic_match_cobrapy_and_dev_set() -> None:
    res = run("essential_genes", {"model": "e_coli_core"})
    ids = {g["id"] for g in res.data["genes"]}
    assert ids == D06 == {g.id for g in find_essential_genes(reference())}
    assert {g["name"] for g in res.data["genes"]} >= {"gltA", "icd", "gapA", "pgk"}
    assert abs(res.data["threshold"] - 0.01 * 0.8739215) < 1e-6
    rows = list(csv.DictReader(io.StringIO(Path(res.artifacts[0].path).read_text())))
    assert len(rows) == 137 and sum(r["essential"] == "True" for r in rows) == 7


def test_essential_genes_anaerobic_dev_set() -> None:
    res = run("essential_genes", {"conditions": {"oxygen": False}})
    m = reference()
    m.reactions.EX_o2_e.lower_bound = 0
    assert {g["id"] for g in res.data["genes"]} == D19 == {g.id for g in
                                                          find_essential_genes(m)}


def test_essential_reactions() -> None:
    res = run("essential_reactions", {})
    internal = {r["id"] for r in res.data["reactions"]}
    boundary = {r["id"] for r in res.data["boundary"]}
    ref = {r.id for r in find_essential_reactions(reference())}
    assert internal | boundary == ref
    assert internal >= D07 and internal - D07 == {"NH4t", "PIt2r"}
    assert boundary == {"Biomass_Ecoli_core", "EX_glc__D_e", "EX_h_e", "EX_nh4_e", "EX_pi_e"}
    types = {r["id"]: r["type"] for r in res.data["reactions"]}
    assert types["NH4t"] == "transport" and types["PGK"] == "metabolic"
    full = run("essential_reactions", {"include_boundary": True})
    assert {r["id"] for r in full.data["reactions"]} == ref


def test_single_gene_screen_matches_cobrapy_serial_and_parallel() -> None:
    ref = single_gene_deletion(reference(), processes=1)
    want = {next(iter(ids)): g for ids, g in zip(ref["ids"], ref["growth"], strict=True)}
    progress: list[tuple[float, str]] = []
    for args in ({}, {"processes": 2}):
        res = run("gene_deletion_screen", args, ctx(progress=progress))
        got = {r["ids"][0]: r["growth"] for r in res.data["results"]}
        assert set(got) == set(want)
        for gid, growth in got.items():
            expected = want[gid] if want[gid] == want[gid] else 0.0  # nan -> 0
            assert abs(growth - max(expected, 0.0) if abs(expected) > 1e-9 else growth) < TOL
        assert res.data["counts"]["lethal"] == 7
    assert progress[-1][0] == 1.0


def test_double_gene_screen_matches_cobrapy() -> None:
    genes = ["b4025", "zwf", "gnd", "tpiA", "pfkA"]
    res = run("gene_deletion_screen", {"double": True, "genes": genes})
    ids = ["b4025", "b1852", "b2029", "b3919", "b3916"]
    ref = double_gene_deletion(reference(), ids, processes=1)
    want = {frozenset(i): g for i, g in zip(ref["ids"], ref["growth"], strict=True)
            if len(i) == 2}
    got = {frozenset(r["ids"]): r["growth"] for r in res.data["results"]}
    assert set(got) == set(want) and len(got) == 10
    for key, growth in got.items():
        w = want[key] if want[key] == want[key] else 0.0
        assert abs(growth - (w if abs(w) > 1e-9 else 0.0)) < TOL
    assert got[frozenset(("b4025", "b1852"))] == 0.0


def test_reaction_screen_matches_cobrapy() -> None:
    res = run("reaction_deletion_screen", {"reactions": ["PFK", "PGI", "GAPD", "SUCDi"]})
    ref = single_reaction_deletion(reference(), ["PFK", "PGI", "GAPD", "SUCDi"], processes=1)
    want = {next(iter(i)): g for i, g in zip(ref["ids"], ref["growth"], strict=True)}
    for r in res.data["results"]:
        w = want[r["ids"][0]]
        assert abs(r["growth"] - (w if abs(w) > 1e-9 else 0.0)) < TOL


def test_screen_errors(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import fluxagent.tools.cobra.deletion as deletion

    monkeypatch.setattr(deletion, "MAX_PAIRS", 100)
    e = err("gene_deletion_screen", {"double": True})
    assert e.kind == "bad_arguments" and "9316" in e.message and "genes" in e.hint
    assert err("gene_deletion_screen", {"genes": ["nope"]}).kind == "unknown_id"
    assert err("essential_genes", {"threshold_fraction": 2}).kind == "bad_arguments"
    e = err("essential_genes", {"conditions": {"carbon_source": "acetate", "oxygen": False}})
    assert e.kind == "infeasible"
    slow = SETTINGS.model_copy(update={"tool_time_limit_s": 0.0})
    e = err("essential_genes", {}, ctx(settings=slow))
    assert e.kind == "timeout" and "FLUXAGENT_TOOL_TIME_LIMIT_S" in e.hint
    assert abs(run("run_fba", {}).data["growth_rate"] - 0.873922) < 1e-6


def test_essential_exchanges_are_cobrapys_exchanges_whose_deletion_is_lethal() -> None:
    """'which exchange reactions are essential': cobrapy's ``model.exchanges`` (no demand or
    sink) whose single deletion leaves less than 1% of wild-type growth."""
    model = reference()
    wild = model.slim_optimize()
    res = single_reaction_deletion(model, [r.id for r in model.exchanges], processes=1)
    lethal = sorted(next(iter(ids)) for ids, g in zip(res.ids, res.growth, strict=True)
                    if not g >= 0.01 * wild)
    out = run("essential_reactions", {"include_boundary": True, "include_objective": False})
    assert lethal and sorted(out.data["exchanges"]) == lethal
    assert {r["type"] for r in out.data["boundary"]} <= {"exchange", "objective"}
