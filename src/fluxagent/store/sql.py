"""The durable event store on SQLAlchemy 2: SQLite by default, PostgreSQL for scale.

One row per event, keyed by (session_id, seq): the primary key is what makes a conflicting
append impossible to interleave. ``append`` checks the session's next sequence number and
inserts in one transaction (``BEGIN IMMEDIATE`` on SQLite, a row lock on PostgreSQL); a writer
that lost the race gets ``ConflictError``. The schema comes from the Alembic migrations shipped
in ``store/migrations`` and is brought to head when the store opens, but only on an empty
database or one fluxagent created: anything else is refused untouched.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pydantic_core
import sqlalchemy as sa
from sqlalchemy import event as sa_event
from sqlalchemy.engine import Connection, Dialect, Engine, make_url
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from fluxagent.config import Settings
from fluxagent.core.events import Event, Thread, UnknownEventError, event_from_dict
from fluxagent.core.redact import redact
from fluxagent.core.validate import ThreadError, validate_events
from fluxagent.store import leases
from fluxagent.store.base import (
    ConflictError,
    InvalidThreadError,
    SessionInfo,
    StoreError,
    UnknownSessionError,
)

MIGRATIONS = Path(__file__).with_name("migrations")
VERSION_TABLE = "fluxagent_version"
#: The newest migration; a test checks it matches the Alembic scripts.
HEAD_REVISION = "0005"
#: How long a SQLite writer waits for another one before giving up.
BUSY_TIMEOUT_MS = 30_000
_PG_MIGRATION_LOCK = 0x666C7578  # "flux": serializes concurrent first opens on PostgreSQL


class StoredEventError(StoreError, UnknownEventError):
    """A stored event this version cannot read (unknown type or shape, or a damaged row)."""


class UtcDateTime(sa.types.TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on every backend (SQLite keeps no offset)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        value = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


METADATA = sa.MetaData()
SESSIONS = sa.Table(
    "sessions", METADATA,
    sa.Column("id", sa.String(), primary_key=True),
    sa.Column("title", sa.Text(), nullable=False, default=""),
    sa.Column("meta", sa.JSON(), nullable=False),
    sa.Column("created", UtcDateTime(), nullable=False),
    sa.Column("updated", UtcDateTime(), nullable=False),
)
EVENTS = sa.Table(
    "events", METADATA,
    sa.Column("session_id", sa.String(), sa.ForeignKey("sessions.id"), primary_key=True),
    sa.Column("seq", sa.Integer(), primary_key=True, autoincrement=False),
    sa.Column("id", sa.String(), nullable=False),
    sa.Column("type", sa.String(), nullable=False),
    sa.Column("call_id", sa.String(), nullable=True),
    sa.Column("ts", UtcDateTime(), nullable=False),
    sa.Column("data", sa.JSON(), nullable=False),
)
LEASES = leases.table(METADATA, UtcDateTime())
sa.Index("ix_sessions_updated", SESSIONS.c.updated)
sa.Index("ix_events_call_id", EVENTS.c.session_id, EVENTS.c.call_id)

# The statements of a load and an append, built once (constructing them at each append cost more CPU
# than SQLite's work): the session row locked with its last seq, the earlier events new
# ones may answer, the insert and the session's update time.
_EVENT_COLUMNS = (EVENTS.c.type, EVENTS.c.data, EVENTS.c.call_id, EVENTS.c.id, EVENTS.c.seq,
                  EVENTS.c.ts)
_SESSION = sa.select(SESSIONS.c.id).where(SESSIONS.c.id == sa.bindparam("sid"))
_EVENTS_OF = (sa.select(*_EVENT_COLUMNS).where(EVENTS.c.session_id == sa.bindparam("sid"))
              .order_by(EVENTS.c.seq))
_HEAD = (sa.select(SESSIONS.c.id, sa.select(sa.func.max(EVENTS.c.seq))
                   .where(EVENTS.c.session_id == SESSIONS.c.id).scalar_subquery().label("top"))
         .where(SESSIONS.c.id == sa.bindparam("sid")).with_for_update())
_ANSWERABLE = (sa.select(*_EVENT_COLUMNS)
               .where(EVENTS.c.session_id == sa.bindparam("sid"),
                      sa.or_(EVENTS.c.call_id.in_(sa.bindparam("ids", expanding=True)),
                             EVENTS.c.type == "session_imported"))
               .order_by(EVENTS.c.seq))
_INSERT_EVENTS = sa.insert(EVENTS)
_TOUCH = (sa.update(SESSIONS).where(SESSIONS.c.id == sa.bindparam("sid"))
          .values(updated=sa.bindparam("now")))


def _finite(obj: Any) -> Any:
    """Replace NaN and infinities (not JSON; PostgreSQL refuses them) with null."""
    if isinstance(obj, float):
        return obj if math.isfinite(obj) else None
    if isinstance(obj, dict):
        return {k: _finite(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_finite(v) for v in obj]
    return obj


def dumps(obj: Any) -> str:
    """The JSON every backend accepts, so SQLite and PostgreSQL store the same thing."""
    try:
        return json.dumps(obj, allow_nan=False, default=pydantic_core.to_jsonable_python)
    except ValueError:
        return json.dumps(_finite(pydantic_core.to_jsonable_python(obj)), allow_nan=False)


def one_line(exc: BaseException) -> str:
    """The first line of a driver error, without SQLAlchemy's statement dump."""
    orig = getattr(exc, "orig", None) or exc
    text = str(orig).strip().splitlines()
    return text[0] if text else type(orig).__name__


def _duplicate_key(exc: IntegrityError) -> bool:
    """A primary-key clash (not some other constraint or a trigger)."""
    orig = exc.orig
    return (getattr(orig, "sqlstate", None) == "23505"
            or str(orig).startswith("UNIQUE constraint failed"))


def normalize_url(url: str) -> str:
    """Accept ``postgresql://`` and ``postgres://`` as the psycopg (v3) driver."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def integrity_problems(engine: Engine, pragma: str = "quick_check", limit: int = 20
                       ) -> list[str]:
    """What SQLite's ``PRAGMA quick_check`` / ``integrity_check`` finds wrong (empty: ok)."""
    with engine.connect() as conn:  # sqlite3.DatabaseError: not even checkable
        raw = conn.connection.driver_connection
        assert raw is not None
        rows = raw.execute(f"PRAGMA {pragma}({int(limit)})").fetchall()
    found = [" ".join(str(r[0]).replace("*** in database main ***", "").split()) for r in rows]
    return [] if found == ["ok"] else found


class SqlStore:
    """An ``EventStore`` on SQLite or PostgreSQL."""

    def __init__(self, url: str) -> None:
        try:
            parsed = make_url(normalize_url(url))
        except SQLAlchemyError as exc:
            raise StoreError(redact(f"bad database URL {url!r}: {one_line(exc)}")) from None
        backend = parsed.get_backend_name()
        if backend not in ("sqlite", "postgresql"):
            raise StoreError(redact(f"unsupported database {backend!r} in {url!r}; use "
                                    "sqlite:///PATH or postgresql+psycopg://USER@HOST/DB"))
        self.url = parsed
        self.where = parsed.render_as_string(hide_password=True)
        self.sqlite = backend == "sqlite"
        if self.sqlite and parsed.database and parsed.database != ":memory:":
            path = Path(parsed.database).expanduser().resolve()
            self.url = parsed = parsed.set(database=str(path))
            self.where = str(path)
            path.parent.mkdir(parents=True, exist_ok=True)
        self.engine = self._make_engine()
        try:
            self._open()
        except BaseException:
            self.engine.dispose()
            raise

    @classmethod
    def from_settings(cls, settings: Settings) -> SqlStore:
        return cls(settings.db_url)

    # -- engine and schema --------------------------------------------------------------
    def _make_engine(self) -> Engine:
        if not self.sqlite:
            return sa.create_engine(self.url, pool_pre_ping=True, json_serializer=dumps)
        engine = sa.create_engine(
            self.url, json_serializer=dumps,
            connect_args={"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False})

        @sa_event.listens_for(engine, "connect")
        def _connect(dbapi_conn: Any, record: Any) -> None:
            dbapi_conn.isolation_level = None  # we emit BEGIN ourselves (below)
            cur = dbapi_conn.cursor()
            cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            cur.execute("PRAGMA foreign_keys = ON")
            # with WAL, NORMAL syncs at checkpoints, not at every commit: a crash of the
            # process loses nothing, a power cut at most the last commits, never consistency;
            # FULL cost ~5 ms a commit, most of a warm question's time
            cur.execute("PRAGMA synchronous = NORMAL")
            cur.close()

        @sa_event.listens_for(engine, "begin")
        def _begin(conn: Connection) -> None:
            immediate = conn.get_execution_options().get("fluxagent_write", False)
            conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

        return engine

    @contextmanager
    def _tx(self, *, write: bool = False) -> Iterator[Connection]:
        """One transaction; a SQLite writer takes the write lock up front (no upgrade races)."""
        with self.engine.connect() as conn:
            if write:
                conn.execution_options(fluxagent_write=True)
            with conn.begin():
                yield conn

    def _revision(self, conn: Connection) -> str | None:
        """The schema revision, None for an empty database; refuses a foreign one."""
        tables = set(sa.inspect(conn).get_table_names())
        if VERSION_TABLE in tables:
            rev = conn.execute(sa.text(f"SELECT version_num FROM {VERSION_TABLE}")).scalar()
            return str(rev) if rev is not None else None
        if tables:
            shown = ", ".join(sorted(tables)[:5]) + (", ..." if len(tables) > 5 else "")
            raise StoreError(f"{self.where} is not a fluxagent database (it has tables {shown} "
                             f"and no {VERSION_TABLE} table); refusing to change it")
        return None

    def _open(self) -> None:
        """Check what the database is, then bring an empty or older one to the head schema."""
        try:
            if self.sqlite and self.url.database not in (None, "", ":memory:"):
                self._check_pages()  # a damaged file is refused before anything is written
            with self._tx() as conn:
                rev = self._revision(conn)
            if rev != HEAD_REVISION:
                self._check_known(rev)  # before anything is written
            if self.sqlite and self.url.database not in (None, "", ":memory:"):
                self._set_wal()
            if rev != HEAD_REVISION:
                with self._tx(write=True) as conn:
                    if not self.sqlite:  # one migrator at a time; SQLite has BEGIN IMMEDIATE
                        conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"),
                                     {"k": _PG_MIGRATION_LOCK})
                    if self._revision(conn) != HEAD_REVISION:
                        self._upgrade(conn)
        except StoreError:
            raise
        except SQLAlchemyError as exc:
            why = " (not a SQLite database, or a corrupt one)" if self.sqlite else ""
            raise StoreError(f"cannot open {self.where}: {one_line(exc)}{why}") from None

    def _check_pages(self, pragma: str = "quick_check") -> None:
        """``PRAGMA quick_check`` (every page and b-tree, no index cross-check; a few ms for
        a thousand events): a store with a damaged page is refused at open."""
        import sqlite3

        try:
            problems = integrity_problems(self.engine, pragma)
        except sqlite3.DatabaseError as exc:
            why = str(exc) or type(exc).__name__
            if "not a database" in why:
                raise StoreError(f"cannot open {self.where}: {why} (not a SQLite database, or "
                                 "a corrupt one)") from None
            problems = [why]  # "database disk image is malformed": too damaged to list
        if problems:
            more = f" (+{len(problems) - 1} more)" if len(problems) > 1 else ""
            raise StoreError(f"{self.where} is damaged: {problems[0]}{more}; nothing was "
                             "written. Run `fluxagent doctor` and restore a backup")

    def _set_wal(self) -> None:
        """WAL lets readers work while a writer appends; the mode is stored in the file."""
        with self.engine.connect() as conn:
            raw = conn.connection.driver_connection
            assert raw is not None
            if str(raw.execute("PRAGMA journal_mode").fetchone()[0]).lower() != "wal":
                raw.execute("PRAGMA journal_mode = WAL")

    @staticmethod
    def _alembic_config(conn: Connection | None = None) -> Any:
        from alembic.config import Config

        cfg = Config()
        cfg.set_main_option("script_location", str(MIGRATIONS))
        cfg.set_main_option("path_separator", "os")
        cfg.attributes["connection"] = conn
        return cfg

    def _check_known(self, rev: str | None) -> None:
        from alembic.script import ScriptDirectory

        script = ScriptDirectory.from_config(self._alembic_config())
        if rev is not None and rev not in {s.revision for s in script.walk_revisions()}:
            raise StoreError(f"{self.where} has schema revision {rev}, which this version "
                             "of fluxagent does not know (written by a newer fluxagent?)")

    def _upgrade(self, conn: Connection) -> None:
        from alembic import command
        from alembic.util import CommandError

        try:
            command.upgrade(self._alembic_config(conn), "head")
        except CommandError as exc:
            raise StoreError(f"cannot migrate {self.where}: {exc}") from None

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> SqlStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"SqlStore({self.where!r})"

    # -- the EventStore protocol --------------------------------------------------------
    @contextmanager
    def _errors(self, doing: str) -> Iterator[None]:
        try:
            yield
        except SQLAlchemyError as exc:
            raise StoreError(f"{doing} failed on {self.where}: {one_line(exc)}") from None

    def create(self, session_id: str, *, title: str = "",
               meta: dict[str, Any] | None = None) -> None:
        now = datetime.now(UTC)
        try:
            with self._tx(write=True) as conn:
                conn.execute(sa.insert(SESSIONS).values(id=session_id, title=title,
                                                        meta=meta or {}, created=now,
                                                        updated=now))
        except IntegrityError as exc:
            if _duplicate_key(exc):
                raise StoreError(f"session {session_id} already exists") from None
            raise StoreError(f"creating session {session_id} failed on {self.where}: "
                             f"{one_line(exc)}") from None
        except SQLAlchemyError as exc:
            raise StoreError(f"creating session {session_id} failed on {self.where}: "
                             f"{one_line(exc)}") from None

    def exists(self, session_id: str) -> bool:
        with self._errors("reading sessions"), self._tx() as conn:
            return conn.execute(_SESSION, {"sid": session_id}).first() is not None

    def load(self, session_id: str) -> Thread:
        with self._errors(f"loading session {session_id}"), self._tx() as conn:
            if conn.execute(_SESSION, {"sid": session_id}).first() is None:
                raise UnknownSessionError(f"no session {session_id!r} in {self.where}")
            rows = conn.execute(_EVENTS_OF, {"sid": session_id}).all()
        events: list[Event] = []
        for row in rows:
            try:
                events.append(event_from_dict(dict(row._mapping)))
            except UnknownEventError as exc:
                raise StoredEventError(f"session {session_id}, event {row.seq}: {exc} (written "
                                       "by a newer fluxagent, or changed by hand)") from None
        try:
            return Thread(session_id, events)
        except ValueError as exc:
            raise StoredEventError(f"session {session_id} is damaged: {exc}") from None

    def append(self, session_id: str, events: Sequence[Event], *, expected_seq: int) -> None:
        for i, ev in enumerate(events):
            if ev.seq != expected_seq + i:
                raise StoreError(f"event {ev.id} has seq {ev.seq}, expected {expected_seq + i}")
        rows = [{"session_id": session_id, "seq": ev.seq, "id": ev.id, "type": ev.type,
                 "call_id": ev.call_id, "ts": ev.ts, "data": ev.data} for ev in events]
        try:
            with self._tx(write=True) as conn:
                found = conn.execute(_HEAD, {"sid": session_id}).first()
                if found is None:
                    raise UnknownSessionError(f"no session {session_id!r} in {self.where}")
                have = -1 if found.top is None else int(found.top)
                if have + 1 != expected_seq:
                    raise ConflictError(self._conflict(session_id, expected_seq, have + 1))
                self._validate(conn, session_id, events, expected_seq)
                if rows:
                    conn.execute(_INSERT_EVENTS, rows)
                    conn.execute(_TOUCH, {"sid": session_id, "now": datetime.now(UTC)})
        except IntegrityError as exc:
            if _duplicate_key(exc):  # the primary key caught a writer the seq check missed
                raise ConflictError(self._conflict(session_id, expected_seq, None)) from None
            raise StoreError(f"appending to session {session_id} failed on {self.where}: "
                             f"{one_line(exc)}") from None
        except SQLAlchemyError as exc:
            raise StoreError(f"appending to session {session_id} failed on {self.where}: "
                             f"{one_line(exc)}") from None

    def _validate(self, conn: Connection, session_id: str, events: Sequence[Event],
                  expected_seq: int) -> None:
        """Refuse events out of causal order; reads only the earlier events they may answer
        (same call ids, and import points), through the (session_id, call_id) index."""
        ids = {ev.call_id for ev in events if ev.call_id is not None}
        ids |= {ev.id for ev in events if ev.type in ("tool_call", "human_request")}
        before: list[Event] = []
        if ids and expected_seq > 0:
            rows = conn.execute(_ANSWERABLE, {"sid": session_id, "ids": sorted(ids)}).all()
            for row in rows:
                try:
                    before.append(event_from_dict(dict(row._mapping)))
                except UnknownEventError:
                    continue  # a damaged row is reported by load, not here
        try:
            validate_events(events, start=expected_seq, before=before)
        except ThreadError as exc:
            raise InvalidThreadError(f"session {session_id}: {exc}") from None

    @staticmethod
    def _conflict(session_id: str, expected: int, actual: int | None) -> str:
        now = f"the store is at {actual}" if actual is not None else "that seq is taken"
        return (f"session {session_id}: expected next seq {expected} but {now}; another writer "
                "appended first (reload the session and retry)")

    # -- execution leases (store/leases.py) ------------------------------------------------
    def acquire_lease(self, session_id: str, holder: str, ttl_s: float) -> leases.Lease | None:
        """Take (or renew) the session's lease; the live lease of another holder if taken."""
        with self._errors(f"taking the lease of session {session_id}"), \
                self._tx(write=True) as conn:
            return leases.acquire(conn, SESSIONS, LEASES, session_id, holder, ttl_s)

    def renew_lease(self, session_id: str, holder: str, ttl_s: float) -> bool:
        with self._errors(f"renewing the lease of session {session_id}"), \
                self._tx(write=True) as conn:
            return leases.renew(conn, LEASES, session_id, holder, ttl_s)

    def release_lease(self, session_id: str, holder: str) -> None:
        with self._errors(f"releasing the lease of session {session_id}"), \
                self._tx(write=True) as conn:
            leases.release(conn, LEASES, session_id, holder)

    def lease(self, session_id: str) -> leases.Lease | None:
        with self._errors(f"reading the lease of session {session_id}"), self._tx() as conn:
            return leases.current(conn, LEASES, session_id)

    def sessions(self, limit: int = 100) -> list[SessionInfo]:
        count = (sa.select(sa.func.count()).where(EVENTS.c.session_id == SESSIONS.c.id)
                 .scalar_subquery())
        query = (sa.select(SESSIONS, count.label("events"))
                 .order_by(SESSIONS.c.updated.desc(), SESSIONS.c.id).limit(limit))
        with self._errors("listing sessions"), self._tx() as conn:
            rows = conn.execute(query).all()
        return [SessionInfo(session_id=r.id, created=r.created, updated=r.updated,
                            events=r.events, title=r.title, meta=r.meta or {}) for r in rows]
