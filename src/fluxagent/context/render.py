"""Compact rendering of events into chat messages (not raw JSON dumps)."""

from __future__ import annotations

import json
from typing import Any

from fluxagent.core.events import Event


def _args(args: dict[str, Any]) -> str:
    return json.dumps(args, separators=(",", ":"), sort_keys=True)


def render_event(ev: Event) -> dict[str, Any] | None:
    """One event as one chat message, or None for events the decider need not see."""
    d = ev.data
    if ev.type == "user_message":
        return {"role": "user", "content": str(d.get("text", ""))}
    if ev.type == "tool_call":
        return {"role": "assistant", "content": f"call {d.get('name')}({_args(d.get('args', {}))})",
                "tool_call": {"id": ev.call_id, "name": d.get("name"), "args": d.get("args", {})}}
    if ev.type == "tool_result":
        return {"role": "tool", "tool_call_id": ev.call_id,
                "content": f"{d.get('tool')}: {d.get('summary', '')}"}
    if ev.type == "tool_error":
        hint = f" Hint: {d['hint']}" if d.get("hint") else ""
        return {"role": "tool", "tool_call_id": ev.call_id,
                "content": f"ERROR {d.get('tool')} [{d.get('kind')}]: {d.get('message')}.{hint}"}
    if ev.type == "human_request":
        return {"role": "assistant", "content": f"asked the user: {d.get('question')}"}
    if ev.type == "human_response":
        return {"role": "user", "content": str(d.get("text", ""))}
    if ev.type == "approval_decision" and d.get("decision") == "reject":
        return {"role": "user", "content": f"A person rejected the call {ev.call_id}: "
                f"{d.get('comment') or 'no reason given'}"}
    if ev.type == "final_answer":
        return {"role": "assistant", "content": str(d.get("answer", ""))}
    return None
