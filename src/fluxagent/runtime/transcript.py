"""A session as a readable Markdown transcript: questions, tool calls, people, answers.

Every request to a person and every answer (approvals, rejections with their comments, edited
arguments, escalations) appears in order, so the transcript is the audit trail of a session.
"""

from __future__ import annotations

import json
from typing import Any

from fluxagent.core.events import Event, Thread
from fluxagent.core.redact import redact
from fluxagent.core.state import fold


def _args(args: Any, width: int = 160) -> str:
    text = json.dumps(args, separators=(", ", ": "), default=str)
    return text if len(text) <= width else text[: width - 1] + "…"


def _quote(text: str) -> str:
    return "\n".join(f"> {line}" if line else ">" for line in str(text).splitlines() or [""])


def _when(ev: Event) -> str:
    return ev.ts.strftime("%H:%M:%S")


def _line(ev: Event) -> str | None:
    d, t = ev.data, ev.type
    by = f" _(by {d['by']})_" if d.get("by") else ""
    if t == "tool_call":
        return f"- `{_when(ev)}` **→ {d.get('name')}** `{_args(d.get('args', {}))}`{by}"
    if t == "tool_result":
        return f"  - ✓ {d.get('summary', '')}"
    if t == "tool_error":
        hint = f" Hint: {d['hint']}" if d.get("hint") else ""
        return f"  - ✗ **{d.get('kind')}**: {d.get('message')}{hint}"
    if t == "approval_request":
        return (f"- `{_when(ev)}` **⏸ Approval requested** for `{d.get('tool')}` "
                f"`{_args(d.get('args', {}))}`: {d.get('reason', '')} (request `{ev.call_id}`)")
    if t == "approval_decision":
        who = f" by {d['by']}" if d.get("by") else ""
        verdict = "✔ Approved" if d.get("decision") == "approve" else "✘ Rejected"
        edited = f" with edited arguments `{_args(d['args'])}`" if d.get("args") else ""
        comment = f": “{d['comment']}”" if d.get("comment") else ""
        return f"- `{_when(ev)}` **{verdict}**{who}{edited}{comment}"
    if t == "human_request":
        to = f" to {d['to']}" if d.get("to") else ""
        opts = f" (options: {', '.join(d['options'])})" if d.get("options") else ""
        urgency = f", {d['urgency']} urgency" if d.get("urgency") not in (None, "normal") else ""
        label = "Escalation" if d.get("by") == "escalation" else "Question"
        return f"- `{_when(ev)}` **? {label}{to}**{urgency}: {d.get('question')}{opts}"
    if t == "human_response":
        who = d.get("by") or "person"
        return f"- `{_when(ev)}` **{who} answered**: {d.get('text')}"
    if t == "flow_transition":
        if d.get("to") is None:
            return f"- `{_when(ev)}` _flow {d.get('flow')} ends ({d.get('when')})_"
        src = d.get("from") or "start"
        when = f" — when `{d['when']}`" if d.get("when") not in (None, "start", "default") else ""
        return f"- `{_when(ev)}` _flow {d.get('flow')}: {src} → **{d.get('to')}**{when}_"
    if t == "agent_handoff":
        return (f"- `{_when(ev)}` _hand-off {d.get('from')} → **{d.get('to')}** "
                f"({d.get('reason', '')})_")
    if t == "annotation" and d.get("kind") == "escalation":
        return f"- `{_when(ev)}` **⚠ Escalated to {d.get('to')}**: {d.get('reason', '')}"
    if t == "session_paused":
        return f"- `{_when(ev)}` _paused_" + (f": {d['reason']}" if d.get("reason") else "")
    if t == "session_resumed":
        return f"- `{_when(ev)}` _resumed_"
    if t == "session_forked":
        return f"- _forked from {d.get('from')} at event {d.get('at_seq')}_"
    if t == "session_failed":
        return f"- **Session failed**: {d.get('reason')}"
    if t == "session_imported":
        trust = ("trusted" if d.get("trusted")
                 else "untrusted: earlier approvals must be given again")
        return f"- _imported from {d.get('file')} (signature {d.get('signature')}; {trust})_"
    return None


def transcript(thread: Thread, title: str = "", secrets: tuple[str, ...] = ()) -> str:
    """The whole session as Markdown (secrets masked: core/redact.py)."""
    state = fold(thread)
    head = [f"# Session {thread.session_id}", ""]
    if title:
        head += [f"_{title}_", ""]
    first = thread[0].ts.strftime("%Y-%m-%d %H:%M:%S UTC") if len(thread) else "-"
    head += [f"- status: **{state.status}**", f"- events: {len(thread)}",
             f"- started: {first}", f"- tool calls: {state.tool_calls} "
             f"({state.tool_errors} errors)",
             f"- tokens: {state.prompt_tokens} prompt + {state.completion_tokens} completion",
             ""]
    body: list[str] = []
    turn = 0
    for ev in thread:
        if ev.type == "user_message":
            turn += 1
            model = f" (model {ev.data['model']})" if ev.data.get("model") else ""
            body += ["", f"## Turn {turn}{model}", "", _quote(str(ev.data.get("text", ""))), ""]
        elif ev.type == "final_answer":
            body += ["", "### Answer", "", str(ev.data.get("answer", "")), ""]
        elif (line := _line(ev)) is not None:
            body.append(line)
    if state.status in ("waiting_for_approval", "waiting_for_human"):
        body += ["", f"**Waiting** ({state.status.replace('_', ' ')})."]
    return redact("\n".join(head + body).rstrip() + "\n", secrets)
