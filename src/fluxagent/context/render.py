"""Compact rendering of events into chat messages (not raw JSON dumps).

Each event can be rendered at three levels, richest first:

- ``full``: a tool result's summary plus its data compacted (``compress.compact_data``);
- ``summary``: the summary the tool wrote for the decider;
- ``brief``: the first sentence, marked with "…" (recorded in a ``context_compacted`` event).

Text that cannot be shortened without changing its meaning (a question, a person's answer) is
never cut: if it is larger than ``MAX_TEXT_CHARS`` rendering fails with ``EventTooLargeError``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any, Literal

from fluxagent.context.compress import compact_data, first_sentence
from fluxagent.core.errors import render_error
from fluxagent.core.events import Event

Level = Literal["full", "summary", "brief"]
LEVELS: tuple[Level, ...] = ("full", "summary", "brief")
#: The largest text an event may carry into the context (about 6,000 tokens).
MAX_TEXT_CHARS = 24_000


class ContextError(ValueError):
    """The context window cannot be built as asked (one-line message for the user)."""


class EventTooLargeError(ContextError):
    pass


def _args(args: dict[str, Any]) -> str:
    return json.dumps(args, separators=(",", ":"), sort_keys=True, default=str)


def _checked(ev: Event, what: str, text: str) -> str:
    if len(text) > MAX_TEXT_CHARS:
        raise EventTooLargeError(
            f"event {ev.seq} ({ev.type}) has a {what} of {len(text):,} characters, more than "
            f"the {MAX_TEXT_CHARS:,} one event may bring into the context; shorten it (attach "
            "long material as a file) instead of letting it be cut")
    return text


def render_event(ev: Event, level: Level = "full", *, focus: Iterable[str] = (),
                 learned: str = "") -> dict[str, Any] | None:
    """One event as one chat message, or None for events the decider need not see."""
    d = ev.data
    if ev.type == "user_message":
        return {"role": "user", "content": _checked(ev, "question", str(d.get("text", "")))}
    if ev.type == "tool_call":
        return {"role": "assistant", "content": f"call {d.get('name')}({_args(d.get('args', {}))})",
                "tool_call": {"id": ev.call_id, "name": d.get("name"), "args": d.get("args", {})}}
    if ev.type == "tool_result":
        summary = _checked(ev, "summary", str(d.get("summary", "")))
        if level == "brief":
            text = first_sentence(summary)
        elif level == "summary" or not d.get("data"):
            text = summary
        else:
            table = compact_data(dict(d.get("data", {})), focus)
            text = f"{summary}\n{table}" if table else summary
        return {"role": "tool", "tool_call_id": ev.call_id, "content": f"{d.get('tool')}: {text}"}
    if ev.type == "tool_error":
        text = render_error(d, learned=learned)
        return {"role": "tool", "tool_call_id": ev.call_id,
                "content": _checked(ev, "message", text)}
    if ev.type == "human_request":
        return {"role": "assistant",
                "content": f"asked the user: {_checked(ev, 'question', str(d.get('question')))}"}
    if ev.type == "human_response":
        return {"role": "user", "content": _checked(ev, "reply", str(d.get("text", "")))}
    if ev.type == "approval_decision" and d.get("decision") == "reject":
        return {"role": "user", "content": f"A person rejected the call {ev.call_id}: "
                f"{_checked(ev, 'comment', str(d.get('comment') or 'no reason given'))}"}
    if ev.type == "flow_transition" and d.get("to"):
        return {"role": "user", "content": f"[flow] {d.get('from', '')} → {d.get('to')}"
                + (f": {d['note']}" if d.get("note") else "")}
    if ev.type == "final_answer":
        answer = _checked(ev, "answer", str(d.get("answer", "")))
        return {"role": "assistant",
                "content": first_sentence(answer, 240) if level == "brief" else answer}
    return None


def render_naive(ev: Event) -> dict[str, Any] | None:
    """The baseline the benchmark compares with: every event's full JSON payload."""
    if ev.type in ("annotation", "context_compacted"):
        return None
    role = {"user_message": "user", "human_response": "user", "tool_result": "tool",
            "tool_error": "tool"}.get(ev.type, "assistant")
    return {"role": role, "content": json.dumps(ev.data, default=str)}
