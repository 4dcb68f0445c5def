"""Shared fixtures: a real PostgreSQL server started by the suite, and stores on both backends.

``pg_url`` (session): a database on a throwaway server started from the machine's PostgreSQL
binaries (installed by scripts/ensure_postgres.sh if absent). If the server cannot start, every
test that needs it FAILS with the reason; nothing is skipped.
``pg_fresh_url`` (function): a new empty database on that server.
``any_store_url`` / ``any_store``: parametrized over sqlite and postgres, so a suite written
once runs on both.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))  # for `pg` whatever the import mode

from fluxagent.store.sql import SqlStore
from pg import PostgresError, PostgresServer


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PostgresServer]:
    server = PostgresServer()
    try:
        server.start()
    except PostgresError as exc:
        pytest.fail(f"cannot start the test PostgreSQL server: {exc}", pytrace=False)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def pg_url(pg_server: PostgresServer) -> str:
    return pg_server.create_database("fluxagent")


@pytest.fixture
def pg_fresh_url(pg_server: PostgresServer) -> str:
    return pg_server.create_database()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def any_store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'fluxagent.db'}"
    server: PostgresServer = request.getfixturevalue("pg_server")
    return server.create_database()


@pytest.fixture
def any_store(any_store_url: str) -> Iterator[SqlStore]:
    store = SqlStore(any_store_url)
    yield store
    store.close()
