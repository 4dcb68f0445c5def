"""The human channel: open requests across sessions; approve, reject, edit, respond.

Each answer is written by ``sessions.decide`` / ``sessions.respond`` while the session is at
rest, then the session continues in the background (``sessions.resume``).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Response

from fluxagent.api import work
from fluxagent.api.auth import Principal, require
from fluxagent.api.deps import ERRORS, ApiState, Wait, accepted, api, owned_ids, visible
from fluxagent.api.schemas import Accepted, Decision, PendingOut, Rejection
from fluxagent.api.schemas import Response as HumanResponse
from fluxagent.runtime import sessions

router = APIRouter(tags=["humans"], responses=ERRORS)
Approver = Annotated[Principal, Depends(require("approve"))]
Reader = Annotated[Principal, Depends(require("read"))]
State = Annotated[ApiState, Depends(api)]


@router.get("/humans/pending", response_model=PendingOut)
def pending(st: State, who: Reader) -> PendingOut:
    """Every open question and approval request of your sessions."""
    rows = sessions.pending_requests(st.runner, only=owned_ids(st, who))
    for row in rows:
        for key in ("asked_at", "deadline"):
            if key in row and row[key] is not None:
                row[key] = row[key].isoformat()
    return PendingOut(requests=rows)


def _answer(st: ApiState, session_id: str, kind: str, apply: object, response: Response,
            wait: float) -> Accepted:
    _, run = st.runs.act(session_id, apply, kind,  # type: ignore[arg-type]
                         work.resume(st, session_id))
    code, out = accepted(st, run, wait)
    response.status_code = code
    return out


@router.post("/sessions/{session_id}/approve", status_code=202, response_model=Accepted,
             responses={200: {"model": Accepted}})
def approve(session_id: str, body: Decision, st: State, who: Approver, response: Response,
            wait: Wait = 0) -> Accepted:
    """Approve the open tool call (optionally with edited arguments); the run continues."""
    visible(st, who, session_id)
    return _answer(st, session_id, "approve", lambda: sessions.decide(
        st.runner, session_id, "approve", call_id=body.call_id, comment=body.comment,
        args=body.args, by=who.owner, run=False), response, wait)


@router.post("/sessions/{session_id}/reject", status_code=202, response_model=Accepted,
             responses={200: {"model": Accepted}})
def reject(session_id: str, body: Rejection, st: State, who: Approver, response: Response,
           wait: Wait = 0) -> Accepted:
    """Reject the open tool call; the comment goes back to the decider."""
    visible(st, who, session_id)
    return _answer(st, session_id, "reject", lambda: sessions.decide(
        st.runner, session_id, "reject", call_id=body.call_id, comment=body.comment,
        by=who.owner, run=False), response, wait)


@router.post("/sessions/{session_id}/respond", status_code=202, response_model=Accepted,
             responses={200: {"model": Accepted}})
def respond(session_id: str, body: HumanResponse, st: State, who: Approver,
            response: Response, wait: Wait = 0) -> Accepted:
    """Answer the session's open question; the run continues."""
    visible(st, who, session_id)
    return _answer(st, session_id, "respond", lambda: sessions.respond(
        st.runner, session_id, body.text, by=who.owner, run=False), response, wait)
