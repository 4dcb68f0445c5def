"""Spans leave the process by OTLP/HTTP when the standard variables say where (a real
receiver on a local port decodes them), and ``/readyz`` runs the checks other parts of
fluxagent register (as the Temporal runner registers ``temporal``)."""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import ClassVar

import pytest
from fastapi.testclient import TestClient
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest

from fluxagent.api.app import create_app
from fluxagent.config import Settings
from fluxagent.observability import readiness

SCRIPT = """
from fluxagent.observability import telemetry, tracing
with telemetry.session("s-otlp"):
    telemetry.step("execute")
    with telemetry.tool("run_fba", "c-1") as note:
        note(type("R", (), {"ok": True})())
tracing.setup().shutdown()  # flushes the batch
"""


class _Receiver(BaseHTTPRequestHandler):
    got: ClassVar[list[tuple[str, bytes]]] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        _Receiver.got.append((self.path, body))
        self.send_response(200)
        self.send_header("Content-Type", "application/x-protobuf")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def receiver() -> Iterator[HTTPServer]:
    _Receiver.got = []
    server = HTTPServer(("127.0.0.1", 0), _Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()


def test_spans_are_exported_by_otlp_when_the_endpoint_is_set(receiver: HTTPServer,
                                                             tmp_path: Path) -> None:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path),
           "OTEL_EXPORTER_OTLP_ENDPOINT": f"http://127.0.0.1:{receiver.server_port}",
           "OTEL_SERVICE_NAME": "fluxagent-test"}
    done = subprocess.run([sys.executable, "-c", SCRIPT], env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert [path for path, _ in _Receiver.got] == ["/v1/traces"]
    request = ExportTraceServiceRequest()
    request.ParseFromString(_Receiver.got[0][1])
    resource = request.resource_spans[0].resource
    assert {a.key: a.value.string_value for a in resource.attributes}["service.name"] == \
        "fluxagent-test"
    spans = [s for rs in request.resource_spans for ss in rs.scope_spans for s in ss.spans]
    by_name = {s.name: s for s in spans}
    assert set(by_name) == {"invoke_agent fluxagent", "step execute", "execute_tool run_fba"}
    assert by_name["execute_tool run_fba"].parent_span_id == by_name["step execute"].span_id
    assert by_name["step execute"].parent_span_id == by_name["invoke_agent fluxagent"].span_id
    attrs = {a.key: a.value.string_value for a in by_name["execute_tool run_fba"].attributes}
    assert attrs["gen_ai.tool.name"] == "run_fba" and attrs["gen_ai.tool.call.id"] == "c-1"


def test_nothing_is_exported_without_an_endpoint(receiver: HTTPServer, tmp_path: Path) -> None:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "OTEL_TRACES_EXPORTER": "none",
           "OTEL_EXPORTER_OTLP_ENDPOINT": f"http://127.0.0.1:{receiver.server_port}"}
    done = subprocess.run([sys.executable, "-c", SCRIPT], env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert _Receiver.got == []


def test_readyz_runs_registered_checks(tmp_path: Path, clean_logger: None) -> None:
    app = create_app(Settings(data_dir=tmp_path / "data"))
    with TestClient(app) as http:
        ready = http.get("/readyz")
        assert ready.status_code == 200
        assert ready.json()["checks"] == {"database": "ok", "solver": "ok"}
        assert ready.json()["runs"] == {"active": 0, "queued": 0}
        readiness.register("temporal", lambda: "cannot reach temporal:7233")
        try:
            down = http.get("/readyz")
            assert down.status_code == 503
            assert down.json()["checks"] == {"database": "ok", "solver": "ok",
                                             "temporal": "cannot reach temporal:7233"}

            def boom() -> str | None:
                raise ConnectionError("temporal:7233: connection refused\nstack...")
            readiness.register("temporal", boom)
            assert http.get("/readyz").json()["checks"]["temporal"] == \
                "temporal:7233: connection refused"
            readiness.register("temporal", lambda: None)
            assert http.get("/readyz").status_code == 200
        finally:
            readiness.unregister("temporal")
        assert http.get("/readyz").json()["checks"] == {"database": "ok", "solver": "ok"}
        assert http.get("/metrics").status_code == 200
        assert "fluxagent_store_up 1.0" in http.get("/metrics").text


def test_an_unknown_solver_is_not_ready() -> None:
    check = readiness.SolverCheck("cplex-please")
    assert check() == "unknown solver 'cplex-please' (FLUXAGENT_SOLVER)"
    assert readiness.SolverCheck("glpk")() is None
