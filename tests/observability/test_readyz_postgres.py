"""A real ``fluxagent serve`` on a real PostgreSQL: ``/metrics`` counts a real session, the
logs carry its run, session and trace ids, ``/readyz`` goes unready when PostgreSQL stops and
ready again when it returns, with no session lost; and the deploy files' migration command
brings an empty database to the head schema.

This module starts its own PostgreSQL server (it stops and restarts it; the suite's shared
one is left alone).
"""

from __future__ import annotations

import json
import re
import shlex
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "api"))

from serving import Server, fluxagent, server_env, start_server, stop

from pg import PostgresServer

ROOT = Path(__file__).resolve().parents[2]
QUESTION = "How fast does e_coli_core grow?"


def pg_stop(pg: PostgresServer) -> None:
    pg._run("pg_ctl", "-D", "data", "-m", "fast", "-w", "stop")


def pg_start_again(pg: PostgresServer) -> None:
    """The same data directory on the same port, as after a database restart."""
    opts = " ".join(f"-c {k}={v}" for k, v in pg.settings.items())
    pg._run("pg_ctl", "-D", "data", "-l", "server.log", "-w", "-t", "60", "-o",
            f"-p {pg.port} -k {pg.dir} -c listen_addresses=127.0.0.1 {opts}", "start")


@pytest.fixture(scope="module")
def pg() -> Iterator[PostgresServer]:
    with PostgresServer() as server:
        yield server


@pytest.fixture(scope="module")
def served(pg: PostgresServer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    data_dir = tmp_path_factory.mktemp("readyz") / "data"
    data_dir.mkdir(parents=True)
    server = start_server(data_dir, FLUXAGENT_DATABASE_URL=pg.create_database("fluxagent"))
    yield server
    stop(server)


def wait_for(http: httpx.Client, status: int, timeout: float = 90) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    last: Any = None
    while time.monotonic() < deadline:
        try:
            got = http.get("/readyz", timeout=10)
            last = (got.status_code, got.text)
            if got.status_code == status:
                doc: dict[str, Any] = got.json()
                return doc
        except httpx.HTTPError as exc:
            last = exc
        time.sleep(0.5)
    pytest.fail(f"/readyz did not answer {status} in {timeout} s; last: {last}", pytrace=False)


def samples(text: str) -> dict[str, float]:
    out = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            name, value = line.rsplit(" ", 1)
            out[name] = float(value)
    return out


def test_metrics_logs_and_readiness_across_a_database_outage(served: Server,
                                                             pg: PostgresServer) -> None:
    with served.client() as http:
        ready = wait_for(http, 200)
        assert ready["checks"] == {"database": "ok", "solver": "ok"}
        done = http.post("/sessions", params={"wait": 300}, json={"question": QUESTION})
        assert done.status_code == 200, done.text
        sid, run_id = done.json()["session_id"], done.json()["run"]["run_id"]
        before = http.get(f"/sessions/{sid}").json()
        assert before["status"] == "done"
        events = http.get(f"/sessions/{sid}/events").json()

        scraped = http.get("/metrics")
        assert scraped.status_code == 200
        assert scraped.headers["content-type"].startswith("text/plain")
        got = samples(scraped.text)
        assert got['fluxagent_sessions{status="done"}'] == 1
        assert got['fluxagent_sessions{status="running"}'] == 0
        assert got['fluxagent_tool_seconds_count{outcome="ok",tool="run_fba"}'] == 1
        assert got['fluxagent_steps_total{action="decide"}'] >= 2
        assert got['fluxagent_sessions_ended_total{status="done"}'] == 1
        assert got['fluxagent_runs{state="queued"}'] == 0
        assert got["fluxagent_store_up"] == 1

        lines = [json.loads(x) for x in served.log.read_text().splitlines()
                 if x.startswith("{")]
        mine = [r for r in lines if r.get("run_id") == run_id]
        assert mine, "no log line carries the run id"
        assert {r["session_id"] for r in mine} == {sid}
        assert len({r["trace_id"] for r in mine if "trace_id" in r}) == 1
        assert {r["event_type"] for r in mine} >= {"tool_call", "tool_result", "final_answer"}

        pg_stop(pg)
        try:
            down = wait_for(http, 503)
            assert down["status"] == "not ready"
            assert down["checks"]["database"] != "ok" and down["checks"]["solver"] == "ok"
            assert "127.0.0.1" in down["checks"]["database"] or \
                "connect" in down["checks"]["database"].lower()
            assert samples(http.get("/metrics").text)["fluxagent_store_up"] == 0
            assert http.get("/healthz").status_code == 200  # alive, only not ready
            refused = http.post("/sessions", json={"question": QUESTION})
            assert refused.status_code >= 400  # not accepted while nothing can be stored
        finally:
            pg_start_again(pg)
        back = wait_for(http, 200)
        assert back["checks"] == {"database": "ok", "solver": "ok"}

        after = http.get(f"/sessions/{sid}").json()
        assert (after["status"], after["answer"]) == (before["status"], before["answer"])
        assert http.get(f"/sessions/{sid}/events").json() == events
        again = http.post(f"/sessions/{sid}/messages", params={"wait": 300},
                          json={"question": "and without oxygen?"})
        assert again.status_code == 200, again.text
        assert again.json()["session"]["status"] == "done"
        listed = http.get("/sessions").json()
        assert sid in [s["session_id"] for s in listed["sessions"]]


def test_the_deploy_migration_command_brings_an_empty_database_to_head(
        pg: PostgresServer, tmp_path: Path) -> None:
    compose = yaml.safe_load((ROOT / "deploy" / "compose.yaml").read_text())
    argv = compose["services"]["migrate"]["command"]
    assert argv[:2] == ["sh", "-c"]
    env = server_env(tmp_path / "data", FLUXAGENT_DATABASE_URL=pg.create_database())
    for part in argv[2].split("&&"):
        words = shlex.split(part.split(">")[0])
        assert words[0] == "fluxagent"
        done = fluxagent(*words[1:], env=env)
        assert done.returncode == 0, done.stdout + done.stderr
    assert re.search(r"schema \S+ \(head\)", done.stdout), done.stdout
    assert "healthy" in done.stdout
