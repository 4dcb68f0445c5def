"""The throwaway PostgreSQL helper reports why a server cannot start (the fixture then fails)."""

from __future__ import annotations

import pytest

from pg import PostgresError, PostgresServer


@pytest.mark.postgres
def test_a_server_that_cannot_start_raises_with_the_reason() -> None:
    server = PostgresServer(settings={"no_such_setting": "1"})
    with pytest.raises(PostgresError, match="no_such_setting"):
        server.start()
    assert server.dir is None  # the temp dir is gone


@pytest.mark.postgres
def test_pg_url_is_a_working_database(pg_url: str) -> None:
    import sqlalchemy as sa

    assert pg_url.startswith("postgresql+psycopg://postgres@127.0.0.1:")
    engine = sa.create_engine(pg_url)
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT current_database()").scalar() == "fluxagent"
    engine.dispose()
