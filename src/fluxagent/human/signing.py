"""Signatures of webhook requests, both ways: our generic scheme and Slack's.

Generic (fluxagent): ``X-Fluxagent-Timestamp: <unix seconds>`` and
``X-Fluxagent-Signature-256: sha256=<hex HMAC-SHA256(secret, "<timestamp>." + body)>``.
Slack: ``X-Slack-Request-Timestamp`` and ``X-Slack-Signature: v0=<hex HMAC-SHA256(signing
secret, "v0:<timestamp>:" + body)>``. Both sign the timestamp with the body, so a request
cannot be replayed with a fresh timestamp, and both refuse a timestamp outside the window.
Comparisons are constant-time. The clock is an argument.
"""

from __future__ import annotations

import hashlib
import hmac

TIMESTAMP = "x-fluxagent-timestamp"
SIGNATURE = "x-fluxagent-signature-256"
SLACK_TIMESTAMP = "x-slack-request-timestamp"
SLACK_SIGNATURE = "x-slack-signature"


class SignatureError(ValueError):
    """Why a signed request is refused (one line, safe to return to the sender)."""


def _hex(secret: str, message: bytes) -> str:
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def sign(secret: str, timestamp: int, body: bytes) -> str:
    return "sha256=" + _hex(secret, f"{timestamp}.".encode() + body)


def slack_sign(secret: str, timestamp: int, body: bytes) -> str:
    return "v0=" + _hex(secret, f"v0:{timestamp}:".encode() + body)


def _timestamp(raw: str | None, now: float, window_s: float) -> int:
    if not raw:
        raise SignatureError("missing timestamp header")
    try:
        ts = int(raw)
    except ValueError:
        raise SignatureError("the timestamp is not an integer of unix seconds") from None
    if abs(now - ts) > window_s:
        raise SignatureError(f"stale timestamp: {abs(now - ts):.0f} s from now, the window "
                             f"is {window_s:.0f} s")
    return ts


def verify(secret: str, timestamp: str | None, signature: str | None, body: bytes, *,
           now: float, window_s: float = 300.0) -> None:
    """Raises ``SignatureError`` unless the generic signature is valid and fresh."""
    ts = _timestamp(timestamp, now, window_s)
    if not signature or not hmac.compare_digest(signature, sign(secret, ts, body)):
        raise SignatureError("bad signature")


def slack_verify(secret: str, timestamp: str | None, signature: str | None, body: bytes, *,
                 now: float, window_s: float = 300.0) -> None:
    """Raises ``SignatureError`` unless Slack's signature is valid and fresh (5 minutes)."""
    ts = _timestamp(timestamp, now, window_s)
    if not signature or not hmac.compare_digest(signature, slack_sign(secret, ts, body)):
        raise SignatureError("bad Slack signature")
