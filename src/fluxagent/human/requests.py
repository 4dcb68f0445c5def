"""Questions and approvals a session has put to people, read from its thread (pure).

A request event (``human_request`` or ``approval_request``) may carry ``timeout_s`` and
``escalate_to``: its deadline is the event's time plus the timeout. The fold never reads the
clock; ``due_escalations(thread, now)`` is asked explicitly (``sessions.check_timeouts``) and
its answer is recorded as an ``annotation`` event of kind ``escalation``.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from fluxagent.core.events import Event, Thread
from fluxagent.core.state import fold

REQUEST_TYPES = ("human_request", "approval_request")
ANSWER_TYPES = {"human_request": "human_response", "approval_request": "approval_decision"}


def find_request(thread: Thread, call_id: str) -> tuple[Event | None, Event | None]:
    """The request with this id and its answer (either may be None)."""
    request = answer = None
    for ev in thread:
        if ev.call_id != call_id:
            continue
        if ev.type in REQUEST_TYPES:
            request, answer = ev, None
        elif request is not None and ev.type == ANSWER_TYPES[request.type]:
            answer = ev
    return request, answer


def open_request(thread: Thread) -> Event | None:
    """The request the session is waiting on, if any."""
    state = fold(thread)
    call_id = (state.pending_approval if state.status == "waiting_for_approval"
               else state.pending_human if state.status == "waiting_for_human" else None)
    if call_id is None:
        return None
    request, _ = find_request(thread, call_id)
    return request


def deadline(request: Event) -> datetime | None:
    timeout = request.data.get("timeout_s")
    if not isinstance(timeout, int | float) or isinstance(timeout, bool):
        return None
    return request.ts + timedelta(seconds=float(timeout))


def due_escalations(thread: Thread, now: datetime, default_contact: str = ""
                    ) -> list[dict[str, Any]]:
    """Escalations to record now: the open request is past its deadline and not yet escalated."""
    request = open_request(thread)
    if request is None:
        return []
    due = deadline(request)
    if due is None or now < due:
        return []
    if any(ev.type == "annotation" and ev.data.get("kind") == "escalation"
           and ev.data.get("request") == request.call_id for ev in thread):
        return []
    contact = str(request.data.get("escalate_to") or default_contact or "")
    what = (f"approval of {request.data.get('tool')}" if request.type == "approval_request"
            else f"an answer to: {request.data.get('question', '')}")
    return [{"kind": "escalation", "request": request.call_id, "request_type": request.type,
             "to": contact or "(no contact configured)",
             "deadline": due.isoformat(), "checked_at": now.isoformat(),
             "reason": f"no one gave {what} within {request.data.get('timeout_s')} s"}]


def describe(request: Event) -> dict[str, Any]:
    """A request as channels and the CLI show it."""
    d = request.data
    out: dict[str, Any] = {"type": request.type, "call_id": request.call_id,
                           "urgency": d.get("urgency", "normal"), "asked_at": request.ts}
    if request.type == "approval_request":
        out.update(tool=d.get("tool"), args=d.get("args", {}), reason=d.get("reason", ""))
    else:
        out.update(question=d.get("question", ""), kind=d.get("kind", "text"),
                   options=d.get("options", []), to=d.get("to", ""))
    due = deadline(request)
    if due is not None:
        out["deadline"] = due
    return out
