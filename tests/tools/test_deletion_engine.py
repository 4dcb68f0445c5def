"""The fast deletion screens against cobrapy: every gene of the bundled models, and the no-LP
shortcut on a network whose alternative optima would fool a naive one."""

from __future__ import annotations

import csv
import io
import math
from pathlib import Path

import cobra
import pytest
from cobra.flux_analysis import single_gene_deletion, single_reaction_deletion
from toolctx import STORE, ctx, run, state

from fluxagent.tools.cobra.deletion_engine import disabled_reactions, single_deletions

#: Growth values agree to the solvers' tolerance.
TOL = 1e-6


def _cobrapy(model: cobra.Model, kind: str, ids: list[str] | None = None,
             ) -> dict[str, float]:
    """{id: growth} by cobrapy, infeasible (NaN) as 0, with the same 2 processes."""
    delete = single_gene_deletion if kind == "gene" else single_reaction_deletion
    frame = delete(model, ids, processes=2)
    out = {}
    for i, growth, status in zip(frame["ids"], frame["growth"], frame["status"], strict=True):
        value = growth if status == "optimal" and not math.isnan(growth) else 0.0
        out[next(iter(i))] = value if abs(value) > 1e-9 else 0.0
    return out


def _sample(model: cobra.Model, kind: str, every: int) -> list[str]:
    """The genes (reactions) whose knockout touches a flux of cobrapy's own optimum (every
    essential one does: an essential reaction carries flux in every optimum) and every
    ``every``-th other one."""
    fluxes = model.optimize().fluxes
    active = {r.id for r in model.reactions if abs(fluxes[r.id]) > 1e-9}
    if kind == "gene":
        touching = [g.id for g in model.genes if any(r.id in active for r in g.reactions)]
        table = list(model.genes)
    else:
        touching, table = [r.id for r in model.reactions if r.id in active], \
            list(model.reactions)
    others = [x.id for x in table if x.id not in set(touching)]
    return touching + others[::every]


def _table(res: object) -> dict[str, tuple[float, bool]]:
    """{id: (growth, essential)} from the tool's CSV artifact (every gene screened)."""
    path = Path(res.artifacts[0].path)  # type: ignore[attr-defined]
    rows = csv.DictReader(io.StringIO(path.read_text()))
    return {r["id"]: (float(r["growth"]), r["essential"] == "True") for r in rows}


@pytest.mark.parametrize("name", ["e_coli_core", "iJO1366", "salmonella"])
@pytest.mark.parametrize("oxygen", [True, False])
def test_essential_genes_equal_cobrapy(name: str, oxygen: bool) -> None:
    """Every gene against cobrapy; on salmonella (the slowest for cobrapy) the genes that
    touch a flux of its optimum and every 4th other one (bench/bench_deletions.py compares
    all of them)."""
    reference = STORE.build(name, state())
    if not oxygen:
        reference.reactions.EX_o2_e.lower_bound = 0.0
    wild = reference.slim_optimize()
    chosen = _sample(reference, "gene", 4) if name == "salmonella" else None
    want = _cobrapy(reference, "gene", chosen)
    args = {"model": name, "processes": 2} | ({} if oxygen else
                                              {"conditions": {"oxygen": False}})
    res = run("essential_genes", args)
    got = _table(res)
    assert set(got) == {g.id for g in reference.genes} >= set(want)
    assert abs(res.data["wild_type_growth"] - wild) < TOL
    worst = max(abs(got[g][0] - want[g]) for g in want)
    assert worst < TOL, worst
    essential = {g for g, w in want.items() if w < 0.01 * wild}
    assert {g["id"] for g in res.data["genes"]} == essential
    assert {g for g, (_, e) in got.items() if e} == essential
    # the shortcut did the work: far fewer LPs than genes, every gene accounted for
    assert res.data["settled_without_lp"] > len(got) // 3
    assert res.data["lps"] + res.data["settled_without_lp"] <= len(got)


def test_essential_reactions_equal_cobrapy_on_ijo1366() -> None:
    """cobrapy on the reactions with flux in its own optimum and every 8th other one: a
    quarter of the LPs of a full comparison."""
    reference = STORE.build("iJO1366", state())
    wild = reference.slim_optimize()
    chosen = _sample(reference, "reaction", 8)
    want = _cobrapy(reference, "reaction", chosen)
    res = run("essential_reactions", {"model": "iJO1366", "processes": 2,
                                      "include_boundary": True})
    got = _table(res)
    assert len(got) == len(reference.reactions)
    assert max(abs(got[r][0] - want[r]) for r in chosen) < TOL
    essential = {r["id"] for r in res.data["reactions"]}
    assert essential == {r for r, w in want.items() if w < 0.01 * wild}
    assert res.data["lps"] < len(got) // 3


def _isozymes() -> cobra.Model:
    """A -> B by two isozymes that share the subunit g0 (R1: g0 and g1, R2: g0 and g2), B ->
    biomass by g3, a side branch B -> C by g4, and g5 on a reaction whose GPR survives it."""
    model = cobra.Model("isozymes")
    a, b, c = (cobra.Metabolite(m, compartment="c") for m in ("a", "b", "c"))
    def reaction(rid: str, stoich: dict[cobra.Metabolite, float], gpr: str,
                 lb: float = 0.0, ub: float = 1000.0) -> cobra.Reaction:
        rxn = cobra.Reaction(rid, lower_bound=lb, upper_bound=ub)
        rxn.add_metabolites(stoich)
        rxn.gene_reaction_rule = gpr
        return rxn
    model.add_reactions([
        reaction("EX_a", {a: 1}, "", 0.0, 10.0),
        reaction("R1", {a: -1, b: 1}, "g0 and g1"),
        reaction("R2", {a: -1, b: 1}, "g0 and g2"),
        reaction("GROW", {b: -1}, "g3"),
        reaction("SIDE", {b: -1, c: 1}, "g4"),
        reaction("EX_c", {c: -1}, "g5 or g4"),
    ])
    model.objective = "GROW"
    return model


def test_alternative_optima_do_not_fool_the_shortcut() -> None:
    model = _isozymes()
    wild = model.slim_optimize()
    assert wild == pytest.approx(10.0)
    # each isozyme is dispensable on its own (FVA minimum 0), yet g0 disables both at once
    fva = cobra.flux_analysis.flux_variability_analysis(model, ["R1", "R2"])
    assert (fva["minimum"] == 0).all() and (fva["maximum"] == 10).all()
    results, plan = single_deletions(model, "gene")
    idle = plan.idle & {"R1", "R2"}
    assert len(idle) == 1  # the solution is a vertex: one isozyme carries all the flux
    idle_isozyme_gene = "g1" if idle == {"R1"} else "g2"
    # no LP for the idle isozyme, the side branch, and g5 (its reaction still runs with g4)
    assert disabled_reactions(model, "gene", ["g5"]) == frozenset()
    settled = {g for g, s in zip(results, plan.source, strict=True) if s < 0}
    assert settled == {idle_isozyme_gene, "g4", "g5"}
    assert len(plan.lps) == 3 and plan.settled == 3  # g0, the used isozyme's gene, g3
    want = _cobrapy(model, "gene")
    assert want["g0"] == 0.0 and want["g3"] == 0.0 and want["g1"] == pytest.approx(10.0)
    for gene, (growth, status) in results.items():
        value = growth if status == "optimal" else 0.0
        assert abs(value - want[gene]) < TOL, gene
    assert results["g0"][1] == "infeasible" or results["g0"][0] < TOL


def test_screen_reports_lps_and_progress() -> None:
    progress: list[tuple[float, str]] = []
    res = run("gene_deletion_screen", {"processes": 1}, ctx(progress=progress))
    assert res.data["lps"] + res.data["settled_without_lp"] <= 137
    assert "LPs" in progress[0][1] and "settled" in progress[0][1]


class _Lend:
    """A ModelProvider lending one prepared model."""

    def __init__(self, model: cobra.Model) -> None:
        self.model = model

    def build(self, name: str | None, st: object) -> cobra.Model:
        return self.model


def test_other_solvers_take_cobrapys_procedure_with_the_same_shortcut() -> None:
    model = cobra.io.load_model("textbook")
    model.solver = "hybrid"  # HiGHS: no raw GLPK path, every LP through optlang
    res = run("essential_genes", {"processes": 1}, ctx(store=_Lend(model)))  # type: ignore[arg-type]
    glpk = run("essential_genes", {"processes": 1})
    assert {g["id"] for g in res.data["genes"]} == {g["id"] for g in glpk.data["genes"]}
    # HiGHS may stop at another optimal vertex: its own idle reactions, as many LPs or not
    assert res.data["lps"] < 137 // 2 and res.data["settled_without_lp"] > 137 // 2
    got, want = _table(res), _table(glpk)
    assert max(abs(got[g][0] - want[g][0]) for g in want) < TOL
