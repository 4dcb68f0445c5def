"""find_blocked_reactions and validate_model against cobrapy, on real and deliberately broken
models."""

from __future__ import annotations

import cobra
from cobra.flux_analysis import find_blocked_reactions
from toolctx import STORE, assert_pristine, ctx, err, reference, run, state

from fluxagent.tools.cobra.validation import (
    dead_ends,
    energy_generating_cycles,
    mass_charge_balance,
    unconserved_metabolites,
)

WILD = 0.8739215069684279
D17 = ["EX_fru_e", "EX_fum_e", "EX_gln__L_e", "EX_mal__L_e", "FRUpts2", "FUMt2_2", "GLNabc",
       "MALt2_2"]
NO_OBJECTIVE = state("e_coli_core", {"e_coli_core": [
    {"op": "set_objective", "model": "e_coli_core", "objective": {}}]})



# ----------------------------------------------------------------------- blocked reactions
def test_blocked_reactions_dev_set_d17_and_cobrapy() -> None:
    res = run("find_blocked_reactions", {})
    assert res.data["reactions"] == D17  # sorted, exactly cobrapy's answer
    assert sorted(find_blocked_reactions(reference())) == D17
    assert res.data["count"] == 8 and res.data["tested"] == 95
    assert all(rid in res.summary for rid in D17)
    assert res.artifacts[0].name == "blocked_reactions.csv"


def test_blocked_reactions_open_exchanges_and_conditions() -> None:
    res = run("find_blocked_reactions", {"open_exchanges": True})
    assert res.data["reactions"] == sorted(find_blocked_reactions(reference(),
                                                                  open_exchanges=True))
    anaerobic = run("find_blocked_reactions", {"conditions": {"oxygen": False}})
    m = reference()
    m.reactions.EX_o2_e.lower_bound = 0
    want = sorted(find_blocked_reactions(m))
    assert anaerobic.data["reactions"] == want and "CYTBD" in want
    sub = run("find_blocked_reactions", {"reactions": ["PGI", "FRUpts2", "glucose"]})
    assert sub.data["reactions"] == ["FRUpts2"] and sub.data["tested"] == 3
    assert_pristine()


def test_blocked_reactions_with_processes_matches_one_process() -> None:
    one = run("find_blocked_reactions", {"processes": 1, "model": "e_coli_core"})
    two = run("find_blocked_reactions", {"processes": 2})
    assert one.data["reactions"] == two.data["reactions"]


def test_blocked_reactions_bad_input() -> None:
    e = err("find_blocked_reactions", {"reactions": ["PGI", "PGX"]})
    assert e.kind == "unknown_id" and "PGX" in e.message
    assert err("find_blocked_reactions", {"open_exchanges": "maybe"}).kind == "bad_arguments"
    assert err("find_blocked_reactions", {"processes": 0}).kind == "bad_arguments"
    assert err("find_blocked_reactions", {"model": "nope"}).kind == "model_not_loaded"
    # no objective is fine here: blocked reactions do not depend on it
    assert run("find_blocked_reactions", {}, ctx(NO_OBJECTIVE)).data["reactions"] == D17
    assert_pristine()


# ----------------------------------------------------------------------- validate_model
def test_validate_small_model_same_checks_whatever_processes_asked() -> None:
    """A model this small runs every check in process even when 2 workers are asked (forking
    cost more than its LPs): the checks' results are those of the default run."""
    flux = ["balanced_cycles", "blocked_open", "metabolite_flux", "unbounded_flux"]
    default = run("validate_model", {"checks": flux, "sbml": "no"}).data["checks"]
    asked = run("validate_model", {"checks": flux, "sbml": "no", "processes": 2})
    assert asked.data["checks"] == default
    assert len(default["metabolite_flux"]["not_produced"]) == 12
    assert default["balanced_cycles"]["reactions"] == ["FRD7", "SUCDi"]


def test_validate_clean_core_model() -> None:
    res = run("validate_model", {})
    checks, counts = res.data["checks"], res.data["counts"]
    assert set(checks) == {"mass_balance", "stoichiometric_consistency", "energy_cycles",
                           "energy_cycles_memote", "balanced_cycles", "dead_ends", "gpr",
                           "blocked_open", "metabolite_flux", "unbounded_flux", "sbml"}
    assert counts["mass_unbalanced"] == counts["charge_unbalanced"] == 0
    assert checks["stoichiometric_consistency"]["consistent"] is True
    assert counts["energy_generating_cycles"] == 0
    assert counts["energy_generating_cycles_memote"] == 0
    assert "ATP" in [c["energy"] for c in checks["energy_cycles"]["checked"]]
    # memote's definition: a metabolite of an exchange is never an orphan (fru_e, ... were
    # orphans under the current bounds before; they count as not produced now, see below)
    assert checks["dead_ends"]["orphan"] == checks["dead_ends"]["dead_end"] == []
    assert checks["balanced_cycles"]["reactions"] == ["FRD7", "SUCDi"]
    assert checks["unbounded_flux"]["unbounded"] == ["SUCDi"]
    assert checks["blocked_open"]["reactions"] == sorted(
        find_blocked_reactions(reference(), open_exchanges=True))
    assert counts["without_gpr"] == 6 and "ATPM" in checks["gpr"]["reactions"]
    assert checks["sbml"]["ran"] and counts["sbml_errors"] == 0
    # biomass, exchanges and ATPM handled as cobrapy would: same imbalance as check_mass_balance
    m = reference()
    internal = [r for r in m.reactions if not r.boundary and "Biomass" not in r.id]
    assert checks["mass_balance"]["checked"] == len(internal)
    assert not any({k: v for k, v in r.check_mass_balance().items() if k != "charge"}
                   for r in internal)
    assert "stoichiometrically consistent" in res.summary
    assert {a.name for a in res.artifacts} == {"validation_counts.csv", "validation.json",
                                               "validation_report.md",
                                               "validation_report.html"}
    sections = {s["section"]: s["score"] for s in res.data["report"]["sections"]}
    assert sections["balance"] == sections["stoichiometry"] == 1.0
    assert sections["genes"] == round(1 - 6 / 75, 4) and "Score" in res.summary


def broken_model() -> cobra.Model:
    """e_coli_core with a mass-creating reaction, an ATP cycle and an orphan."""
    m = reference()
    pyr, pyr_e = m.metabolites.pyr_c, m.metabolites.pyr_e
    bad = cobra.Reaction("MAKE_PYR", lower_bound=0, upper_bound=1000)
    bad.add_metabolites({pyr: -1, pyr_e: 2})  # one pyruvate becomes two
    free_atp = cobra.Reaction("FREE_ATP", lower_bound=0, upper_bound=1000)
    free_atp.add_metabolites({m.metabolites.adp_c: -1, m.metabolites.pi_c: -1,
                              m.metabolites.h_c: -1, m.metabolites.atp_c: 1,
                              m.metabolites.h2o_c: 1})
    ghost = cobra.Metabolite("ghost_c", formula="C2", compartment="c", charge=0)
    uses = cobra.Reaction("USE_GHOST", lower_bound=0, upper_bound=1000)
    uses.add_metabolites({ghost: -1, m.metabolites.accoa_c: 1})
    m.add_reactions([bad, free_atp, uses])
    return m


def test_checks_find_the_broken_parts() -> None:
    m = broken_model()
    mb = mass_charge_balance(m)
    assert {x["id"] for x in mb["mass_unbalanced"]} == {"MAKE_PYR", "USE_GHOST"}
    sc = unconserved_metabolites(m)
    assert sc["consistent"] is False and {"pyr_c", "pyr_e"} <= set(sc["unconserved"])
    eg = energy_generating_cycles(m)
    assert [c["energy"] for c in eg["cycles"]][:1] == ["ATP"]
    assert eg["cycles"][0]["max_flux"] > 0
    de = dead_ends(m)
    assert "ghost_c" in de["orphan"]
    # the checks left the model as it was
    assert abs(m.reactions.ATPM.lower_bound - 8.39) < 1e-12
    assert m.reactions.EX_glc__D_e.lower_bound == -10
    assert "EGC_check_ATP" not in m.reactions


def test_validate_a_user_file_with_problems(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "broken.xml"
    cobra.io.write_sbml_model(broken_model(), str(path))
    base, _, _ = STORE.import_file(path)
    c = ctx(state(base, {base: []}))
    res = run("validate_model", {}, c)
    counts = res.data["counts"]
    assert counts["mass_unbalanced"] == 2 and counts["energy_generating_cycles"] >= 1
    assert counts["unconserved_metabolites"] >= 2 and counts["orphan"] >= 1
    assert res.data["checks"]["sbml"]["from_file"] is True
    assert "INCONSISTENT" in res.summary and "MAKE_PYR" in res.summary
    assert_pristine()


def test_validate_subset_large_model_and_bad_input() -> None:
    res = run("validate_model", {"model": "iJO1366", "checks": ["energy_cycles",
                                                                 "stoichiometric_consistency",
                                                                 "sbml"]})
    assert set(res.data["checks"]) == {"energy_cycles", "energy_cycles_memote",
                                       "stoichiometric_consistency", "sbml"}
    assert res.data["checks"]["sbml"]["ran"] is False  # auto: skipped for 2583 reactions
    assert res.data["counts"]["energy_generating_cycles"] == 0  # under its own bounds
    assert res.data["counts"]["energy_generating_cycles_memote"] == 6  # see test_memote_parity
    assert err("validate_model", {"formula_less": "ignored"}).kind == "bad_arguments"
    assert err("validate_model", {"energy_cycles_bounds": "all"}).kind == "bad_arguments"
    assert err("validate_model", {"checks": ["spelling"]}).kind == "bad_arguments"
    assert err("validate_model", {"sbml": 3}).kind == "bad_arguments"
    assert err("validate_model", {"model": "no_such_model"}).kind == "model_not_loaded"
    ok = run("validate_model", {"checks": ["sbml"]}, ctx(NO_OBJECTIVE))
    assert ok.data["counts"]["sbml_errors"] + ok.data["counts"]["sbml_warnings"] >= 0
    assert_pristine()
