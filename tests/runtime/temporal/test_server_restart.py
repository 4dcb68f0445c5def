"""The Temporal server restarted mid-session (dev server with its SQLite file): the session
completes, each tool result is stored once, and the answer is the in-process runner's."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from temporal_cluster import DevServer, WorkerProcess, worker_env

from fluxagent.agent import Agent
from fluxagent.config import Settings
from fluxagent.core.state import SessionState

QUESTION = "What is the maximal growth rate of e_coli_core?"


def test_server_restart_mid_session(tmp_path: Path, pg_fresh_url: str, queue: str) -> None:
    server = DevServer(tmp_path / "temporal").start()
    worker = WorkerProcess(worker_env(server.address, pg_fresh_url, tmp_path / "data", queue),
                           tmp_path / "worker.log").start()
    done: dict[str, SessionState | BaseException] = {}
    try:
        client = Agent(settings=Settings(data_dir=tmp_path / "data", database_url=pg_fresh_url,
                                         runner="temporal", temporal_address=server.address,
                                         temporal_task_queue=queue))

        def ask() -> None:
            try:
                done["state"] = client.ask(QUESTION)
            except BaseException as exc:  # reported by the main thread
                done["state"] = exc

        asker = threading.Thread(target=ask, daemon=True)
        asker.start()
        end = time.monotonic() + 180
        sid = ""
        while time.monotonic() < end:  # restart once the first tool result is stored
            found = client.store.sessions(1)
            sid = found[0].session_id if found else ""
            if sid and client.thread(sid).of_type("tool_result"):
                break
            time.sleep(0.1)
        else:
            raise AssertionError("the session stored no tool result")
        before = len(client.thread(sid))
        server.stop()
        time.sleep(2)
        server.start()
        asker.join(240)
        assert not asker.is_alive(), "the session did not finish after the restart"
        state = done["state"]
        assert isinstance(state, SessionState), state
        assert state.status == "done"
        thread = client.thread(sid)
        assert state.last_seq + 1 > before  # steps were done after the restart
        calls = [ev.call_id for ev in thread.of_type("tool_call")]
        outcomes = [ev.call_id for ev in thread.of_type("tool_result", "tool_error")]
        assert sorted(calls) == sorted(outcomes) and len(set(outcomes)) == len(outcomes)
    finally:
        worker.stop()
        server.stop()
    local = Agent(settings=Settings(data_dir=tmp_path / "local"))
    assert state.answer == local.ask(QUESTION).answer
