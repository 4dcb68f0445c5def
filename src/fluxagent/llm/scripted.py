"""A decider that follows a script: tests run the whole loop with no LLM."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from fluxagent.core.context import Context
from fluxagent.core.steps import Done, Step


class ScriptedDecider:
    """Returns the scripted steps in order, or asks a function of the context.

    A list script is indexed by the number of decisions already in the thread, so a resumed
    session (new process, new decider) continues where the old one stopped.
    """

    name = "scripted"

    def __init__(self, script: Sequence[Step] | Callable[[Context], Step]) -> None:
        self.script = script

    def next_step(self, context: Context, tools: list[dict[str, Any]]) -> Step:
        if callable(self.script):
            return self.script(context)
        made = sum(1 for ev in context.thread
                   if ev.type in ("tool_call", "human_request", "final_answer")
                   and ev.data.get("by") == self.name)
        if made < len(self.script):
            return self.script[made]
        return Done(answer="(script exhausted)")
