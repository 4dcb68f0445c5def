"""What a decider sees: the rendered context window plus the thread it came from.

An LLM reads ``messages``; the offline planner reads the structured ``thread`` and ``state``.
Both get the same object, so both go through the same context and prompt machinery.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from fluxagent.core.events import Thread
from fluxagent.core.state import SessionState


@dataclass(frozen=True)
class Context:
    thread: Thread
    state: SessionState
    messages: list[dict[str, Any]]
    tokens: int = 0
    budget: int = 0
    sections: dict[str, int] = field(default_factory=dict)
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def question(self) -> str:
        return self.state.question
