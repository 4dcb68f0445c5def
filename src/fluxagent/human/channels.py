"""Telling people that a session needs them: CLI, file, webhook, Slack and e-mail channels.

Channels only *notify*; every answer comes back through ``sessions.respond`` or
``sessions.decide`` (CLI, Python, REST, web UI, chat, webhooks, Slack buttons all call those).
A channel that fails is logged to stderr and never affects the session. ``notifier(channels)``
is a runner observer: it sees each stored event with its thread and notifies on human
requests, approval requests, escalations, and when a session finishes or fails (``events:``
narrows a channel to some of these kinds). Webhooks are signed over timestamp and body
(``human/signing.py``); Slack approval requests carry Approve/Reject buttons that come back to
``POST /hooks/slack/interactive``. Channels are configured in the approval policy file::

    channels:
      - {type: cli}
      - {type: file, path: notifications.jsonl}        # relative to the data dir
      - {type: webhook, url: "http://127.0.0.1:9000/hook", secret: "s3cret"}
      - {type: slack, url: "https://hooks.slack.com/services/..."}
      - {type: email, host: localhost, port: 25, sender: agent@lab, to: [pi@lab]}
      - {type: slack, url: "...", events: [approval_request, finished, failed]}
"""

from __future__ import annotations

import hashlib
import hmac
import json
import smtplib
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import Any, Protocol

from fluxagent.core.events import Event, Thread
from fluxagent.human import signing

#: Every kind of notification; a channel's ``events`` may choose some.
KINDS = ("human_request", "approval_request", "escalation", "finished", "failed")


@dataclass(frozen=True)
class Notification:
    session_id: str
    kind: str  # one of KINDS
    call_id: str | None
    title: str
    text: str
    urgency: str = "normal"
    to: str = ""
    data: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"session_id": self.session_id, "kind": self.kind, "call_id": self.call_id,
                "title": self.title, "text": self.text, "urgency": self.urgency,
                "to": self.to, "data": self.data}


class Channel(Protocol):
    name: str

    def send(self, note: Notification) -> None: ...


def notification_for(session_id: str, ev: Event) -> Notification | None:
    """The notification an event calls for, if any."""
    d = ev.data
    how = (f"fluxagent approve {session_id}   or   fluxagent reject {session_id} "
           "--comment '...'")
    if ev.type == "approval_request":
        return Notification(session_id, "approval_request", ev.call_id,
                            f"Approval needed: {d.get('tool')}",
                            f"{d.get('tool')} {json.dumps(d.get('args', {}))}\n"
                            f"Why: {d.get('reason', '')}\n{how}",
                            urgency=str(d.get("urgency", "normal")),
                            to=str(d.get("escalate_to", "")),
                            data={"tool": d.get("tool"), "args": d.get("args", {})})
    if ev.type == "human_request":
        opts = f"\nOptions: {', '.join(d['options'])}" if d.get("options") else ""
        return Notification(session_id, "human_request", ev.call_id,
                            "A session asks you" if d.get("by") != "escalation"
                            else "Escalation", f"{d.get('question')}{opts}\n"
                            f"fluxagent respond {session_id} '...'",
                            urgency=str(d.get("urgency", "normal")), to=str(d.get("to", "")))
    if ev.type == "final_answer":
        return Notification(session_id, "finished", None, "Session finished",
                            str(d.get("answer", "")), data={"status": "done"})
    if ev.type == "session_failed":
        return Notification(session_id, "failed", None, "Session failed",
                            str(d.get("reason", "failed")), urgency="high",
                            data={"status": "failed"})
    if ev.type == "annotation" and d.get("kind") == "escalation":
        return Notification(session_id, "escalation", d.get("request"),
                            f"Escalated to {d.get('to')}", str(d.get("reason", "")),
                            urgency="high", to=str(d.get("to", "")))
    return None


class CliChannel:
    name = "cli"

    def send(self, note: Notification) -> None:
        print(f"[{note.urgency}] {note.title} (session {note.session_id})\n{note.text}",
              file=sys.stderr)


class FileChannel:
    """Appends one JSON line per notification (a queue other tools can tail)."""

    name = "file"

    def __init__(self, path: Path) -> None:
        self.path = path

    def send(self, note: Notification) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a") as fh:
            fh.write(json.dumps(note.as_dict(), default=str) + "\n")


class WebhookChannel:
    """POSTs the notification as JSON, signed with HMAC-SHA256 when a secret is set: over
    timestamp and body (``x-fluxagent-signature-256``, see ``human/signing.py``), and over the
    body alone (``x-fluxagent-signature``, for receivers written before timestamps)."""

    name = "webhook"

    def __init__(self, url: str, secret: str = "", timeout_s: float = 5.0,
                 clock: Callable[[], float] | None = None) -> None:
        self.url, self.secret, self.timeout_s = url, secret, timeout_s
        self.clock = clock or time.time

    def payload(self, note: Notification) -> dict[str, Any]:
        return note.as_dict()

    def send(self, note: Notification) -> None:
        import httpx
        body = json.dumps(self.payload(note), default=str).encode()
        headers = {"content-type": "application/json"}
        if self.secret:
            sig = hmac.new(self.secret.encode(), body, hashlib.sha256).hexdigest()
            headers["x-fluxagent-signature"] = f"sha256={sig}"
            ts = int(self.clock())
            headers[signing.TIMESTAMP] = str(ts)
            headers[signing.SIGNATURE] = signing.sign(self.secret, ts, body)
        httpx.post(self.url, content=body, headers=headers,
                   timeout=self.timeout_s).raise_for_status()


class SlackChannel(WebhookChannel):
    """A Slack incoming webhook (``{"text": ...}``)."""

    name = "slack"

    def payload(self, note: Notification) -> dict[str, Any]:
        to = f" (for {note.to})" if note.to else ""
        text = f"*{note.title}*{to} — session `{note.session_id}`\n{note.text}"
        if note.kind != "approval_request" or not note.call_id:
            return {"text": text}
        value = f"{note.session_id}:{note.call_id}"
        return {"text": text, "blocks": [
            {"type": "section", "text": {"type": "mrkdwn", "text": text}},
            {"type": "actions", "block_id": "fluxagent_approval", "elements": [
                {"type": "button", "action_id": "approve", "style": "primary", "value": value,
                 "text": {"type": "plain_text", "text": "Approve"}},
                {"type": "button", "action_id": "reject", "style": "danger", "value": value,
                 "text": {"type": "plain_text", "text": "Reject"}}]}]}


class EmailChannel:
    name = "email"

    def __init__(self, host: str, port: int, sender: str, to: Sequence[str],
                 contacts: dict[str, str] | None = None) -> None:
        self.host, self.port, self.sender = host, port, sender
        self.to, self.contacts = list(to), dict(contacts or {})

    def send(self, note: Notification) -> None:
        rcpt = list(self.to)
        addr = self.contacts.get(note.to, note.to)
        if addr.startswith("mailto:"):
            addr = addr[len("mailto:"):]
        if "@" in addr and addr not in rcpt:
            rcpt.append(addr)
        if not rcpt:
            return
        msg = EmailMessage()
        # the tag routes a reply back to the session (triggers/email.py)
        msg["Subject"] = f"[fluxagent] {note.title} [session {note.session_id}]"
        msg["From"], msg["To"] = self.sender, ", ".join(rcpt)
        msg.set_content(f"Session {note.session_id}\n\n{note.text}\n")
        with smtplib.SMTP(self.host, self.port, timeout=10) as smtp:
            smtp.send_message(msg)


class Filtered:
    """A channel told only about some kinds of notification."""

    def __init__(self, inner: Channel, kinds: Sequence[str]) -> None:
        self.inner, self.kinds = inner, frozenset(kinds)
        self.name = inner.name

    def send(self, note: Notification) -> None:
        if note.kind in self.kinds:
            self.inner.send(note)


def channels_from_config(specs: Sequence[dict[str, Any]], data_dir: Path,
                         contacts: dict[str, str] | None = None) -> list[Channel]:
    """Channels from the policy file's ``channels`` list (unknown types are refused)."""
    out: list[Channel] = []
    for spec in specs:
        events = spec.get("events")
        if events is not None and (not isinstance(events, list)
                                   or not set(events) <= set(KINDS)):
            raise ValueError(f"notification channel {spec!r}: events must be a list of "
                             f"{', '.join(KINDS)}")
        before = len(out)
        _add_channel(out, spec, data_dir, contacts)
        if events is not None:
            out[before] = Filtered(out[before], events)
    return out


def _add_channel(out: list[Channel], spec: dict[str, Any], data_dir: Path,
                 contacts: dict[str, str] | None) -> None:
    kind = spec.get("type")
    if kind == "cli":
        out.append(CliChannel())
    elif kind == "file":
        out.append(FileChannel(data_dir / str(spec.get("path", "notifications.jsonl"))))
    elif kind in ("webhook", "slack") and spec.get("url"):
        cls = WebhookChannel if kind == "webhook" else SlackChannel
        out.append(cls(str(spec["url"]), str(spec.get("secret", "")),
                       float(spec.get("timeout_s", 5.0))))
    elif kind == "email":
        to = spec.get("to", [])
        out.append(EmailChannel(str(spec.get("host", "localhost")),
                                int(spec.get("port", 25)),
                                str(spec.get("sender", "fluxagent@localhost")),
                                [to] if isinstance(to, str) else list(to), contacts))
    else:
        raise ValueError(f"notification channel {spec!r}: type must be cli, file, webhook "
                         "(with url), slack (with url) or email")


def notifier(channels: Sequence[Channel]) -> Callable[[Thread, Sequence[Event]], None]:
    """A runner observer that sends each new request or escalation to every channel."""
    def observe(thread: Thread, added: Sequence[Event]) -> None:
        for ev in added:
            note = notification_for(thread.session_id, ev)
            if note is None:
                continue
            for ch in channels:
                try:
                    ch.send(note)
                except Exception as exc:  # a channel never breaks a session
                    print(f"fluxagent: {ch.name} notification failed: {exc}", file=sys.stderr)
    return observe
