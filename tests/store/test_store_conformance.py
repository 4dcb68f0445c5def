"""The EventStore contract, on SQLite and on a real PostgreSQL server (``any_store``)."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa

from fluxagent.core.events import Thread, new_event
from fluxagent.core.state import fold
from fluxagent.store.base import ConflictError, StoreError, UnknownSessionError
from fluxagent.store.memory import MemoryStore
from fluxagent.store.sql import HEAD_REVISION, MIGRATIONS, SqlStore


def _thread(session_id: str, n: int) -> Thread:
    t = Thread(session_id).append(new_event("user_message", {"text": "grow?", "model": "m"}))
    for i in range(n):
        t = t.append(new_event("tool_call", {"name": "echo", "args": {"x": i}}, call_id=f"c{i}"),
                     new_event("tool_result", {"tool": "echo", "ok": True, "summary": f"{i}",
                                               "data": {"x": i, "f": 0.1 * i}},
                               call_id=f"c{i}"))
    return t


def test_create_append_load_roundtrip(any_store: SqlStore) -> None:
    any_store.create("s1", title="first", meta={"k": [1, 2]})
    assert any_store.exists("s1") and not any_store.exists("nope")
    t = _thread("s1", 3)
    any_store.append("s1", t.events, expected_seq=0)
    loaded = any_store.load("s1")
    assert loaded == t
    assert [e.digest() for e in loaded] == [e.digest() for e in t]
    assert all(e.ts.tzinfo is not None for e in loaded)
    assert fold(loaded) == fold(t)


def test_empty_session_loads_empty(any_store: SqlStore) -> None:
    any_store.create("s")
    assert len(any_store.load("s")) == 0


def test_duplicate_create_is_an_error(any_store: SqlStore) -> None:
    any_store.create("s")
    with pytest.raises(StoreError, match="already exists"):
        any_store.create("s")


def test_unknown_session(any_store: SqlStore) -> None:
    with pytest.raises(UnknownSessionError, match="no session 'ghost'"):
        any_store.load("ghost")
    with pytest.raises(UnknownSessionError):
        any_store.append("ghost", Thread("ghost").append(new_event("user_message")).events,
                         expected_seq=0)


def test_stale_expected_seq_conflicts(any_store: SqlStore) -> None:
    any_store.create("s")
    t = _thread("s", 1)
    any_store.append("s", t.events, expected_seq=0)
    stale = t.prefix(1).append(new_event("annotation", {"note": "late"}))
    with pytest.raises(ConflictError, match="expected next seq 1 but the store is at 3"):
        any_store.append("s", stale.events[1:], expected_seq=1)
    ahead = t.append(new_event("annotation")).events[-1].model_copy(update={"seq": 7})
    with pytest.raises(ConflictError):
        any_store.append("s", [ahead], expected_seq=7)
    assert any_store.load("s") == t


def test_events_must_be_sequenced_from_expected_seq(any_store: SqlStore) -> None:
    any_store.create("s")
    ev = new_event("user_message")  # seq -1: never sequenced by a Thread
    with pytest.raises(StoreError, match="expected 0"):
        any_store.append("s", [ev], expected_seq=0)
    assert len(any_store.load("s")) == 0


TRIGGERS = {
    "sqlite": ["CREATE TRIGGER boom BEFORE INSERT ON events WHEN NEW.call_id = 'boom' "
               "BEGIN SELECT RAISE(ABORT, 'boom'); END"],
    "postgresql": [
        "CREATE FUNCTION boom() RETURNS trigger AS $$ BEGIN IF NEW.call_id = 'boom' THEN "
        "RAISE EXCEPTION 'boom'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql",
        "CREATE TRIGGER boom BEFORE INSERT ON events FOR EACH ROW EXECUTE FUNCTION boom()"],
}


def test_multi_event_append_is_atomic(any_store: SqlStore) -> None:
    """A batch whose last row fails after the others were inserted leaves nothing behind."""
    with any_store.engine.begin() as conn:
        for sql in TRIGGERS[any_store.engine.dialect.name]:
            conn.exec_driver_sql(sql)
    any_store.create("s")
    t = _thread("s", 2)
    batch = [*t.events[:-1], t.events[-1].model_copy(update={"call_id": "boom"})]
    with pytest.raises(StoreError, match="boom") as info:
        any_store.append("s", batch, expected_seq=0)
    assert not isinstance(info.value, ConflictError)
    assert len(any_store.load("s")) == 0
    assert any_store.sessions()[0].events == 0
    any_store.append("s", t.events, expected_seq=0)
    assert any_store.load("s") == t


def test_sessions_ordered_by_updated(any_store: SqlStore) -> None:
    for sid in ("a", "b", "c"):
        any_store.create(sid, title=sid.upper())
        time.sleep(0.002)
    a = _thread("a", 1)
    any_store.append("a", a.events, expected_seq=0)
    infos = any_store.sessions()
    assert [i.session_id for i in infos] == ["a", "c", "b"]
    assert infos[0].events == 3 and infos[1].events == 0 and infos[0].title == "A"
    assert [i.session_id for i in any_store.sessions(limit=2)] == ["a", "c"]
    assert infos[0].updated >= infos[0].created and infos[0].updated.tzinfo is not None


def test_unusual_payloads_roundtrip(any_store: SqlStore) -> None:
    any_store.create("s", meta={"é": "ü", "n": None})
    data = {"text": "naïve 🧫 \u0000 \"q\" \\", "big": 2**62, "neg": -1e-300, "nested": [[{}]],
            "nan": float("nan")}
    ts = datetime(1999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC)
    t = Thread("s").append(new_event("user_message", data).model_copy(update={"ts": ts}))
    any_store.append("s", t.events, expected_seq=0)
    ev = any_store.load("s")[0]
    assert ev.ts == ts
    assert ev.data == {**data, "nan": None}  # NaN is not JSON: stored as null everywhere
    assert any_store.sessions()[0].meta == {"é": "ü", "n": None}


def test_reopen_keeps_everything(any_store_url: str) -> None:
    with SqlStore(any_store_url) as first:
        first.create("s")
        t = _thread("s", 2)
        first.append("s", t.events, expected_seq=0)
    with SqlStore(any_store_url) as second:
        assert second.load("s") == t


def test_head_revision_matches_migrations() -> None:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("path_separator", "os")
    assert ScriptDirectory.from_config(cfg).get_current_head() == HEAD_REVISION


def test_memory_store_agrees_on_conflicts() -> None:
    """The in-memory store used by quick tests follows the same contract."""
    m = MemoryStore()
    m.create("s")
    t = _thread("s", 1)
    m.append("s", t.events, expected_seq=0)
    with pytest.raises(ConflictError):
        m.append("s", t.events, expected_seq=0)


def test_concurrent_first_opens_migrate_once(any_store_url: str) -> None:
    """Several processes' worth of stores opening one fresh database at once all succeed."""
    from concurrent.futures import ThreadPoolExecutor

    def open_and_write(i: int) -> int:
        with SqlStore(any_store_url) as store:
            store.create(f"s{i}")
            return len(store.load(f"s{i}"))

    with ThreadPoolExecutor(4) as pool:
        assert list(pool.map(open_and_write, range(4))) == [0, 0, 0, 0]
    with SqlStore(any_store_url) as store:
        assert sorted(i.session_id for i in store.sessions()) == ["s0", "s1", "s2", "s3"]


def test_from_settings_sqlite_under_data_dir(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    from fluxagent.config import Settings

    monkeypatch.delenv("FLUXAGENT_DATABASE_URL", raising=False)
    monkeypatch.setenv("FLUXAGENT_DATA_DIR", str(tmp_path / "data"))
    with SqlStore.from_settings(Settings()) as store:  # type: ignore[call-arg]
        store.create("s")
        assert store.where == str((tmp_path / "data" / "fluxagent.db").resolve())
    assert (tmp_path / "data" / "fluxagent.db").is_file()


@pytest.mark.postgres
def test_from_settings_postgres_url(pg_fresh_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from fluxagent.config import Settings

    plain = pg_fresh_url.replace("postgresql+psycopg://", "postgresql://")
    monkeypatch.setenv("FLUXAGENT_DATABASE_URL", plain)
    with SqlStore.from_settings(Settings()) as store:  # type: ignore[call-arg]
        assert store.engine.dialect.name == "postgresql"
        store.create("s")
        assert store.exists("s")


def test_migrated_schema_matches_the_tables_the_code_uses(any_store: SqlStore) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from fluxagent.store import access, triggers
    from fluxagent.store.sql import METADATA, VERSION_TABLE

    # the event store's tables (0001-0003), the REST API's (0004, store/access.py, whose
    # session owners refer to sessions) and the triggers' (0005, store/triggers.py)
    assert set(METADATA.tables) == {"sessions", "events", "leases"}
    assert set(access.METADATA.tables) == {"api_tokens", "session_owners", "api_runs"}
    assert set(triggers.METADATA.tables) == {"schedules", "schedule_runs", "webhook_deliveries"}
    both = sa.MetaData()
    for table in (*METADATA.tables.values(), *access.METADATA.tables.values(),
                  *triggers.METADATA.tables.values()):
        table.to_metadata(both)
    with any_store.engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={
            "version_table": VERSION_TABLE, "compare_type": True,
            "include_name": lambda name, kind, parent: kind != "table" or name in both.tables})
        assert compare_metadata(ctx, both) == []
