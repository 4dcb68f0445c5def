"""Contacting a person is a tool call (factor 7): ``request_human_input``, ``request_approval``
and ``escalate``.

The decider (or a flow) calls them like any tool. The runner turns a pending
``request_human_input`` or ``escalate`` call into a ``human_request`` event and stops; when the
answer arrives (``sessions.respond``) the same call gets an ordinary ``tool_result`` carrying
the answer. ``request_approval`` always needs approval (see ``approvals.ALWAYS``): the runner
stops with an ``approval_request`` and, once a person approves, the tool returns their comment;
a rejection goes back to the decider like any rejected call.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field, ValidationError, model_validator

from fluxagent.core.events import Event, Thread, new_event
from fluxagent.core.state import PendingCall
from fluxagent.tools.registry import REGISTRY, ToolContext
from fluxagent.tools.results import ToolError, ToolFailure, ToolResult

#: Tools the runner answers with a person instead of running them.
HUMAN_INPUT_TOOLS = frozenset({"request_human_input", "escalate"})
YES = frozenset({"yes", "y", "true", "ok", "approve", "approved"})
NO = frozenset({"no", "n", "false", "reject", "rejected"})


class HumanInputArgs(BaseModel):
    question: str = Field(min_length=1, description="What to ask, in one or two sentences.")
    kind: Literal["text", "yes_no", "choice"] = Field(
        "text", description="Free text, yes/no, or one of `options`.")
    options: list[str] = Field(default_factory=list, description="Choices for kind=choice.")
    urgency: Literal["low", "normal", "high"] = "normal"

    @model_validator(mode="after")
    def _options(self) -> HumanInputArgs:
        if self.kind == "choice" and len(self.options) < 2:
            raise ValueError("a multiple-choice question needs at least two options")
        return self


class ApprovalArgs(BaseModel):
    action: str = Field(min_length=1, description="What the agent wants to do.")
    reason: str = Field(default="", description="Why it needs a person's approval.")
    urgency: Literal["low", "normal", "high"] = "normal"


class EscalateArgs(BaseModel):
    reason: str = Field(min_length=1, description="What went wrong or needs an expert.")
    contact: str | None = Field(default=None, description="Who to ask (default: the policy's "
                                "escalate_to contact).")
    urgency: Literal["low", "normal", "high"] = "high"


def _answered_by_person(args: BaseModel, ctx: ToolContext) -> ToolResult:
    raise ToolFailure("bad_arguments", "this tool is answered by a person and only runs "
                      "inside a session", hint="use `fluxagent ask` or a flow")


@REGISTRY.tool("request_human_input", "Ask a person a question (free text, yes/no or multiple "
               "choice) and wait for the answer.", HumanInputArgs)
def request_human_input(args: HumanInputArgs, ctx: ToolContext) -> ToolResult:
    return _answered_by_person(args, ctx)


@REGISTRY.tool("escalate", "Hand the problem to a named person (default: the policy's "
               "contact) and wait for their guidance.", EscalateArgs)
def escalate(args: EscalateArgs, ctx: ToolContext) -> ToolResult:
    return _answered_by_person(args, ctx)


@REGISTRY.tool("request_approval", "Ask a person to approve an action before doing it; a "
               "rejection comes back with their comment.", ApprovalArgs)
def request_approval(args: ApprovalArgs, ctx: ToolContext) -> ToolResult:
    pending = ctx.state.pending_call
    comment = pending.comment if pending is not None else ""
    return ToolResult(tool="request_approval",
                      summary=f"A person approved: {args.action}."
                      + (f" Comment: {comment}" if comment else ""),
                      data={"approved": True, "action": args.action, "comment": comment})


HUMAN_ARGS: dict[str, type[BaseModel]] = {"request_human_input": HumanInputArgs,
                                          "escalate": EscalateArgs}


def human_tool_events(thread: Thread, call: PendingCall,
                      meta: dict[str, Any] | None = None) -> list[Event]:
    """What the runner appends for a pending human-input call: the request, or the answer."""
    request = response = None
    for ev in thread:
        if ev.call_id == call.call_id and ev.type == "human_request":
            request = ev
        elif ev.call_id == call.call_id and ev.type == "human_response":
            response = ev
    if request is None:
        try:
            args = HUMAN_ARGS[call.name].model_validate(call.args).model_dump()
        except ValidationError as exc:
            problems = "; ".join(f"{'.'.join(str(p) for p in e['loc']) or 'arguments'}: "
                                 f"{e['msg']}" for e in exc.errors()[:3])
            error = ToolError.of(call.name, "bad_arguments", problems,
                                 hint=f"{call.name} takes: "
                                 f"{', '.join(HUMAN_ARGS[call.name].model_fields)}")
            return [new_event("tool_error", error.model_dump(mode="json"), call_id=call.call_id)]
        if call.name == "escalate":
            data: dict[str, Any] = {
                "question": f"Escalated to you: {args.get('reason', '')} How should I continue?",
                "kind": "text", "options": [], "urgency": args.get("urgency", "high"),
                "by": "escalation", "reason": args.get("reason", "")}
            meta = dict(meta or {})
            contact = args.get("contact") or meta.pop("escalate_to", "")
            if contact:
                data["to"] = contact
        else:
            data = {"question": args.get("question", ""), "kind": args.get("kind", "text"),
                    "options": list(args.get("options", [])),
                    "urgency": args.get("urgency", "normal"), "by": "tool"}
        return [new_event("human_request", {**data, "tool": call.name, **(meta or {})},
                          call_id=call.call_id)]
    if response is None:
        return []  # still waiting: the fold already says so
    text = str(response.data.get("text", ""))
    who = response.data.get("by") or "a person"
    result = ToolResult(tool=call.name, summary=f"{who} answered: {text}",
                        data={"answer": text, "question": request.data.get("question", ""),
                              "by": who})
    return [new_event("tool_result", result.model_dump(mode="json"), call_id=call.call_id)]


def check_response(request: Event, text: str) -> str:
    """Normalise a person's answer to the request's kind, or say clearly what is expected."""
    options = list(request.data.get("options", []))
    kind = request.data.get("kind") or ("yes_no" if options == ["yes", "no"]
                                        else "choice" if options else "text")
    answer = text.strip()
    if not answer:
        raise ValueError("the answer is empty")
    if kind == "yes_no":
        low = answer.lower()
        if low in YES:
            return "yes"
        if low in NO:
            return "no"
        raise ValueError(f"this question needs yes or no, not {answer!r}")
    if kind == "choice" and options:
        if answer.isdigit() and 1 <= int(answer) <= len(options):
            return options[int(answer) - 1]
        match = [o for o in options if o.lower() == answer.lower()]
        if not match:
            raise ValueError(f"choose one of: {', '.join(options)} (or its number)")
        return match[0]
    return answer
