"""What a background run does, rebuilt from its journaled payload: each is one call into
``runtime/sessions.py`` (or ``flows.run``), so a restarted server redoes exactly what a
stopped one had queued or started."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fluxagent.api.runs import Work
from fluxagent.core.state import SessionState
from fluxagent.runtime import sessions


def ask(st: Any, session_id: str, question: str, model: str | None) -> Work:
    runner, limit = st.runner, st.settings.max_question_chars
    return lambda: sessions.launch(runner, question, model=model, session_id=session_id,
                                   max_chars=limit)


def flow(st: Any, session_id: str, name: str, inputs: dict[str, Any],
         model: str | None) -> Work:
    from fluxagent.api.routes_sessions import _flow
    from fluxagent.flows.run import run_flow
    runner, definition = st.runner, _flow(st, name)
    return lambda: run_flow(runner, definition, inputs, model=model, session_id=session_id)


def resume(st: Any, session_id: str) -> Work:
    """Continue the stored thread (after a person's answer, a resume, or a restart)."""
    runner = st.runner

    def work() -> SessionState:
        return sessions.resume(runner, session_id)
    return work


def _started(st: Any, row: dict[str, Any]) -> bool:
    """Whether a journaled ask or flow had stored its user message before the stop."""
    created: datetime = row["created"]
    payload = row["payload"]
    for ev in reversed(st.agent.store.load(row["session_id"]).events):
        if ev.type == "user_message" and ev.ts >= created:
            if row["kind"] == "ask" and ev.data.get("text") == payload.get("question"):
                return True
            if row["kind"] == "flow" and ev.data.get("flow") == payload.get("flow_name"):
                return True
    return False


def rebuild(st: Any, row: dict[str, Any]) -> Work:
    """The work of a journaled run a stopped server did not finish."""
    sid, kind, payload = row["session_id"], row["kind"], row["payload"]
    if kind in ("ask", "flow") and (row["status"] != "running" or not _started(st, row)):
        if kind == "ask":
            return ask(st, sid, payload["question"], payload.get("model"))
        return flow(st, sid, payload["flow"], payload.get("inputs", {}), payload.get("model"))
    return resume(st, sid)
