"""Telemetry of a long-running process (the API server, a Temporal worker), started once.

JSON logs on stderr, the tracer provider (OTLP export when configured by the standard
``OTEL_EXPORTER_OTLP_*`` variables), and for a process without the API server, the metrics
on their own port (``FLUXAGENT_METRICS_PORT``, scraped as job ``fluxagent-worker``).
"""

from __future__ import annotations

import os

from fluxagent.observability import logs, metrics, tracing

_metrics_port: int | None = None


def start(*, metrics_port: int | None = None) -> None:
    """``metrics_port``: serve ``/metrics`` there (None: ``FLUXAGENT_METRICS_PORT`` if set;
    the API server passes nothing and serves them itself)."""
    global _metrics_port
    logs.install()
    tracing.setup()
    if metrics_port is None and os.environ.get("FLUXAGENT_METRICS_PORT"):
        raw = os.environ["FLUXAGENT_METRICS_PORT"]
        if not raw.isdigit() or not 0 < int(raw) < 65536:
            raise ValueError(f"FLUXAGENT_METRICS_PORT={raw!r} is not a port number")
        metrics_port = int(raw)
    if metrics_port is not None and _metrics_port is None:
        metrics.serve(metrics_port)
        _metrics_port = metrics_port
