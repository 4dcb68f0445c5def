"""What MCP clients see of sessions and tool results: plain JSON and one-line texts.

User data (ids and names from model files, answers) is carried as JSON values and plain text
content, never as markup; MCP clients render it as data.
"""

from __future__ import annotations

import json
import mimetypes
from typing import Any
from urllib.parse import quote

from fluxagent.core.events import Thread
from fluxagent.core.state import SessionState
from fluxagent.tools.results import ArtifactRef, ToolError, ToolResult

SCHEME = "fluxagent"


def artifact_uri(ref: ArtifactRef) -> str:
    return f"{SCHEME}://artifacts/{ref.sha256}/{quote(ref.name, safe='')}"


def media_type(name: str, fallback: str = "application/octet-stream") -> str:
    if name.endswith(".svg"):
        return "image/svg+xml"
    if name.endswith(".csv"):
        return "text/csv"
    return mimetypes.guess_type(name)[0] or fallback


def result_doc(outcome: ToolResult | ToolError) -> dict[str, Any]:
    """A tool outcome as JSON (the structured content of an MCP tool result)."""
    doc = outcome.model_dump(mode="json")
    for art in doc.get("artifacts", []):
        art.pop("path", None)  # a server path is no business of a client
        art["uri"] = f"{SCHEME}://artifacts/{art['sha256']}/{quote(art['name'], safe='')}"
    return doc


def error_line(err: ToolError) -> str:
    hint = f" (hint: {err.hint})" if err.hint else ""
    return f"{err.tool}: {err.kind}: {err.message}{hint}"


def _pending(thread: Thread, call_id: str | None, kind: str) -> dict[str, Any] | None:
    if call_id is None:
        return None
    for ev in reversed(thread.events):
        if ev.call_id == call_id and ev.type == kind:
            keys = (("tool", "args", "reason") if kind == "approval_request"
                    else ("question", "options", "urgency"))
            return {"call_id": call_id, **{k: ev.data.get(k) for k in keys}}
    return None


def session_view(thread: Thread, state: SessionState) -> dict[str, Any]:
    """A session's state for a client: status, answer, what it waits for, its tool calls."""
    results = {ev.call_id: ev for ev in thread if ev.type in ("tool_result", "tool_error")}
    calls = []
    for ev in thread.of_type("tool_call"):
        res = results.get(ev.call_id)
        rd = res.data if res else {}
        calls.append({"call_id": ev.call_id, "tool": ev.data.get("name"),
                      "args": ev.data.get("args", {}),
                      "ok": bool(res and res.type == "tool_result"),
                      "summary": rd.get("summary") or (
                          f"{rd.get('kind')}: {rd.get('message')}" if res else "not run")})
    return {"session_id": thread.session_id, "status": state.status,
            "question": state.question, "answer": state.answer, "failure": state.failure,
            "pending_approval": _pending(thread, state.pending_approval, "approval_request"),
            "pending_question": _pending(thread, state.pending_human, "human_request"),
            "tool_calls": calls, "events": len(thread)}


def session_text(view: dict[str, Any]) -> str:
    """One readable paragraph: what the session did or waits for."""
    sid, status = view["session_id"], view["status"]
    if status == "waiting_for_approval" and view["pending_approval"]:
        p = view["pending_approval"]
        return (f"waiting for approval: session {sid}, call {p['call_id']}: {p['tool']} "
                f"{json.dumps(p['args'], sort_keys=True)}. Why: {p['reason']}. Approve with "
                f"session_approve or reject with session_reject (session_id={sid}).")
    if status == "waiting_for_human" and view["pending_question"]:
        q = view["pending_question"]
        opts = f" Options: {', '.join(q['options'])}." if q.get("options") else ""
        return (f"waiting for a person: session {sid} asks: {q['question']}{opts} "
                f"To reply, call session_respond (session_id={sid}).")
    if status == "done":
        return f"session {sid} done: {view['answer']}"
    if status == "failed":
        return f"session {sid} failed: {view['failure']}"
    return f"session {sid} is {status}"
