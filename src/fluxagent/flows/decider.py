"""A flow as a decider: the same loop runs free-form questions and declarative flows.

``FlowDecider`` asks the controller for the next step. Tool, human and end states are decided
by the flow alone; a decider state hands the step to the inner decider (the offline planner or
an LLM) with the state's instruction as its question and only the state's tools on offer. The
inner decider's ``Done`` finishes that state: its answer becomes the state's result, recorded
in the next ``flow_transition`` so the flow stays a function of the thread.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from fluxagent.core.context import Context
from fluxagent.core.events import Thread, new_event
from fluxagent.core.state import fold
from fluxagent.core.steps import AskHuman, Done, Step, ToolCall
from fluxagent.flows.controller import FlowController, FlowRun
from fluxagent.flows.expr import render
from fluxagent.flows.schema import DeciderSpec, Flow, FlowError
from fluxagent.llm.base import Decider, DeciderError


class FlowDecider:
    """Runs ``flow`` over the session's thread; ``inner`` works the decider states."""

    def __init__(self, flow: Flow, inner: Decider) -> None:
        self.flow, self.inner = flow, inner
        self.controller = FlowController(flow)
        self.name = f"flow:{flow.name}"

    def next_step(self, context: Context, tools: list[dict[str, Any]]) -> Step:
        try:
            return self._next(context, tools)
        except FlowError as exc:  # a condition or template that cannot be evaluated
            return Done(answer=f"The {self.flow.name} flow stopped: {exc}", by=self.name,
                        data={"flow": self.flow.name, "stopped": True, "error": str(exc)})

    def _next(self, context: Context, tools: list[dict[str, Any]]) -> Step:
        run = self.controller.fold(context.thread)
        plan = self.controller.plan(run)
        records: list[dict[str, Any]] = []
        for _ in range(len(self.flow.states) + 2):
            records += plan.records
            if plan.delegate is None:
                if plan.step is None:
                    raise DeciderError(f"flow {self.flow.name} is waiting for an open call",
                                       kind="internal", retryable=False)
                return plan.step.model_copy(update={"records": tuple(records)})
            spec = plan.delegate
            step = self.inner.next_step(self._subcontext(context, plan.run, spec),
                                        [t for t in tools if t.get("name") in spec.tools])
            if isinstance(step, Done):
                plan = self.controller.plan(plan.run, output={"answer": step.answer,
                                                              **step.data})
                continue
            if isinstance(step, ToolCall) and step.name not in spec.tools:
                raise DeciderError(
                    f"tool {step.name} is not available in flow state {plan.run.state}; "
                    f"allowed: {', '.join(spec.tools) or 'none'}", kind="unknown_tool",
                    retryable=False)
            assert isinstance(step, ToolCall | AskHuman)
            return step.model_copy(update={"records": tuple(records),
                                           "by": step.by or self.inner.name})
        raise FlowError("a decider state did not settle")

    def _subcontext(self, context: Context, run: FlowRun, spec: DeciderSpec) -> Context:
        """The inner decider's view: history, then the instruction as the question, then its
        own steps in this state."""
        instruction = str(render(spec.instruction, self.controller.namespace(run)))
        thread = context.thread
        cut = run.entered_seq if run.entered_seq >= 0 else len(thread)
        events = [*thread.events[:cut],
                  new_event("user_message", {"text": instruction, "by": self.name}),
                  *thread.events[cut + 1:]]
        sub = Thread(thread.session_id).append(*[
            ev.model_copy(update={"seq": -1}) for ev in events])
        messages = [*context.messages,
                    {"role": "user", "content": f"[flow {self.flow.name}, step {run.state}] "
                     f"{instruction}"}]
        return dataclasses.replace(context, thread=sub, state=fold(sub), messages=messages,
                                   meta={**context.meta, "flow": self.flow.name,
                                         "flow_state": run.state,
                                         "allowed_tools": list(spec.tools)})


def turn_flow(thread: Thread) -> Flow | None:
    """The flow the current turn runs, from its user message (the definition is stored in the
    event, so a later change to the file cannot change a recorded run)."""
    events = thread.since_last_question()
    if not events or events[0].type != "user_message":
        return None
    raw = events[0].data.get("flow_def")
    if not isinstance(raw, dict):
        return None
    from fluxagent.flows.schema import parse_flow
    return parse_flow(raw, f"flow {events[0].data.get('flow', '')}")


class FlowDispatcher:
    """Runs the turn's flow if it has one, else passes the turn to ``inner``."""

    def __init__(self, inner: Decider) -> None:
        self.inner = inner
        self.name = inner.name

    def next_step(self, context: Context, tools: list[dict[str, Any]]) -> Step:
        flow = turn_flow(context.thread)
        if flow is None:
            step = self.inner.next_step(context, tools)
            return step if step.by else step.model_copy(update={"by": self.inner.name})
        return FlowDecider(flow, self.inner).next_step(context, tools)
