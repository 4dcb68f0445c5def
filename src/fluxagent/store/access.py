"""Who may use the API: hashed tokens with scopes, expiry and revocation, and session owners.

A token's secret is ``fxa_<id>_<random>``; only its sha256 is stored, so the secret is shown
once, at creation, and a stolen database gives no usable token. Tables of migration 0004, in
the event store's own database.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError

from fluxagent.store.base import StoreError
from fluxagent.store.sql import UtcDateTime, one_line

SCOPES = ("read", "write", "approve", "admin")
DEFAULT_RATE_PER_MINUTE = 600
#: The owner of every request when no token exists (a server bound to 127.0.0.1 only).
LOCAL_OWNER = "local"

METADATA = sa.MetaData()
TOKENS = sa.Table(
    "api_tokens", METADATA,
    sa.Column("id", sa.String(), primary_key=True),
    sa.Column("name", sa.Text(), nullable=False),
    sa.Column("owner", sa.String(), nullable=False),
    sa.Column("scopes", sa.JSON(), nullable=False),
    sa.Column("sha256", sa.String(64), nullable=False, unique=True),
    sa.Column("rate_per_minute", sa.Integer(), nullable=False),
    sa.Column("created", UtcDateTime(), nullable=False),
    sa.Column("expires", UtcDateTime(), nullable=True),
    sa.Column("revoked", UtcDateTime(), nullable=True),
)
OWNERS = sa.Table(
    "session_owners", METADATA,
    sa.Column("session_id", sa.String(), sa.ForeignKey("sessions.id"), primary_key=True),
    sa.Column("owner", sa.String(), nullable=False),
)
sa.Index("ix_session_owners_owner", OWNERS.c.owner)
RUNS = sa.Table(
    "api_runs", METADATA,
    sa.Column("run_id", sa.String(), primary_key=True),
    sa.Column("session_id", sa.String(), nullable=False),
    sa.Column("kind", sa.String(), nullable=False),
    sa.Column("payload", sa.JSON(), nullable=False),
    sa.Column("status", sa.String(), nullable=False),
    sa.Column("created", UtcDateTime(), nullable=False),
    sa.Column("updated", UtcDateTime(), nullable=False),
)
sa.Index("ix_api_runs_status", RUNS.c.status)
#: Statuses of a journaled run that a restarted server must still do.
UNFINISHED = ("queued", "running")


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@dataclass(frozen=True)
class Token:
    id: str
    name: str
    owner: str
    scopes: tuple[str, ...]
    rate_per_minute: int
    created: datetime
    expires: datetime | None = None
    revoked: datetime | None = None

    def allows(self, scope: str) -> bool:
        return "admin" in self.scopes or scope in self.scopes

    def usable(self, now: datetime) -> str | None:
        """Why the token cannot be used now (None: it can)."""
        if self.revoked is not None:
            return f"token {self.id} was revoked at {self.revoked:%Y-%m-%d %H:%M:%S} UTC"
        if self.expires is not None and now >= self.expires:
            return f"token {self.id} expired at {self.expires:%Y-%m-%d %H:%M:%S} UTC"
        return None

    def public(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "owner": self.owner,
                "scopes": list(self.scopes), "rate_per_minute": self.rate_per_minute,
                "created": self.created.isoformat(),
                "expires": self.expires.isoformat() if self.expires else None,
                "revoked": self.revoked.isoformat() if self.revoked else None}


def _token(row: Any) -> Token:
    return Token(id=row.id, name=row.name, owner=row.owner, scopes=tuple(row.scopes),
                 rate_per_minute=row.rate_per_minute, created=row.created,
                 expires=row.expires, revoked=row.revoked)


# Statements every question on the server runs, built once.
_ANY_TOKEN = sa.select(TOKENS.c.id).limit(1)
_OWNER = sa.select(OWNERS.c.owner).where(OWNERS.c.session_id == sa.bindparam("sid"))
_ADD_OWNER = sa.insert(OWNERS)
_ADD_RUN = sa.insert(RUNS)
_RUN_STATUS = (sa.update(RUNS).where(RUNS.c.run_id == sa.bindparam("rid"))
               .values(status=sa.bindparam("status"), updated=sa.bindparam("now")))


class AccessStore:
    """Tokens and owners on the engine of a ``SqlStore`` (whose migrations made the tables)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @classmethod
    def for_store(cls, store: Any) -> AccessStore:
        engine = getattr(store, "engine", None)
        if not isinstance(engine, Engine):
            raise StoreError("the API needs the SQL event store (SQLite or PostgreSQL)")
        return cls(engine)

    @contextmanager
    def _tx(self, *, write: bool = False) -> Iterator[Connection]:
        try:
            with self.engine.connect() as conn:
                if write:
                    conn.execution_options(fluxagent_write=True)
                with conn.begin():
                    yield conn
        except SQLAlchemyError as exc:
            raise StoreError(f"access tables: {one_line(exc)}") from None

    # -- tokens -----------------------------------------------------------------------------
    def create_token(self, name: str, owner: str, scopes: list[str], *,
                     expires_in: timedelta | None = None,
                     rate_per_minute: int = DEFAULT_RATE_PER_MINUTE,
                     now: datetime | None = None) -> tuple[Token, str]:
        """A new token and its secret (the only time the secret exists outside the caller)."""
        bad = sorted(set(scopes) - set(SCOPES))
        if bad or not scopes:
            raise StoreError(f"scopes must be some of {', '.join(SCOPES)}"
                             + (f"; unknown: {', '.join(bad)}" if bad else ""))
        if not owner.strip():
            raise StoreError("a token needs an owner")
        if rate_per_minute < 1:
            raise StoreError("rate_per_minute must be at least 1")
        now = now or datetime.now(UTC)
        token_id = secrets.token_hex(4)
        secret = f"fxa_{token_id}_{secrets.token_urlsafe(32)}"
        token = Token(id=token_id, name=name, owner=owner.strip(),
                      scopes=tuple(s for s in SCOPES if s in scopes),
                      rate_per_minute=rate_per_minute, created=now,
                      expires=now + expires_in if expires_in is not None else None)
        with self._tx(write=True) as conn:
            conn.execute(sa.insert(TOKENS).values(
                id=token.id, name=token.name, owner=token.owner, scopes=list(token.scopes),
                sha256=digest(secret), rate_per_minute=token.rate_per_minute,
                created=token.created, expires=token.expires, revoked=None))
        return token, secret

    def tokens(self) -> list[Token]:
        with self._tx() as conn:
            rows = conn.execute(sa.select(TOKENS).order_by(TOKENS.c.created)).all()
        return [_token(r) for r in rows]

    def any_token(self) -> bool:
        """Whether the API is closed (some token, even revoked, was ever configured)."""
        with self._tx() as conn:
            return conn.execute(_ANY_TOKEN).first() is not None

    def find(self, secret: str) -> Token | None:
        with self._tx() as conn:
            row = conn.execute(sa.select(TOKENS).where(
                TOKENS.c.sha256 == digest(secret))).first()
        return _token(row) if row is not None else None

    def revoke(self, token_id: str, *, now: datetime | None = None) -> Token:
        with self._tx(write=True) as conn:
            row = conn.execute(sa.select(TOKENS).where(TOKENS.c.id == token_id)).first()
            if row is None:
                raise StoreError(f"no token {token_id!r}")
            if row.revoked is None:
                conn.execute(sa.update(TOKENS).where(TOKENS.c.id == token_id)
                             .values(revoked=now or datetime.now(UTC)))
            row = conn.execute(sa.select(TOKENS).where(TOKENS.c.id == token_id)).one()
        return _token(row)

    # -- owners -----------------------------------------------------------------------------
    def set_owner(self, session_id: str, owner: str) -> None:
        with self._tx(write=True) as conn:
            found = conn.execute(_OWNER, {"sid": session_id}).first()
            if found is None:
                conn.execute(_ADD_OWNER, {"session_id": session_id, "owner": owner})

    def owner(self, session_id: str) -> str | None:
        with self._tx() as conn:
            found = conn.execute(_OWNER, {"sid": session_id}).first()
        return None if found is None else str(found.owner)

    def owners(self) -> dict[str, str]:
        with self._tx() as conn:
            return {r.session_id: r.owner for r in conn.execute(sa.select(OWNERS)).all()}

    # -- the journal of background runs ---------------------------------------------------
    def journal_add(self, run_id: str, session_id: str, kind: str, payload: dict[str, Any],
                    created: datetime) -> None:
        with self._tx(write=True) as conn:
            conn.execute(_ADD_RUN, {"run_id": run_id, "session_id": session_id, "kind": kind,
                                    "payload": payload, "status": "queued",
                                    "created": created, "updated": created})

    def journal_status(self, run_id: str, status: str) -> None:
        with self._tx(write=True) as conn:
            conn.execute(_RUN_STATUS, {"rid": run_id, "status": status,
                                       "now": datetime.now(UTC)})

    def journal_unfinished(self) -> list[dict[str, Any]]:
        """Runs a stopped server had queued or started, oldest first."""
        with self._tx() as conn:
            rows = conn.execute(sa.select(RUNS).where(RUNS.c.status.in_(UNFINISHED))
                                .order_by(RUNS.c.created, RUNS.c.run_id)).all()
        return [dict(r._mapping) for r in rows]
