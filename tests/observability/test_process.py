"""A worker process's telemetry: metrics on their own port, JSON logs with the bound ids,
and settings refused with a clear message."""

from __future__ import annotations

import io
import json
import logging
import socket

import httpx
import pytest

from fluxagent.observability import logs, metrics, process


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_a_worker_serves_its_metrics_on_its_own_port(monkeypatch: pytest.MonkeyPatch,
                                                     clean_logger: None) -> None:
    port = free_port()
    monkeypatch.setenv("FLUXAGENT_METRICS_PORT", str(port))
    process.start()
    metrics.LEASE_TAKEOVERS.inc(0)
    text = httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=10).text
    assert "# TYPE fluxagent_lease_takeovers_total counter" in text
    assert "# TYPE fluxagent_tool_seconds histogram" in text


@pytest.mark.parametrize("raw", ["http", "0", "70000"])
def test_a_bad_metrics_port_is_refused(monkeypatch: pytest.MonkeyPatch, raw: str,
                                       clean_logger: None) -> None:
    monkeypatch.setenv("FLUXAGENT_METRICS_PORT", raw)
    with pytest.raises(ValueError, match="is not a port number"):
        process.start()


def test_log_lines_carry_bound_ids_and_extra_fields(clean_logger: None) -> None:
    buf = io.StringIO()
    logs.install(buf, level="DEBUG")
    log = logging.getLogger("fluxagent.test")
    with logs.bound(session_id="s-1", run_id="r-1"):
        log.debug("inside %s", "the run", extra={"tool": "run_fba"})
        with logs.bound(run_id="r-2"):
            log.warning("nested")
    log.error("outside")
    first, nested, outside = (json.loads(x) for x in buf.getvalue().splitlines())
    assert (first["message"], first["session_id"], first["run_id"], first["tool"],
            first["level"], first["logger"]) == ("inside the run", "s-1", "r-1", "run_fba",
                                                 "debug", "fluxagent.test")
    assert (nested["session_id"], nested["run_id"]) == ("s-1", "r-2")
    assert "session_id" not in outside and "run_id" not in outside
    with pytest.raises(ValueError, match="unknown log context field"), logs.bound(user="x"):
        pass
    with pytest.raises(ValueError, match="not a log level"):
        logs.install(io.StringIO(), level="LOUD")
