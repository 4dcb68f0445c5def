"""OpenTelemetry tracing: one SDK tracer provider per process, exporters added to it.

``setup()`` installs the provider once (service name ``fluxagent``, or ``OTEL_SERVICE_NAME``)
and, when an OTLP endpoint is configured by the standard variables
(``OTEL_EXPORTER_OTLP_ENDPOINT`` or ``OTEL_EXPORTER_OTLP_TRACES_ENDPOINT``, with
``OTEL_EXPORTER_OTLP_HEADERS`` etc. read by the exporter itself), a batching OTLP/HTTP
exporter. ``OTEL_TRACES_EXPORTER=none`` or ``OTEL_SDK_DISABLED=true`` turn export off. Tests
add an in-memory exporter with ``add_exporter``. Span names and attributes follow the GenAI
semantic conventions (``observability/telemetry.py``).
"""

from __future__ import annotations

import os
import threading
from typing import Any

from opentelemetry import trace
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import (
    BatchSpanProcessor,
    SimpleSpanProcessor,
    SpanExporter,
)

TRACER_NAME = "fluxagent"
_lock = threading.Lock()
_provider: TracerProvider | None = None
_tracer: trace.Tracer | None = None


def _otlp_configured() -> bool:
    if os.environ.get("OTEL_SDK_DISABLED", "").strip().lower() == "true":
        return False
    if os.environ.get("OTEL_TRACES_EXPORTER", "otlp").strip().lower() == "none":
        return False
    return bool(os.environ.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")
                or os.environ.get("OTEL_EXPORTER_OTLP_ENDPOINT"))


def setup() -> TracerProvider:
    """The process's tracer provider (installed as the global one on first call)."""
    global _provider
    with _lock:
        if _provider is not None:
            return _provider
        current = trace.get_tracer_provider()
        if isinstance(current, TracerProvider):  # someone (a host program) installed one
            _provider = current
            return _provider
        name = os.environ.get("OTEL_SERVICE_NAME") or "fluxagent"
        _provider = TracerProvider(resource=Resource.create({"service.name": name}))
        if _otlp_configured():
            from opentelemetry.exporter.otlp.proto.http.trace_exporter import (
                OTLPSpanExporter,
            )
            _provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
        trace.set_tracer_provider(_provider)
        return _provider


def add_exporter(exporter: SpanExporter) -> None:
    """Send every span ended from now on to ``exporter`` too, synchronously (tests)."""
    setup().add_span_processor(SimpleSpanProcessor(exporter))


def tracer() -> trace.Tracer:
    """fluxagent's tracer (made once: ``get_tracer`` is not cheap, and this runs per step)."""
    global _tracer
    if _tracer is None:
        _tracer = setup().get_tracer(TRACER_NAME)
    return _tracer


def current_ids() -> tuple[str, str] | None:
    """``(trace_id, span_id)`` in hex of the current span, or None outside any span."""
    ctx = trace.get_current_span().get_span_context()
    if not ctx.is_valid:
        return None
    return f"{ctx.trace_id:032x}", f"{ctx.span_id:016x}"


def temporal_interceptors() -> list[Any]:
    """Interceptors for a Temporal client and worker that carry the trace through workflow
    and activity boundaries (temporalio's OpenTelemetry ``TracingInterceptor``), so a span
    started in an activity is a child of the span that started the workflow. Give them to
    ``Client.connect(interceptors=...)`` only: a worker built on that client uses them
    itself (given to the worker too, every span is made twice)."""
    from temporalio.contrib.opentelemetry import TracingInterceptor

    return [TracingInterceptor(tracer())]
