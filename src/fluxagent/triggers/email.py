"""Email in: an RFC 5322 message continues a session (an SMTP listener, ``aiosmtpd``).

The session is named by plus-addressing (``agent+SESSION@lab``) or by the subject tag that
outgoing notifications carry (``[session SESSION]``, so replying to one just works). The reply
text (quoted lines and the "On ... wrote:" tail removed) answers the session's open question
when it has one, else it is the next question of the session. Mail can be forged, so only
senders in ``FLUXAGENT_EMAIL_SENDERS`` are heard, and approvals are never taken by email (use
a signed channel: CLI, REST, Slack buttons, the signed webhook). A refused message gets an
SMTP 5xx reply and nothing is stored.
"""

from __future__ import annotations

import re
import sys
import threading
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import getaddresses, parseaddr
from typing import TYPE_CHECKING, Any

from fluxagent.core.state import fold
from fluxagent.runtime import sessions
from fluxagent.store.base import StoreError

if TYPE_CHECKING:
    from fluxagent.agent import Agent

SESSION_TAG = re.compile(r"\[session ([0-9a-f]{6,64})\]", re.I)
PLUS = re.compile(r"^[^@+]+\+([0-9a-f]{6,64})@", re.I)
WROTE = re.compile(r"^On .+wrote:\s*$")
MAX_MESSAGE = 1024 * 1024


class MailRefused(ValueError):
    """Why a message is refused (becomes the SMTP 550 reply)."""


def allowed(sender: str, senders: str) -> bool:
    """``senders``: comma-separated addresses or ``@domain``s; empty allows nobody."""
    addr = sender.strip().lower()
    for item in (s.strip().lower() for s in senders.split(",")):
        if item and (addr == item or (item.startswith("@") and addr.endswith(item))):
            return True
    return False


def session_of(msg: EmailMessage) -> str | None:
    for _name, addr in getaddresses([str(v) for k in ("to", "delivered-to", "cc")
                                     for v in msg.get_all(k, [])]):
        m = PLUS.match(addr)
        if m:
            return m.group(1).lower()
    m = SESSION_TAG.search(str(msg.get("subject", "")))
    return m.group(1).lower() if m else None


def reply_text(msg: EmailMessage) -> str:
    """The new text of a reply: the plain-text part without quotes and the quoted tail."""
    part = msg.get_body(preferencelist=("plain",))
    if part is None:
        raise MailRefused("the message has no text/plain part")
    lines = []
    for line in str(part.get_content()).splitlines():
        if WROTE.match(line.strip()) or line.strip() == "-- ":
            break
        if not line.lstrip().startswith(">"):
            lines.append(line)
    text = "\n".join(lines).strip()
    if not text:
        raise MailRefused("the message has no text outside quotes")
    return text


def handle_message(agent: Agent, raw: bytes, envelope_from: str = "") -> dict[str, Any]:
    """Parse, check and apply one message; the session then runs. ``MailRefused`` if not."""
    if len(raw) > MAX_MESSAGE:
        raise MailRefused(f"message over {MAX_MESSAGE} bytes")
    msg = BytesParser(policy=policy.default).parsebytes(raw)
    assert isinstance(msg, EmailMessage)
    sender = parseaddr(str(msg.get("from", "")))[1] or envelope_from
    if not allowed(sender, agent.settings.email_senders):
        raise MailRefused(f"sender {sender or '(none)'} may not write to fluxagent")
    sid = session_of(msg)
    if sid is None:
        raise MailRefused("no session named: write to agent+SESSION@... or keep "
                          "'[session SESSION]' in the subject")
    text = reply_text(msg)
    runner = agent.runner
    try:
        state = fold(agent.store.load(sid))
        if state.status == "waiting_for_approval":
            raise MailRefused(f"session {sid} waits for an approval, which is not taken by "
                              "email; approve or reject it in the CLI, REST, or Slack")
        if state.status == "waiting_for_human":
            state = sessions.respond(runner, sid, text, by=f"email:{sender}", run=False)
        else:
            state = sessions.launch(runner, text, session_id=sid, run=False,
                                    max_chars=agent.settings.max_question_chars)
    except (StoreError, ValueError) as exc:
        if isinstance(exc, MailRefused):
            raise
        raise MailRefused(str(exc)) from None
    return {"session_id": sid, "sender": sender, "text": text}


class EmailHandler:
    """The aiosmtpd handler: 250 once the message is stored, 550 with the reason if not.
    The session runs in a thread afterwards, so the SMTP reply does not wait for it."""

    def __init__(self, agent: Agent) -> None:
        self.agent = agent
        self.accepted: list[dict[str, Any]] = []
        self.threads: list[threading.Thread] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        try:
            done = handle_message(self.agent, bytes(envelope.original_content or
                                                    envelope.content), envelope.mail_from)
        except MailRefused as exc:
            return f"550 {' '.join(str(exc).split())[:300]}"
        self.accepted.append(done)
        t = threading.Thread(target=self._run, args=(done["session_id"],), daemon=True)
        self.threads.append(t)
        t.start()
        return "250 Message accepted for delivery"

    def _run(self, session_id: str) -> None:
        try:
            self.agent.runner.run(session_id)
        except Exception as exc:
            print(f"fluxagent: email session {session_id}: {type(exc).__name__}: {exc}",
                  file=sys.stderr)


def listen(agent: Agent, host: str = "127.0.0.1", port: int = 8025) -> Any:
    """Start an SMTP listener (an ``aiosmtpd`` Controller; call ``.stop()`` to end it)."""
    from aiosmtpd.controller import Controller
    controller = Controller(EmailHandler(agent), hostname=host, port=port,
                            data_size_limit=MAX_MESSAGE)
    controller.start()
    return controller
