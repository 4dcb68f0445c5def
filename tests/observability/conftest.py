"""Fixtures: the process's spans in memory, and JSON log lines in a buffer."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
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


@contextmanager
def fluxagent_logger_restored() -> Iterator[None]:
    """Put the ``fluxagent`` logger back as it was (other tests share the process)."""
    logger = logging.getLogger("fluxagent")
    saved = (list(logger.handlers), logger.level, logger.propagate)
    try:
        yield
    finally:
        logger.handlers[:] = saved[0]
        logger.setLevel(saved[1])
        logger.propagate = saved[2]


@pytest.fixture
def clean_logger() -> Iterator[None]:
    with fluxagent_logger_restored():
        yield


@pytest.fixture
def log_lines() -> Iterator[LogLines]:
    buf = LogLines()
    with fluxagent_logger_restored():
        logs.install(buf, level="INFO")
        yield buf
