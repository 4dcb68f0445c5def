"""The pages of a session: the list, the timeline (live over SSE), its tables as CSV, its
artifacts, and the buttons (follow-up, fork, pause, resume, export). Every action is one call
into ``runtime/sessions.py`` or the API's run manager, as the REST routes make it."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Form, HTTPException, Query, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse, StreamingResponse

from fluxagent.api import work
from fluxagent.api.deps import owned_ids, visible
from fluxagent.api.runs import SessionBusy
from fluxagent.api.stream import event_stream
from fluxagent.core.state import fold
from fluxagent.human.requests import describe, open_request
from fluxagent.runtime import sessions
from fluxagent.store.base import StoreError
from fluxagent.web import timeline
from fluxagent.web.auth import check_post
from fluxagent.web.deps import Reader, State, Writer, back
from fluxagent.web.tables import table
from fluxagent.web.templating import fragment, page

router = APIRouter(prefix="/web", include_in_schema=False)
STATUSES = ("running", "waiting_for_approval", "waiting_for_human", "paused", "done",
            "failed", "idle")
PAGE = 50


@router.get("", response_class=HTMLResponse)
@router.get("/sessions", response_class=HTMLResponse)
def session_list(request: Request, st: State, who: Reader,
                 status: str = "", model: str = "", q: str = "",
                 offset: Annotated[int, Query(ge=0, le=100_000)] = 0) -> HTMLResponse:
    found = sessions.list_sessions(st.runner, status=status or None, model=model or None,
                                   text=q or None, only=owned_ids(st, who), limit=PAGE + 1,
                                   offset=offset)
    owners = st.access.owners()
    rows = [{"info": info, "state": state, "owner": owners.get(info.session_id)}
            for info, state in found[:PAGE]]
    return page(request, "sessions.html", who, rows=rows, status=status, model=model, q=q,
                statuses=STATUSES, offset=offset, more=len(found) > PAGE, size=PAGE)


def _context(st: State, session_id: str) -> dict[str, Any]:
    thread = st.agent.store.load(session_id)
    state = fold(thread)
    request_ev = open_request(thread)
    pending = describe(request_ev) if request_ev is not None else None
    schema = None
    if pending is not None and pending["type"] == "approval_request":
        tool = st.agent.registry.get(str(pending.get("tool")))
        schema = timeline.pretty(tool.schema()["parameters"]) if tool else None
    return {"sid": session_id, "thread": thread, "state": state,
            "items": timeline.items(thread), "pending": pending, "schema": schema,
            "busy": st.runs.busy(session_id), "pretty": timeline.pretty,
            "interpretation_text": timeline.interpretation_text,
            "title": _title(thread, state.question)}


def _title(thread: object, question: str) -> str:
    """The session's first question, or the flow it started with."""
    for ev in getattr(thread, "events", []):
        if ev.type == "user_message":
            flow = ev.data.get("flow")
            return f"flow {flow}" if flow else str(ev.data.get("text", ""))
    return question or "(no question yet)"


@router.get("/sessions/{session_id}", response_class=HTMLResponse)
def session_page(session_id: str, request: Request, st: State, who: Reader) -> HTMLResponse:
    visible(st, who, session_id)
    return page(request, "session.html", who, error=request.query_params.get("error", ""),
                note=request.query_params.get("note", ""), **_context(st, session_id))


@router.get("/sessions/{session_id}/live", response_class=HTMLResponse)
def session_live(session_id: str, request: Request, st: State, who: Reader) -> HTMLResponse:
    """The live part of the session page, re-fetched by the page's script on each event."""
    visible(st, who, session_id)
    from fluxagent.web.auth import csrf_token
    html = fragment("_live.html", who=who, csrf=csrf_token(who), **_context(st, session_id))
    return HTMLResponse(html, headers={"Cache-Control": "no-store"})


@router.get("/sessions/{session_id}/stream", response_class=StreamingResponse)
def session_stream(session_id: str, request: Request, st: State, who: Reader,
                   after: Annotated[int, Query(ge=-1)] = -1, follow: bool = False
                   ) -> StreamingResponse:
    """The API's SSE stream of the session, for the page (the cookie is the credential)."""
    visible(st, who, session_id)
    return StreamingResponse(event_stream(st, session_id, after, follow, request),
                             media_type="text/event-stream",
                             headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})


@router.get("/sessions/{session_id}/events/{seq}/{key}.csv")
def result_csv(session_id: str, seq: int, key: str, st: State, who: Reader) -> Response:
    """A table of a tool result as CSV (all rows)."""
    visible(st, who, session_id)
    events = st.agent.store.load(session_id).events
    if not 0 <= seq < len(events) or events[seq].type != "tool_result":
        raise HTTPException(404, f"event {seq} of session {session_id} is not a tool result")
    found = table(events[seq].data.get("data") or {}, key)
    if found is None:
        raise HTTPException(404, f"the result at event {seq} has no table {key!r}")
    name = f"{events[seq].data.get('tool', 'result')}-{seq}-{key}.csv"
    safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in name)
    return Response(found.csv(), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{safe}"'})


@router.get("/artifacts/{sha256}")
def artifact(sha256: str, st: State, who: Reader) -> Response:
    """The API's artifact route (same headers: an SVG runs no script), for the page."""
    from fluxagent.api.routes_catalog import artifact as api_artifact
    return api_artifact(sha256, st, who)


@router.get("/sessions/{session_id}/export")
def export(session_id: str, st: State, who: Reader) -> Response:
    visible(st, who, session_id)
    doc = sessions.export_doc(st.runner, session_id, key=st.key)
    return Response(json.dumps(doc, indent=1), media_type="application/json", headers={
        "Content-Disposition": f'attachment; filename="session-{session_id}.json"'})


def _act(session_id: str, action: object) -> RedirectResponse:
    here = f"/web/sessions/{session_id}"
    try:
        result = action() if callable(action) else None
    except (SessionBusy, StoreError) as exc:
        return back(here, error=str(exc))
    if isinstance(result, str):
        return back(result)
    return back(here)


@router.post("/sessions/{session_id}/message")
def follow_up(session_id: str, request: Request, st: State, who: Writer,
              question: Annotated[str, Form(max_length=100_000)],
              csrf: Annotated[str, Form()] = "") -> RedirectResponse:
    """The follow-up box: the session's next question, after any run in progress."""
    check_post(request, who, csrf)
    visible(st, who, session_id)

    def ask() -> None:
        sessions.check_question(question, st.settings.max_question_chars)
        st.runs.submit(session_id, "ask", work.ask(st, session_id, question, None),
                       payload={"question": question, "model": None})
    return _act(session_id, ask)


@router.post("/sessions/{session_id}/fork")
def fork(session_id: str, request: Request, st: State, who: Writer,
         csrf: Annotated[str, Form()] = "",
         at_seq: Annotated[int | None, Form()] = None) -> RedirectResponse:
    check_post(request, who, csrf)
    visible(st, who, session_id)

    def act() -> str:
        child = sessions.fork(st.runner, session_id, at_seq)
        st.access.set_owner(child, who.owner)
        return f"/web/sessions/{child}"
    return _act(session_id, act)


@router.post("/sessions/{session_id}/pause")
def pause(session_id: str, request: Request, st: State, who: Writer,
          csrf: Annotated[str, Form()] = "",
          reason: Annotated[str, Form(max_length=2000)] = "") -> RedirectResponse:
    check_post(request, who, csrf)
    visible(st, who, session_id)
    return _act(session_id, lambda: st.runs.pause(session_id, reason) and None)


@router.post("/sessions/{session_id}/resume")
def resume(session_id: str, request: Request, st: State, who: Writer,
           csrf: Annotated[str, Form()] = "") -> RedirectResponse:
    check_post(request, who, csrf)
    visible(st, who, session_id)
    return _act(session_id, lambda: st.runs.resume(session_id, work.resume(st, session_id))
                and None)
