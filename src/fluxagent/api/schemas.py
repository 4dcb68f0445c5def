"""Request and response bodies of the REST API (the OpenAPI schema at ``/docs``)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Policy = Literal["enqueue", "reject", "interrupt"]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Problem(BaseModel):
    """Every refusal: one specific line."""

    detail: str


class NewSession(_In):
    """Create a session: with a question, with a flow, or empty (both empty)."""

    question: str | None = Field(None, description="Ask this at once (a background run).")
    flow: str | None = Field(None, description="Run this flow (a name from GET /flows).")
    inputs: dict[str, Any] = Field(default_factory=dict, description="The flow's inputs.")
    model: str | None = Field(None, description="Model id (default: the question's, else "
                              "e_coli_core).")
    title: str | None = Field(None, max_length=200)


class Message(_In):
    question: str = Field(description="The next question of the session.")
    model: str | None = None
    policy: Policy = Field("enqueue", description="While a run is in progress: enqueue "
                           "(run after it), reject (409) or interrupt (stop it at its next "
                           "step, then run this).")


class Decision(_In):
    call_id: str | None = Field(None, description="The approval request (default: the open "
                                "one).")
    comment: str = ""
    args: dict[str, Any] | None = Field(None, description="Edited arguments (approve only).")


class Rejection(_In):
    call_id: str | None = None
    comment: str = Field("", description="Why; the agent reads it.")


class Response(_In):
    text: str = Field(description="The answer to the session's open question.")


class PauseIn(_In):
    reason: str = ""


class ForkIn(_In):
    at_seq: int | None = Field(None, ge=0, description="Share the first N events (default: "
                               "all).")


class ToolRunIn(_In):
    args: dict[str, Any] = Field(default_factory=dict)


class FlowRunIn(_In):
    inputs: dict[str, Any] = Field(default_factory=dict)
    model: str | None = None
    session_id: str | None = Field(None, description="Run as a new turn of this session.")


class FlowSource(_In):
    yaml: str = Field(description="A flow definition (YAML or JSON text).")


class RunOut(BaseModel):
    run_id: str
    session_id: str
    kind: str
    status: Literal["queued", "running", "done", "waiting", "paused", "interrupted", "failed"]
    created: str
    started: str | None = None
    finished: str | None = None
    session_status: str | None = None
    error: str = ""


class Accepted(BaseModel):
    """A background run was queued (202), or finished within ``wait`` (200)."""

    session_id: str
    run: RunOut
    session: dict[str, Any] | None = Field(None, description="The session when the run "
                                           "finished within the wait (the ask --json shape).")


class SessionSummary(BaseModel):
    session_id: str
    title: str
    status: str
    owner: str | None
    created: str
    updated: str
    events: int
    question: str
    answer: str | None
    model: str | None


class SessionList(BaseModel):
    sessions: list[SessionSummary]
    offset: int
    limit: int


class SessionOut(BaseModel):
    """The ``fluxagent ask --json`` contract plus the folded state, without the events
    (page them with GET /sessions/{id}/events)."""

    session_id: str
    status: str
    answer: str | None
    interpretation: dict[str, Any] | None = Field(None, description="What the answer used "
                                                  "(model, conditions, analyses).")
    unresolved: list[str] = Field(default_factory=list, description="Phrases of the question "
                                  "that were not used.")
    tool_calls: list[dict[str, Any]]
    usage: dict[str, int]
    state: dict[str, Any]
    owner: str | None
    busy: bool


class EventsPage(BaseModel):
    session_id: str
    events: list[dict[str, Any]]
    next_after: int | None = Field(description="Pass as ``after`` for the next page; null at "
                                   "the end.")


class Created(BaseModel):
    session_id: str


class StateOut(BaseModel):
    session_id: str
    status: str
    run: RunOut | None = None


class PendingOut(BaseModel):
    requests: list[dict[str, Any]]


class ToolSpec(BaseModel):
    name: str
    purpose: str
    long_running: bool
    writes: bool
    approval: bool = Field(description="Whether the approval policy gates this tool.")
    parameters: dict[str, Any] = Field(description="JSON Schema of the arguments.")


class ToolOutcome(BaseModel):
    """A ToolResult (ok true) or a ToolError (ok false), as the agent would see it."""

    model_config = ConfigDict(extra="allow")

    tool: str
    ok: bool


class FlowSummary(BaseModel):
    name: str
    states: int | None
    inputs: list[str]
    description: str
    error: str | None = None


class Validation(BaseModel):
    valid: bool
    flow: str | None
    problems: list[str]


class Health(BaseModel):
    status: str
    checks: dict[str, Any] = Field(default_factory=dict)
