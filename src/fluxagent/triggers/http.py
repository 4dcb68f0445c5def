"""Webhooks in: a generic signed webhook and Slack (slash commands, approval buttons).

``router`` is a FastAPI ``APIRouter``; the REST app includes it as is. The agent is
``request.app.state.agent`` when the app has one, else one wired from settings.

Every request is checked before anything is stored: signature over timestamp and body
(``human/signing.py``) inside the replay window, a body under ``MAX_BODY``, an idempotency key
recorded once in the database (the generic webhook's ``Idempotency-Key``, Slack's
``trigger_id``) — a tampered, stale or replayed request gets 401/409 and launches nothing.
Then the session functions append the question, answer or decision (``run=False``: refusals
are immediate and write nothing) and the runner continues in the background; the reply is 202
with the session id. Slack gets its answer (or the approval buttons) at ``response_url``.
"""

from __future__ import annotations

import json
import sys
import time
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import parse_qs

from fastapi import APIRouter, BackgroundTasks, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from fluxagent.core.state import SessionState
from fluxagent.human import signing
from fluxagent.human.channels import SlackChannel, notification_for
from fluxagent.runtime import sessions
from fluxagent.store.base import StoreError, UnknownSessionError
from fluxagent.store.triggers import TriggerStore

if TYPE_CHECKING:
    from fluxagent.agent import Agent

router = APIRouter(prefix="/hooks", tags=["webhooks"])

#: The largest webhook body accepted (a question is at most a few kB).
MAX_BODY = 256 * 1024
_default_agent: list[Agent] = []


def agent_of(request: Request) -> Agent:
    found = getattr(request.app.state, "agent", None)
    if found is not None:
        return found
    if not _default_agent:
        from fluxagent.agent import Agent
        _default_agent.append(Agent())
    return _default_agent[0]


def _error(status: int, detail: str, **extra: Any) -> JSONResponse:
    return JSONResponse({"detail": detail, **extra}, status_code=status)


async def _body(request: Request) -> bytes | JSONResponse:
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > MAX_BODY:
        return _error(413, f"body over {MAX_BODY} bytes")
    body = await request.body()
    return _error(413, f"body over {MAX_BODY} bytes") if len(body) > MAX_BODY else body


def _continue(agent: Agent, session_id: str, after: Any = None) -> None:
    """The background part: the runner drives the session until it waits or finishes."""
    try:
        state = agent.runner.run(session_id)
        if after is not None:
            after(state)
    except Exception as exc:  # a failure is the session's business, never the server's
        print(f"fluxagent: webhook session {session_id}: {type(exc).__name__}: {exc}",
              file=sys.stderr)


# -- the generic webhook -------------------------------------------------------------------
class HookRequest(BaseModel):
    """``ask`` launches (or continues ``session_id``), ``flow`` runs a flow, ``respond``,
    ``approve`` and ``reject`` answer a waiting session."""

    model_config = ConfigDict(extra="forbid")

    action: Literal["ask", "flow", "respond", "approve", "reject"] = "ask"
    question: str | None = None
    model: str | None = None
    session_id: str | None = None
    flow: str | None = None
    inputs: dict[str, Any] = Field(default_factory=dict)
    text: str | None = None
    call_id: str | None = None
    comment: str = ""
    by: str = "webhook"


def _apply(agent: Agent, req: HookRequest, session_id: str) -> SessionState:
    """Append what the request asks for (checked by the session functions), run nothing."""
    runner = agent.runner
    if req.action == "ask":
        if not req.question:
            raise sessions.SessionError("action ask needs a question")
        return sessions.launch(runner, req.question, model=req.model, session_id=session_id,
                               run=False, max_chars=agent.settings.max_question_chars)
    if req.action == "flow":
        from fluxagent.flows.library import load_flow
        from fluxagent.flows.run import run_flow
        if not req.flow:
            raise sessions.SessionError("action flow needs a flow name")
        flow = load_flow(req.flow, agent.settings.data_dir / "flows")
        return run_flow(runner, flow, req.inputs, model=req.model, session_id=session_id,
                        run=False)
    if not req.session_id:
        raise sessions.SessionError(f"action {req.action} needs a session_id")
    if req.action == "respond":
        return sessions.respond(runner, req.session_id, req.text or "", by=req.by, run=False)
    return sessions.decide(runner, req.session_id, req.action, call_id=req.call_id,
                           comment=req.comment, by=req.by, run=False)


@router.post("/session", status_code=202)
async def session_hook(request: Request, background: BackgroundTasks) -> JSONResponse:
    """Launch or continue a session from a signed webhook (HMAC-SHA256, see module doc)."""
    agent = agent_of(request)
    secret = agent.settings.webhook_secret
    if not secret:
        return _error(404, "the webhook is off: set FLUXAGENT_WEBHOOK_SECRET")
    body = await _body(request)
    if isinstance(body, JSONResponse):
        return body
    try:
        signing.verify(secret, request.headers.get(signing.TIMESTAMP),
                       request.headers.get(signing.SIGNATURE), body, now=time.time(),
                       window_s=agent.settings.webhook_window_s)
    except signing.SignatureError as exc:
        return _error(401, f"rejected: {exc}")
    key = request.headers.get("idempotency-key", "").strip()
    if not key or len(key) > 200:
        return _error(400, "an Idempotency-Key header (1 to 200 characters) is required")
    try:
        req = HookRequest.model_validate(json.loads(body))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        return _error(400, f"the body is not JSON: {exc}")
    except ValidationError as exc:
        first = exc.errors()[0]
        return _error(422, f"{'.'.join(str(p) for p in first['loc'])}: {first['msg']}")
    return _launch_once(agent, "webhook", key, req, background)


def _launch_once(agent: Agent, source: str, key: str, req: HookRequest,
                 background: BackgroundTasks, after: Any = None) -> JSONResponse:
    triggers = TriggerStore.for_store(agent.store)
    sid = req.session_id or sessions.new_session_id()
    first = triggers.deliver(source, key, sid, datetime.now(UTC))
    if first is not None:
        return _error(409, "duplicate delivery: this idempotency key was used already",
                      session_id=first)
    try:
        state = _apply(agent, req, sid)
    except (StoreError, ValueError) as exc:  # SessionError, FlowError, unknown session
        triggers.forget(source, key)  # nothing was launched: the sender may fix and retry
        return _error(404 if isinstance(exc, UnknownSessionError) else 409, str(exc))
    background.add_task(_continue, agent, state.session_id, after)
    return JSONResponse({"session_id": state.session_id, "status": "accepted"},
                        status_code=202)


# -- Slack ---------------------------------------------------------------------------------
async def _slack_form(request: Request, agent: Agent) -> dict[str, str] | JSONResponse:
    secret = agent.settings.slack_signing_secret
    if not secret:
        return _error(404, "Slack is off: set FLUXAGENT_SLACK_SIGNING_SECRET")
    body = await _body(request)
    if isinstance(body, JSONResponse):
        return body
    try:
        signing.slack_verify(secret, request.headers.get(signing.SLACK_TIMESTAMP),
                             request.headers.get(signing.SLACK_SIGNATURE), body,
                             now=time.time(), window_s=min(agent.settings.webhook_window_s,
                                                           300.0))
    except signing.SignatureError as exc:
        return _error(401, f"rejected: {exc}")
    return {k: v[0] for k, v in parse_qs(body.decode("utf-8", "replace")).items()}


def _reply_to(agent: Agent, url: str) -> Any:
    """After the run: post the answer, the question or the approval buttons to Slack."""
    def after(state: SessionState) -> None:
        if not url:
            return
        thread = agent.store.load(state.session_id)
        for ev in reversed(thread.events):
            note = notification_for(state.session_id, ev)
            if note is not None and note.kind != "escalation":
                SlackChannel(url).send(note)
                return
    return after


def _slack_text(text: str) -> JSONResponse:
    return JSONResponse({"response_type": "ephemeral", "text": text})


@router.post("/slack/commands")
async def slack_command(request: Request, background: BackgroundTasks) -> JSONResponse:
    """``/fluxagent QUESTION`` | ``approve SESSION [comment]`` | ``reject SESSION comment`` |
    ``respond SESSION TEXT`` | ``status SESSION``."""
    agent = agent_of(request)
    form = await _slack_form(request, agent)
    if isinstance(form, JSONResponse):
        return form
    text, user = form.get("text", "").strip(), form.get("user_name") or form.get("user_id", "")
    word, _, rest = text.partition(" ")
    by = f"slack:{user}"
    if word in ("approve", "reject", "respond", "status"):
        sid, _, tail = rest.strip().partition(" ")
        if not sid:
            return _slack_text(f"usage: /fluxagent {word} SESSION_ID ...")
        if word == "status":
            try:
                state = agent.state(sid)
            except StoreError as exc:
                return _slack_text(str(exc))
            return _slack_text(f"session {sid}: {state.status}"
                               + (f" — {state.answer}" if state.answer else ""))
        req = HookRequest(action=word, session_id=sid, text=tail,
                          comment=tail or (f"rejected in Slack by {user}"
                                           if word == "reject" else ""), by=by)
    elif not text:
        return _slack_text("usage: /fluxagent QUESTION (or approve|reject|respond|status "
                           "SESSION_ID ...)")
    else:
        req = HookRequest(action="ask", question=text, by=by)
    key = form.get("trigger_id") or ":".join((form.get("team_id", ""), request.headers.get(
        signing.SLACK_TIMESTAMP, ""), text))
    resp = _launch_once(agent, "slack", key, req, background,
                        _reply_to(agent, form.get("response_url", "")))
    if resp.status_code != 202:
        return resp if resp.status_code >= 500 else _slack_text(
            json.loads(bytes(resp.body))["detail"])
    sid = json.loads(bytes(resp.body))["session_id"]
    return _slack_text(f"Working on it: session {sid}")


@router.post("/slack/interactive")
async def slack_interactive(request: Request, background: BackgroundTasks) -> JSONResponse:
    """The Approve / Reject buttons of an approval request (``block_actions``)."""
    agent = agent_of(request)
    form = await _slack_form(request, agent)
    if isinstance(form, JSONResponse):
        return form
    try:
        payload = json.loads(form.get("payload", ""))
        action = payload["actions"][0]
        sid, _, call_id = str(action["value"]).partition(":")
        decision = str(action["action_id"])
        user = payload.get("user", {})
        who = str(user.get("username") or user.get("name") or user.get("id") or "someone")
    except (json.JSONDecodeError, KeyError, IndexError, TypeError, AttributeError):
        return _error(400, "not a Slack block_actions payload with a fluxagent button")
    if decision not in ("approve", "reject") or not sid or not call_id:
        return _error(400, f"unknown button {decision!r}")
    req = HookRequest(action=decision, session_id=sid, call_id=call_id,
                      comment="" if decision == "approve" else f"rejected in Slack by {who}",
                      by=f"slack:{who}")
    key = f"{sid}:{call_id}"  # one decision per request, whoever clicks twice
    resp = _launch_once(agent, "slack-button", key, req, background,
                        _reply_to(agent, str(payload.get("response_url", ""))))
    if resp.status_code != 202:
        return JSONResponse({"replace_original": False, "response_type": "ephemeral",
                             "text": json.loads(bytes(resp.body))["detail"]})
    verdict = "Approved" if decision == "approve" else "Rejected"
    return JSONResponse({"replace_original": True,
                         "text": f"{verdict} by {who}: session {sid}, call {call_id}"})
