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


class SessionInfo(BaseModel):
    session_id: str
    created: datetime
    updated: datetime
    events: int
    title: str = ""
    meta: dict[str, Any] = {}


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
