"""Flux maps: the SVG renderer on the real e_coli_core Escher map with fluxes of the real
run_fba / run_fva tools, checked against plain cobrapy; the subsystem drawing of salmonella;
escaping of ids and names; and the map page of an FBA result asked through a real server,
opened in headless Chromium (Debian's, installed by scripts/ensure_chromium.sh)."""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import cobra
import pytest
from cobra.flux_analysis import flux_variability_analysis

from fluxagent.config import Settings
from fluxagent.core.events import Thread, new_event
from fluxagent.core.state import SessionState
from fluxagent.tools import load_all
from fluxagent.tools.models import ModelStore
from fluxagent.tools.registry import REGISTRY, ToolContext
from fluxagent.tools.results import ToolResult
from fluxagent.web.maps.drawing import draw, table
from fluxagent.web.maps.escher import load_map, parse_map
from fluxagent.web.maps.fluxes import FluxData, MapError, difference, flux_data
from fluxagent.web.maps.page import Link, render_page
from fluxagent.web.maps.style import NEUTRAL, fmt
from fluxagent.web.maps.subsystems import model_facts, render_subsystems
from fluxagent.web.maps.svg import render_map

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "api"))
from serving import Server, fluxagent, server_env, start_server, stop

SVG_NS = "{http://www.w3.org/2000/svg}"
#: The same per-user model cache as the tool tests (iJO1366 and salmonella parse once).
DATA_DIR = Path(tempfile.gettempdir()) / f"fluxagent-tool-tests-{os.getuid()}"
load_all()


def _textbook() -> cobra.Model:
    from importlib import resources
    return cobra.io.read_sbml_model(str(resources.files("cobra.data") / "textbook.xml.gz"))


@pytest.fixture(scope="module")
def models() -> ModelStore:
    return ModelStore(Settings(data_dir=DATA_DIR, processes=1))


def _thread(models: ModelStore, *calls: tuple[str, dict[str, Any]]) -> Thread:
    """A session thread holding the real results of these tool calls (seq 1, 3, 5, ...)."""
    thread = Thread("s-" + uuid.uuid4().hex[:8]).append(
        new_event("user_message", {"text": "flux maps"}))
    for name, args in calls:
        ctx = ToolContext(session_id=thread.session_id, state=SessionState(
            session_id=thread.session_id), models=models)
        result = REGISTRY.execute(name, args, ctx)
        assert isinstance(result, ToolResult), result
        cid = uuid.uuid4().hex[:12]
        thread = thread.append(new_event("tool_call", {"name": name, "args": args}, call_id=cid),
                               new_event("tool_result", result.model_dump(mode="json"),
                                         call_id=cid))
    return thread


def _svg(text: str) -> ET.Element:
    return ET.fromstring(text)  # well-formed XML, or this fails


def _reactions(root: ET.Element) -> dict[str, ET.Element]:
    return {g.get("data-id", ""): g for g in root.iter(f"{SVG_NS}g")
            if "reaction" in (g.get("class") or "").split()}


def _labels(root: ET.Element) -> dict[str, str]:
    """Reaction id -> the value written beside it ("" when none)."""
    out = {}
    for t in root.iter(f"{SVG_NS}text"):
        if "rxn-label" in (t.get("class") or "").split():
            val = [s for s in t if s.get("class") == "val"]
            out[t.get("data-id", "")] = val[0].text or "" if val else ""
    return out


def _noise_free(v: Any) -> float:
    """cobrapy's number with solver noise (|v| < 1e-9, e.g. 3.7e-15) written as 0."""
    return 0.0 if abs(float(v)) < 1e-9 else float(v)


def _stroke(g: ET.Element) -> str:
    return next(g.iter(f"{SVG_NS}path")).get("stroke", "")


@pytest.fixture(scope="module")
def fba_thread(models: ModelStore) -> Thread:
    return _thread(models, ("run_fba", {"model": "e_coli_core"}),
                   ("run_fba", {"model": "e_coli_core",
                                "conditions": {"knockout_genes": ["pgi"]}}),
                   ("run_fva", {"model": "e_coli_core", "fraction_of_optimum": 0.9}),
                   ("model_summary", {"model": "e_coli_core"}),
                   ("knockout_genes", {"model": "e_coli_core", "genes": ["pgi"]}))


def test_fba_fluxes_are_drawn_with_cobrapy_values_and_zero_flux_is_neutral(
        fba_thread: Thread) -> None:
    expected = _textbook().optimize().fluxes
    m = load_map("e_coli_core")
    drawing = draw(flux_data(fba_thread, 2), None, lambda: pytest.fail("no model needed"))
    assert drawing.name == "e_coli_core"
    root = _svg(drawing.svg)
    drawn, labels = _reactions(root), _labels(root)
    assert len(drawn) == len(m.reactions) == 95
    carrying = 0
    for r in m.reactions:
        v = float(expected[r.id])  # BIOMASS_Ecoli_core_w_GAM is the textbook's biomass
        g = drawn[r.id]
        if abs(v) > 1e-9:
            carrying += 1
            assert "flux" in g.get("class", "").split(), r.id
            assert float(g.get("data-flux", "nan")) == pytest.approx(v, abs=1e-6), r.id
            assert labels[r.id] == fmt(v)
            assert float(labels[r.id]) == pytest.approx(v, rel=1e-3, abs=1e-3), r.id
            assert _stroke(g) != NEUTRAL
        else:
            assert "zero" in g.get("class", "").split(), r.id
            assert _stroke(g) == NEUTRAL and labels[r.id] == "", r.id
    assert carrying == 48  # the textbook optimum carries flux in 48 of its 95 reactions
    assert labels["Biomass_Ecoli_core"] == "0.8739"
    # wider where more flux goes: ATP synthase outweighs the PGI step
    width = {rid: float(next(g.iter(f"{SVG_NS}path")).get("stroke-width", 0))
             for rid, g in drawn.items()}
    assert width["ATPS4r"] > width["PGI"] > 4


def test_fva_ranges_are_drawn_as_cobrapy_computes_them(fba_thread: Thread) -> None:
    model = _textbook()
    fva = flux_variability_analysis(model, fraction_of_optimum=0.9)
    data = flux_data(fba_thread, 6)
    assert data.kind == "ranges" and len(data.ranges) == 95
    root = _svg(draw(data, None, lambda: pytest.fail("no model needed")).svg)
    drawn, labels = _reactions(root), _labels(root)
    for r in load_map("e_coli_core").reactions:
        lo, hi = (_noise_free(fva.loc[r.id, k]) for k in ("minimum", "maximum"))
        assert data.ranges[r.id] == pytest.approx((lo, hi), abs=1e-6), r.id
        cls = drawn[r.id].get("class", "").split()
        if max(abs(lo), abs(hi)) < 1e-9:
            assert "blocked" in cls and _stroke(drawn[r.id]) == NEUTRAL, r.id
            continue
        assert "range" in cls, r.id
        assert labels[r.id] == f"[{fmt(lo)}, {fmt(hi)}]", r.id
        dashed = next(drawn[r.id].iter(f"{SVG_NS}path")).get("stroke-dasharray") is not None
        assert dashed == (hi - lo > 1e-6), r.id
    assert labels["PGI"].startswith("[-")  # at 90% of the optimum PGI can run backwards


def test_pgi_knockout_minus_wild_type_matches_cobrapy(fba_thread: Thread) -> None:
    model = _textbook()
    wild = model.optimize().fluxes
    with model:
        model.genes.get_by_id("b4025").knock_out()
        mutant = model.optimize().fluxes
    data = difference(flux_data(fba_thread, 4), flux_data(fba_thread, 2))
    drawing = draw(data, None, lambda: pytest.fail("no model needed"))
    root = _svg(drawing.svg)
    drawn, labels = _reactions(root), _labels(root)
    for r in load_map("e_coli_core").reactions:
        delta = float(mutant[r.id] - wild[r.id])
        assert data.value(r.id) == pytest.approx(delta, abs=1e-6), r.id
        cls = drawn[r.id].get("class", "").split()
        if abs(delta) < 1e-6:
            assert "same" in cls and labels[r.id] == "", r.id
        else:
            assert ("up" if delta > 0 else "down") in cls, r.id
            assert float(labels[r.id]) == pytest.approx(delta, rel=1e-3, abs=1e-3), r.id
    assert labels["PGI"] == "-4.861"  # all of glucose-6-phosphate isomerase's flux is gone
    assert float(labels["G6PDH2r"]) > 4  # and goes through the pentose phosphate pathway
    _title, head, rows = table(data, drawing)
    assert rows[0][0] in data.values and head[-2] == "Difference"
    with pytest.raises(MapError, match="FVA"):
        difference(flux_data(fba_thread, 6), flux_data(fba_thread, 2))


def test_results_without_fluxes_get_a_clear_error(fba_thread: Thread) -> None:
    with pytest.raises(MapError, match="model_summary result, which carries no fluxes; .*2 "
                       r"\(run_fba\), 4 \(run_fba\), 6 \(run_fva\)"):
        flux_data(fba_thread, 8)
    with pytest.raises(MapError, match="knockout_genes result, which carries no fluxes "
                       r"\(the fluxes of a knockout come from run_fba"):
        flux_data(fba_thread, 10)
    with pytest.raises(MapError, match="is a tool_call"):
        flux_data(fba_thread, 1)
    with pytest.raises(MapError, match="no event 99"):
        flux_data(fba_thread, 99)


def test_salmonella_gets_a_subsystem_drawing_summing_cobrapy_fluxes(
        models: ModelStore, fba_thread: Thread) -> None:
    thread = _thread(models, ("run_fba", {"model": "salmonella"}))
    data = flux_data(thread, 2)
    with pytest.raises(MapError, match=r"different models \(salmonella, e_coli_core\)"):
        difference(data, flux_data(fba_thread, 2))
    model = models.base("salmonella").model.copy()  # a fresh LP: plain cobrapy, cold
    expected = {k: float(v) for k, v in model.optimize().fluxes.items() if abs(v) > 1e-9}
    facts = model_facts(model, "salmonella")
    assert "iJO1366" in facts.source  # salmonella has no subsystems of its own
    drawing = draw(data, None, lambda: facts)
    assert drawing.name == "subsystems"
    root = _svg(drawing.svg)
    boxes = [g for g in root.iter(f"{SVG_NS}g") if "subsystem" in (g.get("class") or "")]
    assert len(boxes) > 20
    total = {b.get("data-name"): float(b.get("data-total", "nan")) for b in boxes}
    grouped: dict[str, float] = {}
    for rid, v in expected.items():
        name = facts.groups[rid]
        grouped[name] = grouped.get(name, 0.0) + abs(v)
    for name, value in total.items():
        assert value == pytest.approx(grouped.get(name, 0.0), abs=1e-6), name
    assert total["Citric Acid Cycle"] > 0 and total["Exchange and boundary"] > 0
    labels = _labels(root)
    assert labels  # each box writes out its largest reactions with their values
    for rid, text in labels.items():
        assert float(text) == pytest.approx(expected[rid], rel=1e-3, abs=1e-3), rid


def test_ids_and_names_are_text_in_svg_and_html() -> None:
    evil = "<script>alert(1)</script>"
    doc = [{}, {"canvas": {"x": 0, "y": 0, "width": 500, "height": 400},
                "nodes": {"1": {"node_type": "metabolite", "x": 10, "y": 10, "bigg_id": evil,
                                "name": "\"'&", "node_is_primary": True, "label_x": 5,
                                "label_y": 5},
                          "2": {"node_type": "midmarker", "x": 100, "y": 100}},
                "reactions": {"9": {"bigg_id": evil, "name": "<img src=x onerror=alert(1)>",
                                    "reversibility": False, "label_x": 50, "label_y": 50,
                                    "metabolites": [{"bigg_id": evil, "coefficient": 1}],
                                    "segments": {"1": {"from_node_id": "2", "to_node_id": "1",
                                                       "b1": None, "b2": None}}}},
                "text_labels": {"1": {"x": 1, "y": 1, "text": "</svg><script>x()</script>"}}}]
    m = parse_map("evil", "evil", doc)
    data = FluxData(kind="fluxes", session_id="s", seq=1, tool="run_fba",
                    summary=f"growth {evil}", provenance={"model_id": evil}, args={},
                    values={evil: 2.5})
    svg = render_map(m, data, f"title {evil}")
    assert "<script" not in svg and "<img" not in svg
    root = _svg(svg)
    assert _labels(root) == {evil: "2.5"}
    assert any(t.text == evil for t in root.iter(f"{SVG_NS}tspan"))
    model = cobra.Model("evil")
    rxn = cobra.Reaction("R1", name=evil, subsystem="<b onmouseover=alert(1)>sub</b>")
    rxn.add_metabolites({cobra.Metabolite("a_c", compartment="c"): -1,
                         cobra.Metabolite("b_c", compartment="c"): 1})
    model.add_reactions([rxn])
    facts = model_facts(model, evil)
    sub = render_subsystems(facts, FluxData(**{**data.__dict__, "values": {"R1": 1.0}}), evil)
    assert "<b " not in sub and "<script" not in sub
    assert any(g.get("data-name") == "<b onmouseover=alert(1)>sub</b>"
               for g in _svg(sub).iter(f"{SVG_NS}g"))
    drawing = draw(data, "subsystems", lambda: facts)
    page = render_page(data, drawing, links={"session": "/s", "svg": "/x.svg", "event": "/e"},
                       choices=[Link(evil, "/m?map=" + evil)], diffs=[])
    assert "<script>alert" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


# ------------------------------------------------------------------ end to end, real server
@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, str, str]]:
    data_dir = tmp_path_factory.mktemp("fluxmap") / "data"
    env = server_env(data_dir)
    secrets = []
    for owner in ("alice", "bob"):
        done = fluxagent("tokens", "create", "--owner", owner, "--scope", "read", "--scope",
                         "write", "--json", env=env)
        assert done.returncode == 0, done.stderr
        secrets.append(str(json.loads(done.stdout)["secret"]))
    srv = start_server(data_dir)
    yield srv, secrets[0], secrets[1]
    stop(srv)


def test_map_page_of_an_fba_result_in_chromium(server: tuple[Server, str, str],
                                                tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright
    srv, alice, bob = server
    with srv.client(alice) as http:
        made = http.post("/sessions", params={"wait": 300},
                         json={"question": "What is the growth rate of E. coli core?"})
        assert made.status_code == 200, made.text
        sid = made.json()["session_id"]
        events = http.get(f"/sessions/{sid}/events").json()["events"]
    fba = next(ev for ev in events if ev["type"] == "tool_result"
               and ev["data"]["tool"] in ("run_fba", "run_pfba"))
    fluxes = fba["data"]["data"]["fluxes"]
    url = f"{srv.url}/web/maps/{sid}/{fba['seq']}"
    with srv.client(bob) as http:  # another owner's session is not there
        assert http.get(url.removeprefix(srv.url)).status_code == 404
    with srv.client() as http:  # no token: 401 (or the workbench's login form)
        anon = http.get(url.removeprefix(srv.url))
        assert anon.status_code == 401 or (
            anon.status_code == 303 and anon.headers["location"].startswith("/web/login"))
    chromium = shutil.which("chromium")
    assert chromium, "chromium is missing: run scripts/ensure_chromium.sh"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        try:
            page = browser.new_context(extra_http_headers={
                "Authorization": f"Bearer {alice}"}).new_page()
            errors: list[str] = []
            page.on("console", lambda m: errors.append(m.text)
                    if "Content Security Policy" in m.text else None)
            response = page.goto(url)
            assert response is not None and response.status == 200
            assert "script-src 'sha256-" in response.headers["content-security-policy"]
            drawn = page.eval_on_selector_all(
                "svg g.reaction.flux",
                "els => els.map(g => [g.dataset.id, g.dataset.flux])")
            labels = dict(page.eval_on_selector_all(
                "svg text.rxn-label.flux",
                "els => els.map(t => [t.dataset.id, t.querySelector('.val').textContent])"))
            shown = page.eval_on_selector_all("svg g.reaction.flux path",
                                              "els => els.filter(e => e.getBBox().width "
                                              "+ e.getBBox().height > 0).length")
            assert page.locator("h1").text_content().startswith("Fluxes on e_coli_core")
            assert "glpk" in (page.locator("main").text_content() or "")
            page.screenshot(path=str(tmp_path / "fluxmap-e_coli_core.png"))
            before = page.get_attribute("#map svg", "viewBox")  # the zoom script may run
            page.get_by_role("button", name="Zoom in").click()
            assert page.get_attribute("#map svg", "viewBox") != before
            assert not errors, errors  # nothing refused by the page's CSP
            page.set_viewport_size({"width": 1280, "height": 800})  # a laptop screen
            assert page.evaluate("() => document.documentElement.scrollWidth") <= 1280
        finally:
            browser.close()
    on_map = {r.id for r in load_map("e_coli_core").reactions}
    expected = {rid: v for rid, v in fluxes.items() if rid in on_map}
    assert len(drawn) == len(expected) == 48 and shown > 48
    for rid, flux in drawn:
        assert float(flux) == pytest.approx(expected[rid], abs=1e-9)
        assert labels[rid] == fmt(expected[rid])


def test_map_routes_svg_subsystems_diff_and_errors(server: tuple[Server, str, str]) -> None:
    srv, alice, _bob = server
    with srv.client(alice) as http:
        made = http.post("/sessions", params={"wait": 300},
                         json={"question": "What is the growth rate of E. coli core?"})
        sid = made.json()["session_id"]
        events = http.get(f"/sessions/{sid}/events").json()["events"]
        seq = next(ev["seq"] for ev in events if ev["type"] == "tool_result"
                   and ev["data"]["tool"] == "run_fba")
        svg = http.get(f"/web/maps/{sid}/{seq}.svg")
        assert svg.status_code == 200 and svg.headers["content-type"] == "image/svg+xml"
        assert len(_reactions(_svg(svg.text))) == 95
        boxes = _svg(http.get(f"/web/maps/{sid}/{seq}.svg", params={"map": "subsystems"}).text)
        totals = {g.get("data-name"): float(g.get("data-total", "nan"))
                  for g in boxes.iter(f"{SVG_NS}g") if "subsystem" in (g.get("class") or "")}
        assert totals["Citric Acid Cycle"] > 0  # the server read the model's subsystems
        same = http.get(f"/web/maps/{sid}/{seq}/diff/{seq}")
        assert same.status_code == 200 and "Reactions whose flux differs (0)" in same.text
        bad = http.get(f"/web/maps/{sid}/{seq}", params={"map": "<nope>"})
        assert bad.status_code == 400 and "no drawing named" in bad.json()["detail"]
        first = http.get(f"/web/maps/{sid}/0")
        assert first.status_code == 404
        assert f"{seq} (run_fba)" in first.json()["detail"]  # it names the results there are
