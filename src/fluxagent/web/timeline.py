"""A thread as a readable timeline: one item per thing a person would want to see (a question,
a tool call with its result or error, an approval, an answer), built from the stored events.

No decision is made here: the items are the events, paired by ``call_id`` and given the
tables and plots their data already holds.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup

from fluxagent.core.events import Event, Thread
from fluxagent.web import charts
from fluxagent.web.tables import Table, tables

#: Tools whose result the flux-map page (``/web/maps/{session}/{seq}``) can draw.
MAPPABLE = frozenset({"run_fba", "run_pfba", "run_fva", "knockout_genes",
                      "knockout_reactions", "run_moma"})
_QUIET = frozenset({"annotation", "context_compacted"})


@dataclass
class Item:
    kind: str  # question, call, approval, human, answer, note, handoff, transition
    seq: int
    event: Event
    title: str = ""
    args: str = ""
    result: Event | None = None
    tables: list[Table] = field(default_factory=list)
    plot: Markup | None = None
    artifacts: list[dict[str, Any]] = field(default_factory=list)
    answer: Event | None = None  # the decision or reply to a request, or of a gated call
    interpretation: dict[str, Any] | None = None
    unresolved: list[str] = field(default_factory=list)
    map_url: str = ""

    @property
    def anchor(self) -> str:
        return f"e{self.seq}"


def pretty(value: Any) -> str:
    return json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False, default=str)


def _interpretation(data: dict[str, Any]) -> tuple[dict[str, Any] | None, list[str]]:
    inner = data.get("data") if isinstance(data.get("data"), dict) else data
    found = inner.get("interpretation") if isinstance(inner, dict) else None
    unresolved = inner.get("unresolved") if isinstance(inner, dict) else None
    return (found if isinstance(found, dict) else None,
            [str(u) for u in unresolved] if isinstance(unresolved, list) else [])


def _call(session_id: str, call: Event, result: Event | None) -> Item:
    item = Item("call", call.seq, call, title=str(call.data.get("name", "?")),
                args=pretty(call.data.get("args", {})), result=result)
    if result is not None and result.type == "tool_result":
        data = result.data.get("data") or {}
        item.tables = tables(data)
        item.plot = charts.plot(item.title, data)
        item.artifacts = [{k: a.get(k) for k in ("name", "sha256", "media_type", "size")}
                          for a in result.data.get("artifacts", []) if a.get("sha256")]
        item.interpretation, item.unresolved = _interpretation(data)
        if item.title in MAPPABLE:
            item.map_url = f"/web/maps/{session_id}/{result.seq}"
    return item


def items(thread: Thread, *, quiet: bool = True) -> list[Item]:
    """The timeline of ``thread`` (``quiet``: leave out bookkeeping annotations)."""
    answers: dict[str, Event] = {}
    for ev in thread:
        if ev.call_id and ev.type in ("tool_result", "tool_error", "approval_decision",
                                      "human_response"):
            answers[f"{ev.type}:{ev.call_id}"] = ev
    out: list[Item] = []
    asked: set[str] = set()
    for ev in thread:
        if ev.type in ("tool_call", "approval_request", "human_request") and ev.call_id:
            asked.add(ev.call_id)
        if ev.type in ("tool_result", "tool_error", "approval_decision", "human_response"):
            if ev.call_id is None or ev.call_id not in asked:
                out.append(Item("note", ev.seq, ev, title=ev.type.replace("_", " ")))
            continue
        if ev.type == "user_message":
            out.append(Item("question", ev.seq, ev, title=str(ev.data.get("text", ""))))
        elif ev.type == "tool_call":
            res = answers.get(f"tool_result:{ev.call_id}") or answers.get(
                f"tool_error:{ev.call_id}")
            item = _call(thread.session_id, ev, res)
            item.answer = answers.get(f"approval_decision:{ev.call_id}")
            out.append(item)
        elif ev.type == "approval_request":
            out.append(Item("approval", ev.seq, ev, title=str(ev.data.get("tool", "")),
                            args=pretty(ev.data.get("args", {})),
                            answer=answers.get(f"approval_decision:{ev.call_id}")))
        elif ev.type == "human_request":
            out.append(Item("human", ev.seq, ev, title=str(ev.data.get("question", "")),
                            answer=answers.get(f"human_response:{ev.call_id}")))
        elif ev.type == "final_answer":
            found, unresolved = _interpretation(ev.data)
            out.append(Item("answer", ev.seq, ev, title=str(ev.data.get("answer", "")),
                            interpretation=found, unresolved=unresolved))
        elif ev.type == "agent_handoff":
            out.append(Item("handoff", ev.seq, ev, title=f"{ev.data.get('from', '?')} → "
                            f"{ev.data.get('to', '?')}"))
        elif ev.type == "flow_transition":
            out.append(Item("transition", ev.seq, ev, title=f"{ev.data.get('from') or '·'} → "
                            f"{ev.data.get('to') or '·'}"))
        elif not (quiet and ev.type in _QUIET):
            out.append(Item("note", ev.seq, ev, title=ev.type.replace("_", " ")))
    return out


def interpretation_text(found: dict[str, Any] | None) -> list[tuple[str, str]]:
    """(label, value) pairs of an interpretation, for a definition list."""
    if not found:
        return []
    rows = []
    for key, value in found.items():
        if value in (None, [], {}, ""):
            continue
        if isinstance(value, list):
            parts = []
            for v in value:
                if isinstance(v, dict):
                    parts.append(", ".join(f"{k}={w}" for k, w in v.items()
                                           if w not in (None, "", [], {})))
                else:
                    parts.append(str(v))
            text = "; ".join(parts)
        elif isinstance(value, dict):
            text = ", ".join(f"{k}={w}" for k, w in value.items())
        else:
            text = str(value)
        rows.append((key.replace("_", " "), text))
    return rows
