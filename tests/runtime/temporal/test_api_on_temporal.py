"""The REST API on the Temporal runner: a real ``fluxagent serve`` (FLUXAGENT_RUNNER=temporal),
a real dev server, a worker process and PostgreSQL.

- A long tool's progress reaches the session's event stream, as on the local runner: the
  worker's activity heartbeats its progress, the server forwards the heartbeats to the
  stream while the session runs (the tool runs whole here, FLUXAGENT_TEMPORAL_FANOUT=1, so
  one activity reports the sampling from start to end). It runs in two forked processes
  (FLUXAGENT_PROCESSES=2), and the worker is still running afterwards: a child terminated at
  the end of a batch used to stop its worker (the inherited wakeup fd of the
  worker's signal handlers, runtime/temporal/worker.py), which exited with status 0 and the
  stream waited for ever. Every wait here is bounded and fails with the worker's and the
  server's logs.
- ``/readyz`` covers Temporal: unready (503, with the reason) while the Temporal server is
  down, ready again once it is back.

This module runs its own Temporal dev server (it stops and restarts it).
"""

from __future__ import annotations

import json
import re
import sys
import threading
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from temporal_cluster import ROOT, DevServer, WorkerProcess, worker_env

sys.path.insert(0, str(ROOT / "tests" / "api"))

from serving import Server, start_server, stop

#: Long enough on any machine for several heartbeats (a double deletion screen of
#: e_coli_core took under a second on a quiet one).
SAMPLES = 5_000
CALLS = [{"name": "flux_sampling", "args": {"model": "e_coli_core", "n": SAMPLES, "seed": 1}}]
#: How long the session may take (seconds of the sampling alone; minutes at load 10).
SESSION_TIMEOUT_S = 600.0

Cluster = tuple[DevServer, Server, WorkerProcess]


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory, pg_server: Any) -> Iterator[Cluster]:
    root = tmp_path_factory.mktemp("api-temporal")
    temporal = DevServer(root / "temporal").start()
    url, queue = pg_server.create_database(), "api-on-temporal"
    env = worker_env(temporal.address, url, root / "data", queue,
                     FLUXAGENT_TEST_SCRIPT=json.dumps(CALLS), FLUXAGENT_PROCESSES="2")
    worker = WorkerProcess(env, root / "worker.log", args=(
        str(ROOT / "tests" / "runtime" / "temporal" / "scripted_worker.py"),)).start()
    (root / "data").mkdir(exist_ok=True)
    server = start_server(root / "data", FLUXAGENT_RUNNER="temporal",
                          FLUXAGENT_TEMPORAL_ADDRESS=temporal.address,
                          FLUXAGENT_TEMPORAL_TASK_QUEUE=queue, FLUXAGENT_DATABASE_URL=url,
                          FLUXAGENT_TEMPORAL_FANOUT="1")
    try:
        worker.wait_log("worker started", 180)
        yield temporal, server, worker
    finally:
        stop(server)
        worker.stop()
        temporal.stop()


def _stream(http: httpx.Client, session_id: str, out: list[tuple[str, Any]]) -> None:
    """The session's stream (SSE) into ``out``, as (kind, data), until the server ends it."""
    with http.stream("GET", f"/sessions/{session_id}/stream",
                     timeout=httpx.Timeout(10, read=None)) as resp:
        assert resp.status_code == 200
        kind = None
        for line in resp.iter_lines():
            if line.startswith("event: "):
                kind = line[7:]
            elif line.startswith("data: "):
                out.append((kind, json.loads(line[6:])))


def _read_stream(server: Server, worker: WorkerProcess, session_id: str
                 ) -> list[tuple[str, Any]]:
    """The whole stream, read in a thread; fails (with the logs) if the worker or the server
    exits, or the stream has not ended after SESSION_TIMEOUT_S."""
    out: list[tuple[str, Any]] = []
    failed: list[BaseException] = []

    def read() -> None:
        try:
            with server.client() as http:
                _stream(http, session_id, out)
        except BaseException as exc:  # reported by the test's thread
            failed.append(exc)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    end = time.monotonic() + SESSION_TIMEOUT_S
    while reader.is_alive():
        reader.join(1)
        problem = ("" if not reader.is_alive() else
                   "the server exited" if server.proc.poll() is not None else
                   "the worker exited" if worker.proc is None or worker.proc.poll() is not None
                   else f"the stream did not end in {SESSION_TIMEOUT_S} s"
                   if time.monotonic() > end else "")
        if problem:
            raise AssertionError(
                f"{problem}; {len(out)} stream items, last {out[-3:]}\n--- worker log "
                f"({worker.log}):\n{worker.tail()}\n--- server log:\n"
                f"{server.log.read_text(errors='replace')[-3000:]}")
    assert not failed, failed[0]
    assert out and out[-1][0] == "end", out[-3:]
    return out


def test_a_long_tools_progress_reaches_the_stream(cluster: Cluster) -> None:
    _, server, worker = cluster
    with server.client() as http:
        resp = http.post("/sessions", json={"question": "Sample the fluxes."})
        assert resp.status_code == 202, resp.text
        sid, run_id = resp.json()["session_id"], resp.json()["run"]["run_id"]
    stream = _read_stream(server, worker, sid)
    assert stream[-1][1]["status"] == "done", stream[-1]
    events = [d for k, d in stream if k == "event"]
    assert [e["data"]["tool"] for e in events if e["type"] == "tool_result"] == [
        "flux_sampling"]
    progress = [d for k, d in stream if k == "progress"]
    assert len(progress) >= 2, f"progress reached the stream {len(progress)} times"
    assert all(d["run_id"] == run_id and 0.0 <= d["fraction"] <= 1.0 for d in progress)
    counted = [d for d in progress if re.search(rf"sampling: [1-9]\d*/{SAMPLES}",
                                                d["message"])]
    assert counted and all(0.0 < d["fraction"] <= 1.0 for d in counted), progress
    # the sampling's forked processes, terminated at its end, did not stop the worker
    time.sleep(2)
    worker.check_running()
    assert "worker stopping" not in worker.tail(1_000_000), worker.tail()


def _readyz(http: httpx.Client, status: int, timeout_s: float = 60) -> dict[str, Any]:
    end = time.monotonic() + timeout_s
    last: Any = None
    while time.monotonic() < end:
        got = http.get("/readyz", timeout=20)
        last = (got.status_code, got.text)
        if got.status_code == status:
            doc: dict[str, Any] = got.json()
            return doc
        time.sleep(0.5)
    raise AssertionError(f"/readyz did not answer {status} in {timeout_s} s; last: {last}")


def test_readyz_follows_the_temporal_server(cluster: Cluster) -> None:
    temporal, server, _ = cluster
    with server.client() as http:
        ready = _readyz(http, 200)
        assert ready["checks"] == {"database": "ok", "solver": "ok", "temporal": "ok"}
        temporal.stop()
        down = _readyz(http, 503)
        assert down["checks"]["database"] == "ok" and down["checks"]["solver"] == "ok"
        assert temporal.address in down["checks"]["temporal"], down
        temporal.start()
        back = _readyz(http, 200, timeout_s=120)
        assert back["checks"]["temporal"] == "ok"
