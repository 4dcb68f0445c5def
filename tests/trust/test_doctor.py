"""``fluxagent doctor`` and defect 10 of issue 11 (a damaged SQLite page went unnoticed).

Real stores, real corruption: bytes of a real page of a 1000-event SQLite file are overwritten;
the normal open path then refuses the store before anything is written, and ``doctor`` says
which check failed with exit code 1. A solver setting naming an unavailable solver fails the
solver check; a healthy installation passes every check with exit code 0.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from fluxagent.core.events import Thread, new_event
from fluxagent.store.base import StoreError
from fluxagent.store.sql import SqlStore

CLI = [sys.executable, "-m", "fluxagent.cli"]


def doctor(data: Path, **env: str) -> tuple[int, dict[str, dict[str, object]], str]:
    full = {**os.environ, "FLUXAGENT_DATA_DIR": str(data), **env}
    full.pop("FLUXAGENT_DATABASE_URL", None)
    proc = subprocess.run([*CLI, "doctor", "--json"], capture_output=True, text=True, env=full,
                          timeout=300)
    doc = json.loads(proc.stdout)
    assert doc["healthy"] == (proc.returncode == 0), proc.stdout
    return proc.returncode, {c["check"]: c for c in doc["checks"]}, proc.stderr


def make_store(data: Path, events: int = 1000) -> Path:
    db = data / "fluxagent.db"
    with SqlStore(f"sqlite:///{db}") as store:
        for s in range(10):
            sid = f"s{s}"
            store.create(sid)
            thread = Thread(sid).append(*[new_event("annotation", {"i": i, "text": "x" * 300})
                                          for i in range(events // 10)])
            store.append(sid, thread.events, expected_seq=0)
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # every page is in the main file now
    conn.close()
    return db


def damage(db: Path) -> int:
    """Overwrite the header of a b-tree page in the middle of the file; its page number."""
    conn = sqlite3.connect(db)
    size, count = (conn.execute(f"PRAGMA {p}").fetchone()[0] for p in ("page_size",
                                                                      "page_count"))
    conn.close()
    page = count // 2
    with db.open("r+b") as f:
        f.seek((page - 1) * size)
        f.write(b"\xff" * 64)
    return page


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def data(tmp_path: Path) -> Path:
    d = tmp_path / "data"
    d.mkdir()
    return d


def test_doctor_on_a_healthy_installation(data: Path) -> None:
    make_store(data, 100)
    code, checks, _ = doctor(data)
    assert code == 0
    assert all(c["ok"] for c in checks.values()), checks
    assert {"settings", "store", "key", "model cache", "solver glpk"} <= set(checks)
    from fluxagent.store.sql import HEAD_REVISION
    assert f"integrity ok, schema {HEAD_REVISION} (head)" in str(checks["store"]["verdict"])


def test_a_damaged_page_is_refused_before_any_write(data: Path) -> None:
    db = make_store(data)
    page = damage(db)
    conn = sqlite3.connect(db)
    try:
        found = conn.execute("PRAGMA integrity_check").fetchall()
    except sqlite3.DatabaseError as exc:
        found = [(str(exc),)]
    conn.close()
    assert found != [("ok",)], f"overwriting page {page} did not damage the file"
    before = digest(db)

    with pytest.raises(StoreError, match=r"is damaged: .*nothing was written"):
        SqlStore(f"sqlite:///{db}")
    env = {**os.environ, "FLUXAGENT_DATA_DIR": str(data), "FLUXAGENT_LLM": "offline"}
    env.pop("FLUXAGENT_DATABASE_URL", None)
    proc = subprocess.run([*CLI, "ask", "How fast does e_coli_core grow?"], capture_output=True,
                          text=True, env=env, timeout=300)
    assert proc.returncode == 1 and "is damaged" in proc.stderr, proc.stderr
    assert proc.stderr.strip().count("\n") == 0
    assert digest(db) == before, "a write reached the damaged store"

    code, checks, _ = doctor(data)
    assert code == 1
    assert not checks["store"]["ok"] and "DAMAGED" in str(checks["store"]["verdict"])
    assert checks["solver glpk"]["ok"] and checks["settings"]["ok"]
    assert digest(db) == before, "doctor changed the damaged store"


def test_doctor_with_a_missing_solver(data: Path) -> None:
    code, checks, _ = doctor(data, FLUXAGENT_SOLVER="cplex")
    assert code == 1
    bad = [name for name, c in checks.items() if not c["ok"]]
    assert bad == ["solver cplex (FLUXAGENT_SOLVER)"], checks
    assert "not available" in str(checks[bad[0]]["verdict"])
    code, checks, _ = doctor(data, FLUXAGENT_SOLVER="highs")  # installed: healthy
    assert code == 0 and checks["solver highs (FLUXAGENT_SOLVER)"]["ok"]
