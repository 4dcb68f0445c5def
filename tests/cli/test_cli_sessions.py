"""The command line end to end: the ask --json contract and one-line errors for bad input."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

CLI = [sys.executable, "-m", "fluxagent.cli"]


def run(data_dir: Path, *args: str, stdin: str | None = None
        ) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "FLUXAGENT_DATA_DIR": str(data_dir), "FLUXAGENT_LLM": "offline"}
    env.pop("FLUXAGENT_DATABASE_URL", None)
    return subprocess.run([*CLI, *args], capture_output=True, text=True, env=env, timeout=600,
                          input=stdin)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def answered(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    data = tmp_path_factory.mktemp("cli")
    proc = run(data, "ask", "--json", "How fast does e_coli_core grow without oxygen?")
    assert proc.returncode == 0, proc.stderr
    return data, json.loads(proc.stdout)


def test_ask_json_contract(answered: tuple[Path, dict]) -> None:
    _, doc = answered
    assert set(doc) == {"session_id", "status", "answer", "interpretation", "unresolved",
                        "tool_calls", "usage", "events"}
    assert doc["status"] == "done"
    assert doc["unresolved"] == []
    assert doc["interpretation"]["model"] == "e_coli_core"
    assert doc["interpretation"]["conditions"] == [{"type": "oxygen", "value": "anaerobic",
                                                    "max_uptake": None}]
    assert [a["type"] for a in doc["interpretation"]["analyses"]] == ["growth"]
    assert "Understood: e_coli_core; anaerobic → growth." in doc["answer"]
    assert "0.2117" in doc["answer"] and "anaerobic" in doc["answer"]
    fba = [c for c in doc["tool_calls"] if c["tool"] == "run_fba"]
    assert fba and fba[-1]["ok"] and abs(fba[-1]["data"]["growth_rate"] - 0.211663) < 1e-6
    assert set(fba[-1]) == {"tool", "args", "ok", "summary", "data"}
    assert set(doc["usage"]) == {"prompt_tokens", "completion_tokens"}
    assert [e["seq"] for e in doc["events"]] == list(range(len(doc["events"])))


def test_ask_json_names_what_it_did_not_understand(tmp_path: Path) -> None:
    """A condition no tool represents is listed in ``unresolved`` and in a visible line, and
    the answer still states only what was computed (never a silent wild-type number)."""
    proc = run(tmp_path, "ask", "--json", "Growth of iJO1366 on xylose capped at 3 at pH 5?")
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["status"] == "done"
    assert any("pH 5" in u for u in doc["unresolved"]), doc["unresolved"]
    assert "⚠ Not understood" in doc["answer"] and "pH 5" in doc["answer"]
    cond = doc["interpretation"]["conditions"][0]
    assert cond == {"type": "sole_carbon_source", "metabolite": "xylose", "max_uptake": 3.0}


def test_ask_json_unclear_question_asks_a_specific_question(tmp_path: Path) -> None:
    """A model and a gene with no analysis named: one specific question. (A model with
    conditions and no analysis, "e_coli_core without oxygen?", is a growth question.)"""
    proc = run(tmp_path, "ask", "--json", "e_coli_core and gene pgi, hmm?")
    doc = json.loads(proc.stdout)
    assert doc["status"] == "waiting_for_human"
    request = [e for e in doc["events"] if e["type"] == "human_request"][-1]
    assert request["data"]["question"].startswith("I understood e_coli_core, but not which "
                                                  "analysis")
    proc = run(tmp_path, "ask", "--json", "e_coli_core without oxygen, hmm?")
    doc = json.loads(proc.stdout)
    assert doc["status"] == "done" and "0.211663" in doc["answer"]


def test_continue_session_with_follow_up(answered: tuple[Path, dict]) -> None:
    data, doc = answered
    proc = run(data, "ask", "--json", "--session", doc["session_id"], "and with oxygen?")
    assert proc.returncode == 0, proc.stderr
    follow = json.loads(proc.stdout)
    assert follow["session_id"] == doc["session_id"]
    assert "0.8739" in follow["answer"]


def test_unknown_session_is_one_line_error(answered: tuple[Path, dict]) -> None:
    data, _ = answered
    db = data / "fluxagent.db"
    before = digest(db)
    for args in (["sessions", "show", "nope"], ["sessions", "resume", "nope"],
                 ["ask", "--session", "nope", "and now?"],
                 ["respond", "nope", "hi"], ["approve", "nope"]):
        proc = run(data, *args)
        assert proc.returncode != 0, args
        assert proc.stderr.strip().count("\n") == 0 and "nope" in proc.stderr, proc.stderr
    assert digest(db) == before


def test_tampered_export_is_refused(answered: tuple[Path, dict], tmp_path: Path) -> None:
    data, doc = answered
    out = tmp_path / "s.json"
    assert run(data, "sessions", "export", doc["session_id"], "-o", str(out)).returncode == 0
    exported = json.loads(out.read_text())
    exported["events"][-1]["data"]["answer"] = "42"
    out.write_text(json.dumps(exported))
    before = run(data, "sessions", "list").stdout
    proc = run(data, "sessions", "import", str(out))
    assert proc.returncode == 1 and "checksum" in proc.stderr
    assert run(data, "sessions", "list").stdout == before


def test_unknown_event_type_in_import(answered: tuple[Path, dict], tmp_path: Path) -> None:
    data, doc = answered
    out = tmp_path / "s.json"
    run(data, "sessions", "export", doc["session_id"], "-o", str(out))
    exported = json.loads(out.read_text())
    exported["events"][1]["type"] = "teleport"
    exported["sha256"] = hashlib.sha256(
        json.dumps(exported["events"], sort_keys=True).encode()).hexdigest()
    out.write_text(json.dumps(exported))
    proc = run(data, "sessions", "import", str(out))
    assert proc.returncode == 1 and "unknown event type 'teleport'" in proc.stderr


def test_export_import_round_trip(answered: tuple[Path, dict], tmp_path: Path) -> None:
    data, doc = answered
    out = tmp_path / "s.json"
    run(data, "sessions", "export", doc["session_id"], "-o", str(out))
    proc = run(data, "sessions", "import", str(out))
    assert proc.returncode == 0, proc.stderr
    new_id = proc.stdout.strip()
    shown = json.loads(run(data, "sessions", "show", "--json", new_id).stdout)
    assert shown["answer"] == json.loads(run(data, "sessions", "show", "--json",
                                             doc["session_id"]).stdout)["answer"]


def test_corrupt_database_is_one_line_error(tmp_path: Path) -> None:
    (tmp_path / "fluxagent.db").write_bytes(b"this is not a database" * 100)
    before = digest(tmp_path / "fluxagent.db")
    proc = run(tmp_path, "sessions", "list")
    assert proc.returncode == 1
    assert proc.stderr.strip().count("\n") == 0, proc.stderr
    assert digest(tmp_path / "fluxagent.db") == before


def test_empty_and_huge_questions_are_refused(tmp_path: Path) -> None:
    proc = run(tmp_path, "ask", "   ")
    assert proc.returncode == 1 and "empty" in proc.stderr
    huge = "growth on glucose? " * 55_000  # about 1 MB
    proc = run(tmp_path, "ask", "-", stdin=huge)
    assert proc.returncode == 1 and "limit is 20,000" in proc.stderr
    assert "growth on glucose" not in run(tmp_path, "sessions", "list").stdout
