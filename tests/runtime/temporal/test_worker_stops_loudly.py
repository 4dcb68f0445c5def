"""A worker stops only when it is told to, and then says why (runtime/temporal/worker.py).

- A tool that terminates its forked processes does not stop the worker. A sampling of iJO1366
  in two forked processes runs past its time limit, so tools/batch.py terminates both children
  mid-work (SIGTERM). The children inherited the wakeup fd of the worker's asyncio signal
  handlers: each SIGTERM used to reach the worker's own event loop, which shut the worker
  down (status 0, nothing logged) while the children ignored the signal and went on solving.
  Now the children die at once, the time-limit error reaches the thread, the session
  finishes and the worker keeps running.
- ``fluxagent worker`` stopped by SIGTERM logs that it received it and that it stopped.
- A worker on a namespace the server does not have exits non-zero and logs why.

Every wait is bounded and fails with the worker's log.
"""

from __future__ import annotations

import json
import signal
import subprocess
import threading
import time
from pathlib import Path

from temporal_cluster import ROOT, DevServer, WorkerProcess, worker_env

from fluxagent.agent import Agent
from fluxagent.config import Settings
from fluxagent.core.state import SessionState

SCRIPTED = str(ROOT / "tests" / "runtime" / "temporal" / "scripted_worker.py")
#: Sampling iJO1366 (its FVA warm-up, then the chains, each in two forked processes) takes
#: well over a minute on any machine; a plain FVA can finish inside the limit on a fast one.
CALLS = [{"name": "flux_sampling", "args": {"model": "iJO1366", "n": 2000, "seed": 1}}]
#: The sampling's time limit: its two processes are surely solving when it expires.
LIMIT_S = "3"


def _ask(client: Agent, question: str, worker: WorkerProcess, timeout_s: float
         ) -> SessionState:
    """``client.ask`` in a thread; fails with the worker's log if the worker exits or the
    session has not finished after ``timeout_s``."""
    done: list[SessionState | BaseException] = []

    def ask() -> None:
        try:
            done.append(client.ask(question))
        except BaseException as exc:  # reported by the test's thread
            done.append(exc)

    asker = threading.Thread(target=ask, daemon=True)
    asker.start()
    end = time.monotonic() + timeout_s
    while asker.is_alive():
        asker.join(1)
        worker.check_running()
        assert time.monotonic() < end, (f"the session did not finish in {timeout_s} s; "
                                        f"worker log:\n{worker.tail()}")
    state = done[0]
    assert isinstance(state, SessionState), state
    return state


def test_terminated_tool_processes_do_not_stop_the_worker(
        tmp_path: Path, pg_fresh_url: str, devserver: DevServer, queue: str) -> None:
    env = worker_env(devserver.address, pg_fresh_url, tmp_path / "data", queue,
                     FLUXAGENT_TEST_SCRIPT=json.dumps(CALLS), FLUXAGENT_PROCESSES="2",
                     FLUXAGENT_TOOL_TIME_LIMIT_S=LIMIT_S)
    worker = WorkerProcess(env, tmp_path / "worker.log", args=(SCRIPTED,)).start()
    try:
        worker.wait_log("worker started", 180)
        client = Agent(settings=Settings(data_dir=tmp_path / "data", database_url=pg_fresh_url,
                                         runner="temporal", temporal_address=devserver.address,
                                         temporal_task_queue=queue, temporal_fanout=1))
        state = _ask(client, "Sample the fluxes of iJO1366 please.", worker, 600)
        assert state.status == "done", state
        errors = [ev.data for ev in client.thread(state.session_id).of_type("tool_error")]
        assert errors and all(e["tool"] == "flux_sampling" and e["kind"] == "timeout"
                              for e in errors), errors
        assert "exceeded the time limit of 3 s" in errors[-1]["message"], errors
        time.sleep(2)  # a stop would be under way by now
        worker.check_running()
        assert "worker stopping" not in worker.tail(1_000_000), worker.tail()
    finally:
        worker.stop()


def test_sigterm_stops_the_worker_with_its_reason(
        tmp_path: Path, pg_fresh_url: str, devserver: DevServer, queue: str) -> None:
    env = worker_env(devserver.address, pg_fresh_url, tmp_path / "data", queue)
    worker = WorkerProcess(env, tmp_path / "worker.log").start()
    try:
        worker.wait_log("worker started", 180)
        assert worker.proc is not None
        worker.proc.send_signal(signal.SIGTERM)
        try:
            code = worker.proc.wait(60)
        except subprocess.TimeoutExpired:
            raise AssertionError(f"no exit 60 s after SIGTERM:\n{worker.tail()}") from None
        log = worker.tail()
        assert code == 0, log
        assert "worker stopping" in log and "SIGTERM received" in log, log
        assert "worker stopped" in log, log
    finally:
        worker.stop()


def test_a_worker_on_a_missing_namespace_says_why(
        tmp_path: Path, pg_fresh_url: str, devserver: DevServer, queue: str) -> None:
    env = worker_env(devserver.address, pg_fresh_url, tmp_path / "data", queue,
                     FLUXAGENT_TEMPORAL_NAMESPACE="no-such-namespace")
    worker = WorkerProcess(env, tmp_path / "worker.log").start()
    try:
        assert worker.proc is not None
        try:
            code = worker.proc.wait(180)
        except subprocess.TimeoutExpired:
            raise AssertionError(f"still running after 180 s:\n{worker.tail()}") from None
        log = worker.tail(1_000_000)
        assert code != 0, log[-3000:]
        failed = [line for line in log.splitlines() if '"worker failed' in line]
        assert failed and "no-such-namespace" in failed[0], log[-3000:]
    finally:
        worker.stop()
