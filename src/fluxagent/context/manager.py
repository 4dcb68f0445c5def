"""Builds what the decider sees from the thread."""

from __future__ import annotations

from fluxagent.context.render import render_event
from fluxagent.core.context import Context
from fluxagent.core.events import Thread
from fluxagent.core.state import SessionState


def estimate_tokens(text: str) -> int:
    """About four characters a token for English and JSON-like text."""
    return max(1, len(text) // 4)


class ContextManager:
    def __init__(self, max_tokens: int = 8000) -> None:
        self.max_tokens = max_tokens

    def build(self, thread: Thread, state: SessionState, system: str) -> Context:
        messages = [{"role": "system", "content": system}]
        messages += [m for ev in thread if (m := render_event(ev)) is not None]
        tokens = sum(estimate_tokens(str(m["content"])) for m in messages)
        return Context(thread=thread, state=state, messages=messages, tokens=tokens,
                       budget=self.max_tokens)
