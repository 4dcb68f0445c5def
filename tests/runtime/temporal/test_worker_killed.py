"""A worker SIGKILLed in the middle of a long tool activity: another worker finishes.

The question asks for the FVA of every iJO1366 reaction, fanned out in two chunks on the heavy
queue. Worker A is killed (SIGKILL, no clean-up) while it solves a chunk and heartbeats its
progress; worker B, started afterwards, gets the chunk again once A's heartbeats stop, and
finishes the session. The thread (PostgreSQL) holds every tool result exactly once, and the
answer equals an uninterrupted run's on the in-process runner, to the last bit of every range
(the chunks of tools/chunks.py give the same floats wherever they run).
"""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

from temporal_cluster import DevServer, WorkerProcess, worker_env
from temporalio.api.enums.v1 import EventType, PendingActivityState
from temporalio.service import RPCError, RPCStatusCode

from fluxagent.agent import Agent
from fluxagent.config import Settings
from fluxagent.core.events import Thread
from fluxagent.core.state import SessionState
from fluxagent.runtime.temporal.runner import TemporalRunner
from fluxagent.runtime.temporal.workflow import workflow_id

QUESTION = "What is the flux variability of all reactions in iJO1366?"


def _ranges(thread: Thread) -> list[dict[str, Any]]:
    fva = [ev for ev in thread.of_type("tool_result") if ev.data.get("tool") == "run_fva"]
    assert len(fva) == 1, f"{len(fva)} FVA results stored"
    return list(fva[0].data["data"]["ranges"])


def _once_each(thread: Thread) -> None:
    calls = [ev.call_id for ev in thread.of_type("tool_call")]
    outcomes = [ev.call_id for ev in thread.of_type("tool_result", "tool_error")]
    assert sorted(calls) == sorted(outcomes), "a call without, or with two, results"
    assert len(set(outcomes)) == len(outcomes)


def _chunk_in_progress(runner: TemporalRunner, sid: str, pid: int) -> bool:
    async def probe() -> bool:
        desc = await runner.client.get_workflow_handle(workflow_id(sid)).describe()
        return any(p.activity_type.name == "fanout_block"
                   and p.state == PendingActivityState.PENDING_ACTIVITY_STATE_STARTED
                   and p.heartbeat_details.payloads
                   and p.last_worker_identity.startswith(f"{pid}@")
                   for p in desc.raw_description.pending_activities)
    try:
        return runner._loop.run(probe())
    except RPCError as exc:  # the workflow may not exist yet
        if exc.status != RPCStatusCode.NOT_FOUND:
            raise
        return False


def test_worker_killed_mid_fva(tmp_path: Path, pg_fresh_url: str, devserver: DevServer,
                               queue: str) -> None:
    env = worker_env(devserver.address, pg_fresh_url, tmp_path / "data", queue,
                     FLUXAGENT_TEMPORAL_FANOUT="2", FLUXAGENT_TEMPORAL_HEARTBEAT_S="10",
                     FLUXAGENT_PROCESSES="2")
    first = WorkerProcess(env, tmp_path / "worker-a.log").start()
    second = WorkerProcess(env, tmp_path / "worker-b.log")
    client = Agent(settings=Settings(data_dir=tmp_path / "data", database_url=pg_fresh_url,
                                     runner="temporal", temporal_address=devserver.address,
                                     temporal_task_queue=queue, temporal_fanout=2,
                                     temporal_heartbeat_s=10))
    runner = client.runner
    assert isinstance(runner, TemporalRunner)
    done: dict[str, SessionState | BaseException] = {}

    def ask() -> None:
        try:
            done["state"] = client.ask(QUESTION)
        except BaseException as exc:  # reported by the main thread
            done["state"] = exc

    try:
        asker = threading.Thread(target=ask, daemon=True)
        asker.start()
        sid = ""
        end = time.monotonic() + 400
        while time.monotonic() < end:
            sessions = client.store.sessions(5)
            sid = sessions[0].session_id if sessions else ""
            if sid and _chunk_in_progress(runner, sid, first.pid):
                break
            first.check_running()
            time.sleep(0.25)
        else:
            raise AssertionError(f"worker A never ran an FVA chunk:\n{first.tail()}")
        first.kill()
        assert not _ranges_stored(client.thread(sid))
        second.start()
        # B redoes A's chunk, then the merge: minutes on a busy 2-core machine. B exiting
        # fails at once with its log (a worker says why it stops: runtime/temporal/worker.py)
        end = time.monotonic() + 900
        while asker.is_alive():
            asker.join(1)
            second.check_running()
            assert time.monotonic() < end, ("the session did not finish 900 s after the "
                                            f"kill; worker B's log:\n{second.tail()}")
        state = done["state"]
        assert isinstance(state, SessionState), state
        assert state.status == "done"
        thread = client.thread(sid)
        _once_each(thread)
        ranges = _ranges(thread)

        history = runner._loop.run(runner.client.get_workflow_handle(
            workflow_id(sid)).fetch_history())
        retried = [e for e in history.events
                   if e.event_type == EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED
                   and e.activity_task_started_event_attributes.attempt > 1]
        assert retried, "no activity was retried: the kill did not hit an activity"
    finally:
        first.stop()
        second.stop()

    local = Agent(settings=Settings(data_dir=tmp_path / "local", processes=2,
                                    temporal_fanout=2))
    baseline = local.ask(QUESTION)
    assert baseline.status == "done"
    assert state.answer == baseline.answer
    expected = _ranges(local.thread(baseline.session_id))
    assert ranges == expected


def _ranges_stored(thread: Thread) -> bool:
    return any(ev.data.get("tool") == "run_fva" for ev in thread.of_type("tool_result"))
