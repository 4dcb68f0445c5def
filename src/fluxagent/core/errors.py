"""Error kinds and the error streak (factor 9): every failure has a kind, a hint, a retry rule."""

from __future__ import annotations

from typing import Literal, get_args

from fluxagent.core.events import Event, Thread

ErrorKind = Literal[
    "bad_arguments",
    "unknown_id",
    "unknown_tool",
    "infeasible",
    "unbounded",
    "timeout",
    "solver_error",
    "model_not_loaded",
    "rejected",
    "provider_error",
    "internal",
]
ERROR_KINDS: frozenset[str] = frozenset(get_args(ErrorKind))

#: Kinds where the same call may succeed if simply tried again.
TRANSIENT: frozenset[str] = frozenset({"timeout", "provider_error", "solver_error"})

#: After this many errors in a row the runner asks a human instead of the decider.
ESCALATE_AFTER = 3


def is_retryable(kind: str) -> bool:
    return kind in TRANSIENT


def error_streak(thread: Thread) -> list[Event]:
    """The tool errors since the last success or human response in the current turn."""
    streak: list[Event] = []
    for ev in thread.since_last_question():
        if ev.type == "tool_error":
            streak.append(ev)
        elif ev.type in ("tool_result", "human_response"):
            streak = []
    return streak
