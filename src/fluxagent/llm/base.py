"""The decider protocol: the only place an LLM (or the offline planner) is asked anything."""

from __future__ import annotations

from typing import Any, Protocol, runtime_checkable

from fluxagent.core.context import Context
from fluxagent.core.steps import Step, Usage


class DeciderError(Exception):
    """A decider could not produce a step (provider down, refusal, malformed reply)."""

    def __init__(self, message: str, *, kind: str = "provider_error",
                 retryable: bool = True, usage: Usage | None = None) -> None:
        super().__init__(message)
        self.kind, self.retryable = kind, retryable
        self.usage = usage or Usage()  # a failed reply may still have been billed


@runtime_checkable
class Decider(Protocol):
    @property
    def name(self) -> str: ...

    def next_step(self, context: Context, tools: list[dict[str, Any]]) -> Step: ...
