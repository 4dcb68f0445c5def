"""validate_model against memote (the field's peer tool, memote 0.17 from PyPI) on the three
bundled models: every shared check reports the same set, or the difference is the named
convention the report states, and both conventions are tested.

memote is slow, so its check functions (the ones its own test suite calls; each comparison
names the memote test it mirrors) run once per model in a session-scoped fixture, each on the
model inside ``with model:`` as memote's suite gets a fresh model per test. memote's flux
checks (FVA- and per-metabolite-LP-based) take ~20 minutes on the two large models: they run in
a process beside the suite (memote_flux_checks.py, started by tests/conftest.py) and those
comparisons run last.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import cobra
import memote.support.basic as basic
import memote.support.consistency as consistency
import memote.support.consistency_helpers as con_helpers
import memote.support.helpers as helpers
import numpy as np
import pytest
from memote_flux_checks import SOLVER_TIMEOUT_S, memote_flux_checks
from toolctx import ctx, reference, run

from fluxagent.render.validation_report import html, markdown
from fluxagent.tools.cobra.fva import fva_ranges
from fluxagent.tools.cobra.quality_cycles import (
    ENERGY_PAIRS,
    balanced_cycles,
    closed_bounds,
    energy_generating_cycles,
    reset_bounds,
)
from fluxagent.tools.cobra.quality_flux import blocked_metabolites
from fluxagent.tools.cobra.quality_sbc import sbc_members
from fluxagent.tools.cobra.quality_structure import mass_charge_balance

MODELS = {"e_coli_core": "textbook", "iJO1366": "iJO1366", "salmonella": "salmonella"}
STRUCTURAL = ["mass_balance", "stoichiometric_consistency", "energy_cycles", "dead_ends", "gpr"]


def ids(items: Any) -> list[str]:
    return sorted(x.id for x in items)


def memote_egc(model: cobra.Model) -> dict[str, dict[str, Any]]:
    """test_detect_energy_generating_cycles, per energy couple: the metabolite memote finds
    (skipped when none, as its test does) and the reactions of the cycle."""
    out: dict[str, dict[str, Any]] = {}
    for (mnx, pair) in zip(consistency.ENERGY_COUPLES, ENERGY_PAIRS, strict=True):
        with model:
            main = helpers.find_compartment_id_in_model(model, "c")
            try:
                met = helpers.find_met_in_model(model, mnx, main)[0].id
            except (ValueError, RuntimeError, IndexError):
                continue
            try:
                out[pair[0]] = {"metabolite": met, "reactions": sorted(
                    consistency.detect_energy_generating_cycles(model, mnx))}
            except RuntimeError as exc:  # memote's test errors here: no result to compare
                out[pair[0]] = {"metabolite": met, "error": str(exc)}
    return out


def memote_structural(model: cobra.Model) -> dict[str, Any]:
    internal = con_helpers.get_internals(model)
    res: dict[str, Any] = {
        "internal": ids(internal),
        # test_reaction_mass_balance / test_reaction_charge_balance
        "mass": ids(consistency.find_mass_unbalanced_reactions(internal)),
        "charge": ids(consistency.find_charge_unbalanced_reactions(internal)),
        # test_find_orphans / test_find_deadends / test_find_disconnected
        "orphan": ids(consistency.find_orphans(model)),
        "dead_end": ids(consistency.find_deadends(model)),
        "disconnected": ids(consistency.find_disconnected(model)),
        # test_gene_protein_reaction_rule_presence
        "no_gpr": sorted(set(ids(basic.check_gene_protein_reaction_rule_presence(model)))
                         - {r.id for r in model.boundary}),
    }
    with model:  # test_stoichiometric_consistency
        res["consistent"] = consistency.check_stoichiometric_consistency(model)
    if not res["consistent"]:
        with model:  # test_unconserved_metabolites (only run for inconsistent models)
            res["unconserved"] = ids(consistency.find_unconserved_metabolites(model))
    res["egc"] = memote_egc(model)
    return res


Pair = tuple[str, dict[str, Any], Any, cobra.Model]


@pytest.fixture(scope="session", params=list(MODELS))
def pair(request: pytest.FixtureRequest) -> Pair:
    """(name, memote's results, validate_model's result with memote's conventions, the model
    as cobrapy loads it: the tests use it only inside ``with model:`` or read it)."""
    name = request.param
    ours = run("validate_model", {"model": name, "checks": STRUCTURAL,
                                  "formula_less": "counted", "energy_cycles_bounds": "both"})
    model = cobra.io.load_model(MODELS[name])
    return name, memote_structural(model), ours, model


def test_balance_under_both_conventions(pair: Pair) -> None:
    name, mem, ours, model = pair
    mb = ours.data["checks"]["mass_balance"]
    # get_internals: the same internal reactions (boundary and biomass left out)
    assert mb["internal"] == len(mem["internal"])
    # formula_less="counted" is memote's convention: the same sets
    assert [x["id"] for x in mb["mass_unbalanced"]] == mem["mass"]
    assert [x["id"] for x in mb["charge_unbalanced"]] == mem["charge"]
    # "apart": memote's sets minus the reactions that could not be checked, listed apart
    apart = mass_charge_balance(model, "apart")
    mass = {x["id"] for x in apart["mass_unbalanced"]}
    charge = {x["id"] for x in apart["charge_unbalanced"]}
    assert mass | set(apart["unchecked_no_formula"]) == set(mem["mass"])
    assert not mass & set(apart["unchecked_no_formula"])
    assert charge | set(apart["unchecked_no_charge"]) == set(mem["charge"])
    for rid in apart["unchecked_no_formula"]:
        assert any(not m.elements for m in model.reactions.get_by_id(rid).metabolites)
    if name == "salmonella":  # memote 32 / 60; apart: 3 / 60 and 29 not checked for mass
        assert (len(mem["mass"]), len(mem["charge"])) == (32, 60)
        assert (len(mass), len(charge), len(apart["unchecked_no_formula"])) == (3, 60, 29)
    assert "formula-less metabolites" in ours.data["report"]["conventions"]


def test_topology_gpr_and_consistency(pair: Pair) -> None:
    name, mem, ours, _ = pair
    checks = ours.data["checks"]
    for key in ("orphan", "dead_end", "disconnected"):  # test_find_orphans, ..._deadends, ...
        assert checks["dead_ends"][key] == mem[key], key
    assert checks["gpr"]["reactions"] == mem["no_gpr"]
    sc = checks["stoichiometric_consistency"]
    assert sc["consistent"] is mem["consistent"]
    if not mem["consistent"]:
        assert sc["unconserved"] == mem["unconserved"]
    if name == "iJO1366":
        assert len(mem["orphan"]) == len(checks["dead_ends"]["orphan"]) == 48
    if name == "salmonella":
        assert len(mem["orphan"]) == len(checks["dead_ends"]["orphan"]) == 57


def _cycles_alone(model: cobra.Model, reactions: list[str], convention: str) -> set[str]:
    """The energy couples with a cycle in a model made of only these reactions."""
    small = cobra.Model("cycle")
    small.add_reactions([model.reactions.get_by_id(r).copy() for r in reactions])
    res = energy_generating_cycles(small, convention=convention)  # type: ignore[arg-type]
    return {c["energy"] for c in res["cycles"]}


def test_energy_cycles_under_both_conventions(pair: Pair) -> None:
    """test_detect_energy_generating_cycles, for every energy couple memote finds."""
    name, mem, ours, model = pair
    memote_conv = ours.data["checks"]["energy_cycles_memote"]
    own = ours.data["checks"]["energy_cycles"]
    # the same energy metabolites tested, identified the same way
    assert {c["energy"]: c["metabolite"] for c in memote_conv["checked"]} == {
        k: v["metabolite"] for k, v in mem["egc"].items()}
    errors = {k for k, v in mem["egc"].items() if "error" in v}
    if name == "salmonella":  # memote's MNXM15 (ammonium) matches nh3_c and nh4_c there, so
        # its glutamate test errors; fluxagent builds the dissipation with nh4_c
        assert errors == {"L-glutamate"}
    else:
        assert not errors
    found = {c["energy"]: c for c in memote_conv["cycles"]}
    assert set(found) - errors == {k for k, v in mem["egc"].items() if v.get("reactions")}
    for energy, cyc in found.items():
        # the reactions listed make that energy from nothing on their own
        assert energy in _cycles_alone(model, cyc["reactions"], "memote")
        assert not any(model.reactions.get_by_id(r).boundary for r in cyc["reactions"])
        assert set(cyc["opened_by"]) <= set(cyc["reactions"])
        for rid in cyc["opened_by"]:  # each runs in a direction its own bounds forbid
            lb, ub = model.reactions.get_by_id(rid).bounds
            assert ub <= 0 or lb >= 0, (energy, rid)
    if name == "iJO1366":
        assert set(found) == {"ATP", "CTP", "GTP", "UTP", "ITP", "acetyl-CoA"}
        assert own["cycles"] == []  # none under its own bounds
        assert "SPODM" in found["ATP"]["opened_by"]
        # opening just those reactions (memote's reset of their bounds, scaled to 1000)
        # makes the cycle appear under the model's own bounds
        with model:
            for rid in found["ATP"]["opened_by"]:
                rxn = model.reactions.get_by_id(rid)
                rxn.bounds = (-1000, 1000) if rxn.reversibility else (0, 1000)
            opened = energy_generating_cycles(model, convention="model")
        assert "ATP" in {c["energy"] for c in opened["cycles"]}
        assert {"MOX", "QMO2", "SPODM", "ATPS4rpp", "MDH", "NADH16pp"} <= set(
            mem["egc"]["ATP"]["reactions"]) | set(found["ATP"]["reactions"])
    conv = ours.data["report"]["conventions"]["energy-generating cycles"]
    assert "model's own bounds" in conv and "memote's reset bounds" in conv


# ------------------------------------------------------------------------- flux checks
FLUX_CHECKS = ["balanced_cycles", "blocked_open", "metabolite_flux", "unbounded_flux"]


def assert_flux_checks_equal(c: dict[str, Any], mem: dict[str, Any]) -> None:
    """validate_model's flux checks (``c``) against memote's (memote_flux_checks.py)."""
    assert c["blocked_open"]["reactions"] == mem["blocked_open"]
    assert c["balanced_cycles"]["reactions"] == mem["sbc"]
    assert c["metabolite_flux"]["not_produced"] == mem["not_produced"]
    assert c["metabolite_flux"]["not_consumed"] == mem["not_consumed"]
    assert c["metabolite_flux"]["undecided"] == {"production": [], "consumption": []}
    unb = mem["unbounded"]
    assert c["unbounded_flux"]["unbounded"] == unb["reactions"]
    assert c["unbounded_flux"]["blocked"] == unb["blocked"]
    assert np.isclose(c["unbounded_flux"]["fraction"], unb["fraction"])


def test_flux_checks_equal_memote_on_core() -> None:
    model = reference()
    model.solver.configuration.timeout = SOLVER_TIMEOUT_S
    mem = memote_flux_checks(model)
    ours = run("validate_model", {"checks": FLUX_CHECKS})
    assert_flux_checks_equal(ours.data["checks"], mem)
    assert mem["sbc"] == ["FRD7", "SUCDi"]
    assert len(mem["not_produced"]) == 12 and "atp_c" in mem["not_produced"]
    assert ours.data["counts"]["not_produced"] == 12


@pytest.mark.parametrize("name", [pytest.param(n, marks=pytest.mark.memote_background(n))
                                  for n in ("iJO1366", "salmonella")])
def test_flux_checks_equal_memote_on_large_models(
        name: str, memote_flux: Callable[[str], dict[str, Any]]) -> None:
    """memote's checks ran beside the suite (tests/conftest.py), ours here meanwhile."""
    ours = run("validate_model", {"model": name, "checks": FLUX_CHECKS, "processes": 2})
    mem = memote_flux(name)
    assert_flux_checks_equal(ours.data["checks"], mem)
    assert mem["not_produced"] and mem["not_consumed"] and mem["blocked_open"]
    if name == "iJO1366":  # bench/results/memote_flux_profile.md
        assert (len(mem["not_produced"]), len(mem["not_consumed"])) == (184, 213)


def test_balanced_cycles_fast_path_equals_plain_fva() -> None:
    """The few-LP path (quality_sbc.py) against one FVA of every reaction, on a model with a
    loop of two reactions, a reversible reaction in it and a dead-end branch."""
    m = reference()
    a, b = m.metabolites.get_by_id("pyr_c"), m.metabolites.get_by_id("oaa_c")
    loop = [cobra.Reaction("L1", lower_bound=-1000, upper_bound=1000),
            cobra.Reaction("L2", lower_bound=0, upper_bound=1000)]
    loop[0].add_metabolites({a: -1, b: 2})
    loop[1].add_metabolites({a: 1, b: -2})
    m.add_reactions(loop)
    c = ctx()
    fast = sbc_members(m, closed_bounds(m, "memote"))  # the model's bounds untouched
    with m:
        reset_bounds(m)
        _, rows = fva_ranges(m, [r.id for r in m.reactions], 1.0, False, c, 1)
    plain = sorted(r["id"] for r in rows if r["minimum"] <= -1 + 1e-7
                   or r["maximum"] >= 1 - 1e-7)
    assert fast == plain and {"L1", "L2", "FRD7", "SUCDi"} <= set(fast)


def test_flux_checks_see_a_broken_model() -> None:
    """A thermodynamic loop and a sink-less metabolite change exactly those checks."""
    m = reference()
    a, b = m.metabolites.get_by_id("pyr_c"), m.metabolites.get_by_id("oaa_c")
    loop = [cobra.Reaction("L1", lower_bound=-1000, upper_bound=1000),
            cobra.Reaction("L2", lower_bound=0, upper_bound=1000)]
    loop[0].add_metabolites({a: -1, b: 1})
    loop[1].add_metabolites({a: 1, b: -1})
    ghost = cobra.Metabolite("ghost_c", formula="C3H3O3", charge=-1, compartment="c")
    trap = cobra.Reaction("TRAP", lower_bound=0, upper_bound=1000)
    trap.add_metabolites({a: -1, ghost: 1})
    m.add_reactions([*loop, trap])
    c = ctx()
    with m:
        assert {"L1", "L2"} <= set(balanced_cycles(m, c)["reactions"])
    with m:
        want = sorted(consistency.find_stoichiometrically_balanced_cycles(m))
    assert balanced_cycles(m, c)["reactions"] == want
    bm = blocked_metabolites(m, c)
    assert "ghost_c" in bm["not_consumed"] and "ghost_c" not in bm["not_produced"]
    with m:
        assert bm["not_consumed"] == consistency.find_metabolites_not_consumed_with_open_bounds(
            m, processes=1)


# ------------------------------------------------------------------------------ reports
def test_report_markdown_html_json(pair: Pair) -> None:
    _, _, ours, _ = pair
    report = ours.data["report"]
    names = {a.name for a in ours.artifacts}
    assert {"validation_report.md", "validation_report.html", "validation.json"} <= names
    for sec in report["sections"]:
        scores = [c["score"] for c in sec["checks"]]
        assert sec["score"] == round(sum(scores) / len(scores), 4)
        for c in sec["checks"]:
            assert c["score"] == round(max(0.0, 1 - c["count"] / c["of"]), 4) if c["of"] else 1
    bal = next(s for s in report["sections"] if s["section"] == "balance")
    mass = bal["checks"][0]
    assert mass["count"] == ours.data["counts"]["mass_unbalanced"]
    md = markdown(report)
    assert f"## Mass and charge balance: {100 * bal['score']:.1f}%" in md
    assert "test_reaction_mass_balance" in md and "memote's reset bounds" in md


def test_report_escapes_user_data() -> None:
    hostile = "<script>alert(1)</script>"
    report = {"model": hostile, "score": 0.5, "conventions": {"x": "*y*"},
              "sections": [{"section": "topology", "title": "Network topology", "score": 0.5,
                            "checks": [{"check": "orphan", "title": "Orphans", "count": 1,
                                        "of": 2, "score": 0.5, "items": [f"m_{hostile}"],
                                        "note": "[link](javascript:x)", "memote_test": ""}]}]}
    page = html(report)
    assert "<script>" not in page and "&lt;script&gt;" in page
    md = markdown(report)
    assert "# Validation of \\<script\\>" in md  # Markdown text, not HTML
    assert "\\*y\\*" in md and "\\[link\\]" in md
    assert re.search(r"`m_<script>alert\(1\)</script>`", md)  # an id shows verbatim as code
