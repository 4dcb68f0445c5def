"""Builds what the decider sees from the thread, within a token budget (factor 3).

``build(thread, state, system)`` renders the thread compactly (``render.py``), groups and
prioritizes it (``prioritize.py``), applies the compression policy, and then, while the count
is over ``max_tokens``, shortens or drops the least important, oldest item one level at a time.
System prompt and current question are never touched: if they alone exceed the budget, or an
event is too large to render, building fails with a ``ContextError`` naming the numbers.

Whatever the policy or the budget removed from view is reported in ``Context.meta["events"]``
as a ``context_compacted`` event (only what no earlier such event recorded), which the runner
appends so the thread stays the truth. ``Context.sections`` has the tokens per section.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from fluxagent.context.compress import compact_data, first_sentence, focus_terms
from fluxagent.context.prioritize import PRIORITY, Item, items_from_thread
from fluxagent.context.render import ContextError
from fluxagent.context.tokens import PER_REPLY, count_messages, counter
from fluxagent.core.context import Context
from fluxagent.core.events import Event, Thread, new_event
from fluxagent.core.state import SessionState

__all__ = ["ContextBudgetError", "ContextError", "ContextManager", "estimate_tokens"]


class ContextBudgetError(ContextError):
    pass


def estimate_tokens(text: str) -> int:
    """Tokens of ``text`` with the counter in use (tiktoken cl100k_base, or the estimate)."""
    return counter().count(text)


class ContextManager:
    """The context window of one agent: budget, priorities, pruning and compression."""

    def __init__(self, max_tokens: int = 8000, *, recent_full: int = 2) -> None:
        if max_tokens <= 0:
            raise ContextBudgetError(f"the token budget must be positive, not {max_tokens}")
        self.max_tokens = max_tokens
        self.recent_full = recent_full
        self.strategies = ["resolved errors dropped", f"newest {recent_full} results whole",
                           "older results summarized", "earlier turns brief",
                           "lowest priority, oldest first, pruned to the budget"]
        self._extra: list[tuple[dict[str, Any], int]] = []

    # -- the seed's API ---------------------------------------------------------------------
    def add_context_item(self, item: dict[str, Any], priority: int) -> None:
        """Add a message to every context this manager builds (0 = always kept)."""
        if "content" not in item:
            raise ContextError("a context item needs a 'content'")
        if priority < 0:
            raise ContextError(f"priority must be 0 (always kept) or more, not {priority}")
        self._extra.append(({"role": item.get("role", "system"), **item}, priority))

    def compress_context(self, messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Compress messages in place of their meaning: JSON dumps become compact tables,
        tool outputs older than the newest ``recent_full`` become their first sentence."""
        tool_idx = [i for i, m in enumerate(messages) if m.get("role") == "tool"]
        old = set(tool_idx[:-self.recent_full] if self.recent_full else tool_idx)
        out = []
        for i, m in enumerate(messages):
            content = str(m.get("content", ""))
            content = _compact_json(content)
            if i in old:
                content = first_sentence(content)
            out.append({**m, "content": content})
        return out

    def optimize_context(self, messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Prioritize, compress and prune plain chat messages to the budget."""
        last_user = max((i for i, m in enumerate(messages) if m.get("role") == "user"),
                        default=-1)
        compressed = self.compress_context(messages)
        items = []
        for i, (m, c) in enumerate(zip(messages, compressed, strict=True)):
            if m.get("role") == "system" or i == last_user:
                section = "system" if m.get("role") == "system" else "question"
            elif i > last_user and str(m.get("content", "")).startswith("ERROR"):
                section = "errors"
            else:
                section = "recent" if i > last_user else "history"
            levels = [[m], [c]] if c != m else [[m]]
            items.append(Item(key=f"msg:{i}", section=section, priority=PRIORITY[section],
                              order=float(i), levels=levels,
                              names=["full", "compressed"][: len(levels)]))
        items += self._extra_items()
        self._fit(items, self.max_tokens)
        return [m for it in sorted(items, key=lambda it: it.order) for m in it.messages()]

    # -- what the runtime calls -------------------------------------------------------------
    def build(self, thread: Thread, state: SessionState, system: str, *,
              learned: Mapping[str, str] | None = None,
              meta: Mapping[str, Any] | None = None, reserve: int = 0) -> Context:
        """The decider's view of ``thread``; ``learned`` maps error event ids to known fixes,
        ``meta`` goes into ``Context.meta`` (its ``events`` are appended before the decision);
        ``reserve``: tokens of the budget kept free for what is sent beside the messages
        (an agent's prompt, the tool schemas of an LLM request)."""
        budget = self.max_tokens - reserve
        system_item = Item(key="system", section="system", priority=0, order=-2.0,
                           levels=[[{"role": "system", "content": system}]], names=["full"])
        items = [system_item, *self._extra_items(),
                 *items_from_thread(thread, focus_terms(state.question),
                                    recent_full=self.recent_full, learned=learned)]
        full_tokens = sum(it.tokens(0) for it in items) + PER_REPLY
        self._fit(items, budget, reserve)
        kept = sorted((it for it in items if not it.dropped), key=lambda it: it.order)
        messages = [m for it in kept for m in it.messages()]
        tokens = count_messages(messages)
        sections: dict[str, int] = {}
        for it in kept:
            sections[it.section] = sections.get(it.section, 0) + it.tokens()
        events = [*(meta or {}).get("events", ()),
                  *_compaction_events(thread, items, full_tokens, tokens, budget)]
        return Context(thread=thread, state=state, messages=messages, tokens=tokens,
                       budget=self.max_tokens, sections=sections,
                       meta={**(meta or {}), "events": events, "counter": counter().name,
                             "levels": {it.key: it.level_name() for it in items
                                        if it.level > 0}})

    # -- internals --------------------------------------------------------------------------
    def _extra_items(self) -> list[Item]:
        return [Item(key=f"extra:{i}", section="system" if p == 0 else "extra",
                     priority=p, order=-1.0 + i / 1000, levels=[[m]], names=["full"])
                for i, (m, p) in enumerate(self._extra)]

    def _fit(self, items: list[Item], budget: int, reserve: int = 0) -> None:
        """Shorten or drop the least important, oldest items until ``budget`` holds."""
        total = sum(it.tokens() for it in items) + PER_REPLY
        pinned = sum(it.tokens() for it in items if it.pinned) + PER_REPLY
        if pinned > budget:
            parts = ", ".join(f"{it.section} {it.tokens()}" for it in items if it.pinned)
            if reserve:
                parts += f", agent prompt and tool schemas {reserve}"
            raise ContextBudgetError(
                f"the token budget ({self.max_tokens}) is smaller than what must always be "
                f"sent ({pinned + reserve} tokens: {parts}); raise FLUXAGENT_MAX_TOKENS or "
                "shorten the system prompt or the question")
        while total > budget:
            candidates = [it for it in items if not it.pinned and not it.dropped]
            victim = max(candidates, key=lambda it: (it.priority, -it.order))
            before = victim.tokens()
            victim.level += 1
            victim.reason = f"over budget ({total} > {budget} tokens)"
            total += victim.tokens() - before


def _compact_json(content: str) -> str:
    """A raw JSON dump of a result becomes its summary plus compacted data."""
    text = content.strip()
    if not (text.startswith("{") and text.endswith("}")) or len(text) < 200:
        return content
    try:
        obj = json.loads(text)
    except json.JSONDecodeError:
        return content
    if not isinstance(obj, dict):
        return content
    data: dict[str, Any] = obj["data"] if isinstance(obj.get("data"), dict) else obj
    head = str(obj.get("summary", "")).strip()
    table = compact_data({k: v for k, v in data.items() if k not in ("summary", "provenance")})
    return f"{head}\n{table}".strip()


def _compaction_events(thread: Thread, items: list[Item], before: int, after: int,
                       budget: int) -> list[Event]:
    """A ``context_compacted`` event for what is newly dropped or cut to a brief line."""
    seen: dict[int, str] = {}
    for ev in thread.of_type("context_compacted"):
        for seq in ev.data.get("dropped", []):
            seen[int(seq)] = "dropped"
        for seq in ev.data.get("brief", []):
            seen.setdefault(int(seq), "brief")
    dropped: list[int] = []
    brief: list[int] = []
    reasons: dict[str, str] = {}
    for it in items:
        name = it.level_name()
        if name not in ("dropped", "brief") or not it.seqs:
            continue
        if seen.get(it.seqs[0]) == "dropped" or seen.get(it.seqs[0]) == name:
            continue
        (dropped if name == "dropped" else brief).extend(it.seqs)
        reasons[str(it.seqs[0])] = it.reason
    if not dropped and not brief:
        return []
    return [new_event("context_compacted", {
        "dropped": dropped, "brief": brief, "reasons": reasons, "tokens_full": before,
        "tokens_sent": after, "budget": budget, "counter": counter().name})]
