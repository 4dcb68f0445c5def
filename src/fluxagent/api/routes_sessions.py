"""Sessions: create, list, state, events (paged and live), messages, fork, export, import,
pause, resume. Each route checks who asks and calls ``runtime/sessions.py``."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Header, HTTPException, Query, Request, Response
from fastapi.responses import StreamingResponse

from fluxagent.api import work
from fluxagent.api.auth import Principal, require
from fluxagent.api.deps import (
    ERRORS,
    ApiState,
    Wait,
    accepted,
    api,
    owned_ids,
    run_out,
    visible,
)
from fluxagent.api.schemas import (
    Accepted,
    Created,
    EventsPage,
    ForkIn,
    Message,
    NewSession,
    PauseIn,
    SessionList,
    SessionOut,
    SessionSummary,
    StateOut,
)
from fluxagent.api.stream import event_stream
from fluxagent.cli.render import as_json
from fluxagent.core.state import fold
from fluxagent.runtime import sessions

router = APIRouter(prefix="/sessions", tags=["sessions"], responses=ERRORS)
Read = Annotated[Principal, Depends(require("read"))]
Write = Annotated[Principal, Depends(require("write"))]
State = Annotated[ApiState, Depends(api)]


def _flow(st: ApiState, name: str) -> Any:
    """A flow by name from the flow library (never a path: the API reads no files)."""
    from fluxagent.flows.library import flow_files
    from fluxagent.flows.schema import FlowError, load_flow_file
    from fluxagent.flows.validate import validate_flow
    files = flow_files(st.settings.data_dir / "flows")
    if name not in files:
        raise HTTPException(404, f"no flow named {name!r}; flows: {', '.join(files)}")
    flow = load_flow_file(files[name])
    problems = validate_flow(flow, st.agent.registry)
    if problems:
        raise FlowError(f"flow {flow.name} is not valid: {problems[0]}")
    return flow


@router.post("", status_code=201, response_model=Accepted | Created,
             responses={202: {"model": Accepted}, 200: {"model": Accepted}})
def create_session(body: NewSession, st: State, who: Write, response: Response,
                   wait: Wait = 0) -> Accepted | Created:
    """A new session: empty (201), or running a question or a flow in the background (202)."""
    if body.question is not None and body.flow is not None:
        raise HTTPException(400, "give a question or a flow, not both")
    if body.question is not None:
        sessions.check_question(body.question, st.settings.max_question_chars)
    flow = _flow(st, body.flow) if body.flow is not None else None
    if flow is not None:
        flow.resolve_inputs(body.inputs)  # bad inputs are refused before anything is stored
    sid = sessions.new_session_id()
    title = body.title or (body.question or "").strip()[:120] or (
        f"flow {body.flow}" if body.flow else "")
    st.agent.store.create(sid, title=title)
    st.access.set_owner(sid, who.owner)
    if body.question is not None:
        run = st.runs.submit(sid, "ask", work.ask(st, sid, body.question, body.model),
                             payload={"question": body.question, "model": body.model})
    elif flow is not None and body.flow is not None:
        run = st.runs.submit(sid, "flow", work.flow(st, sid, body.flow, body.inputs,
                                                    body.model),
                             payload={"flow": body.flow, "flow_name": flow.name,
                                      "inputs": body.inputs, "model": body.model})
    else:
        return Created(session_id=sid)
    code, out = accepted(st, run, wait)
    response.status_code = code
    return out


@router.get("", response_model=SessionList)
def list_sessions(st: State, who: Read,
                  status: Annotated[str | None, Query(description="idle, running, "
                                                      "waiting_for_human, waiting_for_approval,"
                                                      " paused, done or failed")] = None,
                  model: str | None = None,
                  since: Annotated[datetime | None, Query(description="updated at or after "
                                                          "(ISO 8601)")] = None,
                  until: datetime | None = None,
                  q: Annotated[str | None, Query(description="text in the title, question or "
                                                 "answer")] = None,
                  limit: Annotated[int, Query(ge=1, le=500)] = 50,
                  offset: Annotated[int, Query(ge=0, le=100_000)] = 0) -> SessionList:
    """Sessions, newest first, filtered."""
    only = owned_ids(st, who)
    found = sessions.list_sessions(st.runner, status=status, model=model, since=since,
                                   until=until, text=q, only=only, limit=limit, offset=offset)
    owners = st.access.owners()
    return SessionList(offset=offset, limit=limit, sessions=[SessionSummary(
        session_id=info.session_id, title=info.title, status=state.status,
        owner=owners.get(info.session_id), created=info.created.isoformat(),
        updated=info.updated.isoformat(), events=info.events, question=state.question,
        answer=state.answer, model=state.current_model) for info, state in found])


@router.get("/{session_id}", response_model=SessionOut)
def get_session(session_id: str, st: State, who: Read) -> SessionOut:
    """The session's state, answer and tool calls."""
    owner = visible(st, who, session_id)
    thread = st.agent.store.load(session_id)
    state = fold(thread)
    doc = as_json(thread, state, events=False)  # the ask --json contract, as the CLI's
    return SessionOut(**doc, state=state.model_dump(mode="json"), owner=owner,
                      busy=st.runs.busy(session_id))


@router.get("/{session_id}/events", response_model=EventsPage)
def get_events(session_id: str, st: State, who: Read,
               after: Annotated[int, Query(ge=-1, description="Events with a larger seq.")]
               = -1,
               limit: Annotated[int, Query(ge=1, le=1000)] = 200) -> EventsPage:
    """The session's events, in order, a page at a time."""
    visible(st, who, session_id)
    events = st.agent.store.load(session_id).events
    page = [ev for ev in events if ev.seq > after][:limit]
    more = bool(page) and page[-1].seq < events[-1].seq
    return EventsPage(session_id=session_id, events=[ev.model_dump(mode="json") for ev in page],
                      next_after=page[-1].seq if more else None)


@router.get("/{session_id}/stream", response_class=StreamingResponse,
            responses={200: {"content": {"text/event-stream": {}},
                             "description": "Server-Sent Events"}})
def stream(session_id: str, request: Request, st: State, who: Read,
           after: Annotated[int, Query(ge=-1, description="Replay events with a larger "
                                       "seq first.")] = -1,
           follow: Annotated[bool, Query(description="Keep streaming after the session is "
                                         "idle (until the client leaves).")] = False,
           last_event_id: Annotated[str | None, Header()] = None) -> StreamingResponse:
    """Live events of the session (SSE): ``event`` (a stored event, id = seq), ``progress``
    (a long tool), ``run`` (a run queued, started or finished) and ``end`` (idle)."""
    visible(st, who, session_id)
    if last_event_id and last_event_id.strip().isdigit():
        after = max(after, int(last_event_id))
    return StreamingResponse(event_stream(st, session_id, after, follow, request),
                             media_type="text/event-stream",
                             headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})


@router.post("/{session_id}/messages", status_code=202, response_model=Accepted,
             responses={200: {"model": Accepted}})
def post_message(session_id: str, body: Message, st: State, who: Write, response: Response,
                 wait: Wait = 0) -> Accepted:
    """The session's next question, run in the background after any run in progress
    (``policy``: enqueue, reject or interrupt)."""
    visible(st, who, session_id)
    sessions.check_question(body.question, st.settings.max_question_chars)
    run = st.runs.submit(session_id, "ask", work.ask(st, session_id, body.question,
                                                     body.model), policy=body.policy,
                         payload={"question": body.question, "model": body.model})
    code, out = accepted(st, run, wait)
    response.status_code = code
    return out


@router.get("/{session_id}/runs/{run_id}", response_model=StateOut)
def get_run(session_id: str, run_id: str, st: State, who: Read) -> StateOut:
    """A background run of this session."""
    visible(st, who, session_id)
    run = st.runs.get(run_id)
    if run is None or run.session_id != session_id:
        raise HTTPException(404, f"no run {run_id!r} of session {session_id}")
    state = fold(st.agent.store.load(session_id))
    return StateOut(session_id=session_id, status=state.status, run=run_out(run))


@router.post("/{session_id}/fork", status_code=201, response_model=Created)
def fork(session_id: str, st: State, who: Write, body: ForkIn | None = None) -> Created:
    """A new session (yours) sharing the first events of this one."""
    visible(st, who, session_id)
    child = sessions.fork(st.runner, session_id, body.at_seq if body else None)
    st.access.set_owner(child, who.owner)
    return Created(session_id=child)


@router.get("/{session_id}/export", response_model=dict[str, Any])
def export(session_id: str, st: State, who: Read) -> dict[str, Any]:
    """The export signed with this installation's key, secrets redacted (importable with
    POST /sessions/import, here trusted, elsewhere untrusted)."""
    visible(st, who, session_id)
    return sessions.export_doc(st.runner, session_id, key=st.key)


@router.post("/import", status_code=201, response_model=Created)
def import_(st: State, who: Write, doc: Annotated[dict[str, Any], Body()]) -> Created:
    """Store an export as a new session of yours: refused (400) if it was changed or breaks
    causal order; untrusted (its approvals wait to be given again) unless signed here."""
    sid = sessions.import_doc(st.runner, doc, key=st.key)
    st.access.set_owner(sid, who.owner)
    return Created(session_id=sid)


@router.post("/{session_id}/pause", response_model=StateOut)
def pause(session_id: str, st: State, who: Write, body: PauseIn | None = None) -> StateOut:
    """Pause: at once if nothing runs, else at the run's next step. Queued messages wait."""
    visible(st, who, session_id)
    state = st.runs.pause(session_id, body.reason if body else "")
    status = state.status if state is not None else "pausing"
    return StateOut(session_id=session_id, status=status)


@router.post("/{session_id}/resume", status_code=202, response_model=StateOut)
def resume(session_id: str, st: State, who: Write) -> StateOut:
    """Continue a paused or interrupted session in the background."""
    visible(st, who, session_id)
    run = st.runs.resume(session_id, work.resume(st, session_id))
    state = fold(st.agent.store.load(session_id))
    return StateOut(session_id=session_id, status=state.status, run=run_out(run))
