"""Fixtures: the process's spans in memory, and JSON log lines in a buffer."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from typing import Any

import pytest
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from fluxagent.observability import logs, tracing


@pytest.fixture(scope="session")
def _exporter() -> InMemorySpanExporter:
    exporter = InMemorySpanExporter()
    tracing.add_exporter(exporter)
    return exporter


@pytest.fixture
def spans(_exporter: InMemorySpanExporter) -> Iterator[InMemorySpanExporter]:
    _exporter.clear()
    yield _exporter
    _exporter.clear()


class LogLines(io.StringIO):
    def records(self) -> list[dict[str, Any]]:
        return [json.loads(line) for line in self.getvalue().splitlines() if line.strip()]


@pytest.fixture
def log_lines() -> Iterator[LogLines]:
    buf = LogLines()
    handler = logs.install(buf, level="INFO")
    yield buf
    import logging
    logging.getLogger("fluxagent").removeHandler(handler)
