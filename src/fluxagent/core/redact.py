"""Redaction of secrets in text and JSON data (pure): API keys, bearer tokens, credentials.

One function, ``redact(text, secrets)``, for every place a secret could leak: provider errors
that become events, log lines, exports and error messages, printed settings and URLs.
``secrets`` are exact values known to be secret (the configured API key); the patterns catch
the rest (``Authorization`` headers, ``Bearer`` tokens, ``sk-...`` keys, ``user:pw@`` in URLs,
``api_key=...`` parameters).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

MASK = "***"
#: Shorter configured values are not masked by value (they would mask ordinary words).
MIN_SECRET_CHARS = 6

_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    # Authorization: Bearer xyz / Authorization: Basic xyz / "authorization": "..."
    (re.compile(r"(?i)(authorization[\"']?\s*[:=]\s*[\"']?)(?:(bearer|basic|token)\s+)?"
                r"[^\s\"',;]+"), r"\1\2 " + MASK),
    (re.compile(r"(?i)\b(bearer)\s+[A-Za-z0-9._~+/=-]{6,}"), r"\1 " + MASK),
    # provider key shapes: OpenAI sk-..., Anthropic sk-ant-..., GitHub, Slack, Google
    (re.compile(r"\b(sk-(?:ant-|proj-)?)[A-Za-z0-9_-]{8,}"), r"\1" + MASK),
    (re.compile(r"\b(gh[pousr]_)[A-Za-z0-9]{16,}"), r"\1" + MASK),
    (re.compile(r"\b(xox[abprs]-)[A-Za-z0-9-]{8,}"), r"\1" + MASK),
    (re.compile(r"\b(AIza)[A-Za-z0-9_-]{20,}"), r"\1" + MASK),
    # x-api-key: ..., api_key=..., "apiKey": "...", password=..., token=...
    (re.compile(r"(?i)\b((?:x-)?api[_-]?key|access[_-]?token|secret|password|passwd|pwd"
                r"|token)([\"']?\s*[:=]\s*[\"']?)[^\s\"'&,;]+"), r"\1\2" + MASK),
    # credentials in URLs: scheme://user:password@host
    (re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://[^\s/:@\"']*):[^\s/@\"']*@"), r"\1:" + MASK + "@"),
)


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    """``text`` with every known secret value and every secret-looking token masked."""
    for value in sorted({s for s in secrets if s and len(s) >= MIN_SECRET_CHARS},
                        key=len, reverse=True):
        text = text.replace(value, MASK)
    for pattern, repl in _PATTERNS:
        text = pattern.sub(repl, text)
    return text


def redact_data(obj: Any, secrets: Iterable[str] = ()) -> Any:
    """``obj`` (JSON-like) with ``redact`` applied to every string in it, keys included."""
    values = tuple(secrets)

    def walk(o: Any) -> Any:
        if isinstance(o, str):
            return redact(o, values)
        if isinstance(o, dict):
            return {walk(k) if isinstance(k, str) else k: walk(v) for k, v in o.items()}
        if isinstance(o, list | tuple):
            return [walk(v) for v in o]
        return o

    return walk(obj)
