"""What the last answer of a thread used (``interpretation``) and what of the question it did
not (``unresolved``), for every channel's output.

A decider that records its interpretation (the offline planner does, in the ``final_answer``
event's data) is taken at its word; for one that does not (an LLM), the interpretation is read
off the tool calls of the last turn: their models, conditions and tools.
"""

from __future__ import annotations

from typing import Any

from fluxagent.core.events import Thread


def _last_turn(thread: Thread) -> list[Any]:
    starts = [i for i, ev in enumerate(thread) if ev.type == "user_message"]
    return list(thread.events[starts[-1]:]) if starts else []


def interpretation(thread: Thread) -> tuple[dict[str, Any] | None, list[str]]:
    turn = _last_turn(thread)
    final = next((ev for ev in reversed(turn) if ev.type == "final_answer"), None)
    if final is None:
        return None, []
    data = final.data.get("data") or {}
    if isinstance(data.get("interpretation"), dict) or data.get("unresolved"):
        interp = data.get("interpretation")
        return (interp if isinstance(interp, dict) else None,
                [str(p) for p in data.get("unresolved") or []])
    calls = [ev for ev in turn if ev.type == "tool_call"]
    models = list(dict.fromkeys(str(ev.data.get("args", {}).get("model")) for ev in calls
                                if ev.data.get("args", {}).get("model")))
    conditions = [ev.data.get("args", {}).get("conditions") for ev in calls
                  if ev.data.get("args", {}).get("conditions")]
    return {"model": models[0] if len(models) == 1 else models or None,
            "conditions": conditions,
            "analyses": [{"type": str(ev.data.get("name"))} for ev in calls]}, []
