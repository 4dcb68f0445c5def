"""Launch, resume, pause, fork, export and import sessions (factor 6) as plain functions.

Every entry point (CLI, Python, REST, web UI, webhooks) calls these; each just appends events
and lets the runner continue. Each one that changes a session first takes its execution lease
(runtime/lease.py) and checks the session's state under it, so two channels acting on one
session at once are served one after the other: a second question waits its turn (or is
refused with nothing stored), an approval racing a resume runs the tool once.
"""

from __future__ import annotations

import json
import uuid
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

from fluxagent.core.events import Thread, new_event
from fluxagent.core.state import SessionState, fold
from fluxagent.human.requests import due_escalations, find_request
from fluxagent.human.tools import check_response
from fluxagent.runtime import exports, lease
from fluxagent.runtime.lease import SessionBusyError
from fluxagent.runtime.local import LocalRunner
from fluxagent.store.base import SessionInfo, StoreError
from fluxagent.tools.results import ToolError, ToolResult

EXPORT_FORMAT = exports.EXPORT_FORMAT
__all__ = ["SessionBusyError", "SessionError", "decide", "export", "fork", "import_", "launch",
           "pause", "respond", "resume"]


class SessionError(StoreError):
    """A request that does not fit the session's state (one-line message for users)."""


def new_session_id() -> str:
    return uuid.uuid4().hex[:16]


def check_question(question: str, max_chars: int = 20_000) -> None:
    """Refuse an empty or oversized question (before anything is stored or queued)."""
    if not question.strip():
        raise SessionError("the question is empty")
    if len(question) > max_chars:
        raise SessionError(f"the question has {len(question):,} characters; the limit is "
                           f"{max_chars:,} (FLUXAGENT_MAX_QUESTION_CHARS)")


def launch(runner: LocalRunner, question: str, *, model: str | None = None,
           session_id: str | None = None, run: bool = True,
           max_chars: int = 20_000) -> SessionState:
    """Start a session with a question (or continue ``session_id`` with a new question).

    A question longer than ``max_chars`` is refused before anything is stored: no model
    question needs a book, and storing one would bloat every later context.
    """
    check_question(question, max_chars)
    store = runner.store
    data: dict[str, Any] = {"text": question}
    if model:  # checked (and a file imported) before anything is stored
        data.update(model_reference(runner, model))
    if session_id is None or not store.exists(session_id):
        session_id = session_id or new_session_id()
        try:
            store.create(session_id, title=question.strip()[:120])
        except StoreError:
            if not store.exists(session_id):  # lost a race to create it: fine, else refuse
                raise
    with runner.lease(session_id):  # a question asked meanwhile waits for this one's answer
        runner.append(session_id, new_event("user_message", data))
        return runner.run(session_id) if run else fold(runner.store.load(session_id))


def model_reference(runner: LocalRunner, model: str) -> dict[str, str]:
    """``{"model": session name, "base": base}`` for a question's model: a bundled model (or
    alias), a stored ``file:`` model, or a model file inside the allowed roots (validated and
    copied into the data dir). Anything else is a SessionError with the reason and the
    choices; a runner without a model store takes the name as given."""
    from fluxagent.paths import PathError
    from fluxagent.tools.models import ModelStore
    from fluxagent.tools.results import ToolFailure

    probe = Thread("model-check")
    store = runner.tool_context(probe, fold(probe)).models
    if not isinstance(store, ModelStore):
        return {"model": model}
    try:
        canon = store.canonical(model)
        if canon is not None:
            store.base(canon)
            return {"model": canon, "base": canon}
        if not Path(model).suffix and "/" not in model and not model.startswith("~"):
            store.base(model)  # a name, not a file: model_not_loaded with suggestions
        base, parsed, _warnings = store.import_file(model)
    except ToolFailure as exc:
        raise SessionError(f"model {model}: {exc.message}"
                           + (f" ({exc.hint})" if exc.hint else "")) from None
    except PathError as exc:
        raise SessionError(f"model {model}: {exc.message}"
                           + (f" ({exc.hint})" if exc.hint else "")) from None
    name = str(parsed.id or Path(model).name.split(".")[0])
    return {"model": name, "base": base, "file": Path(model).name}


def resume(runner: LocalRunner, session_id: str) -> SessionState:
    with runner.lease(session_id):
        state = fold(runner.store.load(session_id))
        if state.status == "paused":
            runner.append(session_id, new_event("session_resumed"))
        return runner.run(session_id)


def pause(runner: LocalRunner, session_id: str, reason: str = "") -> SessionState:
    with runner.lease(session_id):
        state = fold(runner.store.load(session_id))
        if state.status in ("paused", "done", "failed", "idle"):
            raise SessionError(f"session {session_id} is {state.status}; only a live session "
                               "can be paused")
        return fold(runner.append(session_id, new_event("session_paused", {"reason": reason})))


def respond(runner: LocalRunner, session_id: str, text: str, *, by: str = "",
            run: bool = True) -> SessionState:
    """A person answers the session's open question (checked against its kind: yes/no, a
    choice, or free text)."""
    with runner.lease(session_id):
        return _respond(runner, session_id, text, by=by, run=run)


def _respond(runner: LocalRunner, session_id: str, text: str, *, by: str, run: bool
             ) -> SessionState:
    thread = runner.store.load(session_id)
    state = fold(thread)
    if state.status != "waiting_for_human" or state.pending_human is None:
        raise SessionError(f"session {session_id} is not waiting for a person "
                           f"(status: {state.status})")
    request, _ = find_request(thread, state.pending_human)
    try:
        answer = check_response(request, text) if request is not None else text
    except ValueError as exc:
        raise SessionError(f"session {session_id}: {exc}") from None
    data: dict[str, Any] = {"text": answer}
    if by:
        data["by"] = by
    runner.append(session_id, new_event("human_response", data, call_id=state.pending_human))
    return runner.run(session_id) if run else fold(runner.store.load(session_id))


def decide(runner: LocalRunner, session_id: str, decision: Literal["approve", "reject"], *,
           call_id: str | None = None, comment: str = "", args: dict[str, Any] | None = None,
           by: str = "", run: bool = True) -> SessionState:
    """The one function every approval channel calls: approve, reject, or approve edited args.

    Refused, with nothing written: an unknown or already decided request, a session with no
    open request, edited arguments on a rejection, edited arguments the tool does not accept.
    """
    if decision not in ("approve", "reject"):
        raise SessionError(f"decision must be approve or reject, not {decision!r}")
    with runner.lease(session_id):  # a resume racing this approval sees its outcome
        return _decide(runner, session_id, decision, call_id=call_id, comment=comment,
                       args=args, by=by, run=run)


def _decide(runner: LocalRunner, session_id: str, decision: Literal["approve", "reject"], *,
            call_id: str | None, comment: str, args: dict[str, Any] | None, by: str,
            run: bool) -> SessionState:
    thread = runner.store.load(session_id)
    state = fold(thread)
    pending = state.pending_approval
    if call_id is not None and call_id != pending:
        request, answer = find_request(thread, call_id)
        if request is None or request.type != "approval_request":
            raise SessionError(f"session {session_id} has no approval request {call_id}"
                               + (f"; the open one is {pending}" if pending else ""))
        if answer is not None:
            who = f" by {answer.data['by']}" if answer.data.get("by") else ""
            verdict = {"approve": "approved", "reject": "rejected"}.get(
                str(answer.data.get("decision")), str(answer.data.get("decision")))
            raise SessionError(f"approval request {call_id} was already decided: "
                               f"{verdict}{who} at "
                               f"{answer.ts:%Y-%m-%d %H:%M:%S}")
    if pending is None:
        raise SessionError(f"session {session_id} has no open approval request "
                           f"(status: {state.status})")
    data: dict[str, Any] = {"decision": decision, "comment": comment, "by": by}
    if args is not None:
        if decision != "approve":
            raise SessionError("edited arguments go with an approval, not a rejection")
        if not isinstance(args, dict):
            raise SessionError("edited arguments must be a JSON object")
        assert state.pending_call is not None
        checked = runner.registry.validate(state.pending_call.name, args)
        if isinstance(checked, ToolError):
            raise SessionError(f"edited arguments for {state.pending_call.name} are invalid: "
                               f"{checked.message}" + (f" ({checked.hint})" if checked.hint
                                                       else ""))
        data["args"] = args
    runner.append(session_id, new_event("approval_decision", data, call_id=pending))
    return runner.run(session_id) if run else fold(runner.store.load(session_id))


def check_timeouts(runner: LocalRunner, now: datetime, *, limit: int = 1000
                   ) -> list[dict[str, Any]]:
    """Escalate every waiting request past its deadline to its named contact.

    The clock is read by the caller (``now``), never by the fold; each escalation is an
    ``annotation`` event, recorded once per request.
    """
    done: list[dict[str, Any]] = []
    contact = getattr(runner.policy, "escalate_to", "")
    for info in runner.store.sessions(limit):
        if not due_escalations(runner.store.load(info.session_id), now, contact):
            continue
        try:  # re-checked under the lease, so each escalation is recorded once
            with lease.hold(runner.store, info.session_id, ttl_s=runner.lease_ttl_s, wait_s=0):
                thread = runner.store.load(info.session_id)
                for esc in due_escalations(thread, now, contact):
                    runner.append(info.session_id, new_event("annotation", esc))
                    done.append({"session_id": info.session_id, **esc})
        except SessionBusyError:
            continue  # being driven right now: its request is no longer waiting
    return done


def fork(runner: LocalRunner, session_id: str, at_seq: int | None = None) -> str:
    """A new session sharing exactly the first ``at_seq`` events (all of them by default)."""
    thread = runner.store.load(session_id)
    n = len(thread) if at_seq is None else at_seq
    if not 0 <= n <= len(thread):
        raise SessionError(f"fork point {n} is outside 0..{len(thread)}")
    child = new_session_id()
    runner.store.create(child, title=f"fork of {session_id} at {n}",
                        meta={"forked_from": session_id, "at_seq": n})
    events = [*thread.prefix(n).events,
              new_event("session_forked", {"from": session_id, "at_seq": n})]
    runner.store.append(child, Thread(child).append(*events).events, expected_seq=0)
    return child


def export_doc(runner: LocalRunner, session_id: str, *, key: bytes) -> dict[str, Any]:
    """The export of a session, signed with the installation ``key`` (store/keys.py), secrets
    redacted (runtime/exports.py): what ``export`` writes and GET /sessions/{id}/export sends."""
    return exports.export_doc(runner.store.load(session_id), key, runner.secrets)


def export(runner: LocalRunner, session_id: str, path: Path, *, key: bytes) -> Path:
    """Write the session to a JSON export file (``export_doc``)."""
    path.write_text(json.dumps(export_doc(runner, session_id, key=key), indent=1))
    return path


def import_(runner: LocalRunner, path: Path, *, key: bytes,
            max_bytes: int = exports.MAX_IMPORT_BYTES) -> str:
    """Load an exported session as a new one. A changed, malformed or causally invalid file is
    refused with nothing written; a file not signed by ``key`` is imported untrusted (its
    approvals wait to be given again here)."""
    return exports.import_thread(runner.store, path, key, new_session_id(), max_bytes=max_bytes)


def import_doc(runner: LocalRunner, doc: Any, *, key: bytes, source: str = "upload") -> str:
    """Store an uploaded export document as a new session, checked exactly as ``import_``
    checks a file (refused with nothing written; untrusted unless signed by ``key``)."""
    return exports.import_doc(runner.store, doc, key, new_session_id(), source=source)


def session_models(state: SessionState) -> set[str]:
    """Every model name and base a session used (for filtering by model)."""
    names = {m for m in (state.current_model,) if m}
    for name, info in state.models.items():
        names.update((name, info.base))
    return names


def list_sessions(runner: LocalRunner, *, status: str | None = None, model: str | None = None,
                  since: datetime | None = None, until: datetime | None = None,
                  text: str | None = None, only: set[str] | None = None, limit: int = 50,
                  offset: int = 0, scan: int = 10_000) -> list[tuple[SessionInfo, SessionState]]:
    """Sessions, newest first, filtered by status, model, last update and text (title, the
    question or the answer, case-insensitive); ``only`` restricts to these ids (owners)."""
    found: list[tuple[SessionInfo, SessionState]] = []
    needle = text.casefold() if text else None
    for info in runner.store.sessions(scan):
        if only is not None and info.session_id not in only:
            continue
        if (since and info.updated < since) or (until and info.updated > until):
            continue
        state = fold(runner.store.load(info.session_id))
        if status and state.status != status:
            continue
        if model and model not in session_models(state):
            continue
        if needle and not any(needle in t.casefold() for t in
                              (info.title, state.question, state.answer or "")):
            continue
        found.append((info, state))
        if len(found) >= offset + limit:
            break
    return found[offset:]


def pending_requests(runner: LocalRunner, *, only: set[str] | None = None, limit: int = 200
                     ) -> list[dict[str, Any]]:
    """Every open question and approval request, across sessions (``only``: these ids)."""
    from fluxagent.human.requests import describe, open_request
    rows = []
    for info in runner.store.sessions(limit):
        if only is not None and info.session_id not in only:
            continue
        request = open_request(runner.store.load(info.session_id))
        if request is not None:
            rows.append({"session_id": info.session_id, **describe(request)})
    return rows


def run_tool(runner: LocalRunner, name: str, args: dict[str, Any]) -> ToolResult | ToolError:
    """Run one tool directly, outside any session, exactly as the loop would (validation,
    errors, provenance, artifacts)."""
    state = SessionState(session_id="direct")
    return runner.registry.execute(name, args, runner.tool_context(Thread("direct"), state))
