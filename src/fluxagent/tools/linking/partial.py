"""Partial resolution of knockout lists: use what resolves, name what does not.

"knock out b0001, notagene and b0002" deletes the two genes and reports ``notagene``; only when
*nothing* resolves is it an ``unknown_id`` error. An ambiguous mention still fails (it has
candidates: choosing one would be a guess). What was left out travels in two ways: the return
value (for the tool's own summary) and a per-call collector that ``Registry.execute`` opens, so
every tool whose conditions held a knockout reports it the same way:

``data["unresolved"]``: the mentions as written, e.g. ``["notagene"]``;
``data["unresolved_detail"]``: one ``{"text", "kind", "message", "hint", "candidates"}`` each.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from fluxagent.tools.linking.resolve import Kind, combine, link_each
from fluxagent.tools.results import ToolFailure, ToolResult

_SINK: ContextVar[list[dict[str, Any]] | None] = ContextVar("fluxagent_unresolved",
                                                              default=None)


def detail(failure: ToolFailure, kind: Kind) -> dict[str, Any]:
    return {"text": failure.data.get("text", ""), "kind": kind, "message": failure.message,
            "hint": failure.hint, "candidates": list(failure.data.get("candidates", []))}


@dataclass(frozen=True)
class Knockouts:
    genes: list[str]
    reactions: list[str]
    unresolved: list[dict[str, Any]]  # detail() of each mention left out

    @property
    def texts(self) -> list[str]:
        return [u["text"] for u in self.unresolved]


def link_knockouts(model: Any, genes: Iterable[str] = (), reactions: Iterable[str] = (),
                   ) -> Knockouts:
    """Link knockout mentions; unknown ones are left out and reported (see module doc)."""
    g = link_each(model, genes, "gene")
    r = link_each(model, reactions, "reaction")
    ambiguous = g.ambiguous + r.ambiguous
    if ambiguous:
        raise combine(ambiguous + g.missing + r.missing)
    missing = [(f, "gene") for f in g.missing] + [(f, "reaction") for f in r.missing]
    if missing and not (g.ids or r.ids):
        raise combine([f for f, _ in missing])
    out = Knockouts(g.ids, r.ids, [detail(f, k) for f, k in missing])  # type: ignore[arg-type]
    report(out.unresolved)
    return out


def link_partial(model: Any, texts: Iterable[str], kind: Kind) -> list[str]:
    """Like ``link_many`` for a list of deletions: unknown mentions are reported, not fatal."""
    ko = link_knockouts(model, texts, ()) if kind == "gene" else \
        link_knockouts(model, (), texts)
    return ko.genes if kind == "gene" else ko.reactions


# ---------------------------------------------------------------------------- collector
@contextmanager
def collecting() -> Iterator[list[dict[str, Any]]]:
    """Collect what the linking inside this block left out (one tool call)."""
    sink: list[dict[str, Any]] = []
    token = _SINK.set(sink)
    try:
        yield sink
    finally:
        _SINK.reset(token)


def report(items: Iterable[dict[str, Any]]) -> None:
    sink = _SINK.get()
    if sink is None:
        return
    for item in items:
        if not any(s["text"] == item["text"] and s["kind"] == item["kind"] for s in sink):
            sink.append(item)


def not_found_text(items: list[dict[str, Any]]) -> str:
    """'not found: notagene (gene), FOO (reaction)'."""
    return "not found: " + ", ".join(f"{u['text']} ({u['kind']})" for u in items)


def with_unresolved(result: ToolResult, items: list[dict[str, Any]]) -> ToolResult:
    """``result`` with ``data["unresolved"]`` / ``unresolved_detail`` and, unless the tool
    already said so, a sentence in the summary."""
    if not items:
        return result
    stated = "unresolved" in result.data
    texts = list(dict.fromkeys([*result.data.get("unresolved", []),
                                *(u["text"] for u in items)]))
    known = {(d.get("text"), d.get("kind")) for d in result.data.get("unresolved_detail", [])}
    detail_list = [*result.data.get("unresolved_detail", []),
                   *(u for u in items if (u["text"], u["kind"]) not in known)]
    summary = result.summary if stated else \
        f"{result.summary} Left out, {not_found_text(items)}."
    data = result.data | {"unresolved": texts, "unresolved_detail": detail_list}
    return result.model_copy(update={"data": data, "summary": summary})
