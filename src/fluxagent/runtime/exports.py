"""Thread export files: signed with the installation key, verified and marked on import.

An export is ``{"format", "session_id", "events", "sha256", "signature"}``: ``sha256`` says the
events arrived whole, the HMAC ``signature`` (store/keys.py) says *this* installation wrote
them. Import refuses a file whose events were changed (checksum) or break causal order
(core/validate.py), and appends a ``session_imported`` event saying whether it was trusted: only
a file signed here is. In an untrusted thread an approval given before the import point is a
request still waiting (the fold reopens it), so nothing approved elsewhere runs unasked.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any

from fluxagent.core.events import Thread, UnknownEventError, event_from_dict, new_event
from fluxagent.core.redact import redact_data
from fluxagent.core.validate import ThreadError, validate_events
from fluxagent.store.base import EventStore, StoreError
from fluxagent.store.keys import key_id, sign, verify

EXPORT_FORMAT = "fluxagent-thread/1"
SIGNATURE_ALG = "hmac-sha256"
#: Largest export file accepted (bytes): refused before it is parsed.
MAX_IMPORT_BYTES = 64 * 1024 * 1024
_SESSION_ID = re.compile(r"[A-Za-z0-9_.-]{1,64}")


class ImportRefused(StoreError):
    """An export file that cannot be imported (one line; nothing was stored)."""


def checksum(events: list[dict[str, Any]]) -> str:
    return hashlib.sha256(json.dumps(events, sort_keys=True).encode()).hexdigest()


def _signed_part(doc: dict[str, Any]) -> bytes:
    return f"{doc.get('format')}\n{doc.get('session_id')}\n{doc.get('sha256')}".encode()


def export_doc(thread: Thread, key: bytes, secrets: tuple[str, ...] = ()) -> dict[str, Any]:
    """The export document of ``thread``, secrets redacted, signed with ``key``."""
    events = redact_data([ev.model_dump(mode="json") for ev in thread], secrets)
    doc: dict[str, Any] = {"format": EXPORT_FORMAT, "session_id": thread.session_id,
                           "events": events, "sha256": checksum(events)}
    doc["signature"] = {"alg": SIGNATURE_ALG, "key_id": key_id(key),
                        "value": sign(key, _signed_part(doc))}
    return doc


def read_export(path: Path, key: bytes, *, max_bytes: int = MAX_IMPORT_BYTES
                ) -> tuple[str | None, Thread, dict[str, Any]]:
    """Parse and check an export file: (its session id, its thread, the import point's data).

    Raises ``ImportRefused`` for anything that is not a whole, causally valid export.
    """
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise ImportRefused(f"{path}: {size:,} bytes; exports larger than {max_bytes:,} "
                                "bytes are refused")
        doc = json.loads(path.read_bytes())
    except ImportRefused:
        raise
    except (OSError, UnicodeDecodeError, ValueError, RecursionError) as exc:
        why = exc.strerror if isinstance(exc, OSError) else str(exc).splitlines()[0][:200]
        raise ImportRefused(f"{path}: not a fluxagent export ({why})") from None
    return check_export(doc, key, source=str(path))


def check_export(doc: Any, key: bytes, *, source: str = "upload"
                 ) -> tuple[str | None, Thread, dict[str, Any]]:
    """Check a parsed export document (a file's or an upload's): as ``read_export``."""
    if not isinstance(doc, dict) or doc.get("format") != EXPORT_FORMAT:
        raise ImportRefused(f"{source}: not a fluxagent export (format must be "
                            f"{EXPORT_FORMAT})")
    raw = doc.get("events")
    if not isinstance(raw, list) or not all(isinstance(e, dict) for e in raw):
        raise ImportRefused(f"{source}: not a fluxagent export (events must be a list of "
                            "objects)")
    try:
        intact = doc.get("sha256") == checksum(raw)
    except (TypeError, ValueError, RecursionError):
        intact = False
    if not intact:
        raise ImportRefused(f"{source}: checksum mismatch; the file was changed after export")
    try:
        events = [event_from_dict(e) for e in raw]
        validate_events(events)
    except (UnknownEventError, ThreadError) as exc:
        raise ImportRefused(f"{source}: {exc}") from None
    sig = doc.get("signature")
    value = sig.get("value") if isinstance(sig, dict) else None
    signed = "missing" if value is None else (
        "valid" if verify(key, _signed_part(doc), value) else "foreign")
    original = doc.get("session_id")
    sid = original if isinstance(original, str) and _SESSION_ID.fullmatch(original) else None
    mark = {"from": sid, "file": Path(source).name[:200], "events": len(events),
            "signature": signed, "trusted": signed == "valid"}
    return sid, Thread(sid or "import", events), mark


def import_thread(store: EventStore, path: Path, key: bytes, new_id: str, *,
                  max_bytes: int = MAX_IMPORT_BYTES) -> str:
    """Store an export file as a new session ending in its ``session_imported`` point."""
    return _store(store, *read_export(path, key, max_bytes=max_bytes), new_id, path.name)


def import_doc(store: EventStore, doc: Any, key: bytes, new_id: str, *,
               source: str = "upload") -> str:
    """Store a parsed export document (an upload) as ``import_thread`` stores a file."""
    return _store(store, *check_export(doc, key, source=source), new_id, Path(source).name)


def _store(store: EventStore, sid: str | None, thread: Thread, mark: dict[str, Any],
           new_id: str, name: str) -> str:
    session_id = sid if sid is not None and not store.exists(sid) else new_id
    events = Thread(session_id, thread.events).append(new_event("session_imported", mark))
    store.create(session_id, title=f"imported from {name[:100]}",
                 meta={"imported": {k: mark[k] for k in ("from", "signature", "trusted")}})
    store.append(session_id, events.events, expected_seq=0)  # checked above: cannot be refused
    return session_id
