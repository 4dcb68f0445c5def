"""The pure heart of fluxagent: events, threads, the fold and the step types.

Nothing here performs I/O or imports another part of the project.
"""

from fluxagent.core.events import (
    Event,
    EventType,
    Thread,
    UnknownEventError,
    event_from_dict,
    new_event,
)
from fluxagent.core.state import SessionState, Status, fold, next_action
from fluxagent.core.steps import AskHuman, Done, Step, ToolCall

__all__ = [
    "AskHuman",
    "Done",
    "Event",
    "EventType",
    "SessionState",
    "Status",
    "Step",
    "Thread",
    "ToolCall",
    "UnknownEventError",
    "event_from_dict",
    "fold",
    "new_event",
    "next_action",
]
