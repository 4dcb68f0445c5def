"""find_pathway and subsystem_summary: routes that are real walks through the model, flux sums
that match cobrapy."""

from __future__ import annotations

from collections import Counter

import cobra
from cobra.flux_analysis import pfba
from toolctx import STORE, assert_pristine, ctx, err, reference, run, state

from fluxagent.tools.cobra.pathways import (
    CORE_SUBSYSTEMS,
    currency_metabolites,
    shortest_route,
)

WILD = 0.8739215069684279
GLYCOLYSIS = ["GLCpts", "PGI", "PFK", "FBA", "GAPD", "PGK", "PGM", "ENO", "PYK"]
NO_OBJECTIVE = state("e_coli_core", {"e_coli_core": [
    {"op": "set_objective", "model": "e_coli_core", "objective": {}}]})



def assert_walk(model: cobra.Model, route: dict) -> None:  # type: ignore[type-arg]
    """Every step consumes the previous metabolite and makes the next one, in a direction
    its bounds allow, and no step is a currency metabolite."""
    mets, steps = route["metabolites"], route["reactions"]
    assert len(mets) == len(steps) + 1
    currency = currency_metabolites(model) - {route["source"], route["target"]}
    for a, b, step in zip(mets, mets[1:], steps, strict=False):
        r = model.reactions.get_by_id(step["id"])
        sign = 1 if step["direction"] == "forward" else -1
        coef = {m.id: c * sign for m, c in r.metabolites.items()}
        assert coef.get(a, 0) < 0 < coef.get(b, 0), (a, b, step)
        assert (r.upper_bound > 0) if sign == 1 else (r.lower_bound < 0)
        assert b not in currency
    assert len(set(mets)) == len(mets)


def test_glucose_to_pyruvate_is_glycolysis() -> None:
    res = run("find_pathway", {"source": "glucose", "target": "pyruvate"})
    d = res.data
    assert d["found"] and d["source"] == "glc__D_e" and d["target"] == "pyr_c"
    assert [r["id"] for r in d["reactions"]] == GLYCOLYSIS and d["steps"] == 9
    assert d["metabolites"][:3] == ["glc__D_e", "g6p_c", "f6p_c"]
    assert {"atp_c", "nad_c", "h2o_c", "h_c", "pi_c"} <= set(d["currency_ignored"])
    assert_walk(reference(), d)
    assert "GLCpts" in res.summary and "pyr_c" in res.summary
    pgk = next(r for r in d["reactions"] if r["id"] == "PGK")
    assert pgk["direction"] == "reverse" and pgk["equation"].startswith("13dpg_c")
    assert res.artifacts[0].name == "pathway.csv"


def test_routes_respect_knockouts_and_directions() -> None:
    no_pgi = run("find_pathway", {"source": "g6p_c", "target": "f6p_c",
                                  "conditions": {"knockout_genes": ["pgi"]}})
    ids = [r["id"] for r in no_pgi.data["reactions"]]
    assert "PGI" not in ids and no_pgi.data["found"]
    assert ids[0] == "G6PDH2r"  # around through the pentose phosphate pathway
    m = reference()
    m.genes.b4025.knock_out()
    assert_walk(m, no_pgi.data)
    # the core model has no way back from pyruvate to free glucose
    back = run("find_pathway", {"source": "pyruvate", "target": "glucose"})
    assert back.data["found"] is False and back.data["reactions"] == []
    assert "No route" in back.summary
    assert_pristine()


def test_shortest_route_plain_function_and_options() -> None:
    m = reference()
    direct = shortest_route(m, "ac_c", "mal__L_c")
    assert [r["id"] for r in direct["reactions"]] == ["ACKr", "PTAr", "MALS"]
    capped = shortest_route(m, "glc__D_e", "pyr_c", max_steps=5)
    assert capped["found"] is False
    # in the core model every route from glucose to pyruvate passes through PEP
    assert shortest_route(m, "glc__D_e", "pyr_c", ignore={"pep_c"})["found"] is False
    # without oxaloacetate, malate is still reached by malate synthase
    direct = shortest_route(m, "glc__D_e", "mal__L_c")
    assert "oaa_c" in direct["metabolites"]
    around = shortest_route(m, "glc__D_e", "mal__L_c", ignore={"oaa_c"})
    assert around["found"] and "oaa_c" not in around["metabolites"]
    assert around["reactions"][-1]["id"] == "MALS" and around["steps"] > direct["steps"]
    assert_walk(m, around)


def test_ijo1366_route_to_an_amino_acid() -> None:
    res = run("find_pathway", {"model": "iJO1366", "source": "glucose",
                               "target": "L-arginine"})
    assert res.data["found"] and res.data["target"] == "arg__L_c"
    assert [r["id"] for r in res.data["reactions"]][-2:] == ["ARGSS", "ARGSL"]
    assert_walk(STORE.base("iJO1366").model, res.data)


def test_find_pathway_bad_input() -> None:
    e = err("find_pathway", {"source": "glucoze", "target": "pyruvate"})
    assert e.kind == "unknown_id" and "glc__D_e" in e.hint
    assert err("find_pathway", {"source": "glucose"}).kind == "bad_arguments"
    assert err("find_pathway", {"source": "pyr_c", "target": "pyr_c"}).kind == \
        "bad_arguments"
    assert err("find_pathway", {"source": "glucose", "target": "pyruvate",
                                "max_steps": 0}).kind == "bad_arguments"
    assert err("find_pathway", {"source": 5, "target": "pyr_c"}).kind == "bad_arguments"
    assert err("find_pathway", {"source": "glucose", "target": "pyruvate",
                                "ignore": ["nonsense_c"]}).kind == "unknown_id"
    # a route needs no objective
    assert run("find_pathway", {"source": "glucose", "target": "pyruvate"},
               ctx(NO_OBJECTIVE)).data["found"]
    assert_pristine()


def test_subsystem_counts_and_fluxes_match_cobrapy() -> None:
    plain = run("subsystem_summary", {})
    rows = {r["subsystem"]: r for r in plain.data["subsystems"]}
    assert plain.data["source"].startswith("E. coli core map")
    for name, ids in CORE_SUBSYSTEMS.items():
        assert rows[name]["reactions"] == len(ids)
    assert sum(r["reactions"] for r in rows.values()) == 95
    flux = run("subsystem_summary", {"flux": "pfba"})
    sol = pfba(reference())
    got = {r["subsystem"]: r for r in flux.data["subsystems"]}
    for name, ids in CORE_SUBSYSTEMS.items():
        want = sum(abs(sol.fluxes[i]) for i in ids if abs(sol.fluxes[i]) > 1e-6)
        assert abs(got[name]["total_flux"] - want) < 1e-5, name
    assert abs(flux.data["objective_value"] - WILD) < 1e-6
    assert_pristine()


def test_subsystems_of_ijo1366_come_from_the_model() -> None:
    res = run("subsystem_summary", {"model": "iJO1366"})
    m = STORE.base("iJO1366").model
    want = Counter(r.subsystem or "(none)" for r in m.reactions)
    assert {r["subsystem"]: r["reactions"] for r in res.data["subsystems"]} == dict(want)
    assert res.data["source"] == "model"


def test_subsystem_summary_bad_input() -> None:
    assert err("subsystem_summary", {"flux": "moma"}).kind == "bad_arguments"
    assert err("subsystem_summary", {"flux": "fba"}, ctx(NO_OBJECTIVE)).kind == \
        "bad_arguments"
    e = err("subsystem_summary", {"flux": "fba", "conditions": {"medium": {"EX_pi_e": 1}}})
    assert e.kind == "infeasible"
    assert err("subsystem_summary", {"conditions": {"knockout_reactions": ["XYZ"]}}).kind == \
        "unknown_id"
    assert_pristine()
