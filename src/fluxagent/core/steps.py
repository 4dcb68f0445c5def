"""What a decider returns: the next step of a session.

A real LLM and the offline planner return the same three shapes, so everything downstream
(approval policies, flows, the store) is indifferent to which one decided.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class Usage(BaseModel):
    model_config = ConfigDict(frozen=True)

    prompt_tokens: int = 0
    completion_tokens: int = 0


class _Step(BaseModel):
    model_config = ConfigDict(frozen=True)

    usage: Usage = Field(default_factory=Usage)
    rationale: str = ""
    #: Who decided, when a wrapping decider (router, flow) passes on another's step.
    by: str = ""
    #: Control-flow facts recorded just before the step: ``{"type": "flow_transition" |
    #: "agent_handoff", "data": {...}}`` (a flow moving on, a router handing off).
    records: tuple[dict[str, Any], ...] = ()
    #: What the decider was sent, when a wrapping decider changed it (the router's tool
    #: schemas and their tokens, the messages' tokens after making room for them): merged
    #: into the context usage recorded on the decision event.
    sent: dict[str, Any] = Field(default_factory=dict)


class ToolCall(_Step):
    kind: Literal["tool_call"] = "tool_call"
    name: str
    args: dict[str, Any] = Field(default_factory=dict)


class AskHuman(_Step):
    kind: Literal["ask_human"] = "ask_human"
    question: str
    options: list[str] = Field(default_factory=list)
    urgency: Literal["low", "normal", "high"] = "normal"


class Done(_Step):
    kind: Literal["done"] = "done"
    answer: str
    data: dict[str, Any] = Field(default_factory=dict)


Step = ToolCall | AskHuman | Done
