"""An in-memory event store for tests and throwaway sessions."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from fluxagent.core.events import Event, Thread
from fluxagent.core.validate import ThreadError, validate_events
from fluxagent.store.base import (
    ConflictError,
    InvalidThreadError,
    Lease,
    SessionInfo,
    StoreError,
    UnknownSessionError,
)


class MemoryStore:
    def __init__(self) -> None:
        self._events: dict[str, list[Event]] = {}
        self._info: dict[str, SessionInfo] = {}
        self._lock = threading.Lock()
        self._leases: dict[str, Lease] = {}

    def create(self, session_id: str, *, title: str = "",
               meta: dict[str, Any] | None = None) -> None:
        with self._lock:
            if session_id in self._events:
                raise StoreError(f"session {session_id} already exists")
            now = datetime.now(UTC)
            self._events[session_id] = []
            self._info[session_id] = SessionInfo(session_id=session_id, created=now, updated=now,
                                                 events=0, title=title, meta=meta or {})

    def exists(self, session_id: str) -> bool:
        return session_id in self._events

    def load(self, session_id: str) -> Thread:
        if session_id not in self._events:
            raise UnknownSessionError(f"no session {session_id!r}")
        return Thread(session_id, list(self._events[session_id]))

    def append(self, session_id: str, events: Sequence[Event], *, expected_seq: int) -> None:
        with self._lock:
            if session_id not in self._events:
                raise UnknownSessionError(f"no session {session_id!r}")
            log = self._events[session_id]
            if len(log) != expected_seq:
                raise ConflictError(f"session {session_id}: expected next seq {expected_seq}, "
                                    f"store has {len(log)}; another writer appended first")
            for i, ev in enumerate(events):
                if ev.seq != expected_seq + i:
                    raise StoreError(f"event {ev.id} has seq {ev.seq}, expected "
                                     f"{expected_seq + i}")
            try:
                validate_events(events, start=expected_seq, before=log)
            except ThreadError as exc:
                raise InvalidThreadError(f"session {session_id}: {exc}") from None
            log.extend(events)
            info = self._info[session_id]
            self._info[session_id] = info.model_copy(update={"events": len(log),
                                                             "updated": datetime.now(UTC)})

    def sessions(self, limit: int = 100) -> list[SessionInfo]:
        return sorted(self._info.values(), key=lambda i: i.updated, reverse=True)[:limit]

    # -- execution leases (the same contract as SqlStore's) --------------------------------
    def acquire_lease(self, session_id: str, holder: str, ttl_s: float) -> Lease | None:
        with self._lock:
            if session_id not in self._events:
                raise UnknownSessionError(f"no session {session_id!r}")
            now = datetime.now(UTC)
            held = self._leases.get(session_id)
            if held is not None and held.holder != holder and held.expires > now:
                return held
            acquired = held.acquired if held is not None and held.holder == holder else now
            self._leases[session_id] = Lease(session_id=session_id, holder=holder,
                                             acquired=acquired,
                                             expires=now + timedelta(seconds=ttl_s))
            return None

    def renew_lease(self, session_id: str, holder: str, ttl_s: float) -> bool:
        with self._lock:
            held = self._leases.get(session_id)
            if held is None or held.holder != holder:
                return False
            self._leases[session_id] = held.model_copy(
                update={"expires": datetime.now(UTC) + timedelta(seconds=ttl_s)})
            return True

    def release_lease(self, session_id: str, holder: str) -> None:
        with self._lock:
            held = self._leases.get(session_id)
            if held is not None and held.holder == holder:
                del self._leases[session_id]

    def lease(self, session_id: str) -> Lease | None:
        return self._leases.get(session_id)
