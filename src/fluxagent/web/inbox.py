"""The approvals inbox: every open approval and question of your sessions; approve, reject
with a comment, approve edited arguments (checked against the tool's JSON Schema by
``sessions.decide``, the function the CLI calls), or answer a question."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from fluxagent.api import work
from fluxagent.api.deps import ApiState, owned_ids, visible
from fluxagent.api.runs import SessionBusy
from fluxagent.core.state import fold
from fluxagent.runtime import sessions
from fluxagent.store.base import StoreError
from fluxagent.web.auth import check_post
from fluxagent.web.deps import Approver, Reader, State, back
from fluxagent.web.templating import page
from fluxagent.web.timeline import pretty

router = APIRouter(prefix="/web", include_in_schema=False)


def _schema(st: ApiState, tool: str) -> str:
    spec = st.agent.registry.get(tool)
    return pretty(spec.schema()["parameters"]) if spec is not None else ""


@router.get("/inbox", response_class=HTMLResponse)
def inbox(request: Request, st: State, who: Reader) -> HTMLResponse:
    rows = sessions.pending_requests(st.runner, only=owned_ids(st, who))
    for row in rows:
        state = fold(st.agent.store.load(row["session_id"]))
        row["session_question"], row["model"] = state.question, state.current_model
        if row["type"] == "approval_request":
            row["schema"] = _schema(st, str(row.get("tool")))
            row["args_text"] = pretty(row.get("args", {}))
    return page(request, "inbox.html", who, rows=rows, pretty=pretty,
                error=request.query_params.get("error", ""),
                note=request.query_params.get("note", ""))


def _answer(st: ApiState, session_id: str, kind: str, apply: Any, to: str) -> RedirectResponse:
    try:
        st.runs.act(session_id, apply, kind, work.resume(st, session_id))
    except (SessionBusy, StoreError) as exc:
        return back(to, error=str(exc))
    return back(f"/web/sessions/{session_id}" if to != "/web/inbox" else to,
                note=f"{kind} sent to session {session_id}; it continues")


def _edited(st: ApiState, session_id: str, text: str) -> dict[str, Any] | None:
    """The edited arguments, or None if they are the ones the agent chose."""
    if not text.strip():
        return None
    try:
        args = json.loads(text)
    except json.JSONDecodeError as exc:
        raise StoreError(f"the edited arguments are not JSON: {exc.msg} at line {exc.lineno}"
                         ) from None
    if not isinstance(args, dict):
        raise StoreError("the edited arguments must be a JSON object ({...})")
    pending = fold(st.agent.store.load(session_id)).pending_call
    if pending is not None and args == pending.args:
        return None
    return args


@router.post("/sessions/{session_id}/approve")
def approve(session_id: str, request: Request, st: State, who: Approver,
            csrf: Annotated[str, Form()] = "", call_id: Annotated[str, Form()] = "",
            comment: Annotated[str, Form(max_length=5000)] = "",
            args: Annotated[str, Form(max_length=200_000)] = "",
            to: Annotated[str, Form()] = "/web/inbox") -> RedirectResponse:
    check_post(request, who, csrf)
    visible(st, who, session_id)
    try:
        edited = _edited(st, session_id, args)
    except StoreError as exc:
        return back(to, error=str(exc))
    return _answer(st, session_id, "approve", lambda: sessions.decide(
        st.runner, session_id, "approve", call_id=call_id or None, comment=comment,
        args=edited, by=who.owner, run=False), to)


@router.post("/sessions/{session_id}/reject")
def reject(session_id: str, request: Request, st: State, who: Approver,
           csrf: Annotated[str, Form()] = "", call_id: Annotated[str, Form()] = "",
           comment: Annotated[str, Form(max_length=5000)] = "",
           to: Annotated[str, Form()] = "/web/inbox") -> RedirectResponse:
    check_post(request, who, csrf)
    visible(st, who, session_id)
    return _answer(st, session_id, "reject", lambda: sessions.decide(
        st.runner, session_id, "reject", call_id=call_id or None, comment=comment,
        by=who.owner, run=False), to)


@router.post("/sessions/{session_id}/respond")
def respond(session_id: str, request: Request, st: State, who: Approver,
            text: Annotated[str, Form(max_length=20_000)],
            csrf: Annotated[str, Form()] = "",
            to: Annotated[str, Form()] = "/web/inbox") -> RedirectResponse:
    check_post(request, who, csrf)
    visible(st, who, session_id)
    return _answer(st, session_id, "respond", lambda: sessions.respond(
        st.runner, session_id, text, by=who.owner, run=False), to)
