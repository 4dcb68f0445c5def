"""The model store: bundled models offline, user files, caching, isolation, bad files."""

from __future__ import annotations

import gzip
import os
from pathlib import Path

import cobra
import pytest
from toolctx import STORE, ctx, err, reference, run, state

from fluxagent.config import Settings
from fluxagent.core.state import ModelState, SessionState
from fluxagent.tools.models import ModelStore, build_info, detect_format
from fluxagent.tools.results import ToolFailure


def test_bundled_models_load_offline_from_cobrapy_files() -> None:
    base = STORE.base("textbook")
    assert "cobra/data" in base.source.replace(os.sep, "/")
    assert STORE.base("e_coli_core") is base and STORE.canonical("E. coli core") == "e_coli_core"
    assert STORE.canonical("ecoli_core") == "e_coli_core"
    assert len(base.sha256) == 64
    summary = run("model_summary", {"model": "iJO1366"})
    assert (summary.data["reactions"], summary.data["metabolites"], summary.data["genes"]) \
        == (2583, 1805, 1367)
    assert summary.data["objective"] == "BIOMASS_Ec_iJO1366_core_53p95M"
    core = run("model_summary", {})
    assert core.data["reactions"] == 95 and "95 reactions" in core.summary
    sal = run("model_summary", {"model": "salmonella"})
    assert sal.data["reactions"] > 2000


def test_pickle_cache_is_used_by_a_new_store(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path)
    first = ModelStore(settings)
    first.base("e_coli_core")
    cached = list((tmp_path / "cache" / "models").glob("*.pkl"))
    assert len(cached) == 1
    second = ModelStore(settings)
    assert second.base("e_coli_core").sha256 == first.base("e_coli_core").sha256
    assert abs(second.build(None, state()).slim_optimize() - 0.873922) < 1e-6


def test_changes_replayed_in_order_and_never_leak() -> None:
    changes = [{"op": "set_bounds", "model": "e_coli_core", "reaction": "EX_glc__D_e",
                "lower": -5, "upper": 1000},
               {"op": "set_bounds", "model": "e_coli_core", "reaction": "EX_glc__D_e",
                "lower": -10, "upper": 1000},
               {"op": "set_medium", "model": "e_coli_core", "medium": {
                   k: v for k, v in reference().medium.items() if k != "EX_o2_e"}},
               {"op": "knockout_genes", "model": "e_coli_core", "genes": ["b0723"]}]
    st = state("e_coli_core", {"e_coli_core": changes})
    m = STORE.build(None, st)
    assert build_info(m).changes == tuple(changes)
    anaerobic_pgi = m.slim_optimize()
    ref = reference()
    ref.reactions.EX_o2_e.lower_bound = 0
    ref.genes.b0723.knock_out()
    assert abs(anaerobic_pgi - ref.slim_optimize()) < 1e-9 and anaerobic_pgi > 0.2
    # a tool that changes the model outside any context and keeps no reference
    m.reactions.PFK.knock_out()
    m.objective = "EX_ac_e"
    del m
    plain = STORE.build(None, state())
    assert abs(plain.slim_optimize() - 0.873922) < 1e-6
    del plain
    again = STORE.build(None, st)
    assert abs(again.slim_optimize() - anaerobic_pgi) < 1e-9
    assert again.reactions.PFK.bounds == (0.0, 1000.0)


def test_lent_instances_are_reused_only_when_released() -> None:
    st = state()
    a = STORE.build("e_coli_core", st)
    b = STORE.build("e_coli_core", st)
    assert a is not b  # both held: never the same instance
    a.reactions.EX_o2_e.lower_bound = 0
    assert abs(b.slim_optimize() - 0.873922) < 1e-6
    a_id = id(a)
    del a
    c = STORE.build("e_coli_core", st)
    assert id(c) == a_id and c.reactions.EX_o2_e.lower_bound == -1000
    # changed through the solver behind cobra's back: detected and not reused
    c.solver.variables["PGK"].ub = 1.0
    c_id = id(c)
    del c, b
    d = STORE.build("e_coli_core", st)
    assert id(d) != c_id and abs(d.slim_optimize() - 0.873922) < 1e-6


def _write(model: cobra.Model, path: Path) -> Path:
    if path.name.endswith(".json"):
        cobra.io.save_json_model(model, str(path))
    elif path.name.endswith(".yml"):
        cobra.io.save_yaml_model(model, str(path))
    elif path.name.endswith(".mat"):
        cobra.io.save_matlab_model(model, str(path))
    else:
        cobra.io.write_sbml_model(model, str(path))
    return path


@pytest.mark.parametrize("name", ["core.xml", "core.xml.gz", "core.json", "core.yml",
                                  "core.mat", "core_no_suffix"])
def test_user_files_every_format(tmp_path: Path, name: str) -> None:
    store = ModelStore(Settings(data_dir=tmp_path / "data", workspaces=[tmp_path]))
    src = reference()
    path = tmp_path / name
    if name.endswith(".gz"):
        plain = _write(src, tmp_path / "tmp.xml")
        path.write_bytes(gzip.compress(plain.read_bytes()))
    elif name == "core_no_suffix":
        path.write_bytes(_write(src, tmp_path / "x.json").read_bytes())
    else:
        _write(src, path)
    c = ctx(store=store)
    res = run("load_model", {"path": str(path), "model": "mine"}, c)
    assert res.effects == [{"op": "use_model", "model": "mine", "base": res.data["base"]}]
    assert res.data["reactions"] == 95 and res.data["hash"]
    st = SessionState(session_id="s", current_model="mine",
                      models={"mine": ModelState(base=res.data["base"])})
    fba = run("run_fba", {}, ctx(st, store=store))
    assert abs(fba.data["growth_rate"] - 0.873922) < 1e-5
    assert fba.provenance.model_hash == res.data["hash"]
    path.unlink()  # the session keeps working from the copy in the data dir
    assert run("run_fba", {}, ctx(st, store=ModelStore(store.settings))).ok


def test_bad_files(tmp_path: Path) -> None:
    store = ModelStore(Settings(data_dir=tmp_path / "data", max_model_bytes=100 * 1024 * 1024,
                                workspaces=[tmp_path]))
    c = ctx(store=store)
    junk = tmp_path / "junk.xml"
    junk.write_bytes(os.urandom(5000))
    e = err("load_model", {"path": str(junk)}, c)
    assert e.kind == "bad_arguments"
    big = tmp_path / "big.xml"
    with big.open("wb") as fh:  # sparse: 200 MB on paper, nothing on disk
        fh.truncate(200 * 1024 * 1024)
    e = err("load_model", {"path": str(big)}, c)
    assert e.kind == "bad_arguments" and "limit" in e.message and "MAX_MODEL_BYTES" in e.hint
    e = err("load_model", {"path": str(tmp_path / "missing.xml")}, c)
    assert e.kind == "bad_arguments" and "not found" in e.message
    sbml = _write(reference(), tmp_path / "ok.xml").read_text()
    cut = tmp_path / "cut.xml"
    cut.write_text(sbml[: len(sbml) // 2])
    e = err("load_model", {"path": str(cut)}, c)
    assert e.kind == "bad_arguments" and "SBML" in e.message
    xml = tmp_path / "notsbml.xml"
    xml.write_text("<?xml version='1.0'?><html><body>hi</body></html>")
    assert "not SBML" in err("load_model", {"path": str(xml)}, c).message
    bad_json = tmp_path / "bad.json"
    bad_json.write_text('{"reactions": [{"id": 1}]')
    assert err("load_model", {"path": str(bad_json)}, c).kind == "bad_arguments"
    h5 = tmp_path / "v73.mat"
    h5.write_bytes(b"\x89HDF\r\n\x1a\n" + b"\x00" * 100)
    assert "v7.3" in err("load_model", {"path": str(h5)}, c).message
    assert not list((tmp_path / "data").glob("models/*"))  # nothing stored on failure


def test_model_without_objective(tmp_path: Path) -> None:
    store = ModelStore(Settings(data_dir=tmp_path / "data", workspaces=[tmp_path]))
    m = reference()
    m.objective = {}
    path = tmp_path / "noobj.json"
    cobra.io.save_json_model(m, str(path))
    res = run("load_model", {"path": str(path), "model": "noobj"}, ctx(store=store))
    st = SessionState(session_id="s", current_model="noobj",
                      models={"noobj": ModelState(base=res.data["base"])})
    for tool, args in (("run_fba", {}), ("run_fva", {}), ("essential_genes", {}),
                       ("run_pfba", {}), ("knockout_genes", {"genes": ["pgi"]})):
        e = err(tool, args, ctx(st, store=store))
        assert e.kind == "bad_arguments" and "objective" in e.message, tool
        assert "set_objective" in e.hint


def test_unknown_models_and_formats() -> None:
    e = err("run_fba", {"model": "iJO136"})
    assert e.kind == "model_not_loaded" and "iJO1366" in e.hint
    e = err("load_model", {"model": "ecoli_full"})
    assert e.kind == "model_not_loaded"
    assert err("load_model", {}).kind == "bad_arguments"
    assert detect_format(b"<?xml version='1.0'?><sbml>") == "sbml"
    assert detect_format(b"MATLAB 5.0 MAT-file") == "mat"
    assert detect_format(b"\x00\x01garbage") == "unknown"
    with pytest.raises(ToolFailure):
        STORE.base("nope")


def test_load_list_reset_export(tmp_path: Path) -> None:
    res = run("load_model", {"model": "textbook"})
    assert res.effects == [{"op": "use_model", "model": "e_coli_core", "base": "e_coli_core"}]
    listed = run("list_models", {})
    assert {m["name"] for m in listed.data["models"]} >= {"e_coli_core", "iJO1366",
                                                          "salmonella"}
    st = state("e_coli_core", {"e_coli_core": [{"op": "knockout_genes",
                                                "model": "e_coli_core", "genes": ["b4025"]}]})
    reset = run("reset_model", {}, ctx(st))
    assert reset.effects == [{"op": "reset_model", "model": "e_coli_core"}]
    out = tmp_path / "exported.json"
    exp = run("export_model", {"format": "json", "path": str(out)}, ctx(st))
    assert exp.data["path"] == str(out.resolve())
    back = cobra.io.load_json_model(str(out))
    assert back.reactions.PGI.bounds == (0.0, 0.0)  # the session's change is in the file
    art = run("export_model", {"format": "sbml"})
    assert art.artifacts and Path(art.artifacts[0].path).read_bytes().startswith(b"<?xml")
    from fluxagent.tools.registry import REGISTRY
    assert REGISTRY.get("export_model").writes  # type: ignore[union-attr]


def test_highs_solver_gives_the_same_growth(tmp_path: Path) -> None:
    store = ModelStore(Settings(data_dir=tmp_path, solver="highs"))
    res = run("run_fba", {}, ctx(store=store, settings=store.settings))
    assert res.provenance.solver == "hybrid"
    assert abs(res.data["growth_rate"] - 0.873922) < 1e-6
    bad = ModelStore(Settings(data_dir=tmp_path, solver="cplexx"))
    assert err("run_fba", {}, ctx(store=bad)).kind == "bad_arguments"
