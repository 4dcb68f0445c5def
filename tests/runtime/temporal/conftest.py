"""Fixtures of the Temporal runner tests: one dev server per test session (PostgreSQL comes
from tests/conftest.py); each test gets its own database and task queue on them."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from temporal_cluster import DevServer


@pytest.fixture(scope="session")
def devserver(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DevServer]:
    server = DevServer(tmp_path_factory.mktemp("temporal")).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def queue() -> str:
    return f"q-{uuid.uuid4().hex[:8]}"
