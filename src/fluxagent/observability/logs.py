"""Structured JSON logs: one JSON object a line, carrying the session, run and trace ids.

The ids live in context variables (``bound(session_id=..., run_id=...)``), so every record
logged while a run drives a session carries them, whichever module logs it; the trace and
span ids come from the current OpenTelemetry span. ``install()`` puts the formatter on the
``fluxagent`` logger (the server and workers call it); ``FLUXAGENT_LOG_LEVEL`` sets its level.
"""

from __future__ import annotations

import json
import logging
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import IO, Any

from fluxagent.observability.tracing import current_ids

_FIELDS: dict[str, ContextVar[str | None]] = {
    name: ContextVar(f"fluxagent_{name}", default=None)
    for name in ("session_id", "run_id")}
#: LogRecord attributes that are not extra fields given by the caller.
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "taskName"}


@contextmanager
def bound(**ids: str | None) -> Iterator[None]:
    """Inside the block, every log record carries these ids (``session_id``, ``run_id``)."""
    unknown = set(ids) - set(_FIELDS)
    if unknown:
        raise ValueError(f"unknown log context field(s): {', '.join(sorted(unknown))}")
    tokens = [(_FIELDS[k], _FIELDS[k].set(v)) for k, v in ids.items() if v is not None]
    try:
        yield
    finally:
        for var, token in reversed(tokens):
            var.reset(token)


def context() -> dict[str, str]:
    """The ids bound now, and the current trace and span ids."""
    out = {k: v for k, var in _FIELDS.items() if (v := var.get()) is not None}
    ids = current_ids()
    if ids is not None:
        out["trace_id"], out["span_id"] = ids
    return out


class JsonFormatter(logging.Formatter):
    """``{"ts", "level", "logger", "message", session_id, run_id, trace_id, span_id, ...}``
    plus any ``extra=`` fields; an exception goes in ``exc``."""

    def format(self, record: logging.LogRecord) -> str:
        doc: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(), "logger": record.name,
            "message": record.getMessage()}
        doc.update(context())
        for key, value in vars(record).items():
            if key not in _STANDARD and key not in doc:
                doc[key] = value
        if record.exc_info:
            doc["exc"] = self.formatException(record.exc_info)
        return json.dumps(doc, default=str, ensure_ascii=False)


def install(stream: IO[str] | None = None, level: str | None = None) -> logging.Handler:
    """Log the ``fluxagent`` logger's records as JSON lines on ``stream`` (stderr)."""
    name = (level or os.environ.get("FLUXAGENT_LOG_LEVEL") or "INFO").upper()
    if name not in logging.getLevelNamesMapping():
        raise ValueError(f"FLUXAGENT_LOG_LEVEL={name!r} is not a log level (DEBUG, INFO, "
                         "WARNING, ERROR)")
    logger = logging.getLogger("fluxagent")
    for old in [h for h in logger.handlers if getattr(h, "_fluxagent_json", False)]:
        logger.removeHandler(old)
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter())
    handler._fluxagent_json = True  # type: ignore[attr-defined]
    logger.addHandler(handler)
    logger.setLevel(name)
    logger.propagate = False
    return handler
