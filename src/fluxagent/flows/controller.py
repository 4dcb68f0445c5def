"""The FlowController (roadmap 2.1): a flow's position and next step, derived from the thread.

``execute_flow(thread)`` is a pure function: it replays the current turn's events (the
``user_message`` that started the flow, every ``flow_transition``, the flow's tool calls and
their results, human answers) to find where the flow stands, then plans what happens next.
Because nothing else is consulted, replaying a stored session through the controller gives
back every decision it made; rolling back is forking the thread before a transition.

Every change of state is a ``flow_transition`` event ``{flow, from, to, visit, step, when,
output?}``; the controller emits them as a step's ``records`` so the runner stores them just
before the step they lead to.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel, Field

from fluxagent.core.events import Event, Thread
from fluxagent.core.steps import AskHuman, Done, Step, ToolCall
from fluxagent.flows.expr import holds, render
from fluxagent.flows.schema import DeciderSpec, Flow, FlowError, State, Transition, parse_flow

STOP = "__stop__"
RunStatus = Literal["not_started", "running", "finished"]


class Outcome(BaseModel):
    """What the current state's work produced (None while it is still to be done)."""

    ok: bool = True
    result: dict[str, Any] = Field(default_factory=dict)
    error: dict[str, Any] = Field(default_factory=dict)
    summary: str = ""


class FlowRun(BaseModel):
    """Where a flow stands, derived from the thread."""

    flow: str
    digest: str
    input: dict[str, Any] = Field(default_factory=dict)
    status: RunStatus = "not_started"
    state: str | None = None
    step: int = 0
    visits: dict[str, int] = Field(default_factory=dict)
    results: dict[str, Any] = Field(default_factory=dict)
    summaries: dict[str, str] = Field(default_factory=dict)
    path: list[str] = Field(default_factory=list)
    attempts: int = 0  # tool calls made in the current visit
    inner_steps: int = 0  # decider steps made in the current visit
    call_id: str | None = None  # the flow's open call or question in the current visit
    entered_seq: int = -1  # seq of the transition into the current state
    outcome: Outcome | None = None


@dataclass
class Plan:
    """The next step, with the transitions that lead to it, and the run after them."""

    run: FlowRun
    records: list[dict[str, Any]] = field(default_factory=list)
    step: Step | None = None
    delegate: DeciderSpec | None = None


def flow_tag(flow: Flow) -> str:
    return f"flow:{flow.name}"


class FlowController:
    """Runs one flow definition over a thread (``execute_flow``, ``get_next_step``,
    ``validate_flow`` are the roadmap's API)."""

    def __init__(self, flow_definition: Flow | Mapping[str, Any]) -> None:
        self.flow = (flow_definition if isinstance(flow_definition, Flow)
                     else parse_flow(dict(flow_definition)))
        self.tag = flow_tag(self.flow)
        self.decision_tree = self._build_decision_tree()

    # -- the roadmap's API ---------------------------------------------------------------
    def execute_flow(self, input_state: Thread | Sequence[Event] | Mapping[str, Any]
                     ) -> dict[str, Any]:
        """Where the flow stands and what it does next, as a pure function of the thread."""
        plan = self.plan(self.fold(_as_thread(input_state)))
        nxt: dict[str, Any]
        if plan.delegate is not None:
            nxt = {"kind": "delegate", **plan.delegate.model_dump()}
        elif plan.step is not None:
            nxt = plan.step.model_dump(exclude={"usage", "records", "by"})
        else:
            nxt = {"kind": "wait"}
        return {**plan.run.model_dump(), "next": nxt, "records": plan.records}

    def get_next_step(self, current_state: Mapping[str, Any]) -> str:
        """The state that follows ``current_state["state"]`` given its outcome.

        ``current_state`` holds ``state`` and the outcome: ``result`` (dict), ``ok``
        (default true), ``error``, ``response``, plus optional ``input``, ``results``,
        ``visits``. Returns the next state's name, or "" when the flow ends there.
        """
        name = str(current_state.get("state", ""))
        if name not in self.flow.states:
            raise FlowError(f"flow {self.flow.name} has no state {name!r}")
        st = self.flow.states[name]
        if st.kind == "end":
            return ""
        result = dict(current_state.get("result") or {})
        if "response" in current_state:
            result.setdefault("response", current_state["response"])
        outcome = Outcome(ok=bool(current_state.get("ok", True)), result=result,
                          error=dict(current_state.get("error") or {}))
        run = FlowRun(flow=self.flow.name, digest=self.flow.digest(), status="running",
                      input=dict(current_state.get("input") or {}), state=name,
                      results=dict(current_state.get("results") or {}),
                      visits=dict(current_state.get("visits") or {}))
        target, _ = self._choose(st, outcome, run)
        return "" if target == STOP else target

    def validate_flow(self, registry: Any = None) -> list[str]:
        """Every defect found (empty when the flow is sound); see ``validate.py``."""
        from fluxagent.flows.validate import validate_flow
        return [str(p) for p in validate_flow(self.flow, registry)]

    def _build_decision_tree(self) -> dict[str, list[tuple[str | None, str]]]:
        """state -> [(condition, target)] in the order they are tried."""
        return {name: [(t.when, t.to) for t in st.edges()]
                for name, st in self.flow.states.items()}

    # -- deriving the position -----------------------------------------------------------
    def turn_events(self, thread: Thread) -> list[Event]:
        """The events of the turn that started this flow (from its user message on)."""
        events = thread.since_last_question()
        if not events or events[0].type != "user_message":
            return []
        return events

    def fold(self, thread: Thread) -> FlowRun:
        events = self.turn_events(thread)
        given = dict(events[0].data.get("input", {})) if events else {}
        run = FlowRun(flow=self.flow.name, digest=self.flow.digest(),
                      input=self.flow.resolve_inputs(given))
        for ev in events[1:]:
            self._apply(run, ev)
        return run

    def _apply(self, run: FlowRun, ev: Event) -> None:
        d, by = ev.data, ev.data.get("by")
        if ev.type == "flow_transition" and d.get("flow") == self.flow.name:
            src, dst = d.get("from"), d.get("to")
            if src and "output" in d:
                run.results[src] = d["output"]
            run.step += 1
            if dst is None or dst == STOP:
                run.status, run.state = "finished", None
                return
            run.status, run.state = "running", str(dst)
            run.visits[run.state] = run.visits.get(run.state, 0) + 1
            run.path.append(run.state)
            run.attempts = run.inner_steps = 0
            run.call_id, run.outcome, run.entered_seq = None, None, ev.seq
        elif run.state is None:
            return
        elif ev.type == "tool_call" and by == "retry":
            if run.outcome is not None and not run.outcome.ok:  # the runner retries our call
                run.call_id, run.outcome = ev.call_id, None
                run.attempts += 1
        elif ev.type in ("tool_call", "human_request") and by == self.tag:
            run.call_id, run.outcome = ev.call_id, None
            run.attempts += int(ev.type == "tool_call")
        elif ev.type in ("tool_call", "human_request") and by not in ("escalation",
                                                                      "prefetch"):
            run.inner_steps += 1
        elif ev.call_id is None or ev.call_id != run.call_id:
            if ev.type == "final_answer":
                run.status = "finished"
            return
        elif ev.type == "tool_result":
            raw = d.get("data")
            result: dict[str, Any] = raw if isinstance(raw, dict) else {}
            run.outcome = Outcome(ok=True, result=result, summary=str(d.get("summary", "")))
            run.results[run.state] = result
            run.summaries[run.state] = run.outcome.summary
        elif ev.type == "tool_error":
            run.outcome = Outcome(ok=False, error={k: d.get(k) for k in
                                                   ("kind", "message", "hint", "retryable")})
        elif ev.type == "approval_decision" and d.get("decision") == "reject":
            run.outcome = Outcome(ok=False, error={"kind": "rejected", "retryable": False,
                                                   "message": d.get("comment") or "rejected",
                                                   "hint": ""})
        elif ev.type == "human_response":
            run.outcome = Outcome(ok=True, result={"response": d.get("text", "")})
            run.results[run.state] = run.outcome.result

    # -- planning ------------------------------------------------------------------------
    def namespace(self, run: FlowRun, outcome: Outcome | None = None) -> dict[str, Any]:
        o = outcome or Outcome()
        return {"input": run.input, "results": run.results, "summaries": run.summaries,
                "visits": run.visits, "state": run.state, "result": o.result, "ok": o.ok,
                "error": o.error, "response": o.result.get("response")}

    def plan(self, run: FlowRun, output: dict[str, Any] | None = None) -> Plan:
        """The next step from ``run``; ``output`` completes the current decider state."""
        run = run.model_copy(deep=True)
        plan = Plan(run=run)
        if run.status == "finished":
            return plan
        if run.state is None:
            self._enter(plan, None, self.flow.start, None)
            if plan.step is not None:
                return plan
        for _ in range(len(self.flow.states) * self.flow.limits.max_visits + 2):
            st = self.flow.states[run.state]  # type: ignore[index]
            outcome = run.outcome
            if st.kind == "end":
                assert st.end is not None
                answer = render(st.end.answer, self.namespace(run))
                plan.step = Done(answer=str(answer), by=self.tag,
                                 data={"flow": self.flow.name, "path": run.path})
                return plan
            if st.kind == "decider":
                if output is None and run.inner_steps >= st.decider.max_steps:  # type: ignore
                    output = {"answer": "", "exhausted": True}
                if output is None:
                    plan.delegate = st.decider
                    return plan
                outcome, out = Outcome(ok=True, result=dict(output)), dict(output)
                output = None
                run.results[run.state] = outcome.result  # type: ignore[index]
                target, why = self._choose(st, outcome, run)
                self._enter(plan, run.state, target, why, out)
                if plan.step is not None:
                    return plan
                continue
            if outcome is None:
                if run.call_id is not None:
                    return plan  # the call or question is open: nothing to decide
                plan.step = self._work(st, run)
                return plan
            if (st.kind == "tool" and not outcome.ok and outcome.error.get("retryable")
                    and run.attempts <= st.retries):
                plan.step = self._work(st, run)
                return plan
            target, why = self._choose(st, outcome, run)
            self._enter(plan, run.state, target, why)
            if plan.step is not None:
                return plan
        raise FlowError(f"flow {self.flow.name}: no progress after many transitions")

    def _work(self, st: State, run: FlowRun) -> Step:
        """The step that does a tool or human state's work."""
        ns = self.namespace(run)
        if st.kind == "tool":
            args = _prune(render(st.args, ns)) or {}
            return ToolCall(name=st.tool or "", args=args, by=self.tag,
                            rationale=st.description or f"flow {self.flow.name}: {run.state}")
        assert st.human is not None
        question = str(render(st.human.question, ns))
        options = ["yes", "no"] if st.human.kind == "yes_no" else list(st.human.options)
        return AskHuman(question=question, options=options, urgency=st.human.urgency,
                        by=self.tag)

    def _choose(self, st: State, outcome: Outcome, run: FlowRun) -> tuple[str, str]:
        """The target of the first transition that holds, and why."""
        ns = self.namespace(run, outcome)
        if not outcome.ok:
            if st.on_error is not None:
                return st.on_error, f"error: {outcome.error.get('message', '')}"
            err = outcome.error
            return STOP, (f"{run.state} failed ({err.get('kind')}): {err.get('message')}"
                          + (f" Hint: {err['hint']}" if err.get("hint") else ""))
        candidates = [*st.transitions, *([Transition(to=st.next)] if st.next else [])]
        for t in candidates:
            if holds(t.when, ns):
                return t.to, t.when or "default"
        return STOP, f"no transition out of {run.state} holds"

    def _enter(self, plan: Plan, src: str | None, dst: str, why: str | None,
               output: dict[str, Any] | None = None) -> Plan:
        """Record a transition; a stop or a broken limit ends the flow with an explanation."""
        run, limits = plan.run, self.flow.limits
        if dst != STOP:
            st = self.flow.states[dst]
            cap = st.max_visits or limits.max_visits
            reason = None
            if run.visits.get(dst, 0) >= cap:
                reason = f"state {dst} reached its limit of {cap} visits"
            elif run.step >= limits.max_steps:
                reason = f"the flow reached its limit of {limits.max_steps} steps"
            if reason is not None:
                if limits.on_limit and limits.on_limit != dst and src != limits.on_limit:
                    why, dst = f"{reason}; going to {limits.on_limit}", limits.on_limit
                else:
                    why, dst = reason, STOP
        data: dict[str, Any] = {"flow": self.flow.name, "from": src,
                                "to": None if dst == STOP else dst,
                                "visit": 0 if dst == STOP else run.visits.get(dst, 0) + 1,
                                "step": run.step + 1, "when": why or "start"}
        if src is None:
            data["input"], data["digest"] = run.input, self.flow.digest()
        if output is not None:
            data["output"] = output
        plan.records.append({"type": "flow_transition", "data": data})
        ev = Event(type="flow_transition", data=data)  # seq -1: not stored yet
        self._apply(run, ev)
        if dst == STOP:
            plan.step = Done(answer=f"The {self.flow.name} flow stopped: {why}.", by=self.tag,
                             data={"flow": self.flow.name, "path": run.path,
                                   "stopped": True})
            return plan
        return plan


def _prune(value: Any) -> Any:
    """Drop arguments a template left empty (None), and mappings left with nothing in them,
    so the tool's own defaults apply."""
    if isinstance(value, dict):
        kept = {k: p for k, v in value.items() if (p := _prune(v)) is not None}
        return kept if kept or not value else None
    return value


def _as_thread(value: Thread | Sequence[Event] | Mapping[str, Any]) -> Thread:
    if isinstance(value, Thread):
        return value
    if isinstance(value, Mapping):
        events = value.get("events", value.get("thread"))
        if isinstance(events, Thread):
            return events
        if events is None:
            raise FlowError("execute_flow needs the session's thread (or its events)")
        return Thread("flow", list(events))
    return Thread(str(getattr(value, "session_id", "flow")), list(value))
