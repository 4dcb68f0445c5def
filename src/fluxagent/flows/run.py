"""Starting a flow in a session, and rolling a flow back to a checkpoint."""

from __future__ import annotations

import json
from typing import Any

from fluxagent.core.events import new_event
from fluxagent.core.state import SessionState, fold
from fluxagent.flows.schema import Flow, FlowError
from fluxagent.runtime import sessions
from fluxagent.runtime.local import LocalRunner


def flow_message(flow: Flow, inputs: dict[str, Any], model: str | None = None
                 ) -> dict[str, Any]:
    """The user message that starts ``flow``; it carries the definition itself."""
    resolved = flow.resolve_inputs(inputs)
    shown = ", ".join(f"{k}={json.dumps(v)}" for k, v in resolved.items() if v is not None)
    data: dict[str, Any] = {"text": f"Run the {flow.name} flow" + (f" ({shown})" if shown
                                                                    else ""),
                            "flow": flow.name, "flow_def": flow.model_dump(mode="json"),
                            "input": resolved}
    model = model or (resolved.get("model") if isinstance(resolved.get("model"), str) else None)
    if model:
        data["model"] = model
    return data


def run_flow(runner: LocalRunner, flow: Flow, inputs: dict[str, Any] | None = None, *,
             model: str | None = None, session_id: str | None = None,
             run: bool = True) -> SessionState:
    """Start ``flow`` as a new turn (of ``session_id`` or a new session) and run it."""
    data = flow_message(flow, dict(inputs or {}), model)
    store = runner.store
    if session_id is None or not store.exists(session_id):
        session_id = session_id or sessions.new_session_id()
        store.create(session_id, title=data["text"][:120])
    with runner.lease(session_id):  # the state check and the run see no other runner
        state = fold(store.load(session_id))
        if state.status in ("waiting_for_human", "waiting_for_approval", "running"):
            raise FlowError(f"session {session_id} is {state.status}; finish or fork it first")
        runner.append(session_id, new_event("user_message", data))
        return runner.run(session_id) if run else fold(store.load(session_id))


def checkpoints(runner: LocalRunner, session_id: str) -> list[dict[str, Any]]:
    """Every flow transition of the session: the points a flow can be rolled back to."""
    return [{"seq": ev.seq, "flow": ev.data.get("flow"), "from": ev.data.get("from"),
             "to": ev.data.get("to"), "step": ev.data.get("step")}
            for ev in runner.store.load(session_id) if ev.type == "flow_transition"]


def rollback(runner: LocalRunner, session_id: str, state: str, *, run: bool = True
             ) -> tuple[str, SessionState]:
    """Fork the session just before the flow last entered ``state`` and run the fork from
    there; the original session is left as it was."""
    points = [c for c in checkpoints(runner, session_id) if c["to"] == state]
    if not points:
        known = sorted({str(c["to"]) for c in checkpoints(runner, session_id) if c["to"]})
        raise FlowError(f"session {session_id} never entered flow state {state!r}; "
                        f"checkpoints: {', '.join(known) or 'none'}")
    child = sessions.fork(runner, session_id, points[-1]["seq"])
    return child, (runner.run(child) if run else fold(runner.store.load(child)))
