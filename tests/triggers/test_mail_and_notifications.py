"""Email in (a real SMTP listener, aiosmtpd) continues a session; notifications out (signed
webhook, Slack incoming-webhook format, SMTP email) reach local receivers when a session
needs a person, finishes or fails."""

from __future__ import annotations

import json
import smtplib
import threading
import time
from collections.abc import Iterator
from email import policy as email_policy
from email.message import EmailMessage
from email.parser import BytesParser
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any, ClassVar

import pytest
import yaml
from aiosmtpd.controller import Controller

from fluxagent.agent import Agent
from fluxagent.config import Settings
from fluxagent.core.events import new_event
from fluxagent.core.state import SessionState, fold
from fluxagent.human.signing import SignatureError, verify
from fluxagent.runtime import direct
from fluxagent.triggers.email import listen
from serve_helpers import free_port

pytestmark = pytest.mark.timeout(300)
PI = "pi@lab.example"


def wait_state(agent: Agent, sid: str, *statuses: str, timeout_s: float = 60) -> SessionState:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        state = fold(agent.store.load(sid))
        if state.status in statuses:
            return state
        time.sleep(0.05)
    raise AssertionError(f"session {sid} did not reach {statuses}")


@pytest.fixture
def mail_agent(tmp_path: Path) -> Iterator[tuple[Agent, int]]:
    agent = Agent(settings=Settings(data_dir=tmp_path, email_senders=f"{PI},@trusted.example"))
    port = free_port()
    controller = listen(agent, port=port)
    yield agent, port
    controller.stop()


def send(port: int, sender: str, to: str, subject: str, body: str) -> None:
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = sender, to, subject
    msg.set_content(body)
    with smtplib.SMTP("127.0.0.1", port, timeout=30) as smtp:
        smtp.send_message(msg)


def test_email_answers_a_waiting_session(mail_agent: tuple[Agent, int]) -> None:
    agent, port = mail_agent
    state = direct.request_tool(agent.runner, "request_human_input",
                                {"question": "Which carbon source?"}, via="test")
    assert state.status == "waiting_for_human"
    sid = state.session_id
    send(port, f"PI <{PI}>", "agent@lab.example",
         f"Re: [fluxagent] A session asks you [session {sid}]",
         "succinate\n\nOn Tue, the agent wrote:\n> Which carbon source?\n")
    done = wait_state(agent, sid, "done")
    response = agent.store.load(sid).of_type("human_response")
    assert [(r.data["text"], r.data["by"]) for r in response] == [("succinate", f"email:{PI}")]
    assert done.answer


def test_email_continues_a_session_by_plus_address(mail_agent: tuple[Agent, int]) -> None:
    agent, port = mail_agent
    first = agent.ask("How fast does e_coli_core grow?")
    send(port, "someone@trusted.example", f"agent+{first.session_id}@lab.example",
         "follow-up", "> earlier text\nHow fast does e_coli_core grow without oxygen?\n")
    state = wait_state(agent, first.session_id, "done")
    assert state.turn == 2 and "0.2116" in (state.answer or "")


def test_refused_mail_changes_nothing(mail_agent: tuple[Agent, int]) -> None:
    agent, port = mail_agent
    gated = direct.request_tool(agent.runner, "gapfill", {"model": "e_coli_core"}, via="test")
    waiting = agent.ask("How fast does e_coli_core grow?").session_id
    before = {sid: len(agent.store.load(sid)) for sid in (gated.session_id, waiting)}
    cases = [("mallory@evil.example", f"[session {waiting}]", "grow?", "may not write"),
             (PI, "no tag here", "grow?", "no session named"),
             (PI, f"[session {gated.session_id}]", "approve", "not taken by email"),
             (PI, f"[session {waiting}]", "> only a quote", "no text outside quotes"),
             (PI, "[session 0123456789abcdef]", "hello", "no session")]
    for sender, subject, body, why in cases:
        with pytest.raises(smtplib.SMTPDataError) as exc:
            send(port, sender, "agent@lab.example", subject, body)
        assert exc.value.smtp_code == 550 and why in exc.value.smtp_error.decode(), why
    assert {sid: len(agent.store.load(sid)) for sid in before} == before


class _Hook(BaseHTTPRequestHandler):
    got: ClassVar[list[tuple[str, dict[str, str], bytes]]] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["content-length"]))
        _Hook.got.append((self.path, {k.lower(): v for k, v in self.headers.items()}, body))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


class _Mailbox:
    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        msg = BytesParser(policy=email_policy.default).parsebytes(envelope.content)
        self.messages.append(msg)  # type: ignore[arg-type]
        return "250 OK"


def test_notifications_reach_local_receivers(tmp_path: Path) -> None:
    http = HTTPServer(("127.0.0.1", 0), _Hook)
    threading.Thread(target=http.serve_forever, daemon=True).start()
    box = _Mailbox()
    smtp = Controller(box, hostname="127.0.0.1", port=free_port())
    smtp.start()
    base = f"http://127.0.0.1:{http.server_port}"
    policy = tmp_path / "policy.yaml"
    policy.write_text(yaml.safe_dump({"channels": [
        {"type": "webhook", "url": f"{base}/generic", "secret": "out-secret"},
        {"type": "slack", "url": f"{base}/slack"},
        {"type": "email", "host": "127.0.0.1", "port": smtp.port, "sender": "agent@lab",
         "to": [PI], "events": ["finished", "failed"]}]}))
    _Hook.got = []
    try:
        agent = Agent(settings=Settings(data_dir=tmp_path, approval_policy=policy))
        done = agent.ask("How fast does e_coli_core grow without oxygen?")
        gated = direct.request_tool(agent.runner, "gapfill", {"model": "e_coli_core"},
                                    via="test")
        agent.runner.append(gated.session_id, new_event("session_failed",
                                                        {"reason": "the lab closed"}))
    finally:
        http.shutdown()
        smtp.stop()
    generic = [(h, json.loads(b), b) for p, h, b in _Hook.got if p == "/generic"]
    assert [(d["kind"], d["session_id"]) for _h, d, _b in generic] == [
        ("finished", done.session_id), ("approval_request", gated.session_id),
        ("failed", gated.session_id)]
    for headers, _doc, body in generic:
        verify("out-secret", headers["x-fluxagent-timestamp"],
               headers["x-fluxagent-signature-256"], body, now=time.time())
        with pytest.raises(SignatureError):
            verify("out-secret", headers["x-fluxagent-timestamp"],
                   headers["x-fluxagent-signature-256"], body + b" ", now=time.time())
    assert "0.2116" in generic[0][1]["text"]
    slack = [json.loads(b) for p, _h, b in _Hook.got if p == "/slack"]
    assert len(slack) == 3 and all(isinstance(m["text"], str) for m in slack)
    buttons = slack[1]["blocks"][1]["elements"]
    assert [(b["action_id"], b["value"]) for b in buttons] == [
        ("approve", f"{gated.session_id}:{gated.pending_approval}"),
        ("reject", f"{gated.session_id}:{gated.pending_approval}")]
    subjects = [str(m["subject"]) for m in box.messages]
    assert subjects == [f"[fluxagent] Session finished [session {done.session_id}]",
                        f"[fluxagent] Session failed [session {gated.session_id}]"]
    assert box.messages[0]["to"] == PI
