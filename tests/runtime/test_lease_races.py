"""Defect 6 of issue 11 and the execution lease, in real processes on SQLite and PostgreSQL.

- ``approve SID`` racing ``sessions resume SID``: the approved tool runs exactly once.
- two ``ask --session S`` at once: both questions are answered, one after the other.
- the lease holder is SIGKILLed mid-tool: another process resumes once the lease expires, and
  the tool's result is stored exactly once.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from proc_lease import build_runner

from fluxagent.core.events import Thread
from fluxagent.runtime import sessions
from fluxagent.runtime.lease import SessionBusyError
from fluxagent.store.sql import SqlStore

SCRIPT = Path(__file__).with_name("proc_lease.py")


def start(url: str, sid: str, *args: str, marker: Path, delay: float, approve: bool = False,
          ttl: float = 30.0, wait: float = 120.0) -> subprocess.Popen[str]:
    env = {**os.environ, "MARKER": str(marker), "DELAY": str(delay),
           "APPROVE": "1" if approve else "0", "LEASE_TTL_S": str(ttl),
           "LEASE_WAIT_S": str(wait)}
    return subprocess.Popen([sys.executable, str(SCRIPT), url, sid, *args], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def finish(proc: subprocess.Popen[str]) -> dict[str, str]:
    out, err = proc.communicate(timeout=240)
    assert proc.returncode == 0, f"exit {proc.returncode}:\n{out}\n{err}"
    return dict(json.loads(out.strip().splitlines()[-1]))


def runs(marker: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in marker.read_text().splitlines()] \
        if marker.exists() else []


def wait_for(cond: object, what: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not cond():  # type: ignore[operator]
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.02)


def outcomes(thread: Thread) -> dict[str, int]:
    counts: dict[str, int] = {}
    for ev in thread:
        if ev.type in ("tool_result", "tool_error") and ev.call_id:
            counts[ev.call_id] = counts.get(ev.call_id, 0) + 1
    return counts


@pytest.mark.slow
def test_approve_racing_resume_runs_the_tool_once(any_store_url: str, tmp_path: Path) -> None:
    marker = tmp_path / "runs.jsonl"
    with SqlStore(any_store_url) as store:
        runner = build_runner(store, marker, 0.0, approve=True)
        state = sessions.launch(runner, "q1", session_id="S")
        assert state.status == "waiting_for_approval"
    approver = start(any_store_url, "S", "approve", marker=marker, delay=3.0, approve=True)
    with SqlStore(any_store_url) as store:  # the approver holds the lease while the tool runs
        wait_for(lambda: store.lease("S") is not None, "the approver's lease")
        time.sleep(0.5)
        resumer = start(any_store_url, "S", "resume", marker=marker, delay=3.0, approve=True)
        a, b = finish(approver), finish(resumer)
        thread = store.load("S")
    assert a == b == {"status": "done", "answer": "done: q1"}
    assert [r["tag"] for r in runs(marker)] == ["q1"], "the approved tool ran more than once"
    assert list(outcomes(thread).values()) == [1]
    assert [e.type for e in thread].count("final_answer") == 1


@pytest.mark.slow
def test_two_questions_at_once_are_answered_in_order(any_store_url: str,
                                                     tmp_path: Path) -> None:
    marker = tmp_path / "runs.jsonl"
    with SqlStore(any_store_url) as store:
        store.create("S")
    procs = [start(any_store_url, "S", "ask", q, marker=marker, delay=1.0) for q in ("q1", "q2")]
    answers = sorted(finish(p)["answer"] or "" for p in procs)
    assert answers == ["done: q1", "done: q2"]
    with SqlStore(any_store_url) as store:
        thread = store.load("S")
    turns: list[list[str]] = []
    for ev in thread:
        if ev.type == "user_message":
            turns.append([f"ask {ev.data['text']}"])
        elif ev.type in ("tool_result", "final_answer"):
            turns[-1].append(ev.data.get("answer") or f"ran {ev.data['data']['tag']}")
    first, second = (t[0][4:] for t in turns)
    assert turns == [[f"ask {q}", f"ran {q}", f"done: {q}"] for q in (first, second)], \
        "a question was stored but not answered, or answers interleaved"
    assert sorted(r["tag"] for r in runs(marker)) == ["q1", "q2"]


@pytest.mark.slow
def test_a_busy_session_refuses_a_runner_that_cannot_wait(any_store_url: str,
                                                          tmp_path: Path) -> None:
    marker = tmp_path / "runs.jsonl"
    with SqlStore(any_store_url) as store:
        store.create("S")
        first = start(any_store_url, "S", "ask", "q1", marker=marker, delay=8.0)
        wait_for(lambda: store.lease("S") is not None, "the first runner's lease")
        before = store.load("S")
        impatient = build_runner(store, marker, 0.0, approve=False, wait=0.5)
        for call in (lambda: sessions.launch(impatient, "q2", session_id="S"),
                     lambda: sessions.resume(impatient, "S")):
            with pytest.raises(SessionBusyError, match=r"is being driven by .* waited 0\.5 s"):
                call()
        after = store.load("S")
        assert after.prefix(len(before)) == before
        assert not [e for e in after if e.type == "user_message" and e.data["text"] == "q2"]
        assert finish(first)["answer"] == "done: q1"


@pytest.mark.slow
def test_sigkill_of_the_lease_holder_mid_tool(any_store_url: str, tmp_path: Path) -> None:
    marker = tmp_path / "runs.jsonl"
    ttl = 2.0
    with SqlStore(any_store_url) as store:
        store.create("S")
        holder = start(any_store_url, "S", "ask", "q1", marker=marker, delay=60.0, ttl=ttl)
        wait_for(lambda: any(e.type == "tool_call" for e in store.load("S")), "the tool call")
        time.sleep(ttl)  # a heartbeat or two renews the lease while the tool runs
        lease = store.lease("S")
        assert lease is not None and str(holder.pid) in lease.holder
        holder.send_signal(signal.SIGKILL)
        holder.wait(timeout=30)
        killed_at = time.time()
        stale = store.lease("S")
        assert stale is not None, "the dead holder's lease is still in the store"
        resumer = start(any_store_url, "S", "resume", marker=marker, delay=0.2, ttl=ttl)
        assert finish(resumer) == {"status": "done", "answer": "done: q1"}
        thread = store.load("S")
    done = runs(marker)
    assert len(done) == 1 and done[0]["pid"] == resumer.pid
    assert float(done[0]["started"]) >= stale.expires.timestamp() - 0.05, \
        "the resumer ran before the dead holder's lease expired"
    assert float(done[0]["started"]) - killed_at < ttl + 10
    assert list(outcomes(thread).values()) == [1], "a tool result is missing or doubled"
    assert [e.type for e in thread].count("final_answer") == 1
    assert [e.seq for e in thread] == list(range(len(thread)))
