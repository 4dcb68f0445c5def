"""plot: every kind writes an SVG that parses as XML and shows what the analysis computed."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from cobra.flux_analysis import flux_variability_analysis, pfba
from toolctx import ARTIFACTS, SETTINGS, STORE, ctx, err, reference, run, state

from fluxagent.tools.cobra.plots import EDGES, central_figure, render
from fluxagent.tools.registry import ToolContext

SVG = "{http://www.w3.org/2000/svg}"
WILD = 0.8739215069684279
NO_OBJECTIVE = state("e_coli_core", {"e_coli_core": [
    {"op": "set_objective", "model": "e_coli_core", "objective": {}}]})


def parse(path: str) -> ET.Element:
    root = ET.parse(path).getroot()
    assert root.tag == f"{SVG}svg"
    return root


def texts(root: ET.Element) -> list[str]:
    return ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]


def ids(root: ET.Element) -> set[str]:
    return {e.get("id", "") for e in root.iter()}


def assert_pristine() -> None:
    m = STORE.build("e_coli_core", state())
    assert abs(m.slim_optimize() - WILD) < 1e-9
    assert m.medium == reference().medium


def artifact_files(res) -> dict[str, str]:  # type: ignore[no-untyped-def]
    out = {a.media_type: a.path for a in res.artifacts}
    for path in out.values():
        assert Path(path).is_file()
    return out


def test_central_metabolism_map_shows_pfba_fluxes() -> None:
    res = run("plot", {"kind": "central_metabolism"})
    files = artifact_files(res)
    assert set(files) == {"image/svg+xml", "image/png"}
    assert Path(files["image/png"]).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert res.data["kind"] == "central_metabolism"
    assert res.data["artifact"] == files["image/svg+xml"]
    root = parse(files["image/svg+xml"])
    found = ids(root)
    sol = pfba(reference())
    for rid in EDGES:
        if rid in sol.fluxes.index:
            assert f"rxn-{rid}-0" in found and f"label-{rid}" in found
            assert abs(res.data["fluxes"][rid] - sol.fluxes[rid]) < 1e-6
    labels = " ".join(texts(root))
    assert "PGI 4.861" in labels and "G6P" in labels and "0.873922" in labels
    assert set(res.data["active"]) == {r for r in res.data["fluxes"]
                                       if abs(sol.fluxes[r]) > 1e-6}
    assert_pristine()


def test_fva_plot_matches_cobrapy_ranges() -> None:
    res = run("plot", {"kind": "fva", "reactions": ["PGI", "PFK", "SUCDi", "G6PDH2r"],
                       "fraction_of_optimum": 0.9, "png": False})
    files = artifact_files(res)
    assert set(files) == {"image/svg+xml"}
    root = parse(files["image/svg+xml"])
    ref = flux_variability_analysis(reference(), ["PGI", "PFK", "SUCDi", "G6PDH2r"],
                                    fraction_of_optimum=0.9)
    for rid in ref.index:
        assert f"fva-{rid}" in ids(root)
        assert rid in texts(root)
    assert res.data["source_tool"] == "run_fva"
    assert "[1.1717, 25.2906]" in res.summary or "PFK" in res.summary
    assert abs(ref.at["PFK", "minimum"] - 1.1717) < 1e-4


def test_envelope_essentiality_and_histogram() -> None:
    env = run("plot", {"kind": "envelope", "product": "succinate",
                       "conditions": {"oxygen": False}, "points": 10, "png": False})
    assert env.data["product"] == "EX_succ_e"
    assert abs(env.data["maximum"] - 13.905778) < 1e-5
    assert "envelope-band" in ids(parse(env.data["artifact"]))
    ess = run("plot", {"kind": "essentiality", "png": False})
    assert ess.data["lethal"] == 7
    root = parse(ess.data["artifact"])
    assert "essentiality-bars" in ids(root) and "gltA" in texts(root)
    hist = run("plot", {"kind": "flux_distribution", "method": "fba", "png": False})
    assert "flux-histogram" in ids(parse(hist.data["artifact"]))
    assert hist.data["source_tool"] == "run_fba"


def test_plot_is_deterministic_and_works_without_an_artifact_store() -> None:
    a = run("plot", {"kind": "central_metabolism", "png": False})
    b = run("plot", {"kind": "central_metabolism", "png": False})
    assert a.artifacts[0].sha256 == b.artifacts[0].sha256
    bare = ToolContext(session_id="t", state=state(), models=STORE, artifacts=None,
                       settings=SETTINGS)
    res = run("plot", {"kind": "flux_distribution", "png": False}, bare)
    assert res.artifacts == [] and res.data["artifact"] is None
    assert ET.fromstring(res.data["svg"]).tag == f"{SVG}svg"
    assert ARTIFACTS.exists(a.artifacts[0].sha256)


def test_central_figure_plain_function() -> None:
    svg = render(central_figure({"PGI": 5.0, "PFK": -1.0}, {"PGI", "PFK", "CS"}, "t", "s"),
                 "svg")
    root = ET.fromstring(svg)
    assert {"rxn-PGI-0", "rxn-PFK-0", "rxn-CS-0"} <= ids(root)
    assert "PGI 5" in texts(root) and "CS" in texts(root)


@pytest.mark.parametrize(("args", "kind"), [
    ({"kind": "pie"}, "bad_arguments"),
    ({"kind": "envelope"}, "bad_arguments"),
    ({"kind": "envelope", "product": "unobtainium"}, "unknown_id"),
    ({"kind": "fva", "reactions": ["NOPE"]}, "unknown_id"),
    ({"kind": "essentiality", "genes": ["zzz1"]}, "unknown_id"),
    ({"kind": "central_metabolism", "conditions": {"medium": {"EX_pi_e": 5}}}, None),
    ({"kind": "fva", "conditions": {"medium": {"EX_pi_e": 5}}}, "infeasible"),
    ({"kind": "flux_distribution", "model": "nope"}, "model_not_loaded"),
    ({"kind": "fva", "points": "many"}, "bad_arguments"),
])
def test_plot_bad_input(args: dict, kind: str | None) -> None:  # type: ignore[type-arg]
    if kind is None:  # no growth is still a picture: every arrow at zero
        res = run("plot", args | {"png": False})
        assert res.data["active"] == []
    else:
        assert err("plot", args).kind == kind
    assert_pristine()


def test_plot_without_objective() -> None:
    assert err("plot", {"kind": "central_metabolism"}, ctx(NO_OBJECTIVE)).kind == \
        "bad_arguments"
