"""A session as a readable Markdown transcript: questions, tool calls, people, answers.

Every request to a person and every answer (approvals, rejections with their comments, edited
arguments, escalations) appears in order, so the transcript is the audit trail of a session.
Everything in it comes from events, i.e. from users, models and deciders: ids and arguments are
code spans, other text is escaped Markdown text, answers are Markdown without raw HTML or
unsafe links (``render/escape.py``).
"""

from __future__ import annotations

import json
from typing import Any

from fluxagent.core.events import Event, Thread
from fluxagent.core.redact import redact, redact_data
from fluxagent.core.state import fold
from fluxagent.render.escape import md_code, md_safe, md_text


def _args(args: Any, width: int = 160) -> str:
    """Arguments as one code span."""
    text = json.dumps(args, separators=(", ", ": "), default=str)
    return md_code(text if len(text) <= width else text[: width - 1] + "…")


def _quote(text: str) -> str:
    return "\n".join(f"> {md_text(line)}" if line else ">"
                     for line in str(text).splitlines() or [""])


def _t(value: Any) -> str:
    return md_text("" if value is None else value)


def _when(ev: Event) -> str:
    return ev.ts.strftime("%H:%M:%S")


def _line(ev: Event) -> str | None:
    d, t = ev.data, ev.type
    by = f" _(by {_t(d['by'])})_" if d.get("by") else ""
    if t == "tool_call":
        return f"- `{_when(ev)}` **→ {_t(d.get('name'))}** {_args(d.get('args', {}))}{by}"
    if t == "tool_result":
        return f"  - ✓ {_t(d.get('summary', ''))}"
    if t == "tool_error":
        hint = f" Hint: {_t(d['hint'])}" if d.get("hint") else ""
        return f"  - ✗ **{_t(d.get('kind'))}**: {_t(d.get('message'))}{hint}"
    if t == "approval_request":
        return (f"- `{_when(ev)}` **⏸ Approval requested** for {md_code(d.get('tool'))} "
                f"{_args(d.get('args', {}))}: {_t(d.get('reason', ''))} "
                f"(request {md_code(ev.call_id)})")
    if t == "approval_decision":
        who = f" by {_t(d['by'])}" if d.get("by") else ""
        verdict = "✔ Approved" if d.get("decision") == "approve" else "✘ Rejected"
        edited = f" with edited arguments {_args(d['args'])}" if d.get("args") else ""
        comment = f": “{_t(d['comment'])}”" if d.get("comment") else ""
        return f"- `{_when(ev)}` **{verdict}**{who}{edited}{comment}"
    if t == "human_request":
        to = f" to {_t(d['to'])}" if d.get("to") else ""
        opts = (f" (options: {', '.join(_t(o) for o in d['options'])})"
                if d.get("options") else "")
        urgency = (f", {_t(d['urgency'])} urgency" if d.get("urgency") not in (None, "normal")
                   else "")
        label = "Escalation" if d.get("by") == "escalation" else "Question"
        return f"- `{_when(ev)}` **? {label}{to}**{urgency}: {_t(d.get('question'))}{opts}"
    if t == "human_response":
        who = _t(d.get("by") or "person")
        return f"- `{_when(ev)}` **{who} answered**: {_t(d.get('text'))}"
    if t == "flow_transition":
        if d.get("to") is None:
            return f"- `{_when(ev)}` _flow {_t(d.get('flow'))} ends ({_t(d.get('when'))})_"
        src = _t(d.get("from") or "start")
        when = (f" — when {md_code(d['when'])}" if d.get("when") not in (None, "start",
                                                                         "default") else "")
        return f"- `{_when(ev)}` _flow {_t(d.get('flow'))}: {src} → **{_t(d.get('to'))}**{when}_"
    if t == "agent_handoff":
        return (f"- `{_when(ev)}` _hand-off {_t(d.get('from'))} → **{_t(d.get('to'))}** "
                f"({_t(d.get('reason', ''))})_")
    if t == "annotation" and d.get("kind") == "escalation":
        return (f"- `{_when(ev)}` **⚠ Escalated to {_t(d.get('to'))}**: "
                f"{_t(d.get('reason', ''))}")
    if t == "session_paused":
        return f"- `{_when(ev)}` _paused_" + (f": {_t(d['reason'])}" if d.get("reason") else "")
    if t == "session_resumed":
        return f"- `{_when(ev)}` _resumed_"
    if t == "session_forked":
        return f"- _forked from {md_code(d.get('from'))} at event {_t(d.get('at_seq'))}_"
    if t == "session_failed":
        return f"- **Session failed**: {_t(d.get('reason'))}"
    if t == "session_imported":
        trust = ("trusted" if d.get("trusted")
                 else "untrusted: earlier approvals must be given again")
        return (f"- _imported from {md_code(d.get('file'))} (signature "
                f"{md_code(d.get('signature'))}; {trust})_")
    return None


def transcript(thread: Thread, title: str = "", secrets: tuple[str, ...] = ()) -> str:
    """The whole session as Markdown (secrets masked: core/redact.py)."""
    state = fold(thread)
    head = [f"# Session {md_code(thread.session_id)}", ""]
    if title:
        head += [f"_{md_text(title)}_", ""]
    first = thread[0].ts.strftime("%Y-%m-%d %H:%M:%S UTC") if len(thread) else "-"
    head += [f"- status: **{state.status}**", f"- events: {len(thread)}",
             f"- started: {first}", f"- tool calls: {state.tool_calls} "
             f"({state.tool_errors} errors)",
             f"- tokens: {state.prompt_tokens} prompt + {state.completion_tokens} completion",
             ""]
    body: list[str] = []
    turn = 0
    for raw in thread:
        # secrets are masked before escaping (an escaped secret would no longer match)
        ev = raw.model_copy(update={"data": redact_data(raw.data, secrets)})
        if ev.type == "user_message":
            turn += 1
            model = f" (model {md_code(ev.data['model'])})" if ev.data.get("model") else ""
            body += ["", f"## Turn {turn}{model}", "", _quote(str(ev.data.get("text", ""))), ""]
        elif ev.type == "final_answer":
            body += ["", "### Answer", "", md_safe(ev.data.get("answer", "")), ""]
        elif (line := _line(ev)) is not None:
            body.append(line)
    if state.status in ("waiting_for_approval", "waiting_for_human"):
        body += ["", f"**Waiting** ({state.status.replace('_', ' ')})."]
    return redact("\n".join(head + body).rstrip() + "\n", secrets)
