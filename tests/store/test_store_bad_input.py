"""Bad input gets a clear one-line error and leaves what is stored untouched (byte for byte)."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest
import sqlalchemy as sa

from fluxagent.core.events import Thread, UnknownEventError, new_event
from fluxagent.store.base import StoreError, UnknownSessionError
from fluxagent.store.sql import SqlStore, StoredEventError


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _one_line(exc: pytest.ExceptionInfo[BaseException]) -> str:
    text = str(exc.value)
    assert text and "\n" not in text, f"not one line: {text!r}"
    return text


def _url(path: Path) -> str:
    return f"sqlite:///{path}"


@pytest.fixture
def filled(tmp_path: Path) -> Path:
    """A fluxagent SQLite file with one session, checkpointed and closed."""
    db = tmp_path / "fluxagent.db"
    with SqlStore(_url(db)) as store:
        store.create("good")
        store.append("good", Thread("good").append(new_event("user_message", {"text": "q"}))
                     .events, expected_seq=0)
    assert not Path(f"{db}-wal").exists() or Path(f"{db}-wal").stat().st_size == 0
    return db


@pytest.mark.parametrize("content", [b"this is not a database\n" * 200,
                                     b"SQLite format 3\x00" + b"\xff" * 4000])
def test_corrupt_file_is_refused_untouched(tmp_path: Path, content: bytes) -> None:
    db = tmp_path / "fluxagent.db"
    db.write_bytes(content)
    before = _digest(db)
    with pytest.raises(StoreError) as info:
        SqlStore(_url(db))
    assert "cannot open" in _one_line(info) and str(db) in str(info.value)
    assert _digest(db) == before


def test_damaged_fluxagent_file_is_refused_untouched(filled: Path) -> None:
    raw = bytearray(filled.read_bytes())
    raw[0:16] = b"NOT SQLITE HERE!"  # the header of the real file, overwritten
    filled.write_bytes(bytes(raw))
    before = _digest(filled)
    with pytest.raises(StoreError) as info:
        SqlStore(_url(filled))
    _one_line(info)
    assert _digest(filled) == before


@pytest.mark.parametrize("tables", [["CREATE TABLE customers (id INTEGER PRIMARY KEY, name)"],
                                    ["CREATE TABLE alembic_version (version_num TEXT)",
                                     "INSERT INTO alembic_version VALUES ('abc123')",
                                     "CREATE TABLE events (x)"]])
def test_foreign_sqlite_database_is_refused_untouched(tmp_path: Path,
                                                      tables: list[str]) -> None:
    db = tmp_path / "shop.db"
    with sqlite3.connect(db) as conn:
        for sql in tables:
            conn.execute(sql)
    conn.close()
    before = _digest(db)
    with pytest.raises(StoreError) as info:
        SqlStore(_url(db))
    assert "is not a fluxagent database" in _one_line(info)
    assert _digest(db) == before
    assert not Path(f"{db}-wal").exists()  # not even switched to WAL


def test_unknown_session_is_a_clear_error(filled: Path) -> None:
    before = _digest(filled)
    with SqlStore(_url(filled)) as store:
        with pytest.raises(UnknownSessionError) as info:
            store.load("no-such-session")
        assert "no session 'no-such-session'" in _one_line(info)
        with pytest.raises(UnknownSessionError):
            store.append("no-such-session", [], expected_seq=0)
    assert _digest(filled) == before


def test_event_of_unknown_type_is_a_clear_error(filled: Path) -> None:
    with sqlite3.connect(filled) as conn:
        conn.execute("INSERT INTO events (session_id, seq, id, type, call_id, ts, data) "
                     "VALUES ('good', 1, 'e1', 'teleport', NULL, '2026-01-01 00:00:00', '{}')")
    conn.close()
    before = _digest(filled)
    with SqlStore(_url(filled)) as store:
        with pytest.raises(StoredEventError) as info:
            store.load("good")
        text = _one_line(info)
        assert "teleport" in text and "session good, event 1" in text
        assert isinstance(info.value, StoreError) and isinstance(info.value, UnknownEventError)
        assert [s.session_id for s in store.sessions()] == ["good"]  # listing still works
    assert _digest(filled) == before


def test_malformed_event_row_is_a_clear_error(filled: Path) -> None:
    with sqlite3.connect(filled) as conn:
        conn.execute("UPDATE events SET data = '[1, 2]' WHERE session_id = 'good'")
    conn.close()
    with SqlStore(_url(filled)) as store, pytest.raises(StoredEventError) as info:
        store.load("good")
    assert "malformed user_message event" in _one_line(info)


def test_gap_in_stored_seqs_is_a_clear_error(filled: Path) -> None:
    with sqlite3.connect(filled) as conn:
        conn.execute("UPDATE events SET seq = 3 WHERE session_id = 'good'")
    conn.close()
    with SqlStore(_url(filled)) as store, pytest.raises(StoreError) as info:
        store.load("good")
    assert "damaged" in _one_line(info)


def test_newer_schema_is_refused_untouched(filled: Path) -> None:
    with sqlite3.connect(filled) as conn:
        conn.execute("UPDATE fluxagent_version SET version_num = '9999'")
    conn.close()
    before = _digest(filled)
    with pytest.raises(StoreError) as info:
        SqlStore(_url(filled))
    assert "9999" in _one_line(info) and "newer fluxagent" in str(info.value)
    assert _digest(filled) == before


@pytest.mark.postgres
def test_foreign_postgres_database_is_refused(pg_fresh_url: str) -> None:
    engine = sa.create_engine(pg_fresh_url)
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE invoices (id int primary key)")
        conn.exec_driver_sql("INSERT INTO invoices VALUES (1)")
    with pytest.raises(StoreError) as info:
        SqlStore(pg_fresh_url)
    assert "is not a fluxagent database (it has tables invoices" in _one_line(info)
    with engine.connect() as conn:
        names = sa.inspect(conn).get_table_names()
        assert names == ["invoices"]
        assert conn.exec_driver_sql("SELECT count(*) FROM invoices").scalar() == 1
    engine.dispose()


@pytest.mark.postgres
def test_unknown_event_type_on_postgres(pg_fresh_url: str) -> None:
    with SqlStore(pg_fresh_url) as store:
        store.create("s")
        with store.engine.begin() as conn:
            conn.exec_driver_sql(
                "INSERT INTO events (session_id, seq, id, type, call_id, ts, data) VALUES "
                "('s', 0, 'e0', 'teleport', NULL, now(), '{}')")
        with pytest.raises(StoredEventError) as info:
            store.load("s")
        assert "unknown event type 'teleport'" in _one_line(info)


def test_unreachable_postgres_is_a_clear_error() -> None:
    with pytest.raises(StoreError) as info:
        SqlStore("postgresql://nobody@127.0.0.1:1/none?connect_timeout=2")
    assert "cannot open" in _one_line(info)


def test_unsupported_url_is_a_clear_error() -> None:
    with pytest.raises(StoreError) as info:
        SqlStore("mysql://u@h/db")
    assert "unsupported database 'mysql'" in _one_line(info)
