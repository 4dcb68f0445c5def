"""Issue 11, defects 1 and 4: files are read and written only inside the allowed roots.

Defect 1: a model id such as ``/abs/PWNED`` or ``../../x`` was joined into a path, so
validating or exporting the model wrote ``<id>.xml`` anywhere. Defect 4: ``file:../../x.xml``
loaded a file outside the data dir with no approval and no size check, and a relative path was
resolved against the working directory by the tool but against the data dir by the approval
policy.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from seckit import agent, core_with_id, execute, files_under, save_json, settings, tool_ctx

from fluxagent.core.state import ModelState, PendingCall, SessionState
from fluxagent.human.approvals import ApprovalPolicy
from fluxagent.paths import PathError, PathPolicy, safe_name
from fluxagent.tools.results import ToolError, ToolResult


def hostile_ids(victim: Path) -> list[str]:
    """An absolute path, and a relative one that climbs from any temp dir into ``victim``."""
    return [str(victim / "ABS"), "../" * 12 + str(victim / "REL").lstrip("/")]


@pytest.mark.parametrize("which", [0, 1])
def test_a_model_id_never_decides_where_a_file_is_written(tmp_path: Path, which: int) -> None:
    s = settings(tmp_path / "data")
    victim = tmp_path / "victim"
    victim.mkdir()
    model_id = hostile_ids(victim)[which]
    path = save_json(core_with_id(model_id), s.data_dir / "evil.json")
    c = tool_ctx(s)
    loaded = execute("load_model", {"path": str(path)}, c)
    assert isinstance(loaded, ToolResult), loaded
    st = SessionState(session_id="sec", current_model=loaded.data["name"],
                      models={loaded.data["name"]: ModelState(base=loaded.data["base"])})
    c = tool_ctx(s, st, c.models)  # type: ignore[arg-type]
    checked = execute("validate_model", {}, c)
    assert isinstance(checked, ToolResult), checked
    art = execute("export_model", {"format": "sbml"}, c)
    assert isinstance(art, ToolResult) and art.artifacts[0].name == f"{safe_name(model_id)}.xml"
    (s.data_dir / "out").mkdir()
    to_dir = execute("export_model", {"format": "json", "path": str(s.data_dir / "out")}, c)
    assert isinstance(to_dir, ToolResult), to_dir
    written = Path(to_dir.data["path"])
    assert written.parent == (s.data_dir / "out").resolve() and written.name.endswith(".json")
    assert "/" not in written.name and not written.name.startswith(".")
    assert files_under(victim) == set(), "a file was written where the model id pointed"
    assert not list(tmp_path.glob("*.xml")) and not list(Path("/").glob("ABS*"))


def test_load_and_validate_question_writes_nothing_outside(tmp_path: Path) -> None:
    """The issue's reproduction through the whole agent (offline planner)."""
    s = settings(tmp_path / "data")
    victim = tmp_path / "victim"
    victim.mkdir()
    path = save_json(core_with_id(str(victim / "PWNED")), s.data_dir / "evil.json")
    state = agent(s).ask(f"Load the model {path} and validate it")
    assert state.status == "done", state
    assert files_under(victim) == set()


def test_file_references_stay_in_the_model_dir(tmp_path: Path) -> None:
    s = settings(tmp_path / "data" / "deep")
    outside = save_json(core_with_id("outside"), tmp_path / "x.json")
    (s.data_dir / "models").mkdir()
    (s.data_dir / "models" / "link.json").symlink_to(outside)
    c = tool_ctx(s)
    for ref in ("file:../../../x.json", "file:../../x.json", f"file:{outside}",
                "file:link.json", "file:"):
        e = execute("run_fba", {"model": ref}, c)
        assert isinstance(e, ToolError), f"{ref} was loaded"
        assert e.kind == "bad_arguments", (ref, e)
        assert str(s.data_dir.resolve()) in e.message + e.hint, e
    assert c.models is not None and not c.models._bases  # type: ignore[attr-defined]


def test_file_references_have_the_size_check(tmp_path: Path) -> None:
    s = settings(tmp_path / "data", max_model_bytes=1_000_000)
    (s.data_dir / "models").mkdir()
    with (s.data_dir / "models" / "big.json").open("wb") as fh:
        fh.truncate(50_000_000)  # sparse: 50 MB on paper
    e = execute("run_fba", {"model": "file:big.json"}, tool_ctx(s))
    assert isinstance(e, ToolError) and e.kind == "bad_arguments"
    assert "limit" in e.message and "FLUXAGENT_MAX_MODEL_BYTES" in e.hint


def test_relative_paths_resolve_against_one_base_for_tool_and_approval(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    s = settings(tmp_path / "data")
    save_json(core_with_id("from_cwd"), tmp_path / "cwd" / "rel.json")
    save_json(core_with_id("from_data"), s.data_dir / "rel.json")
    monkeypatch.chdir(tmp_path / "cwd")
    policy = agent(s).policy
    call = PendingCall(call_id="c", name="load_model", args={"path": "rel.json"})
    assert policy.check(call, SessionState(session_id="sec")) is None  # inside the data dir
    res = execute("load_model", {"path": "rel.json"}, tool_ctx(s))
    assert isinstance(res, ToolResult), res
    assert res.data["id"] == "from_data", "the tool read a file the approval policy never saw"


def test_workspaces_are_allowed_and_outside_is_refused_naming_the_roots(
        tmp_path: Path) -> None:
    ws = tmp_path / "lab"
    s = settings(tmp_path / "data", workspaces=[ws])
    save_json(core_with_id("in_ws"), ws / "m.json")
    outside = save_json(core_with_id("nope"), tmp_path / "elsewhere" / "m.json")
    c = tool_ctx(s)
    ok = execute("load_model", {"path": "m.json"}, c)  # relative: the first workspace
    assert isinstance(ok, ToolResult) and ok.data["id"] == "in_ws", ok
    policy = agent(s).policy
    st = SessionState(session_id="sec")
    reason = policy.check(PendingCall(call_id="c", name="load_model",
                                      args={"path": "m.json"}), st)
    assert reason is not None and "m.json" in reason  # outside the data dir: a person decides
    for args in ({"path": str(outside)}, {"path": "../elsewhere/m.json"}):
        assert policy.check(PendingCall(call_id="c", name="load_model", args=args), st)
        e = execute("load_model", args, c)  # approved or not, the tool refuses it
        assert isinstance(e, ToolError) and e.kind == "bad_arguments", e
        assert str(ws.resolve()) in e.message and str(s.data_dir.resolve()) in e.message
    e = execute("export_model", {"format": "json", "path": str(tmp_path / "x.json")}, c)
    assert isinstance(e, ToolError) and e.kind == "bad_arguments"
    assert not (tmp_path / "x.json").exists()
    genome = execute("build_model_from_genome", {"genome": str(outside)}, c)
    assert isinstance(genome, ToolError) and genome.kind == "bad_arguments", genome
    template = execute("build_model_from_genome", {"genome": str(ws / "m.json"),
                                                   "template": str(outside)}, c)
    assert isinstance(template, ToolError) and template.kind == "bad_arguments", template


def test_symlinks_are_resolved_before_the_check(tmp_path: Path) -> None:
    s = settings(tmp_path / "data")
    outside = save_json(core_with_id("outside"), tmp_path / "secret.json")
    (s.data_dir / "innocent.json").symlink_to(outside)
    e = execute("load_model", {"path": str(s.data_dir / "innocent.json")}, tool_ctx(s))
    assert isinstance(e, ToolError) and e.kind == "bad_arguments", e
    policy = PathPolicy.from_settings(s)
    with pytest.raises(PathError):
        policy.resolve(s.data_dir / "innocent.json")
    assert policy.resolve(s.data_dir / "sub" / ".." / "ok.json") == \
        (s.data_dir / "ok.json").resolve()


def test_approval_policy_without_settings_uses_the_same_resolution(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    policy = ApprovalPolicy(data_dir=data)
    st = SessionState(session_id="sec")
    inside = PendingCall(call_id="c", name="load_model", args={"path": "a/../b.json"})
    assert policy.check(inside, st) is None
    assert PathPolicy.of(data).locate("a/../b.json") == (data / "b.json").resolve()


def test_safe_name_is_one_component() -> None:
    for text in ("/etc/passwd", "../../x", "..", ".", "", "a/b\\c", "x\x00y", "[/x]",
                 "\u202egnp.exe", "C:\\Windows", "~root"):
        name = safe_name(text)
        assert name and "/" not in name and "\\" not in name and "\x00" not in name
        assert not name.startswith(".") and name == os.path.basename(name)


def test_workspaces_setting_is_a_path_list(monkeypatch: pytest.MonkeyPatch,
                                           tmp_path: Path) -> None:
    from fluxagent.config import Settings
    monkeypatch.setenv("FLUXAGENT_WORKSPACES", f"{tmp_path / 'a'}{os.pathsep}{tmp_path / 'b'}")
    monkeypatch.setenv("FLUXAGENT_DATA_DIR", str(tmp_path / "data"))
    s = Settings()
    assert s.workspaces == [tmp_path / "a", tmp_path / "b"]
    policy = PathPolicy.from_settings(s)
    assert policy.base == (tmp_path / "a").resolve()
    assert policy.roots[-1] == (tmp_path / "data").resolve()


def test_writes_never_replace_the_stores_own_files(tmp_path: Path) -> None:
    """Inside the data dir, the event store, the key, the cache, the stored models and the
    artifacts are not export targets."""
    s = settings(tmp_path / "data")
    c = tool_ctx(s)
    assert execute("model_summary", {}, c).ok
    (s.data_dir / "fluxagent.db").write_bytes(b"store")
    (s.data_dir / "installation.key").write_bytes(b"k" * 32)
    for target in ("fluxagent.db", "fluxagent.db-wal", "installation.key", "cache/x.json",
                   "models/x.json", "artifacts/x.json", str(s.data_dir / "cache")):
        e = execute("export_model", {"format": "json", "path": target}, c)
        assert isinstance(e, ToolError) and e.kind == "bad_arguments", (target, e)
        assert "belongs to fluxagent" in e.message
    assert (s.data_dir / "fluxagent.db").read_bytes() == b"store"
    ok = execute("export_model", {"format": "json", "path": "exports/core.json"}, c)
    assert isinstance(ok, ToolResult), ok
