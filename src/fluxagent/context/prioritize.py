"""Turn a thread into prioritized context items, each renderable at several levels.

Priorities (lower keeps longer):

0. ``system`` and ``question`` (the current user message): always kept, never shortened;
1. ``errors`` (the unresolved error streak) and ``human`` (requests, answers, rejections of this
   turn): kept whole while anything else can give way;
2. ``recent``: calls and results of the current turn;
3. ``history``: earlier turns.

A tool call and its outcome form one item so a chat API always sees them paired. The default
compression policy is applied here too: the newest ``recent_full`` results keep their data
tables, older results of the turn show their summary, earlier turns a brief line, and errors
already resolved are dropped.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from fluxagent.context.render import LEVELS, render_event
from fluxagent.context.tokens import count_message
from fluxagent.core.errors import error_streak
from fluxagent.core.events import Event, Thread

PRIORITY = {"system": 0, "question": 0, "errors": 1, "human": 1, "recent": 2, "history": 3}


@dataclass
class Item:
    """One unit of context: all or nothing of it goes to the decider, at some level."""

    key: str
    section: str
    priority: int
    order: float
    levels: list[list[dict[str, Any]]]  # messages per level, richest first
    names: list[str]  # level names, parallel to ``levels``
    seqs: tuple[int, ...] = ()
    turn: int = 0
    level: int = 0  # index into levels; == len(levels) means dropped
    reason: str = ""  # why the policy reduced or dropped it
    _tokens: dict[int, int] = field(default_factory=dict)

    @property
    def dropped(self) -> bool:
        return self.level >= len(self.levels)

    @property
    def pinned(self) -> bool:
        return self.priority == 0

    def tokens(self, level: int | None = None) -> int:
        lv = self.level if level is None else level
        if lv >= len(self.levels):
            return 0
        if lv not in self._tokens:
            self._tokens[lv] = sum(count_message(m) for m in self.levels[lv])
        return self._tokens[lv]

    def messages(self) -> list[dict[str, Any]]:
        return [] if self.dropped else self.levels[self.level]

    def level_name(self) -> str:
        return "dropped" if self.dropped else self.names[self.level]


def _levels(events: list[Event], focus: set[str], learned: Mapping[str, str]
            ) -> tuple[list[list[dict[str, Any]]], list[str]]:
    """The renderings of a group of events, richest first, without duplicates."""
    out: list[list[dict[str, Any]]] = []
    names: list[str] = []
    for level in LEVELS:
        msgs = [m for ev in events
                if (m := render_event(ev, level, focus=focus,
                                      learned=learned.get(ev.id, ""))) is not None]
        if not out or msgs != out[-1]:
            out.append(msgs)
            names.append(level)
    return out, names


def items_from_thread(thread: Thread, focus: Iterable[str] = (), *, recent_full: int = 2,
                      learned: Mapping[str, str] | None = None) -> list[Item]:
    """All events the decider may see, grouped, prioritized and at their default level."""
    focus_set, hints = set(focus), learned or {}
    events = list(thread)
    start = max((i for i, ev in enumerate(events) if ev.type == "user_message"), default=0)
    streak = {ev.id for ev in error_streak(thread)}
    outcome: dict[str, Event] = {}
    for ev in events:
        if (ev.call_id and ev.type in ("tool_result", "tool_error")) or (
                ev.type == "approval_decision" and ev.data.get("decision") == "reject"):
            outcome.setdefault(str(ev.call_id), ev)
    grouped: set[str] = set()
    items: list[Item] = []
    turn = 0
    for i, ev in enumerate(events):
        turn += ev.type == "user_message"
        current = i >= start
        group = [ev]
        if ev.type == "tool_call" and ev.call_id in outcome:
            group.append(outcome[str(ev.call_id)])
            grouped.add(outcome[str(ev.call_id)].id)
        elif ev.id in grouped:
            continue
        levels, names = _levels(group, focus_set, hints)
        if not levels or not levels[0]:
            continue
        last = group[-1]
        if ev.type == "user_message" and i == start:
            section = "question"
        elif last.type == "tool_error" and last.id in streak:
            section = "errors"
        elif ev.type in ("human_request", "human_response") or last.type == "approval_decision":
            section = "human" if current else "history"
        else:
            section = "recent" if current else "history"
        item = Item(key=f"ev:{ev.seq}", section=section, priority=PRIORITY[section],
                    order=float(ev.seq), levels=levels, names=names,
                    seqs=tuple(e.seq for e in group), turn=turn)
        if last.type == "tool_error" and last.id not in streak:
            item.level, item.reason = len(levels), "resolved error"
        items.append(item)
    _default_levels(items, recent_full)
    return items


def _default_levels(items: list[Item], recent_full: int) -> None:
    """The compression policy: newest results whole, older ones summarized, old turns brief."""
    results = [it for it in items if it.section == "recent" and not it.dropped
               and "summary" in it.names]
    for it in results[:-recent_full] if recent_full else results:
        it.level, it.reason = it.names.index("summary"), "older result of this turn"
    now = max((it.turn for it in items), default=0)
    for it in items:
        if it.section == "history" and not it.dropped and len(it.levels) > 1:
            target = "summary" if it.turn == now - 1 else "brief"
            if target in it.names:
                it.level, it.reason = it.names.index(target), "earlier turn"
