"""Webhooks in, through real HTTP: the router on a bare FastAPI app served by uvicorn in a
subprocess. A tampered, stale or replayed signature is refused and launches nothing; a valid
request launches exactly once; Slack slash commands answer at ``response_url`` and its
approval buttons approve (once)."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import urlencode

import httpx
import pytest

from fluxagent.agent import Agent
from fluxagent.config import Settings
from fluxagent.core.state import SessionState, fold
from fluxagent.human.signing import sign, slack_sign
from fluxagent.runtime import direct
from serve_helpers import free_port, server_env, wait_for_port

pytestmark = pytest.mark.timeout(300)
SECRET, SLACK = "hook-secret", "slack-signing-secret"
QUESTION = "How fast does e_coli_core grow without oxygen?"


class _Receiver(BaseHTTPRequestHandler):
    got: ClassVar[list[dict[str, Any]]] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["content-length"]))
        _Receiver.got.append(json.loads(body))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def receiver() -> Iterator[str]:
    server = HTTPServer(("127.0.0.1", 0), _Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/slack-response"
    server.shutdown()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    data = tmp_path_factory.mktemp("hooks")
    port = free_port()
    env = {**server_env(data), "FLUXAGENT_WEBHOOK_SECRET": SECRET,
           "FLUXAGENT_SLACK_SIGNING_SECRET": SLACK}
    proc = subprocess.Popen([sys.executable, "-m", "uvicorn", "hook_app:app", "--app-dir",
                             str(Path(__file__).parent), "--port", str(port),
                             "--log-level", "warning"], env=env, stderr=subprocess.PIPE)
    try:
        wait_for_port(port, proc)
        yield f"http://127.0.0.1:{port}", data
    finally:
        proc.terminate()
        proc.wait(10)


def agent_for(data: Path) -> Agent:
    return Agent(settings=Settings(data_dir=data))


def n_sessions(data: Path) -> int:
    return len(agent_for(data).store.sessions(10_000))


def wait_state(data: Path, sid: str, *statuses: str, timeout_s: float = 90) -> SessionState:
    deadline = time.monotonic() + timeout_s
    agent = agent_for(data)
    while time.monotonic() < deadline:
        if agent.store.exists(sid):
            state = fold(agent.store.load(sid))
            if state.status in statuses:
                return state
        time.sleep(0.1)
    raise AssertionError(f"session {sid} did not reach {statuses}")


def hook(base: str, doc: dict[str, Any], *, key: str | None = None, ts: int | None = None,
         body: bytes | None = None, signature: str | None = None) -> httpx.Response:
    raw = json.dumps(doc).encode()
    ts = int(time.time()) if ts is None else ts
    headers = {"content-type": "application/json", "x-fluxagent-timestamp": str(ts),
               "x-fluxagent-signature-256": signature or sign(SECRET, ts, raw)}
    if key is not None:
        headers["idempotency-key"] = key
    return httpx.post(f"{base}/hooks/session", content=raw if body is None else body,
                      headers=headers, timeout=30)


def test_signed_webhook_launches_exactly_once(server: tuple[str, Path]) -> None:
    base, data = server
    key = uuid.uuid4().hex
    doc = {"question": QUESTION}
    first = hook(base, doc, key=key)
    assert first.status_code == 202, first.text
    sid = first.json()["session_id"]
    state = wait_state(data, sid, "done")
    assert "0.2116" in (state.answer or "")
    before = n_sessions(data)
    again = hook(base, doc, key=key)  # the same delivery, replayed inside the window
    assert again.status_code == 409 and again.json()["session_id"] == sid
    assert n_sessions(data) == before
    # continue the same session by a second delivery
    more = hook(base, {"question": "and with oxygen?", "session_id": sid}, key=key + "-2")
    assert more.status_code == 202 and more.json()["session_id"] == sid
    assert wait_state(data, sid, "done").turn == 2


def test_bad_signatures_launch_nothing(server: tuple[str, Path]) -> None:
    base, data = server
    before = n_sessions(data)
    doc = {"question": QUESTION}
    raw = json.dumps(doc).encode()
    now = int(time.time())
    tampered = json.dumps({"question": "Knock out pgi. Growth?"}).encode()
    cases = {
        "tampered body": hook(base, doc, key="k1", body=tampered),
        "stale": hook(base, doc, key="k2", ts=now - 301, signature=sign(SECRET, now - 301, raw)),
        "from the future": hook(base, doc, key="k3", ts=now + 400,
                                signature=sign(SECRET, now + 400, raw)),
        "replayed with a new timestamp": hook(base, doc, key="k4", ts=now,
                                              signature=sign(SECRET, now - 60, raw)),
        "wrong secret": hook(base, doc, key="k5",
                             signature=sign("guess", now, raw)),
        "no signature": hook(base, doc, key="k6", signature="sha256="),
    }
    for name, resp in cases.items():
        assert resp.status_code == 401, (name, resp.text)
        assert resp.json()["detail"].startswith("rejected:"), name
    assert "stale timestamp" in cases["stale"].json()["detail"]
    assert hook(base, doc).status_code == 400  # no idempotency key
    assert hook(base, {"question": QUESTION, "colour": 1}, key="k7").status_code == 422
    assert hook(base, {"action": "respond", "session_id": "nope"}, key="k8").status_code == 404
    big = hook(base, {"question": "x" * 300_000}, key="k9")
    assert big.status_code == 413
    assert n_sessions(data) == before
    # k8 was refused, so its key is free again (nothing was launched under it)
    assert hook(base, {"action": "respond", "session_id": "nope"}, key="k8").status_code == 404


def slack_post(base: str, path: str, form: dict[str, str], *, ts: int | None = None,
               secret: str = SLACK, tamper: bool = False) -> httpx.Response:
    body = urlencode(form).encode()
    ts = int(time.time()) if ts is None else ts
    sig = slack_sign(secret, ts, body)
    return httpx.post(f"{base}/hooks/slack/{path}", content=body + (b"x" if tamper else b""),
                      headers={"content-type": "application/x-www-form-urlencoded",
                               "x-slack-request-timestamp": str(ts),
                               "x-slack-signature": sig}, timeout=30)


def test_slack_slash_command(server: tuple[str, Path], receiver: str) -> None:
    base, data = server
    form = {"command": "/fluxagent", "text": QUESTION, "user_name": "alice",
            "user_id": "U1", "team_id": "T1", "trigger_id": uuid.uuid4().hex,
            "response_url": receiver}
    before = n_sessions(data)
    for kw in ({"tamper": True}, {"ts": int(time.time()) - 301}, {"secret": "guess"}):
        bad = slack_post(base, "commands", form, **kw)  # type: ignore[arg-type]
        assert bad.status_code == 401, kw
    assert n_sessions(data) == before
    _Receiver.got = []
    ok = slack_post(base, "commands", form)
    assert ok.status_code == 200 and ok.json()["text"].startswith("Working on it: session ")
    sid = ok.json()["text"].rsplit(" ", 1)[1]
    wait_state(data, sid, "done")
    deadline = time.monotonic() + 30
    while not _Receiver.got and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _Receiver.got and "0.2116" in _Receiver.got[0]["text"]
    replay = slack_post(base, "commands", form)  # same trigger_id
    assert "duplicate delivery" in replay.json()["text"]
    assert n_sessions(data) == before + 1
    status = slack_post(base, "commands", {**form, "text": f"status {sid}",
                                           "trigger_id": uuid.uuid4().hex})
    assert status.json()["text"].startswith(f"session {sid}: done")


def test_slack_approval_buttons(server: tuple[str, Path], receiver: str) -> None:
    base, data = server
    agent = agent_for(data)
    state = direct.request_tool(agent.runner, "gapfill", {"model": "e_coli_core"}, via="test")
    assert state.status == "waiting_for_approval"
    sid, call = state.session_id, state.pending_approval
    payload = {"type": "block_actions", "user": {"id": "U2", "username": "bob"},
               "response_url": receiver,
               "actions": [{"action_id": "approve", "value": f"{sid}:{call}"}]}
    form = {"payload": json.dumps(payload)}
    for kw in ({"tamper": True}, {"ts": int(time.time()) - 400}):
        assert slack_post(base, "interactive", form, **kw).status_code == 401  # type: ignore
    assert fold(agent.store.load(sid)).status == "waiting_for_approval"
    _Receiver.got = []
    ok = slack_post(base, "interactive", form)
    assert ok.status_code == 200 and ok.json()["text"].startswith("Approved by bob")
    done = wait_state(data, sid, "done")
    assert "no gap to fill" in (done.answer or "")
    decision = agent.store.load(sid).of_type("approval_decision")
    assert [(d.data["decision"], d.data["by"]) for d in decision] == [("approve", "slack:bob")]
    twice = slack_post(base, "interactive", form)
    assert "duplicate delivery" in twice.json()["text"]
    assert len(agent.store.load(sid).of_type("approval_decision")) == 1
