"""The tool schemas an LLM decision is sent: few, compact, and counted in the context budget.

Sending every schema costs 23k tokens (5-10k per focused agent), more than the whole 8,000
token budget. So each step sends:

- the tools the step needs: tools a person or the LLM asked for this turn (``more_tools``),
  tools already called this turn, then the agent's own tools ranked by how well the question's
  words match each tool's name and description, at most ``MAX_SELECTED``;
- ``request_human_input`` (the LLM can always ask a person);
- ``more_tools``: a small escape whose description lists every other tool by name, so the
  LLM can ask for a schema and get it on its next step (``requested`` reads the thread).

Schemas are compacted: no titles or defaults, ``Optional`` unwrapped, ``$defs`` inlined, the
first sentence of each description, and a description or a sub-schema already sent in the same
request (the ``conditions`` object, "Model name; ...") is not repeated. ``schema_tokens`` counts
the request's ``tools`` as the chat-completions wire format sends them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from typing import Any

from fluxagent.context.tokens import count_text
from fluxagent.core.events import Thread

MORE_TOOLS = "more_tools"
ALWAYS = ("request_human_input",)
MAX_SELECTED = 3
MIN_SELECTED = 1
#: Wrapping tokens per tool on the wire ({"type":"function","function":{...}}).
PER_TOOL = 8

_WORD = re.compile(r"[a-z][a-z0-9]+")
_STOP = frozenset(("the", "and", "for", "with", "of", "in", "on", "to", "is", "are", "what",
                   "which", "how", "does", "do", "can", "my", "this", "that", "from", "by",
                   "at", "as", "be", "it", "its", "model", "models", "core", "coli", "give",
                   "me", "show", "tell", "rate"))
_SENTENCE = re.compile(r"(?<![a-z]\.[a-z])(?<=[a-z0-9)]{3})\.\s")


def _first_sentence(text: str, limit: int = 120) -> str:
    text = " ".join(str(text).split())
    m = _SENTENCE.search(text)
    if m:
        text = text[:m.start() + 1]
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def _unwrap(node: Any, defs: dict[str, Any]) -> Any:
    """``anyOf [X, null]`` -> X; ``$ref`` -> the definition (inlined)."""
    if isinstance(node, dict):
        if "$ref" in node and isinstance(node["$ref"], str):
            ref = node["$ref"].rsplit("/", 1)[-1]
            merged = {**defs.get(ref, {}), **{k: v for k, v in node.items() if k != "$ref"}}
            return _unwrap(merged, defs)
        options = node.get("anyOf")
        if isinstance(options, list):
            kept = [o for o in options if o != {"type": "null"}]
            if len(kept) == 1:
                rest = {k: v for k, v in node.items() if k != "anyOf"}
                return _unwrap({**kept[0], **rest}, defs)
    return node


class Compactor:
    """Compacts the schemas of one request; remembers what it already sent."""

    def __init__(self) -> None:
        self._said: set[str] = set()
        self._objects: dict[str, str] = {}  # property name -> first tool sending its schema

    def tool(self, spec: dict[str, Any]) -> dict[str, Any]:
        params = spec.get("parameters") or {"type": "object", "properties": {}}
        defs = params.get("$defs", {}) if isinstance(params, dict) else {}
        name = str(spec.get("name"))
        return {"name": name, "description": _first_sentence(spec.get("description", ""), 200),
                "parameters": self._node(params, defs, name, top=True)}

    def _describe(self, text: Any) -> str | None:
        short = _first_sentence(str(text))
        if not short or short in self._said:
            return None
        self._said.add(short)
        return short

    def _node(self, node: Any, defs: dict[str, Any], tool: str, top: bool = False) -> Any:
        node = _unwrap(node, defs)
        if not isinstance(node, dict):
            return node
        out: dict[str, Any] = {}
        for key, value in node.items():
            if key in ("title", "default", "$defs", "examples") or (
                    key == "additionalProperties" and value is False):
                continue
            if key == "description":
                if not top and (short := self._describe(value)):
                    out[key] = short
            elif key == "properties" and isinstance(value, dict):
                out[key] = {p: self._property(p, v, defs, tool) for p, v in value.items()}
            elif key in ("items", "additionalProperties") and isinstance(value, dict):
                out[key] = self._node(value, defs, tool)
            else:
                out[key] = value
        return out

    def _property(self, name: str, node: Any, defs: dict[str, Any], tool: str) -> Any:
        node = _unwrap(node, defs)
        if isinstance(node, dict) and node.get("type") == "object" and node.get("properties"):
            first = self._objects.setdefault(name, tool)
            if first != tool:  # the same object schema again: name where it was sent
                return {"type": "object", "description": f"as {name} of {first}"}
        return self._node(node, defs, tool)


def compact(specs: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """The schemas of one request, compacted (see the module docstring)."""
    c = Compactor()
    return [c.tool(s) for s in specs]


def more_tools_spec(others: Sequence[str]) -> dict[str, Any]:
    """The escape: ask for the schemas of other tools (sent with the next step)."""
    listing = ", ".join(others) if others else "none"
    return {"name": MORE_TOOLS,
            "description": f"Get the schemas of more tools for your next step. Tools: {listing}.",
            "parameters": {"type": "object", "properties": {
                "names": {"type": "array", "items": {"type": "string"}}},
                "required": ["names"]}}


def schema_tokens(specs: Sequence[dict[str, Any]]) -> int:
    """Tokens of ``specs`` as a request's ``tools`` (chat-completions wire, the larger one)."""
    if not specs:
        return 0
    wire = [{"type": "function", "function": s} for s in specs]
    return count_text(json.dumps(wire)) + PER_TOOL * len(specs)


def requested(thread: Thread) -> list[str]:
    """Tools the LLM asked for with ``more_tools`` or called in this turn (decider's calls)."""
    out: list[str] = []
    for ev in thread.since_last_question():
        if ev.type != "tool_call" or ev.data.get("by") in ("prefetch", "retry"):
            continue
        name = str(ev.data.get("name"))
        if name == MORE_TOOLS:
            names = (ev.data.get("args") or {}).get("names") or []
            out.extend(str(n) for n in names if isinstance(n, str))
        else:
            out.append(name)
    return list(dict.fromkeys(out))


def _words(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.lower().replace("_", " ")) if w not in _STOP}


def _match(question: set[str], words: set[str]) -> int:
    return sum(1 for q in question for w in words
               if q == w or (len(q) >= 4 and len(w) >= 4 and (q.startswith(w[:5])
                                                             or w.startswith(q[:5]))))


def rank(question: str, tools: Sequence[dict[str, Any]]) -> list[str]:
    """The tools in order of relevance to ``question`` (ties: the agent's order)."""
    q = _words(question)
    scored = []
    for i, t in enumerate(tools):
        name_words = _words(str(t.get("name", "")))
        desc_words = _words(str(t.get("description", "")))
        score = 3 * _match(q, name_words) + _match(q, desc_words)
        scored.append((-score, i, str(t.get("name"))))
    return [name for _, _, name in sorted(scored)]


def select(question: str, thread: Thread, own: Sequence[str], allowed: Sequence[str],
           specs: Sequence[dict[str, Any]], limit: int = MAX_SELECTED) -> list[str]:
    """The tools this step sends, most needed first (``own``: the agent's own tools,
    ``allowed``: all it may call)."""
    by_name = {str(s.get("name")): s for s in specs}
    asked = [n for n in requested(thread) if n in by_name and n != MORE_TOOLS]
    ranked = [n for n in rank(question, [by_name[n] for n in own if n in by_name])
              if n not in asked]
    chosen = list(dict.fromkeys([*asked, *ranked[:max(0, limit - len(asked))]]))
    chosen += [n for n in ALWAYS if n in allowed and n in by_name and n not in chosen]
    return chosen


def request_tools(chosen: Sequence[str], specs: Sequence[dict[str, Any]],
                  others: Sequence[str]) -> list[dict[str, Any]]:
    """The compact schemas of ``chosen`` plus the ``more_tools`` escape listing ``others``."""
    by_name = {str(s.get("name")): s for s in specs}
    rest = [n for n in others if n not in chosen and n != MORE_TOOLS]
    return [*compact(by_name[n] for n in chosen if n in by_name), more_tools_spec(rest)]
