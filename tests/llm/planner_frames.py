"""How the offline planner reads one question, or the last of a conversation (shared by the
planner's wording tests)."""

from __future__ import annotations

from fluxagent.core.events import Thread, new_event
from fluxagent.llm.offline.dialog import frame_of, interpret
from fluxagent.llm.offline.frame import Frame
from fluxagent.llm.offline.text import analyse


def frame(q: str) -> Frame:
    return interpret(analyse(q))


def conversation(*questions: str) -> Frame:
    """The frame of the last question, read with the earlier ones as its context."""
    thread = Thread(session_id="s")
    for q in questions:
        thread = thread.append(new_event("user_message", {"text": q}))
    return frame_of(thread)[0]
