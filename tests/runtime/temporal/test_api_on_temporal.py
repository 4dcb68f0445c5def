"""The REST API on the Temporal runner: a real ``fluxagent serve`` (FLUXAGENT_RUNNER=temporal),
a real dev server, a worker process and PostgreSQL.

- A long tool's progress reaches the session's event stream, as on the local runner: the
  worker's activity heartbeats its progress, the server forwards the heartbeats to the
  stream while the session runs (the tool runs whole here, FLUXAGENT_TEMPORAL_FANOUT=1, so
  one activity reports the screen from start to end).
- ``/readyz`` covers Temporal: unready (503, with the reason) while the Temporal server is
  down, ready again once it is back.

This module runs its own Temporal dev server (it stops and restarts it).
"""

from __future__ import annotations

import json
import re
import sys
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from temporal_cluster import ROOT, DevServer, WorkerProcess, worker_env

sys.path.insert(0, str(ROOT / "tests" / "api"))

from serving import Server, start_server, stop

CALLS = [{"name": "reaction_deletion_screen", "args": {"model": "e_coli_core",
                                                        "double": True}}]


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory, pg_server: Any
            ) -> Iterator[tuple[DevServer, Server]]:
    root = tmp_path_factory.mktemp("api-temporal")
    temporal = DevServer(root / "temporal").start()
    url, queue = pg_server.create_database(), "api-on-temporal"
    env = worker_env(temporal.address, url, root / "data", queue,
                     FLUXAGENT_TEST_SCRIPT=json.dumps(CALLS))
    worker = WorkerProcess(env, root / "worker.log", args=(
        str(ROOT / "tests" / "runtime" / "temporal" / "scripted_worker.py"),)).start()
    (root / "data").mkdir(exist_ok=True)
    server = start_server(root / "data", FLUXAGENT_RUNNER="temporal",
                          FLUXAGENT_TEMPORAL_ADDRESS=temporal.address,
                          FLUXAGENT_TEMPORAL_TASK_QUEUE=queue, FLUXAGENT_DATABASE_URL=url,
                          FLUXAGENT_TEMPORAL_FANOUT="1")
    try:
        yield temporal, server
    finally:
        stop(server)
        worker.stop()
        temporal.stop()


def _stream(http: httpx.Client, session_id: str) -> list[tuple[str, Any]]:
    out: list[tuple[str, Any]] = []
    with http.stream("GET", f"/sessions/{session_id}/stream",
                     timeout=httpx.Timeout(10, read=300)) as resp:
        assert resp.status_code == 200
        kind = None
        for line in resp.iter_lines():
            if line.startswith("event: "):
                kind = line[7:]
            elif line.startswith("data: "):
                out.append((kind, json.loads(line[6:])))
    assert out and out[-1][0] == "end"
    return out


def test_a_long_tools_progress_reaches_the_stream(cluster: tuple[DevServer, Server]) -> None:
    _, server = cluster
    with server.client() as http:
        resp = http.post("/sessions", json={"question": "Screen all pairs of reactions."})
        assert resp.status_code == 202, resp.text
        sid, run_id = resp.json()["session_id"], resp.json()["run"]["run_id"]
        stream = _stream(http, sid)
    assert stream[-1][1]["status"] == "done", stream[-1]
    events = [d for k, d in stream if k == "event"]
    assert [e["data"]["tool"] for e in events if e["type"] == "tool_result"] == [
        "reaction_deletion_screen"]
    progress = [d for k, d in stream if k == "progress"]
    assert len(progress) >= 2, f"progress reached the stream {len(progress)} times"
    assert all(d["run_id"] == run_id and 0.0 <= d["fraction"] <= 1.0 for d in progress)
    counted = [d for d in progress if re.search(r"double reaction deletion: [1-9]\d*/3384",
                                                d["message"])]
    assert counted and all(0.0 < d["fraction"] <= 1.0 for d in counted), progress


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


def test_readyz_follows_the_temporal_server(cluster: tuple[DevServer, Server]) -> None:
    temporal, server = cluster
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
