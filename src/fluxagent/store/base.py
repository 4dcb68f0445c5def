"""The event store contract: append-only threads with optimistic concurrency."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, Protocol

from pydantic import BaseModel

from fluxagent.core.events import Event, Thread


class StoreError(Exception):
    """A store problem with a one-line explanation for the user."""


class UnknownSessionError(StoreError):
    pass


class ConflictError(StoreError):
    """Another writer appended to the session first."""


class InvalidThreadError(StoreError):
    """Events refused because they break the thread's causal order (core/validate.py)."""


class SessionInfo(BaseModel):
    session_id: str
    created: datetime
    updated: datetime
    events: int
    title: str = ""
    meta: dict[str, Any] = {}


class Lease(BaseModel):
    """Who drives a session now (runtime/lease.py), and until when unless renewed."""

    session_id: str
    holder: str
    acquired: datetime
    expires: datetime


class EventStore(Protocol):
    def create(self, session_id: str, *, title: str = "",
               meta: dict[str, Any] | None = None) -> None: ...

    def load(self, session_id: str) -> Thread: ...

    def append(self, session_id: str, events: Sequence[Event], *, expected_seq: int) -> None:
        """Store ``events`` (already sequenced from ``expected_seq``) atomically.

        Raises ``ConflictError`` if the session's next sequence number is not ``expected_seq``.
        """
        ...

    def sessions(self, limit: int = 100) -> list[SessionInfo]: ...

    def exists(self, session_id: str) -> bool: ...

    # execution leases: one runner drives a session at a time (store/leases.py)
    def acquire_lease(self, session_id: str, holder: str, ttl_s: float) -> Lease | None:
        """Take or renew the lease for ``holder``; None on success, else the live lease of
        another holder (nothing changed)."""
        ...

    def renew_lease(self, session_id: str, holder: str, ttl_s: float) -> bool: ...

    def release_lease(self, session_id: str, holder: str) -> None: ...

    def lease(self, session_id: str) -> Lease | None: ...
