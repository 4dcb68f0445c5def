"""Issue 11, defect 13: ``ask --model FILE`` works; an unknown ``--model`` creates nothing.

The README documents ``fluxagent ask "QUESTION" --model FILE``; it failed (the file name was
used as a model name), and an unknown ``--model`` created a session and exited 0.
"""

from __future__ import annotations

import json
from pathlib import Path

import cobra
import pytest
from seckit import agent, cli, save_json, settings

from fluxagent.runtime.sessions import SessionError
from fluxagent.store.sql import SqlStore


def slow_core(path: Path) -> Path:
    """e_coli_core with glucose uptake 5 (growth 0.4167 1/h instead of 0.8739)."""
    m = cobra.io.load_model("textbook")
    m.id = "slow_core"
    m.reactions.EX_glc__D_e.lower_bound = -5
    if path.suffix == ".xml":
        path.parent.mkdir(parents=True, exist_ok=True)
        cobra.io.write_sbml_model(m, str(path))
        return path
    return save_json(m, path)


def expected_growth() -> float:
    m = cobra.io.load_model("textbook")
    m.reactions.EX_glc__D_e.lower_bound = -5
    return float(m.slim_optimize())


def test_ask_model_file_from_the_command_line(tmp_path: Path) -> None:
    lab = tmp_path / "lab"
    slow_core(lab / "slow.json")
    data = tmp_path / "data"
    proc = cli(data, "ask", "--json", "--model", "slow.json", "How fast does it grow?",
               env={"FLUXAGENT_WORKSPACES": str(lab)}, cwd=lab)
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["status"] == "done", doc["answer"]
    fba = [c for c in doc["tool_calls"] if c["tool"] == "run_fba" and c["ok"]]
    assert fba, doc["tool_calls"]
    assert abs(fba[-1]["data"]["growth_rate"] - expected_growth()) < 1e-6
    assert f"{expected_growth():.4f}"[:5] in doc["answer"]


@pytest.mark.parametrize("suffix", [".xml", ".json"])
def test_ask_model_file_in_python(tmp_path: Path, suffix: str) -> None:
    s = settings(tmp_path / "data")
    path = slow_core(s.data_dir / f"upload{suffix}")
    a = agent(s)
    state = a.ask("How fast does it grow?", model=str(path))
    assert state.status == "done", state
    assert state.current_model == "slow_core"
    assert state.models["slow_core"].base.startswith("file:")
    results = [ev for ev in a.thread(state.session_id) if ev.type == "tool_result"
               and ev.data["tool"] == "run_fba"]
    assert abs(results[-1].data["data"]["growth_rate"] - expected_growth()) < 1e-6


def test_unknown_or_forbidden_models_are_refused_before_a_session_exists(
        tmp_path: Path) -> None:
    s = settings(tmp_path / "data")
    outside = slow_core(tmp_path / "elsewhere" / "m.json")
    a = agent(s)
    cases = {"nosuchmodel": "no model named", "iJO136": "iJO1366",
             str(outside): "outside the allowed folders",
             str(s.data_dir / "missing.xml"): "not found", "file:../../m.json": "model folder"}
    for model, words in cases.items():
        with pytest.raises(SessionError, match=words.replace("(", r"\(")) as info:
            a.ask("How fast does it grow?", model=model)
        assert "\n" not in str(info.value)
    assert a.store.sessions(100) == []


def test_unknown_model_on_the_command_line_is_one_line_and_exit_1(tmp_path: Path) -> None:
    data = tmp_path / "data"
    proc = cli(data, "ask", "--model", "nosuchmodel", "How fast does it grow?")
    assert proc.returncode == 1, proc.stdout
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and "no model named 'nosuchmodel'" in lines[0], proc.stderr
    store = SqlStore(f"sqlite:///{data / 'fluxagent.db'}")
    try:
        assert store.sessions(100) == []
    finally:
        store.close()
