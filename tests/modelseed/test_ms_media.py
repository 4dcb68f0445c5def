"""list_media / get_media on the shipped media library."""

from __future__ import annotations

from mskit import ctx, err, run

from fluxagent.config import Settings
from fluxagent.tools.modelseed.media import library, resolve_medium


def test_library_has_every_medium_of_the_file() -> None:
    # The data README says 389: it counted lines minus the header, but the last line of
    # media_list_with_meta.txt has no newline. The file holds 390 distinct media.
    lib = library()
    assert len(lib) == 390
    assert {"Carbon-D-Glucose", "Carbon-D-Glucose-Palsson", "LB", "Complete", "Empty"} <= set(lib)


def test_list_media_filters(shared_settings: Settings) -> None:
    c = ctx(shared_settings)
    every = run("list_media", {}, c).data
    assert every["total"] == 390 and len(every["media"]) == 390
    glucose = run("list_media", {"search": "glucose"}, c).data["media"]
    assert {m["name"] for m in glucose} >= {"Carbon-D-Glucose", "Carbon-D-Glucose-Palsson"}
    assert all("glucose" in m["name"].lower() for m in glucose)
    minimal = run("list_media", {"minimal": True, "type": "biolog"}, c).data["media"]
    assert minimal and all(m["minimal"] and m["type"] == "biolog" for m in minimal)


def test_get_media_compounds_and_limits(shared_settings: Settings) -> None:
    c = ctx(shared_settings)
    res = run("get_media", {"name": "Carbon-D-Glucose-Palsson"}, c)
    cpds = {x["id"]: x for x in res.data["compounds"]}
    assert len(cpds) == 19
    # KBase convention: maxFlux is the largest uptake, -minFlux the largest excretion
    assert cpds["cpd00027"]["max_uptake"] == 1.8 and cpds["cpd00027"]["name"] == "D-Glucose"
    assert cpds["cpd00011"]["max_uptake"] == 0 and cpds["cpd00011"]["max_excretion"] == 100
    assert res.data["medium"]["EX_cpd00027_e0"] == 1.8
    assert "D-Glucose (cpd00027) 1.8" in res.summary
    preset = run("get_media", {"name": "glucose_minimal"}, c).data
    up = {x["id"]: x["max_uptake"] for x in preset["compounds"]}
    assert up["cpd00027"] == 10 and up["cpd00007"] == 20 and up["cpd00013"] == 100
    assert set(up) == set(cpds)
    assert run("get_media", {"name": "lb"}, c).data["name"] == "LB"
    assert run("get_media", {"name": "Complete"}, c).data["complete"] is True


def test_unknown_medium_names_the_closest(shared_settings: Settings) -> None:
    e = err("get_media", {"name": "Carbon-D-Glucos"}, ctx(shared_settings))
    assert e.kind == "unknown_id" and "Carbon-D-Glucose" in e.hint
    e = err("get_media", {"name": "glucose"}, ctx(shared_settings))
    assert "Glucose" in e.hint


def test_resolve_medium_forms(shared_settings: Settings) -> None:
    c = ctx(shared_settings)
    by_ids = resolve_medium({"cpd00027": 5, "EX_cpd00007_e0": 20, "cpd00013_e0": 3})
    assert by_ids.uptake == {"cpd00027": 5.0, "cpd00007": 20.0, "cpd00013": 3.0}
    by_name = resolve_medium({"glucose": 5, "O2": 20}, ctx=c)
    assert by_name.uptake == {"cpd00027": 5.0, "cpd00007": 20.0}
    over = resolve_medium("Carbon-D-Glucose-Palsson", overrides={"cpd00027": 10})
    assert over.uptake["cpd00027"] == 10 and over.uptake["cpd00013"] == 5
    assert err("get_media", {"name": ""}, c).kind == "unknown_id"
