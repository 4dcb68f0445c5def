"""Record a decider's exchanges to a cassette and replay them offline (CI without an LLM).

A cassette is a JSON-lines file: a header line, then one line per decision with the context's
key, the canonical context it was computed from, and the step (or the ``DeciderError``) the
decider returned. The key is the SHA-256 of the canonical context: the normalized messages
(``messages.normalize``) plus the sorted tool names, with the session's random call ids
replaced by their order of appearance, so the same conversation gets the same key in a new
session. Replaying returns the recorded steps; a context the cassette has never seen raises a
``DeciderError`` that says where it departs from the closest recording.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import defaultdict
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter

from fluxagent.core.context import Context
from fluxagent.core.steps import Step, Usage
from fluxagent.llm.base import Decider, DeciderError
from fluxagent.llm.messages import ReplyError, normalize

CASSETTE_FORMAT = "fluxagent-cassette/1"
_STEP: TypeAdapter[Step] = TypeAdapter(Step)


def canonical(context: Context, tools: list[dict[str, Any]]) -> dict[str, Any]:
    """What identifies a decision: the conversation and the tools on offer, without ids."""
    ids: dict[str, str] = {}
    rows: list[list[Any]] = []
    for m in normalize(context.messages):
        cid = ids.setdefault(m.call_id, f"c{len(ids) + 1}") if m.call_id else ""
        rows.append([m.role, m.content, cid, m.name, m.args])
    return {"messages": rows, "tools": sorted(str(t.get("name")) for t in tools)}


def context_key(context: Context, tools: list[dict[str, Any]]) -> str:
    raw = json.dumps(canonical(context, tools), sort_keys=True, separators=(",", ":"),
                     default=str)
    return hashlib.sha256(raw.encode()).hexdigest()


class RecordingDecider:
    """Passes every decision to ``inner`` and appends the exchange to ``cassette_path``."""

    def __init__(self, inner: Decider, cassette_path: str | Path) -> None:
        self.inner, self.path = inner, Path(cassette_path)
        self.name = inner.name
        self._lock = threading.Lock()

    def _write(self, entry: dict[str, Any]) -> None:
        with self._lock:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            new = not self.path.exists() or self.path.stat().st_size == 0
            with self.path.open("a", encoding="utf-8") as fh:
                if new:
                    fh.write(json.dumps({"format": CASSETTE_FORMAT}) + "\n")
                fh.write(json.dumps(entry, sort_keys=True, default=str) + "\n")

    def next_step(self, context: Context, tools: list[dict[str, Any]]) -> Step:
        ctx = canonical(context, tools)
        entry: dict[str, Any] = {"key": context_key(context, tools), "decider": self.inner.name,
                                 "context": ctx}
        try:
            step = self.inner.next_step(context, tools)
        except DeciderError as exc:
            entry["error"] = {"message": str(exc), "kind": exc.kind, "retryable": exc.retryable}
            if isinstance(exc, ReplyError):
                entry["error"]["usage"] = exc.usage.model_dump()
            self._write(entry)
            raise
        entry["step"] = step.model_dump(mode="json")
        self._write(entry)
        return step


def load_cassette(path: Path) -> list[dict[str, Any]]:
    """The entries of a cassette, with a one-line error for a missing or foreign file."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise DeciderError(f"cannot read cassette {path}: {exc.strerror or exc}",
                           retryable=False) from None
    entries: list[dict[str, Any]] = []
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise DeciderError(f"cassette {path} line {n} is not JSON: {exc.msg}",
                               retryable=False) from None
        if n == 1 and obj.get("format"):
            if obj["format"] != CASSETTE_FORMAT:
                raise DeciderError(f"cassette {path} has format {obj['format']!r}, expected "
                                   f"{CASSETTE_FORMAT!r}", retryable=False)
            continue
        if not isinstance(obj, dict) or "key" not in obj or not ("step" in obj or "error" in obj):
            raise DeciderError(f"cassette {path} line {n} is not a recorded exchange",
                               retryable=False)
        entries.append(obj)
    return entries


def _where_it_differs(ctx: dict[str, Any], recorded: list[dict[str, Any]]) -> str:
    """Describe how ``ctx`` departs from the recording that shares the longest prefix."""
    best, best_n = None, -1
    for entry in recorded:
        rec = entry.get("context") or {}
        rows = rec.get("messages", [])
        n = 0
        while n < min(len(rows), len(ctx["messages"])) and rows[n] == ctx["messages"][n]:
            n += 1
        if n > best_n:
            best, best_n = rec, n
    if best is None:
        return "the cassette is empty"
    if best.get("tools") != ctx["tools"]:
        return "the tools on offer differ from the recording"
    if best_n < len(ctx["messages"]):
        role, content = ctx["messages"][best_n][:2]
        return (f"message {best_n} ({role}) was never recorded after this conversation "
                f"prefix: {str(content)[:160]!r}")
    return "the recording continues past this point but never stopped here"


class ReplayDecider:
    """Returns the steps a cassette recorded for each context; no network, no model.

    It takes the name of the decider it recorded (``openai``, ``anthropic``, ...): the runner
    writes that name into events (``by``, ``decider:<name>`` errors) that later contexts
    show, so any other name would change every context after the first and miss the cassette.
    """

    name = "replay"

    def __init__(self, cassette_path: str | Path) -> None:
        self.path = Path(cassette_path)
        self.entries = load_cassette(self.path)
        if self.entries and self.entries[0].get("decider"):
            self.name = str(self.entries[0]["decider"])
        self._by_key: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for entry in self.entries:
            self._by_key[entry["key"]].append(entry)
        self._used: dict[str, int] = defaultdict(int)
        self._lock = threading.Lock()

    def next_step(self, context: Context, tools: list[dict[str, Any]]) -> Step:
        key = context_key(context, tools)
        recorded = self._by_key.get(key)
        if not recorded:
            why = _where_it_differs(canonical(context, tools), self.entries)
            raise DeciderError(f"replay: cassette {self.path} has no recorded reply for this "
                               f"context (key {key[:12]}): {why}. Record it again with "
                               "FLUXAGENT_LLM_RECORD", kind="provider_error", retryable=False)
        with self._lock:  # the same context seen again: the next recording of it, else the last
            i = min(self._used[key], len(recorded) - 1)
            self._used[key] += 1
        entry = recorded[i]
        if "error" in entry:
            err = entry["error"]
            raise ReplyError(str(err.get("message", "recorded error")),
                             kind=str(err.get("kind", "provider_error")),
                             retryable=bool(err.get("retryable", False)),
                             usage=Usage.model_validate(err.get("usage") or {}))
        return _STEP.validate_python(entry["step"])
