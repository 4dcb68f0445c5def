"""Issue 11, defect 5: names and ids from model files and arguments are text on every surface.

A real model file whose reaction, gene and model names hold Rich markup (``[/x]``), terminal
escapes (``ESC[2J`` clears the screen, OSC 52 writes the clipboard), a ``<script>`` element and
a ``javascript:`` link goes through the real command line (subprocesses, real SQLite store):
no traceback, the session finishes, ``sessions show`` works, the terminal output holds no
escape character and the Markdown export no raw HTML or unsafe link.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import cobra
import pytest

CLI = [sys.executable, "-m", "fluxagent.cli"]
ESC_2J = "\x1b[2J"
OSC_52 = "\x1b]52;c;ZXZpbA==\x07"
SCRIPT = "<script>alert(1)</script>"
JS_LINK = "[click](javascript:alert(1))"


def run(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "FLUXAGENT_DATA_DIR": str(data_dir), "FLUXAGENT_LLM": "offline",
           "COLUMNS": "200"}
    env.pop("FLUXAGENT_DATABASE_URL", None)
    return subprocess.run([*CLI, *args], capture_output=True, text=True, env=env, timeout=600)


def no_traceback(proc: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in proc.stderr and "MarkupError" not in proc.stderr, proc.stderr[-2000:]


def no_escapes(text: str) -> None:
    assert "\x1b" not in text and "\x07" not in text and "\x9b" not in text, repr(text[:500])


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(data dir, model file inside it) for a copy of e_coli_core with hostile names."""
    data = tmp_path_factory.mktemp("hostile")
    model = cobra.io.load_model("textbook")
    model.id = "hostile"
    model.name = f"core {OSC_52}[bold]x[/bold]"
    model.reactions.PGI.name = "[/x]"
    model.reactions.PFK.name = f"{ESC_2J}{OSC_52}evil {SCRIPT} {JS_LINK}"
    model.genes.b4025.name = "[/x]"
    path = data / "hostile.json"
    cobra.io.save_json_model(model, str(path))
    return data, path


def test_markup_in_a_model_argument_is_a_one_line_error(tmp_path: Path) -> None:
    proc = run(tmp_path, "tools", "run", "run_fba", "--args", '{"model": "[/x]"}')
    no_traceback(proc)
    assert proc.returncode == 1
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "no model named '[/x]'" in lines[0], proc.stderr


def test_brackets_stay_in_error_messages(tmp_path: Path) -> None:
    proc = run(tmp_path, "tools", "run", "run_fba", "--args",
               json.dumps({"model": "e_coli_core", "conditions": {"bounds": {"PGI": [5, 1]}}}))
    assert proc.returncode == 1
    assert "must be [lower, upper] with lower <= upper" in proc.stderr, proc.stderr


def test_hostile_names_in_tool_output(hostile: tuple[Path, Path]) -> None:
    data, path = hostile
    loaded = run(data, "tools", "run", "load_model", "--json", "--args",
                 json.dumps({"path": str(path)}))
    assert loaded.returncode == 0, loaded.stderr
    base = next(e["base"] for e in json.loads(loaded.stdout)["effects"]
                if e.get("op") == "use_model" and "base" in e)
    proc = run(data, "tools", "run", "run_fva", "--args",
               json.dumps({"model": base, "reactions": ["PGI", "PFK"]}))
    no_traceback(proc)
    assert proc.returncode == 0, proc.stderr
    no_escapes(proc.stdout + proc.stderr)
    assert "[/x]" in proc.stdout and "<script>" in proc.stdout  # shown as text, not dropped


def _ask_until_done(data: Path, question: str) -> str:
    proc = run(data, "ask", question)
    no_traceback(proc)
    no_escapes(proc.stdout + proc.stderr)
    sid = json.loads(run(data, "sessions", "show", "--json", _last_session(data)).stdout)
    while sid["status"] == "waiting_for_approval":
        proc = run(data, "approve", sid["session_id"])
        no_traceback(proc)
        no_escapes(proc.stdout + proc.stderr)
        sid = json.loads(run(data, "sessions", "show", "--json", sid["session_id"]).stdout)
    assert sid["status"] == "done", sid["status"]
    return str(sid["session_id"])


def _last_session(data: Path) -> str:
    from fluxagent.store.sql import SqlStore

    store = SqlStore(f"sqlite:///{data / 'fluxagent.db'}")
    try:
        return store.sessions(1)[0].session_id
    finally:
        store.close()


def test_ask_show_and_export_with_hostile_names(hostile: tuple[Path, Path]) -> None:
    data, path = hostile
    sid = _ask_until_done(data, f"Load the model {path} and knock out b4025. Growth?")
    shown = run(data, "sessions", "show", sid)
    no_traceback(shown)
    assert shown.returncode == 0, shown.stderr
    no_escapes(shown.stdout + shown.stderr)
    sid2 = _ask_until_done(data, f"Load the model {path} and run FVA for PGI and PFK")
    for session in (sid, sid2):
        shown = run(data, "sessions", "show", session)
        assert shown.returncode == 0, shown.stderr
        no_escapes(shown.stdout + shown.stderr)
        md = run(data, "sessions", "export", session, "--format", "md", "-o", "-")
        assert md.returncode == 0, md.stderr
        no_escapes(md.stdout)
        assert "<script" not in md.stdout.lower()
        assert "](javascript:" not in md.stdout.lower()
        assert "<javascript:" not in md.stdout.lower()
    assert "PFK" in md.stdout and "&lt;script" in md.stdout  # the name is kept, as text
