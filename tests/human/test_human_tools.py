"""The human tools, the approval policy, notification channels and the Markdown transcript."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any, ClassVar

import pytest

from fluxagent.context.manager import ContextManager
from fluxagent.core.events import Thread, new_event
from fluxagent.core.state import PendingCall, SessionState, fold
from fluxagent.core.steps import Done, ToolCall
from fluxagent.human.approvals import ApprovalPolicy, PolicyError
from fluxagent.human.channels import (
    FileChannel,
    SlackChannel,
    WebhookChannel,
    channels_from_config,
    notifier,
)
from fluxagent.human.estimates import estimate_seconds
from fluxagent.human.tools import HumanInputArgs
from fluxagent.llm.scripted import ScriptedDecider
from fluxagent.runtime import sessions
from fluxagent.runtime.local import LocalRunner
from fluxagent.runtime.transcript import transcript
from fluxagent.store.memory import MemoryStore
from fluxagent.tools.registry import REGISTRY, ToolContext


def runner(script: list[Any], policy: ApprovalPolicy | None = None,
           observers: list[Any] | None = None) -> LocalRunner:
    import fluxagent.human.tools  # noqa: F401  (registers the human tools)
    cm = ContextManager()
    return LocalRunner(store=MemoryStore(), decider=ScriptedDecider(script), registry=REGISTRY,
                       context=lambda t, s: cm.build(t, s, "sys"),
                       tool_context=lambda t, s: ToolContext(session_id=t.session_id, state=s),
                       policy=policy or ApprovalPolicy(), observers=observers or [])


def last_result(r: LocalRunner, sid: str) -> dict[str, Any]:
    return r.store.load(sid).of_type("tool_result")[-1].data


def test_request_human_input_multiple_choice_round_trip() -> None:
    ask = ToolCall(name="request_human_input", args={
        "question": "Which carbon source?", "kind": "choice",
        "options": ["glucose", "acetate"], "urgency": "high"})
    r = runner([ask, Done(answer="ok")])
    st = sessions.launch(r, "help me choose")
    assert st.status == "waiting_for_human"
    req = r.store.load(st.session_id).of_type("human_request")[-1]
    assert req.call_id == st.pending_call.call_id  # the request answers the tool call
    assert req.data["kind"] == "choice" and req.data["urgency"] == "high"
    with pytest.raises(sessions.SessionError, match="choose one of: glucose, acetate"):
        sessions.respond(r, st.session_id, "fructose")
    st = sessions.respond(r, st.session_id, "2", by="bob")
    assert st.status == "done"
    res = last_result(r, st.session_id)
    assert res["tool"] == "request_human_input" and res["data"]["answer"] == "acetate"
    assert res["summary"] == "bob answered: acetate"


def test_bad_human_tool_arguments_are_a_tool_error() -> None:
    bad = ToolCall(name="request_human_input", args={"question": "pick", "kind": "choice"})
    r = runner([bad, Done(answer="ok")])
    st = sessions.launch(r, "q")
    err = r.store.load(st.session_id).of_type("tool_error")[-1]
    assert err.data["kind"] == "bad_arguments" and "at least two options" in err.data["message"]
    with pytest.raises(ValueError):
        HumanInputArgs(question="", kind="text")


def test_request_approval_tool_waits_and_returns_the_comment() -> None:
    call = ToolCall(name="request_approval", args={"action": "switch to iJO1366",
                                                   "reason": "the core model lacks xylose"})
    r = runner([call, Done(answer="switched")], policy=ApprovalPolicy(tools=frozenset()))
    st = sessions.launch(r, "q")
    assert st.status == "waiting_for_approval"
    req = r.store.load(st.session_id).of_type("approval_request")[-1]
    assert req.data["reason"] == "the core model lacks xylose"
    st = sessions.decide(r, st.session_id, "approve", comment="go ahead")
    assert st.status == "done"
    assert last_result(r, st.session_id)["summary"] == \
        "A person approved: switch to iJO1366. Comment: go ahead"


def test_escalate_tool_names_the_contact() -> None:
    esc = ToolCall(name="escalate", args={"reason": "the model is inconsistent."})
    policy = ApprovalPolicy(escalate_to="curator", human_timeout_s=600)
    r = runner([esc, Done(answer="ok")], policy=policy)
    st = sessions.launch(r, "q")
    req = r.store.load(st.session_id).of_type("human_request")[-1]
    assert req.data["to"] == "curator" and req.data["urgency"] == "high"
    assert req.data["timeout_s"] == 600 and req.data["by"] == "escalation"
    st = sessions.respond(r, st.session_id, "use the curated version")
    assert "use the curated version" in last_result(r, st.session_id)["summary"]


def _call(name: str, **args: Any) -> PendingCall:
    return PendingCall(call_id="c", name=name, args=args)


def test_policy_defaults(tmp_path: Path) -> None:
    state = SessionState(session_id="s")
    policy = ApprovalPolicy(writing_tools=frozenset({"export_model"}), data_dir=tmp_path)
    assert policy.check(_call("gapfill"), state)
    assert "changes a saved model file" in str(policy.check(_call("export_model"), state))
    assert policy.check(_call("run_fba"), state) is None
    assert policy.check(_call("request_human_input", question="x"), state) is None
    outside = policy.check(_call("write_table", path="/etc/passwd"), state)
    assert outside and "outside the data directory: path=/etc/passwd" in outside
    assert policy.check(_call("write_table", path="tables/out.csv"), state) is None
    assert policy.check(_call("write_table", path="../escape.csv"), state)
    # estimated run time: a double-deletion screen of iJO1366 takes hours; FVA on core does not
    ijo = SessionState(session_id="s", current_model="iJO1366")
    assert "estimated to take about" in str(policy.check(
        _call("gene_deletion_screen", double=True), ijo))
    assert policy.check(_call("gene_deletion_screen"), ijo) is None  # single: seconds
    assert policy.check(_call("gene_deletion_screen", double=True), state) is None  # core
    assert policy.check(_call("run_fva"), state) is None
    est = estimate_seconds(_call("run_fva"), ijo)
    assert est is not None and 10 < est < 120
    assert ApprovalPolicy(max_seconds=10).check(_call("run_fva"), ijo) is not None


def test_policy_file(tmp_path: Path) -> None:
    path = tmp_path / "policy.yaml"
    path.write_text("require: [gapfill, set_medium]\nnever: [gapfill]\nmax_seconds: 5\n"
                    "approval_timeout_s: 3600\nescalate_to: pi\ncontacts: {pi: 'mailto:p@x'}\n")
    p = ApprovalPolicy.from_file(path, frozenset({"export_model"}))
    state = SessionState(session_id="s")
    assert p.check(_call("gapfill"), state) is None  # never wins
    assert p.check(_call("set_medium"), state) is not None
    assert p.request_meta("approval") == {"timeout_s": 3600.0, "escalate_to": "pi"}
    for text, msg in [("require: gapfill", "list of tool names"),
                      ("max_seconds: -1", "positive number"), ("colour: red", "unknown setting"),
                      ("require: [a", "approval policy"), ("channels: [1]", "list of mappings")]:
        path.write_text(text)
        with pytest.raises(PolicyError, match=msg):
            ApprovalPolicy.from_file(path)


class _Hook(BaseHTTPRequestHandler):
    received: ClassVar[list[tuple[dict[str, str], bytes]]] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["content-length"]))
        _Hook.received.append((dict(self.headers), body))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def hook_url() -> Iterator[str]:
    server = HTTPServer(("127.0.0.1", 0), _Hook)
    _Hook.received = []
    t = threading.Thread(target=server.serve_forever, daemon=True)
    t.start()
    yield f"http://127.0.0.1:{server.server_port}/hook"
    server.shutdown()


def test_channels_notify_and_never_break_the_session(tmp_path: Path, hook_url: str,
                                                     capsys: pytest.CaptureFixture[str]
                                                     ) -> None:
    chans = channels_from_config([{"type": "file"},
                                  {"type": "webhook", "url": hook_url, "secret": "s3"},
                                  {"type": "slack", "url": hook_url},
                                  {"type": "webhook", "url": "http://127.0.0.1:9/none"}],
                                 tmp_path)
    assert [type(c) for c in chans] == [FileChannel, WebhookChannel, SlackChannel,
                                        WebhookChannel]
    r = runner([ToolCall(name="gapfill", args={}), Done(answer="x")],
               observers=[notifier(chans)])
    st = sessions.launch(r, "q")
    assert st.status == "waiting_for_approval"  # the dead webhook changed nothing
    assert "webhook notification failed" in capsys.readouterr().err
    note = json.loads((tmp_path / "notifications.jsonl").read_text().splitlines()[0])
    assert note["kind"] == "approval_request" and note["session_id"] == st.session_id
    (headers, body), (_, slack) = _Hook.received
    sig = hmac.new(b"s3", body, hashlib.sha256).hexdigest()
    assert headers["x-fluxagent-signature"] == f"sha256={sig}"
    assert json.loads(body)["title"] == "Approval needed: gapfill"
    assert "Approval needed: gapfill" in json.loads(slack)["text"]
    with pytest.raises(ValueError, match="type must be"):
        channels_from_config([{"type": "pigeon"}], tmp_path)


def test_markdown_transcript_has_every_request_and_answer() -> None:
    r = runner([ToolCall(name="gapfill", args={"min_growth": 0.1}),
                ToolCall(name="request_human_input", args={"question": "Carbon source?"}),
                Done(answer="Done **well**.")])
    st = sessions.launch(r, "Fix my model")
    st = sessions.decide(r, st.session_id, "reject", comment="not now", by="alice")
    st = sessions.respond(r, st.session_id, "acetate")
    text = transcript(r.store.load(st.session_id), "Fix my model")
    for part in ["# Session", "status: **done**", "## Turn 1", "> Fix my model",
                 "**→ gapfill** `{\"min_growth\": 0.1}`", "**⏸ Approval requested** for "
                 "`gapfill`", "**✘ Rejected** by alice: “not now”", "**? Question**: Carbon "
                 "source?", "**person answered**: acetate", "### Answer", "Done **well**."]:
        assert part in text, part


def test_annotation_escalations_render() -> None:
    t = Thread("s").append(new_event("user_message", {"text": "q"}),
                           new_event("annotation", {"kind": "escalation", "to": "pi",
                                                    "reason": "late"}))
    assert "**⚠ Escalated to pi**: late" in transcript(t)
    assert fold(t).status == "running"


def test_a_deciders_question_also_carries_the_deadline_and_contact() -> None:
    from datetime import timedelta

    from fluxagent.core.steps import AskHuman
    policy = ApprovalPolicy(human_timeout_s=30, escalate_to="pi")
    r = runner([AskHuman(question="Which model?", options=["core", "full"])], policy=policy)
    st = sessions.launch(r, "q")
    req = r.store.load(st.session_id).of_type("human_request")[-1]
    assert req.data["timeout_s"] == 30 and req.data["escalate_to"] == "pi"
    due = sessions.check_timeouts(r, req.ts + timedelta(seconds=31))
    assert [d["to"] for d in due] == ["pi"] and due[0]["request_type"] == "human_request"
    with pytest.raises(sessions.SessionError, match="choose one of: core, full"):
        sessions.respond(r, st.session_id, "medium")
