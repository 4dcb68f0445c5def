"""Execution leases in the SQL store: who drives a session now, and until when.

A lease is one row per session (``holder``, ``expires``). Taking it is one write transaction
that first locks the session row (``BEGIN IMMEDIATE`` on SQLite, ``SELECT ... FOR UPDATE`` on
PostgreSQL), so two runners can never both win; a lease whose holder stopped renewing it (the
process died) is free once ``expires`` has passed. Times are the writers' UTC clocks: hosts
sharing a PostgreSQL store must keep their clocks in sync to well within the lease duration.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from fluxagent.store.base import Lease, UnknownSessionError


def table(metadata: sa.MetaData, time_type: sa.types.TypeEngine[datetime]) -> sa.Table:
    return sa.Table(
        "leases", metadata,
        sa.Column("session_id", sa.String(), primary_key=True),
        sa.Column("holder", sa.String(), nullable=False),
        sa.Column("acquired", time_type, nullable=False),
        sa.Column("expires", time_type, nullable=False),
    )


def _current(conn: Connection, leases: sa.Table, session_id: str) -> Lease | None:
    row = conn.execute(sa.select(leases).where(leases.c.session_id == session_id)).first()
    return Lease.model_validate(dict(row._mapping)) if row is not None else None


def acquire(conn: Connection, sessions: sa.Table, leases: sa.Table, session_id: str,
            holder: str, ttl_s: float) -> Lease | None:
    """Take or renew the lease for ``holder``; the other live holder's lease if it is taken.

    Runs inside the caller's write transaction.
    """
    if conn.execute(sa.select(sessions.c.id).where(sessions.c.id == session_id)
                    .with_for_update()).first() is None:
        raise UnknownSessionError(f"no session {session_id!r}")
    now = datetime.now(UTC)
    expires = now + timedelta(seconds=ttl_s)
    held = _current(conn, leases, session_id)
    if held is None:
        conn.execute(sa.insert(leases).values(session_id=session_id, holder=holder,
                                              acquired=now, expires=expires))
        return None
    if held.holder != holder and held.expires > now:
        return held
    values = {"holder": holder, "expires": expires}
    if held.holder != holder:
        values["acquired"] = now
    conn.execute(sa.update(leases).where(leases.c.session_id == session_id).values(**values))
    return None


def renew(conn: Connection, leases: sa.Table, session_id: str, holder: str,
          ttl_s: float) -> bool:
    """Push the expiry of ``holder``'s lease forward; False if it is no longer theirs."""
    now = datetime.now(UTC)
    done = conn.execute(sa.update(leases).where(  # expired but not taken: still ours
        leases.c.session_id == session_id, leases.c.holder == holder)
        .values(expires=now + timedelta(seconds=ttl_s)))
    return bool(done.rowcount)


def release(conn: Connection, leases: sa.Table, session_id: str, holder: str) -> None:
    conn.execute(sa.delete(leases).where(leases.c.session_id == session_id,
                                         leases.c.holder == holder))


def current(conn: Connection, leases: sa.Table, session_id: str) -> Lease | None:
    return _current(conn, leases, session_id)
