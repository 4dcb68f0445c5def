"""The thread validator: what a well-formed history may contain, checked event by event (pure).

A thread is valid when its sequence numbers run 0, 1, 2, ... without a gap, every event type
is known, and every answer follows its question: an approval request and a tool outcome need
their tool call, an approval decision its approval request, a human response its human
request, and each of them happens at most once. A tool whose call asked for approval runs only
after an ``approve``. The fold skips what this validator refuses (an approval nobody asked for
is not honoured); the store refuses it on append, and import refuses a file that contains it.

The rules only relate events that share a ``call_id``, so ``Causality`` can be fed a
session's events for a few call ids (the store does this on append) instead of the whole
thread.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from fluxagent.core.events import EVENT_TYPES, Event


class ThreadError(ValueError):
    """A thread (or an event appended to one) that breaks causal order; one line, naming it."""


def _name(ev: Event) -> str:
    who = f" {ev.call_id}" if ev.call_id else ""
    return f"event {ev.seq} ({ev.type}{who})"


@dataclass
class Causality:
    """What has happened so far, per call id; ``problem(ev)`` says why ``ev`` cannot follow."""

    calls: set[str] = field(default_factory=set)
    outcomes: set[str] = field(default_factory=set)
    approval_requests: set[str] = field(default_factory=set)
    approved: set[str] = field(default_factory=set)
    decided: set[str] = field(default_factory=set)
    human_requests: set[str] = field(default_factory=set)
    responses: set[str] = field(default_factory=set)

    def problem(self, ev: Event) -> str | None:
        """Why ``ev`` is out of causal order here (None when it may follow)."""
        t, c = ev.type, ev.call_id
        if t not in EVENT_TYPES:
            return f"{_name(ev)}: unknown event type"
        if t == "tool_call":
            key = c or ev.id
            if key in self.calls or key in self.human_requests:
                return f"{_name(ev)}: call id {key} is already used"
            return None
        if t == "approval_request":
            if c is None or c not in self.calls:
                return f"{_name(ev)}: approval request for no tool call"
            if c in self.outcomes:
                return f"{_name(ev)}: approval request after the call's outcome"
            if c in self.approval_requests:
                return f"{_name(ev)}: a second approval request for call {c}"
            return None
        if t == "approval_decision":
            if c is None or c not in self.approval_requests:
                return f"{_name(ev)}: approval decision without an approval request"
            if c in self.decided:
                return f"{_name(ev)}: call {c} was already decided"
            return None
        if t in ("tool_result", "tool_error"):
            if c is None:
                return None if t == "tool_error" else f"{_name(ev)}: tool result with no call id"
            if c not in self.calls:
                return f"{_name(ev)}: {t.replace('_', ' ')} for no tool call"
            if c in self.outcomes:
                return f"{_name(ev)}: call {c} already has an outcome"
            if c in self.approval_requests and c not in self.approved:
                return f"{_name(ev)}: call {c} ran without being approved"
            return None
        if t == "human_request":
            key = c or ev.id
            if key in self.human_requests:
                return f"{_name(ev)}: a second human request {key}"
            if key in self.outcomes:
                return f"{_name(ev)}: human request after the call's outcome"
            return None
        if t == "human_response":
            if c is None or c not in self.human_requests:
                return f"{_name(ev)}: human response without a human request"
            if c in self.responses:
                return f"{_name(ev)}: request {c} was already answered"
            return None
        return None

    def add(self, ev: Event) -> None:
        """Record ``ev`` (call after ``problem(ev)`` returned None)."""
        t, c = ev.type, ev.call_id
        if t == "tool_call":
            self.calls.add(c or ev.id)
        elif t == "session_imported":
            if not ev.data.get("trusted"):
                self.reopen()
        elif c is None:
            if t == "human_request":
                self.human_requests.add(ev.id)
        elif t == "approval_request":
            self.approval_requests.add(c)
        elif t == "approval_decision":
            self.decided.add(c)
            if ev.data.get("decision") != "reject":
                self.approved.add(c)
        elif t in ("tool_result", "tool_error"):
            self.outcomes.add(c)
        elif t == "human_request":
            self.human_requests.add(c)
        elif t == "human_response":
            self.responses.add(c)

    def reopen(self) -> None:
        """An untrusted import: approvals of calls that have not run yet must be given again."""
        waiting = self.approved - self.outcomes
        self.approved -= waiting
        self.decided -= waiting

    def accept(self, ev: Event) -> bool:
        """Record ``ev`` if it may follow; False (nothing recorded) if not."""
        if self.problem(ev) is not None:
            return False
        self.add(ev)
        return True

    def check(self, ev: Event) -> None:
        """Record ``ev`` or raise ``ThreadError`` naming it."""
        why = self.problem(ev)
        if why is not None:
            raise ThreadError(why)
        self.add(ev)


def validate_events(events: Iterable[Event], *, start: int = 0,
                    before: Iterable[Event] = ()) -> None:
    """Raise ``ThreadError`` for the first event of ``events`` that breaks the rules.

    ``start`` is the seq the first event must have; ``before`` are earlier events of the same
    session that ``events`` may answer (all of them, or just those sharing their call ids).
    """
    seen = Causality()
    for ev in before:
        seen.add(ev)
    for i, ev in enumerate(events):
        if ev.seq != start + i:
            raise ThreadError(f"{_name(ev)}: seq {ev.seq}, expected {start + i}")
        seen.check(ev)
