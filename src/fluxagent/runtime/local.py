"""The agent loop, in-process (DESIGN.md "runner").

Each pass folds the thread, asks what happens next, does exactly one thing (decide, ask for
approval, or run a tool) and appends the outcome to the store before doing anything else. A
crash therefore loses at most the work in flight, and ``run`` on the same session picks up
from the stored events.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from fluxagent.context.render import ContextError
from fluxagent.core.context import Context
from fluxagent.core.errors import RetryPlan
from fluxagent.core.events import Event, Thread, new_event
from fluxagent.core.redact import redact
from fluxagent.core.state import SessionState
from fluxagent.core.steps import AskHuman, Done, Step, ToolCall
from fluxagent.human.approvals import ApprovalPolicy
from fluxagent.human.tools import human_tool_events
from fluxagent.llm.base import Decider, DeciderError
from fluxagent.llm.verify import flag_line, verify_answer
from fluxagent.observability import telemetry
from fluxagent.runtime import lease
from fluxagent.runtime.loop import REST, Plan, plan_step
from fluxagent.store.base import EventStore
from fluxagent.tools.arguments import preview
from fluxagent.tools.registry import Registry, ToolContext
from fluxagent.tools.results import ToolError

ContextBuilder = Callable[[Thread, SessionState], Context]
ToolContextFactory = Callable[[Thread, SessionState], ToolContext]
Listener = Callable[[Event], None]
#: Called after each append with the new thread and the events just added (error learning).
Observer = Callable[[Thread, Sequence[Event]], None]


def context_usage(ctx: Context) -> dict[str, Any]:
    """What a decision cost in context: recorded on the decision event (factor 3 monitoring)."""
    usage: dict[str, Any] = {"tokens": ctx.tokens, "budget": ctx.budget,
                             "sections": dict(ctx.sections)}
    if ctx.meta.get("prompt"):
        usage["prompt"] = ctx.meta["prompt"]
    return usage


def step_events(step: Step, decider: str, *, context: dict[str, Any] | None = None
                ) -> list[Event]:
    """The events that record a decider's step (``context``: the context usage it saw)."""
    meta: dict[str, Any] = {"by": step.by or decider, "usage": step.usage.model_dump()}
    if context or step.sent:
        meta["context"] = {**(context or {}), **step.sent}
    if step.rationale:
        meta["rationale"] = step.rationale
    records = [new_event(r["type"], r.get("data", {})) for r in step.records]
    if isinstance(step, ToolCall):
        return [*records, new_event("tool_call", {"name": step.name, "args": step.args, **meta},
                                    call_id=uuid.uuid4().hex[:12])]
    if isinstance(step, AskHuman):
        return [*records, new_event("human_request", {"question": step.question,
                                                      "options": step.options,
                                                      "urgency": step.urgency, **meta},
                                    call_id=uuid.uuid4().hex[:12])]
    assert isinstance(step, Done)
    return [*records, new_event("final_answer", {"answer": step.answer, "data": step.data,
                                                 **meta})]


def refused_call(step: ToolCall, error: ToolError, decider: str,
                 context: dict[str, Any]) -> list[Event]:
    """A decider's call whose arguments were refused before storage: the call (arguments
    replaced by a short preview) and its ``bad_arguments`` error."""
    call = step.model_copy(update={"args": {}})
    events = step_events(call, decider, context=context)
    made = events[-1]
    made = made.model_copy(update={"data": {**made.data, "args_refused": error.message,
                                            "args_preview": preview(step.args)}})
    return [*events[:-1], made, new_event("tool_error", error.model_dump(mode="json"),
                                          call_id=made.call_id)]


def verified(thread: Thread, step: Done) -> tuple[Done, list[Event]]:
    """Check every claim of a final answer against the thread (any decider): a flagged one
    gets a visible flag line and an ``unverified_numbers`` annotation event (with per-claim
    detail: kind, value, why)."""
    check = verify_answer(thread, step.answer)
    if check.ok:
        return step, []
    line = flag_line(check.untraceable, check.claims)
    flagged = step.model_copy(update={"answer": f"{step.answer}\n{line}"})
    return flagged, [new_event("annotation", {
        "kind": "unverified_numbers", "numbers": check.untraceable,
        "claims": [c.as_dict() for c in check.flagged]})]


@dataclass
class LocalRunner:
    store: EventStore
    decider: Decider
    registry: Registry
    context: ContextBuilder
    tool_context: ToolContextFactory
    policy: ApprovalPolicy = field(default_factory=ApprovalPolicy)
    max_steps: int = 25
    listeners: list[Listener] = field(default_factory=list)
    observers: list[Observer] = field(default_factory=list)
    sleep: Callable[[float], None] = time.sleep  # back-off between retries
    lease_ttl_s: float = lease.TTL_S  # a dead runner's lease frees itself after this
    lease_wait_s: float = lease.WAIT_S  # how long to wait for a session another runner drives
    secrets: tuple[str, ...] = ()  # configured secret values, masked in stored messages

    @contextmanager
    def lease(self, session_id: str) -> Iterator[str]:
        """Drive ``session_id`` exclusively (runtime/lease.py); re-entrant in one thread."""
        with lease.hold(self.store, session_id, ttl_s=self.lease_ttl_s,
                        wait_s=self.lease_wait_s) as holder:
            yield holder

    def _append(self, thread: Thread, *events: Event) -> Thread:
        new = thread.append(*events)
        added = new.events[len(thread):]
        self.store.append(thread.session_id, added, expected_seq=len(thread))
        telemetry.appended(thread.session_id, added)
        for ev in added:
            for listen in self.listeners:
                listen(ev)
        for observe in self.observers:
            observe(new, added)
        return new

    def record(self, thread: Thread, *events: Event) -> Thread:
        """Store ``events`` after ``thread`` (ConflictError if the session moved on) and tell
        the listeners and observers: how an activity of another runner stores an outcome."""
        return self._append(thread, *events)

    def append(self, session_id: str, *events: Event) -> Thread:
        """Append events from outside the loop (a question, a human response, a pause)."""
        with self.lease(session_id):
            return self._append(self.store.load(session_id), *events)

    def run(self, session_id: str) -> SessionState:
        """Drive the session until it finishes or must wait for a person (under its lease)."""
        with self.lease(session_id), telemetry.session(session_id):
            return self._run(session_id)

    def _run(self, session_id: str) -> SessionState:
        thread = self.store.load(session_id)
        while True:
            plan = self.plan(thread)
            if plan.kind in REST:
                return plan.state
            telemetry.step(plan.kind)
            if plan.delay_s:
                self.sleep(plan.delay_s)
            after = self.advance(thread, plan)
            if after is None:
                return plan.state
            thread = after

    def plan(self, thread: Thread) -> Plan:
        """What this runner does next on ``thread`` (runtime/loop.py)."""
        return plan_step(thread, self.policy, self.max_steps)

    def advance(self, thread: Thread, plan: Plan) -> Thread | None:
        """Do what ``plan`` says (its back-off already waited) and store the outcome; None
        when nothing was stored and the session waits (a question to a person)."""
        call = plan.call
        if plan.kind == "escalate":
            return self._escalate(thread, plan.reason)
        if plan.kind == "retry":
            assert plan.retry is not None
            return self._retry(thread, plan.retry)
        if plan.kind == "request_approval":
            assert call is not None
            return self._append(thread, new_event(
                "approval_request", {"tool": call.name, "args": call.args,
                                     "reason": plan.reason,
                                     **self.policy.request_meta("approval")},
                call_id=call.call_id))
        if plan.kind == "ask_human":
            # a question to a person: ask (and stop), or hand back the answer as the result
            assert call is not None
            events = human_tool_events(thread, call, self.policy.request_meta("human"))
            return self._append(thread, *events) if events else None
        if plan.kind == "execute":
            assert call is not None
            return self._append(thread, self.tool_event(thread, plan))
        return self._decide(thread, plan.state)

    def tool_event(self, thread: Thread, plan: Plan, ctx: ToolContext | None = None) -> Event:
        """Run the planned tool call (in ``ctx``, default: the runner's): its ``tool_result``
        or ``tool_error`` event."""
        call = plan.call
        assert call is not None
        with telemetry.tool(call.name, call.call_id) as note:
            outcome = self.registry.execute(call.name, call.args,
                                            ctx or self.tool_context(thread, plan.state))
            note(outcome)
        data = outcome.model_dump(mode="json")
        if not outcome.ok:  # an error message may quote a URL with its credentials
            data["message"] = redact(str(data.get("message", "")), self.secrets)
        return new_event("tool_result" if outcome.ok else "tool_error", data,
                         call_id=call.call_id)

    def _decide(self, thread: Thread, state: SessionState) -> Thread:
        try:
            ctx = self.context(thread, state)
        except ContextError as exc:  # nothing a decider could fix: a person must
            again = any(ev.type == "tool_error" and ev.data.get("kind") == "context_overflow"
                        and ev.data.get("message") == str(exc)
                        for ev in thread.since_last_question())
            thread = self._append(thread, new_event(
                "tool_error", {"tool": "context", "ok": False, "kind": "context_overflow",
                               "message": str(exc), "retryable": False}))
            if again:  # a person was asked and nothing changed: stop instead of looping
                return self._append(thread, new_event("session_failed", {
                    "reason": f"the context still cannot be built: {exc}",
                    "hint": "fork the session before the oversized event, or raise "
                    "FLUXAGENT_MAX_TOKENS"}))
            return self._escalate(thread, f"the context cannot be built: {exc}")
        pre = list(ctx.meta.get("events", ()))  # variant assignment, context_compacted
        try:
            with telemetry.decision(self.decider.name, ctx.meta.get("prompt")) as note:
                step = self.decider.next_step(ctx, self.registry.shared_specs())
                note(step)
        except DeciderError as exc:
            return self._append(thread, *pre, new_event(
                "tool_error", {"tool": f"decider:{self.decider.name}", "ok": False,
                               "kind": exc.kind, "message": redact(str(exc), self.secrets),
                               "retryable": exc.retryable, "usage": exc.usage.model_dump()}))
        notes: list[Event] = []
        if isinstance(step, Done):
            step, notes = verified(thread, step)
        if isinstance(step, ToolCall) and (
                refused := self.registry.screen(step.name, step.args)) is not None:
            # never store what no tool may receive (10 MB strings, NaN, NUL): the call is
            # recorded with a short preview and answered by its error at once
            made = refused_call(step, refused, self.decider.name, context_usage(ctx))
            return self._append(thread, *pre, *made)
        made = step_events(step, self.decider.name, context=context_usage(ctx))
        meta = self.policy.request_meta("human")  # deadline and contact of a question
        made = [ev.model_copy(update={"data": {**meta, **ev.data}})
                if ev.type == "human_request" and meta else ev for ev in made]
        return self._append(thread, *pre, *notes, *made)

    def _retry(self, thread: Thread, plan: RetryPlan) -> Thread:
        """Repeat a call that failed transiently, without asking the decider (retry rules)."""
        return self._append(thread, new_event(
            "tool_call", {"name": plan.name, "args": plan.args, "by": "retry",
                          "attempt": plan.attempt, "retry_of": plan.kind},
            call_id=uuid.uuid4().hex[:12]))

    def _escalate(self, thread: Thread, reason: str) -> Thread:
        return self._append(thread, new_event(
            "human_request", {"question": f"I need help: {reason}. How should I continue?",
                              "options": [], "urgency": "high", "by": "escalation",
                              "reason": reason, **self.policy.request_meta("human")},
            call_id=uuid.uuid4().hex[:12]))
