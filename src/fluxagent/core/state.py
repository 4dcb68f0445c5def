"""The stateless reducer: ``fold(thread) -> SessionState``.

Execution state (what runs next, whom we wait for, the error streak) and business state (which
models are in use and how the session changed them) are both derived here, from events only.
The fold reads no clock and performs no I/O, so replaying a stored thread always gives the
same state.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from fluxagent.core.events import Event, Thread
from fluxagent.core.validate import Causality

Status = Literal["idle", "running", "waiting_for_human", "waiting_for_approval", "paused",
                 "done", "failed"]
Approval = Literal["none", "requested", "approved", "rejected"]
Action = Literal["decide", "execute", "request_approval", "wait", "finished"]


class PendingCall(BaseModel):
    """A tool call the decider chose that has no result yet."""

    model_config = ConfigDict(frozen=True)

    call_id: str
    name: str
    args: dict[str, Any]
    approval: Approval = "none"
    comment: str = ""


class ModelState(BaseModel):
    """A model in use: its base and the ordered changes the session made to it."""

    model_config = ConfigDict(frozen=True)

    base: str
    changes: tuple[dict[str, Any], ...] = ()


class SessionState(BaseModel):
    model_config = ConfigDict(frozen=True)

    session_id: str
    status: Status = "idle"
    question: str = ""
    turn: int = 0
    steps_this_turn: int = 0
    pending_call: PendingCall | None = None
    pending_human: str | None = None  # call_id of an open human_request
    pending_approval: str | None = None  # call_id of an open approval_request
    consecutive_errors: int = 0
    tool_calls: int = 0
    tool_errors: int = 0
    answer: str | None = None
    failure: str | None = None
    current_model: str | None = None
    models: dict[str, ModelState] = Field(default_factory=dict)
    prompt_tokens: int = 0
    completion_tokens: int = 0
    last_seq: int = -1


def _apply_effects(models: dict[str, ModelState], current: str | None,
                   effects: Iterable[dict[str, Any]]) -> str | None:
    """Apply a tool result's state effects (see tools/results.py for the vocabulary)."""
    for eff in effects:
        if not isinstance(eff, dict):  # a foreign or damaged event: nothing to apply
            continue
        op, name = eff.get("op"), eff.get("model")
        if not isinstance(name, str):
            continue
        if op == "use_model":
            base = eff.get("base", name)
            if name not in models or models[name].base != base:
                models[name] = ModelState(base=base)
            current = name
        elif op == "reset_model":
            models[name] = ModelState(base=models[name].base if name in models else name)
        else:
            prior = models.get(name, ModelState(base=name))
            models[name] = prior.model_copy(update={"changes": (*prior.changes, eff)})
            current = current or name
    return current


def fold(thread: Thread) -> SessionState:
    """Derive the whole session state from its events."""
    st: dict[str, Any] = {"session_id": thread.session_id}
    models: dict[str, ModelState] = {}
    current: str | None = None
    pending: PendingCall | None = None
    paused_from: Status | None = None
    status: Status = "idle"
    causal = Causality()
    call_args: dict[str, Any] = {}
    for ev in thread:
        t, d = ev.type, ev.data
        if not causal.accept(ev):  # out of causal order (see core/validate.py): not honoured
            st["last_seq"] = ev.seq
            continue
        if t == "user_message":
            st.update(question=str(d.get("text", "")), turn=st.get("turn", 0) + 1,
                      steps_this_turn=0, answer=None, failure=None, consecutive_errors=0)
            if isinstance(d.get("model"), str):
                current = _apply_effects(models, current, [{
                    "op": "use_model", "model": d["model"],
                    "base": str(d.get("base") or d["model"])}])
            pending, status = None, "running"
        elif t == "tool_call":
            call_args = dict(d.get("args", {}))
            pending = PendingCall(call_id=ev.call_id or ev.id, name=str(d.get("name", "")),
                                  args=call_args)
            st["steps_this_turn"] = st.get("steps_this_turn", 0) + 1
            st["tool_calls"] = st.get("tool_calls", 0) + 1
        elif t == "approval_request" and pending and ev.call_id == pending.call_id:
            pending = pending.model_copy(update={"approval": "requested"})
            st["pending_approval"], status = ev.call_id, "waiting_for_approval"
        elif t == "approval_decision" and pending and ev.call_id == pending.call_id:
            decision = d.get("decision")
            update: dict[str, Any] = {"comment": str(d.get("comment", ""))}
            if decision == "reject":
                update["approval"] = "rejected"
            else:
                update["approval"] = "approved"
                if isinstance(d.get("args"), dict):
                    update["args"] = d["args"]
            pending = pending.model_copy(update=update)
            st["pending_approval"], status = None, "running"
            if decision == "reject":
                pending = None
        elif t == "tool_result" and pending and ev.call_id == pending.call_id:
            effects = d.get("effects", [])
            current = _apply_effects(models, current, effects if isinstance(effects, list)
                                     else [])
            st["consecutive_errors"] = 0
            pending = None
        elif t == "tool_error" and (pending is None or ev.call_id == pending.call_id):
            st["consecutive_errors"] = st.get("consecutive_errors", 0) + 1
            st["tool_errors"] = st.get("tool_errors", 0) + 1
            pending = None
        elif t == "human_request":
            st["pending_human"], status = ev.call_id or ev.id, "waiting_for_human"
        elif t == "human_response" and ev.call_id == st.get("pending_human"):
            st["pending_human"], status = None, "running"
            st["consecutive_errors"] = 0
        elif t == "final_answer":
            st["answer"], status, pending = str(d.get("answer", "")), "done", None
        elif t == "session_failed":
            st["failure"], status = str(d.get("reason", "failed")), "failed"
        elif t == "session_imported" and not d.get("trusted"):
            if pending is not None and pending.approval == "approved":
                # an approval given elsewhere is a request still waiting here
                pending = pending.model_copy(update={"approval": "requested",
                                                     "args": call_args, "comment": ""})
                st["pending_approval"] = pending.call_id
                if status == "paused":
                    paused_from = "waiting_for_approval"
                else:
                    status = "waiting_for_approval"
        elif t == "session_paused" and status != "paused":
            paused_from, status = status, "paused"
        elif t == "session_resumed" and status == "paused":
            status, paused_from = paused_from or "running", None
        usage = d.get("usage")
        if isinstance(usage, dict):  # decisions carry the decider's token usage
            st["prompt_tokens"] = st.get("prompt_tokens", 0) + int(usage.get("prompt_tokens", 0))
            st["completion_tokens"] = (st.get("completion_tokens", 0)
                                       + int(usage.get("completion_tokens", 0)))
        st["last_seq"] = ev.seq
    return SessionState(**st, status=status, pending_call=pending, models=models,
                        current_model=current)


def next_action(state: SessionState, *, needs_approval: bool = False) -> Action:
    """What the runner does next; ``needs_approval`` is the policy's verdict on the pending call."""
    if state.status in ("paused", "waiting_for_human", "waiting_for_approval"):
        return "wait"
    if state.status in ("done", "failed", "idle"):
        return "finished"
    call = state.pending_call
    if call is None:
        return "decide"
    if call.approval == "none" and needs_approval:
        return "request_approval"
    return "execute"


def open_events(thread: Thread) -> list[Event]:
    """Events that still await an answer (pending call, human or approval request)."""
    state = fold(thread)
    ids = {state.pending_human, state.pending_approval,
           state.pending_call.call_id if state.pending_call else None} - {None}
    return [ev for ev in thread if ev.call_id in ids and ev.type in
            ("tool_call", "human_request", "approval_request")]
