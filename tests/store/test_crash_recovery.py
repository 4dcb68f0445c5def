"""SIGKILL a running session at several points, resume it in a new process, and check that no
event was lost or doubled and the answer is the one an uninterrupted run gives."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from fluxagent.core.events import Thread
from fluxagent.store.sql import SqlStore

SCRIPT = Path(__file__).with_name("proc_session.py")
DELAY = "0.15"


def _start(db: Path, sid: str, mode: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, str(SCRIPT), str(db), sid, mode, DELAY],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _finish(proc: subprocess.Popen[str]) -> dict[str, str]:
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, f"session process failed:\n{err}"
    return dict(json.loads(out.strip().splitlines()[-1]))


def _count(store: SqlStore, sid: str) -> int:
    return len(store.load(sid)) if store.exists(sid) else 0


def _kill_after(proc: subprocess.Popen[str], store: SqlStore, sid: str, k: int) -> Thread:
    """SIGKILL ``proc`` once the store holds at least ``k`` events; the thread at that time."""
    deadline = time.monotonic() + 60
    while _count(store, sid) < k and proc.poll() is None:
        assert time.monotonic() < deadline, f"no {k} events after 60 s"
        time.sleep(0.002)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    return store.load(sid)


def _check(thread: Thread) -> None:
    assert [e.seq for e in thread] == list(range(len(thread)))
    assert len({e.id for e in thread}) == len(thread), "an event was stored twice"
    calls = [str(e.call_id) for e in thread if e.type == "tool_call"]
    results = [str(e.call_id) for e in thread if e.type in ("tool_result", "tool_error")]
    assert len(calls) == len(set(calls)) == 5
    assert sorted(results) == sorted(calls), "a tool call has no result, or more than one"
    assert [e.data["args"]["x"] for e in thread if e.type == "tool_call"] == [1, 2, 3, 4, 5]
    assert [e.type for e in thread].count("final_answer") == 1


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, str], Thread]:
    db = tmp_path_factory.mktemp("ref") / "fluxagent.db"
    final = _finish(_start(db, "ref", "run"))
    with SqlStore(f"sqlite:///{db}") as store:
        thread = store.load("ref")
    _check(thread)
    assert final["status"] == "done" and final["answer"].endswith(" 55")
    return final, thread


@pytest.mark.slow
@pytest.mark.parametrize("kills", [(1,), (2,), (5,), (9,), (3, 6, 10)])
def test_sigkill_then_resume(tmp_path: Path, reference: tuple[dict[str, str], Thread],
                             kills: tuple[int, ...]) -> None:
    ref_state, ref_thread = reference
    db = tmp_path / "fluxagent.db"
    sid = "crashy"
    with SqlStore(f"sqlite:///{db}") as store:
        proc = _start(db, sid, "run")
        for k in kills:  # a kill, then a resume that is itself killed, ...
            before = _kill_after(proc, store, sid, k)
            assert store.load(sid).prefix(len(before)) == before
            proc = _start(db, sid, "resume")
        final = _finish(proc)
        thread = store.load(sid)
    assert thread.prefix(len(before)) == before, "events stored before the kill were lost"
    _check(thread)
    assert final == ref_state
    assert [e.type for e in thread] == [e.type for e in ref_thread]
