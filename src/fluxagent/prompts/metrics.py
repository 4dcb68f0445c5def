"""Metrics per prompt version, read from the stored sessions (the thread is the record).

Every decision event carries the context it was made with (``data.context``: prompt name,
version, variant, tokens, budget, tokens by section), so renders, tokens and the outcome of the
sessions that used a version are a fold over the store: persisted by construction, and
recomputed the same way on SQLite or PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from fluxagent.core.events import Thread
from fluxagent.core.state import fold

DECISIONS = ("tool_call", "human_request", "final_answer")


def collect(threads: Iterable[Thread]) -> list[dict[str, Any]]:
    """One row per prompt version: sessions, renders, tokens, outcomes, errors per session."""
    rows: dict[str, dict[str, Any]] = {}
    for thread in threads:
        used: set[str] = set()
        for ev in thread:
            ctx = ev.data.get("context") if ev.type in DECISIONS else None
            prompt = ctx.get("prompt") if isinstance(ctx, dict) else None
            if not isinstance(prompt, dict):
                continue
            ref = f"{prompt.get('name')}@{prompt.get('version')}"
            row = rows.setdefault(ref, {
                "prompt": ref, "variant": prompt.get("variant", ""), "sessions": 0,
                "renders": 0, "tokens": 0, "max_tokens": 0, "outcomes": {}, "errors": 0,
                "prompt_tokens": 0, "completion_tokens": 0})
            row["renders"] += 1
            tokens = int(ctx.get("tokens", 0))  # type: ignore[union-attr]
            row["tokens"] += tokens
            row["max_tokens"] = max(row["max_tokens"], tokens)
            usage = ev.data.get("usage") or {}
            row["prompt_tokens"] += int(usage.get("prompt_tokens", 0))
            row["completion_tokens"] += int(usage.get("completion_tokens", 0))
            used.add(ref)
        if not used:
            continue
        state = fold(thread)
        for ref in used:
            row = rows[ref]
            row["sessions"] += 1
            row["outcomes"][state.status] = row["outcomes"].get(state.status, 0) + 1
            row["errors"] += state.tool_errors
    out = []
    for row in sorted(rows.values(), key=lambda r: r["prompt"]):
        n = row["sessions"] or 1
        row["mean_tokens"] = round(row["tokens"] / max(row["renders"], 1), 1)
        row["done_rate"] = round(row["outcomes"].get("done", 0) / n, 3)
        row["errors_per_session"] = round(row["errors"] / n, 2)
        out.append(row)
    return out


def from_store(store: Any, limit: int = 1000) -> list[dict[str, Any]]:
    return collect(store.load(info.session_id) for info in store.sessions(limit))
