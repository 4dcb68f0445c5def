"""Events and the append-only thread: the only state a session has.

An event is a frozen record of something that happened. Its ``type`` says what; ``data`` holds
the payload (JSON-compatible, so a thread round-trips through any store); ``call_id`` links a
tool call to its result, a human request to its response, an approval request to its decision.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime
from typing import Any, Literal, get_args, overload

from pydantic import BaseModel, ConfigDict, Field, ValidationError

EventType = Literal[
    "user_message",
    "tool_call",
    "tool_result",
    "tool_error",
    "human_request",
    "human_response",
    "approval_request",
    "approval_decision",
    "flow_transition",
    "agent_handoff",
    "context_compacted",
    "final_answer",
    "session_paused",
    "session_resumed",
    "session_failed",
    "session_forked",
    "session_imported",
    "annotation",
]
EVENT_TYPES: frozenset[str] = frozenset(get_args(EventType))


class UnknownEventError(ValueError):
    """An event whose type or shape this version of fluxagent does not know."""


class Event(BaseModel):
    """One immutable fact in a session's history."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    type: EventType
    data: dict[str, Any] = Field(default_factory=dict)
    call_id: str | None = None
    id: str = Field(default_factory=lambda: uuid.uuid4().hex)
    seq: int = -1
    ts: datetime = Field(default_factory=lambda: datetime.now(UTC))

    def digest(self) -> str:
        """Content hash of the event (stable across stores and exports)."""
        payload = self.model_dump(mode="json")
        return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


def new_event(type: EventType, data: dict[str, Any] | None = None, *,
              call_id: str | None = None) -> Event:
    """Build an unsequenced event; ``Thread.append`` gives it its sequence number."""
    return Event(type=type, data=data or {}, call_id=call_id)


def event_from_dict(raw: dict[str, Any]) -> Event:
    """Parse a stored or imported event, with a one-line error for anything foreign."""
    kind = raw.get("type") if isinstance(raw, dict) else None
    if kind not in EVENT_TYPES:
        raise UnknownEventError(
            f"unknown event type {kind!r}; known types: {', '.join(sorted(EVENT_TYPES))}"
        )
    try:
        return Event.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise UnknownEventError(f"malformed {kind} event: {where}: {first['msg']}") from None


class Thread(Sequence[Event]):
    """An immutable, ordered sequence of events; ``append`` returns a new thread."""

    __slots__ = ("_events", "session_id")

    def __init__(self, session_id: str, events: Iterable[Event] = ()) -> None:
        self.session_id = session_id
        self._events: tuple[Event, ...] = tuple(events)
        for i, ev in enumerate(self._events):
            if ev.seq != i:
                raise ValueError(f"event {ev.id} has seq {ev.seq}, expected {i}")

    def append(self, *events: Event) -> Thread:
        """Return a new thread with ``events`` appended and sequenced."""
        n = len(self._events)
        added = tuple(ev.model_copy(update={"seq": n + i}) for i, ev in enumerate(events))
        return Thread(self.session_id, self._events + added)

    def prefix(self, n: int) -> Thread:
        """The first ``n`` events (a fork point)."""
        return Thread(self.session_id, self._events[:n])

    @property
    def events(self) -> tuple[Event, ...]:
        return self._events

    @property
    def last(self) -> Event | None:
        return self._events[-1] if self._events else None

    def of_type(self, *types: EventType) -> list[Event]:
        return [ev for ev in self._events if ev.type in types]

    def since_last_question(self) -> list[Event]:
        """Events of the current turn: from the last user message on."""
        for i in range(len(self._events) - 1, -1, -1):
            if self._events[i].type == "user_message":
                return list(self._events[i:])
        return list(self._events)

    def __len__(self) -> int:
        return len(self._events)

    @overload
    def __getitem__(self, i: int) -> Event: ...
    @overload
    def __getitem__(self, i: slice) -> Sequence[Event]: ...
    def __getitem__(self, i: int | slice) -> Event | Sequence[Event]:
        return self._events[i]

    def __iter__(self) -> Iterator[Event]:
        return iter(self._events)

    def __eq__(self, other: object) -> bool:
        return (isinstance(other, Thread) and other.session_id == self.session_id
                and other._events == self._events)

    def __hash__(self) -> int:
        return hash((self.session_id, self._events))

    def __repr__(self) -> str:
        return f"Thread({self.session_id!r}, {len(self._events)} events)"
