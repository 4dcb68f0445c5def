"""The trigger tables beside the event store (migration 0005): schedules, their claims, and
webhook deliveries.

Exactly-once is the database's job, not a lock's: a claim is an INSERT of (schedule, due time)
under a primary key, and a webhook delivery an INSERT of (source, idempotency key). Of two
servers racing for the same row one insert wins, the other gets an integrity error and does
nothing, on SQLite and on PostgreSQL alike.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from pydantic import BaseModel
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from fluxagent.store.base import StoreError
from fluxagent.store.sql import UtcDateTime, one_line

METADATA = sa.MetaData()
SCHEDULES = sa.Table(
    "schedules", METADATA,
    sa.Column("name", sa.String(), primary_key=True),
    sa.Column("cron", sa.String(), nullable=False),
    sa.Column("kind", sa.String(), nullable=False),
    sa.Column("spec", sa.JSON(), nullable=False),
    sa.Column("created", UtcDateTime(), nullable=False),
)
SCHEDULE_RUNS = sa.Table(
    "schedule_runs", METADATA,
    sa.Column("schedule", sa.String(), primary_key=True),
    sa.Column("due", UtcDateTime(), primary_key=True),
    sa.Column("session_id", sa.String(), nullable=False),
    sa.Column("claimed_by", sa.String(), nullable=False),
    sa.Column("claimed_at", UtcDateTime(), nullable=False),
    sa.Column("status", sa.String(), nullable=False),
    sa.Column("error", sa.Text(), nullable=False),
)
DELIVERIES = sa.Table(
    "webhook_deliveries", METADATA,
    sa.Column("source", sa.String(), primary_key=True),
    sa.Column("key", sa.String(), primary_key=True),
    sa.Column("session_id", sa.String(), nullable=False),
    sa.Column("received", UtcDateTime(), nullable=False),
)


class Schedule(BaseModel):
    name: str
    cron: str
    kind: str  # question | flow
    spec: dict[str, Any]  # question: {text, model}; flow: {flow, inputs, model}
    created: datetime


class ScheduleRun(BaseModel):
    schedule: str
    due: datetime
    session_id: str
    claimed_by: str
    claimed_at: datetime
    status: str  # launched | done | waiting_for_human | waiting_for_approval | failed
    error: str = ""


class TriggerStore:
    """Schedules, claims and deliveries in the event store's own database."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @classmethod
    def for_store(cls, store: Any) -> TriggerStore:
        engine = getattr(store, "engine", None)
        if not isinstance(engine, Engine):
            raise StoreError("schedules and webhooks need the SQL event store (SQLite or "
                             "PostgreSQL)")
        return cls(engine)

    @contextmanager
    def _tx(self) -> Iterator[Connection]:
        try:
            with self.engine.connect() as conn:
                conn.execution_options(fluxagent_write=True)
                with conn.begin():
                    yield conn
        except IntegrityError:
            raise
        except SQLAlchemyError as exc:
            raise StoreError(f"trigger store: {one_line(exc)}") from None

    # -- schedules ------------------------------------------------------------------------
    def add_schedule(self, schedule: Schedule) -> None:
        try:
            with self._tx() as conn:
                conn.execute(SCHEDULES.insert().values(**schedule.model_dump()))
        except IntegrityError:
            raise StoreError(f"a schedule named {schedule.name!r} exists already; remove it "
                             "first") from None

    def schedules(self) -> list[Schedule]:
        with self._tx() as conn:
            rows = conn.execute(SCHEDULES.select().order_by(SCHEDULES.c.name)).mappings()
            return [Schedule(**row) for row in rows]

    def remove_schedule(self, name: str) -> None:
        with self._tx() as conn:
            gone = conn.execute(SCHEDULES.delete().where(SCHEDULES.c.name == name)).rowcount
        if not gone:
            known = ", ".join(s.name for s in self.schedules()) or "none"
            raise StoreError(f"no schedule named {name!r} (schedules: {known})")

    def claim(self, run: ScheduleRun) -> bool:
        """True for the one caller that claims (schedule, due); False for everyone else."""
        try:
            with self._tx() as conn:
                conn.execute(SCHEDULE_RUNS.insert().values(**run.model_dump()))
            return True
        except IntegrityError:
            return False

    def finish_run(self, schedule: str, due: datetime, status: str, error: str = "") -> None:
        with self._tx() as conn:
            conn.execute(SCHEDULE_RUNS.update().where(
                (SCHEDULE_RUNS.c.schedule == schedule) & (SCHEDULE_RUNS.c.due == due))
                .values(status=status, error=error))

    def runs(self, schedule: str | None = None) -> list[ScheduleRun]:
        query = SCHEDULE_RUNS.select().order_by(SCHEDULE_RUNS.c.due)
        if schedule is not None:
            query = query.where(SCHEDULE_RUNS.c.schedule == schedule)
        with self._tx() as conn:
            return [ScheduleRun(**row) for row in conn.execute(query).mappings()]

    # -- webhook deliveries ----------------------------------------------------------------
    def deliver(self, source: str, key: str, session_id: str, now: datetime) -> str | None:
        """Record a delivery; None if new, else the session id the first one launched."""
        try:
            with self._tx() as conn:
                conn.execute(DELIVERIES.insert().values(source=source, key=key,
                                                        session_id=session_id, received=now))
            return None
        except IntegrityError:
            with self._tx() as conn:
                found = conn.execute(sa.select(DELIVERIES.c.session_id).where(
                    (DELIVERIES.c.source == source) & (DELIVERIES.c.key == key))).scalar()
            return str(found or "")

    def forget(self, source: str, key: str) -> None:
        """Drop a delivery whose request was refused (nothing was launched)."""
        with self._tx() as conn:
            conn.execute(DELIVERIES.delete().where(
                (DELIVERIES.c.source == source) & (DELIVERIES.c.key == key)))
