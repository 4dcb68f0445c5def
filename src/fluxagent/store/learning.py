"""Error statistics and learned recoveries, remembered across sessions (factor 9).

Two tables beside the event store (migration 0002): ``error_log`` has one row per failure
(tool, kind, masked pattern, subject), ``error_recoveries`` one row per error that a later
call of the same turn got past, with the fix as arguments. When a pattern comes back, the fix
that resolved it most often (and in fewest steps) is offered as the hint ("Worked before")
and as a concrete call in ``Context.meta["recovery"]``. Both tables are derived from events
(``core.errors.resolutions``), so they can be rebuilt from the threads at any time.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.pool import StaticPool

from fluxagent.core.errors import (
    apply_recovery,
    describe_fix,
    error_pattern,
    error_streak,
    resolutions,
)
from fluxagent.core.events import Event, Thread

log = logging.getLogger(__name__)

METADATA = sa.MetaData()
ERROR_LOG = sa.Table(
    "error_log", METADATA,
    sa.Column("event_id", sa.String(), primary_key=True),
    sa.Column("session_id", sa.String(), nullable=False),
    sa.Column("tool", sa.String(), nullable=False),
    sa.Column("kind", sa.String(), nullable=False),
    sa.Column("pattern", sa.Text(), nullable=False),
    sa.Column("subject", sa.Text(), nullable=False),
    sa.Column("ts", sa.DateTime(timezone=True), nullable=False),
)
RECOVERIES = sa.Table(
    "error_recoveries", METADATA,
    sa.Column("error_event_id", sa.String(), primary_key=True),
    sa.Column("session_id", sa.String(), nullable=False),
    sa.Column("pattern", sa.Text(), nullable=False),
    sa.Column("subject", sa.Text(), nullable=False),
    sa.Column("failed_tool", sa.String(), nullable=False),
    sa.Column("failed_args", sa.JSON(), nullable=False),
    sa.Column("fix_tool", sa.String(), nullable=False),
    sa.Column("fix_args", sa.JSON(), nullable=False),
    sa.Column("changes", sa.JSON(), nullable=False),
    sa.Column("steps", sa.Integer(), nullable=False),
    sa.Column("ts", sa.DateTime(timezone=True), nullable=False),
)


@dataclass(frozen=True)
class Learned:
    """A remembered fix, ready for the context: text for an LLM, a call for any decider."""

    error_event_id: str
    text: str
    tool: str
    args: dict[str, Any]
    seen: int

    def as_meta(self) -> dict[str, Any]:
        return {"error": self.error_event_id, "tool": self.tool, "args": self.args,
                "seen": self.seen, "text": self.text}


class ErrorMemory:
    """Reads and writes the two tables on any SQLAlchemy engine (the event store's)."""

    def __init__(self, engine: Engine, *, create: bool = False) -> None:
        self.engine = engine
        if create:
            METADATA.create_all(engine)

    @classmethod
    def for_store(cls, store: Any) -> ErrorMemory:
        """The store's own database when it has one (SqlStore), else a private in-memory one."""
        engine = getattr(store, "engine", None)
        if isinstance(engine, Engine):
            return cls(engine)
        return cls.in_memory()

    @classmethod
    def in_memory(cls) -> ErrorMemory:
        engine = sa.create_engine("sqlite://", poolclass=StaticPool,
                                  connect_args={"check_same_thread": False})
        return cls(engine, create=True)

    @contextmanager
    def _tx(self) -> Iterator[Connection]:
        with self.engine.begin() as conn:
            yield conn

    # -- writing ----------------------------------------------------------------------------
    def observe(self, thread: Thread, added: Sequence[Event]) -> None:
        """Record new failures and the recoveries that the ``added`` events complete.

        Called after every append; never raises (learning must not break a session).
        """
        if not any(ev.type in ("tool_error", "tool_result") for ev in added):
            return
        try:
            self._observe(thread, added)
        except SQLAlchemyError as exc:
            log.warning("error learning skipped: %s", str(exc).splitlines()[0])

    def _observe(self, thread: Thread, added: Sequence[Event]) -> None:
        now = datetime.now(UTC)
        errors = [ev for ev in added if ev.type == "tool_error"]
        rows = []
        for ev in errors:
            pattern, subject = error_pattern(ev.data)
            rows.append({"event_id": ev.id, "session_id": thread.session_id,
                         "tool": str(ev.data.get("tool", "?")),
                         "kind": str(ev.data.get("kind", "internal")), "pattern": pattern,
                         "subject": subject, "ts": now})
        fixes = []
        if any(ev.type == "tool_result" for ev in added):
            for res in resolutions(thread):  # earlier ones are already stored: idempotent
                pattern, subject = res.pattern
                fixes.append({"error_event_id": res.error.id, "session_id": thread.session_id,
                              "pattern": pattern, "subject": subject,
                              "failed_tool": res.failed_tool, "failed_args": res.failed_args,
                              "fix_tool": res.fix_tool, "fix_args": res.fix_args,
                              "changes": res.changes, "steps": res.steps, "ts": now})
        self._insert(ERROR_LOG, rows, "event_id")
        self._insert(RECOVERIES, fixes, "error_event_id")

    def _insert(self, table: sa.Table, rows: list[dict[str, Any]], key: str) -> None:
        """Insert rows whose key is new (idempotent: observing twice changes nothing)."""
        if not rows:
            return
        with contextlib.suppress(IntegrityError), self._tx() as conn:
            have = set(conn.execute(sa.select(table.c[key]).where(
                table.c[key].in_([r[key] for r in rows]))).scalars())
            fresh = [r for r in rows if r[key] not in have]
            if fresh:  # a concurrent writer may still win the race: suppressed above
                conn.execute(sa.insert(table), fresh)

    # -- reading ----------------------------------------------------------------------------
    def lookup(self, error: Event, failed_args: dict[str, Any]) -> Learned | None:
        """The best remembered fix for this error, turned into a call for these arguments."""
        pattern, subject = error_pattern(error.data)
        with self._tx() as conn:
            rows = conn.execute(sa.select(RECOVERIES).where(
                RECOVERIES.c.pattern == pattern)).mappings().all()
        scored: dict[tuple[str, str], tuple[int, float, dict[str, Any]]] = {}
        for row in rows:
            exact = row["subject"] == subject
            fix = apply_recovery(dict(row["failed_args"]), str(row["subject"]),
                                 str(row["fix_tool"]), dict(row["fix_args"]),
                                 str(row["failed_tool"]), dict(row["changes"]), failed_args)
            if fix is None or (not exact and row["fix_tool"] == row["failed_tool"]):
                continue
            key = (fix[0], str(sorted(fix[1].items())))
            count, steps, _ = scored.get(key, (0, 0.0, {}))
            scored[key] = (count + 1, steps + row["steps"],
                           {"tool": fix[0], "args": fix[1], "changes": dict(row["changes"])})
        if not scored:
            return None
        (count, steps, best) = max(scored.values(), key=lambda v: (v[0], -v[1] / v[0]))
        text = (describe_fix(best["tool"], best["args"], best["changes"])
                + f" (resolved this error {count}× before)")
        return Learned(error.id, text, best["tool"], best["args"], count)

    def for_thread(self, thread: Thread) -> list[Learned]:
        """Remembered fixes for the errors of the current streak, newest error last."""
        calls = {ev.call_id: ev for ev in thread if ev.type == "tool_call"}
        out = []
        for err in error_streak(thread):
            call = calls.get(err.call_id)
            if call is None:
                continue
            try:
                found = self.lookup(err, dict(call.data.get("args", {})))
            except SQLAlchemyError as exc:
                log.warning("error learning lookup skipped: %s", str(exc).splitlines()[0])
                return []
            if found is not None:
                out.append(found)
        return out

    def stats(self) -> list[dict[str, Any]]:
        """Per tool and kind: failures, how many a later call resolved, mean steps to do so."""
        with self._tx() as conn:
            errors = conn.execute(sa.select(ERROR_LOG.c.event_id, ERROR_LOG.c.tool,
                                            ERROR_LOG.c.kind)).all()
            fixed = {r.error_event_id: r.steps for r in conn.execute(
                sa.select(RECOVERIES.c.error_event_id, RECOVERIES.c.steps))}
        table: dict[tuple[str, str], dict[str, Any]] = {}
        for event_id, tool, kind in errors:
            row = table.setdefault((tool, kind), {"tool": tool, "kind": kind, "errors": 0,
                                                  "recovered": 0, "steps": 0})
            row["errors"] += 1
            if event_id in fixed:
                row["recovered"] += 1
                row["steps"] += fixed[event_id]
        out = []
        for row in sorted(table.values(), key=lambda r: (-r["errors"], r["tool"], r["kind"])):
            steps = row.pop("steps")
            row["recovery_rate"] = round(row["recovered"] / row["errors"], 3)
            row["mean_steps"] = round(steps / row["recovered"], 2) if row["recovered"] else None
            out.append(row)
        return out

    def patterns(self, limit: int = 20) -> list[dict[str, Any]]:
        """The most frequent learned fixes (pattern, subject, fix, times)."""
        with self._tx() as conn:
            rows = conn.execute(
                sa.select(RECOVERIES.c.pattern, RECOVERIES.c.subject, RECOVERIES.c.fix_tool,
                          sa.func.count().label("times"), sa.func.avg(RECOVERIES.c.steps)
                          .label("mean_steps"))
                .group_by(RECOVERIES.c.pattern, RECOVERIES.c.subject, RECOVERIES.c.fix_tool)
                .order_by(sa.desc("times")).limit(limit)).mappings().all()
        return [dict(r) for r in rows]
