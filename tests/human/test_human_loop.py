"""Humans in the loop (issue 6 "What it must show"): approvals stop before the tool runs, are
given from another process, rejections steer the decider, edits are re-validated, error
streaks and time-outs escalate, a killed process loses nothing, bad requests change nothing."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from fluxagent.agents.router import Router
from fluxagent.core.context import Context
from fluxagent.core.state import fold
from fluxagent.core.steps import Done, Step, ToolCall
from fluxagent.flows.library import load_flow
from fluxagent.flows.run import run_flow
from fluxagent.flows.schema import load_flow_file
from fluxagent.human.approvals import ApprovalPolicy
from fluxagent.human.requests import open_request
from fluxagent.llm.scripted import ScriptedDecider
from fluxagent.runtime import sessions
from fluxagent.runtime.sessions import SessionError

HERE = Path(__file__).parent
DAMAGE = load_flow_file(HERE / "damage_flow.yaml")


def tools_run(thread, name: str) -> list:
    return [e for e in thread.of_type("tool_result", "tool_error") if e.data["tool"] == name]


def test_gapfill_stops_for_approval_before_the_tool_runs(make_agent) -> None:
    agent = make_agent()
    state = run_flow(agent.runner, DAMAGE, {})
    assert state.status == "waiting_for_approval"
    thread = agent.thread(state.session_id)
    assert state.pending_call is not None and state.pending_call.name == "gapfill"
    assert tools_run(thread, "gapfill") == []  # chosen, not run
    req = thread.of_type("approval_request")[-1]
    assert req.call_id == state.pending_call.call_id
    assert "gapfill" in req.data["reason"]
    # a runner started again (any process) does not run it either
    assert agent.resume(state.session_id).status == "waiting_for_approval"
    assert tools_run(agent.thread(state.session_id), "gapfill") == []


def test_killed_while_waiting_then_approved_from_another_process(data_dir: Path, cli,
                                                                 make_agent) -> None:
    env = {**os.environ, "FLUXAGENT_DATA_DIR": str(data_dir)}
    proc = subprocess.Popen([sys.executable, str(HERE / "proc_wait.py"), str(data_dir)],
                            stdout=subprocess.PIPE, text=True, env=env)
    try:
        assert proc.stdout is not None
        started = json.loads(proc.stdout.readline())
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    sid = started["session_id"]
    assert started["status"] == "waiting_for_approval"
    agent = make_agent()
    before = agent.thread(sid)
    assert len(before) == started["events"]  # nothing lost with the process
    assert fold(before).status == "waiting_for_approval"

    done = cli("approve", sid, "--comment", "ok, fill it", "--json")
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["status"] == "done"
    thread = agent.thread(sid)
    assert list(thread)[: len(before)] == list(before)  # the history is kept as it was
    decision = thread.of_type("approval_decision")[-1]
    assert decision.data == {"decision": "approve", "comment": "ok, fill it", "by": ""}
    filled = tools_run(thread, "gapfill")
    assert len(filled) == 1 and filled[0].type == "tool_result"
    assert filled[0].data["data"]["added"]
    assert "before 0 1/h" in out["answer"] and "after n/a" not in out["answer"]


def _gapfill_or_what_the_person_said(ctx: Context) -> Step:
    """Gap-fill, unless a person rejected that: then follow their comment."""
    said = [m["content"] for m in ctx.messages if "rejected the call" in str(m["content"])]
    done = [e for e in ctx.thread.since_last_question() if e.type == "tool_result"
            and e.data["tool"] in ("gapfill", "find_blocked_reactions")]
    if done:
        return Done(answer=f"Following your comment, I ran {done[-1].data['tool']}: "
                    f"{done[-1].data['summary']}")
    if said:
        return ToolCall(name="find_blocked_reactions", args={})
    return ToolCall(name="gapfill", args={"min_growth": 0.1})


def test_rejection_with_a_comment_makes_the_decider_choose_differently(make_agent) -> None:
    agent = make_agent(decider=Router(ScriptedDecider(_gapfill_or_what_the_person_said)))
    state = agent.ask("Gap-fill e_coli_core")
    assert state.status == "waiting_for_approval"
    state = agent.reject(state.session_id, "no gap filling; look for blocked reactions")
    assert state.status == "done"
    thread = agent.thread(state.session_id)
    assert tools_run(thread, "gapfill") == []
    assert [e.data["tool"] for e in thread.of_type("tool_result")][-1] == \
        "find_blocked_reactions"
    assert "find_blocked_reactions" in state.answer
    # in a flow, the rejection is the gapfill state's outcome: the flow takes its error path
    flow_state = run_flow(agent.runner, DAMAGE, {})
    flow_state = agent.reject(flow_state.session_id, "not this model")
    assert flow_state.status == "done"
    assert "after n/a; no gap filling" in (flow_state.answer or "")


def test_edited_arguments_are_validated_again(make_agent) -> None:
    policy = ApprovalPolicy(tools=frozenset({"gapfill", "run_fba"}))
    agent = make_agent(policy=policy, decider=Router(ScriptedDecider([
        ToolCall(name="gapfill", args={"min_growth": 0.1}), Done(answer="x")])))
    state = agent.ask("Gap-fill e_coli_core")
    sid = state.session_id
    n = len(agent.thread(sid))
    with pytest.raises(SessionError, match=r"edited arguments for gapfill are invalid: "
                       r"min_growth: Input should be greater than 0"):
        agent.approve(sid, args={"min_growth": -1})
    with pytest.raises(SessionError, match="min_growth: Input should be a valid number"):
        agent.approve(sid, args={"min_growth": "fast"})
    with pytest.raises(SessionError, match="must be a JSON object"):
        agent.approve(sid, args=["min_growth", 1])  # type: ignore[arg-type]
    with pytest.raises(SessionError, match="go with an approval"):
        agent.decide(sid, "reject", args={"min_growth": 0.2})
    assert len(agent.thread(sid)) == n  # nothing written
    assert fold(agent.thread(sid)).status == "waiting_for_approval"

    # a valid edit is run with the edited arguments (cheap tool: run_fba needs approval here)
    agent2 = make_agent(policy=policy, decider=Router(ScriptedDecider([
        ToolCall(name="run_fba", args={}), Done(answer="done")])))
    s2 = agent2.ask("How fast does e_coli_core grow?")
    assert s2.status == "waiting_for_approval"
    s2 = agent2.approve(s2.session_id, args={"conditions": {"oxygen": False}})
    assert s2.status == "done"
    result = tools_run(agent2.thread(s2.session_id), "run_fba")[-1]
    assert result.data["data"]["conditions"]["oxygen"] == "anaerobic"
    decision = agent2.thread(s2.session_id).of_type("approval_decision")[-1]
    assert decision.data["args"] == {"conditions": {"oxygen": False}}


def test_three_consecutive_errors_escalate_to_the_named_contact(make_agent) -> None:
    policy = ApprovalPolicy(escalate_to="lab-manager", human_timeout_s=3600)
    bad = ToolCall(name="knockout_genes", args={"genes": ["nosuchgene"]})
    agent = make_agent(policy=policy, decider=Router(ScriptedDecider(
        [bad, bad, bad, Done(answer="gave up as told")])))
    state = agent.ask("Knock out nosuchgene in e_coli_core")
    assert state.status == "waiting_for_human"
    thread = agent.thread(state.session_id)
    errors = thread.of_type("tool_error")
    assert len(errors) == 3 and all(e.data["kind"] == "unknown_id" for e in errors)
    req = open_request(thread)
    assert req is not None and req.data["by"] == "escalation"
    assert req.data["escalate_to"] == "lab-manager" and req.data["urgency"] == "high"
    state = agent.respond(state.session_id, "stop trying", )
    assert state.status == "done" and state.answer == "gave up as told"


def test_waiting_requests_time_out_and_escalate_once(make_agent, cli, data_dir) -> None:
    policy = ApprovalPolicy(approval_timeout_s=60, escalate_to="pi@lab.example",
                            channels=({"type": "file"},))
    agent = make_agent(policy=policy)
    state = run_flow(agent.runner, DAMAGE, {})
    sid = state.session_id
    req = open_request(agent.thread(sid))
    assert req is not None and req.data["timeout_s"] == 60
    assert sessions.check_timeouts(agent.runner, req.ts + timedelta(seconds=59)) == []
    due = sessions.check_timeouts(agent.runner, req.ts + timedelta(seconds=61))
    assert [(d["session_id"], d["to"], d["request"]) for d in due] == \
        [(sid, "pi@lab.example", req.call_id)]
    assert sessions.check_timeouts(agent.runner, req.ts + timedelta(hours=5)) == []  # once
    esc = agent.thread(sid).of_type("annotation")[-1]
    assert esc.data["kind"] == "escalation" and "no one gave approval of gapfill" in \
        esc.data["reason"]
    assert fold(agent.thread(sid)).status == "waiting_for_approval"  # still answerable
    # channels were told about the request and the escalation
    notes = [json.loads(line) for line in
             (data_dir / "notifications.jsonl").read_text().splitlines()]
    assert [n["kind"] for n in notes] == ["approval_request", "escalation"]
    assert notes[1]["to"] == "pi@lab.example"
    # `fluxagent human pending` (another process) lists the open request
    pend = cli("human", "pending", "--json")
    assert [p["session_id"] for p in json.loads(pend.stdout)] == [sid]


def test_bad_requests_are_refused_and_change_nothing(make_agent, cli) -> None:
    agent = make_agent(decider=Router(ScriptedDecider([
        ToolCall(name="gapfill", args={}), Done(answer="x")])))
    sid = agent.ask("Gap-fill e_coli_core").session_id
    call_id = fold(agent.thread(sid)).pending_approval
    n = len(agent.thread(sid))
    with pytest.raises(SessionError, match="has no approval request nope"):
        agent.approve(sid, call_id="nope")
    with pytest.raises(SessionError, match="is not waiting for a person"):
        agent.respond(sid, "hello")
    assert len(agent.thread(sid)) == n
    agent.decide(sid, "reject", call_id=call_id, comment="no", by="alice")
    m = len(agent.thread(sid))
    with pytest.raises(SessionError, match=f"approval request {call_id} was already "
                       "decided: rejected by alice"):
        agent.approve(sid, call_id=call_id)
    with pytest.raises(SessionError, match="has no open approval request"):
        agent.approve(sid)
    assert len(agent.thread(sid)) == m
    # the same through the CLI: one clear line, exit code 1, nothing written
    for args, msg in [(["approve", sid, "--call", call_id], "already decided"),
                      (["respond", sid, "hi"], "not waiting for a person")]:
        res = cli(*args)
        assert res.returncode == 1, (args, res.stdout, res.stderr)
        assert msg in res.stderr and "Traceback" not in res.stderr
    assert len(agent.thread(sid)) == m


def test_model_validation_flow_asks_a_person_then_waits_for_approval(make_agent) -> None:
    agent = make_agent(decider=Router(ScriptedDecider([])))
    first = run_flow(agent.runner, DAMAGE, {})  # breaks the model, waits at gapfill
    agent.reject(first.session_id, "just checking")
    state = run_flow(agent.runner, load_flow("model_validation"), {"review": True},
                     session_id=first.session_id)
    assert state.status == "waiting_for_human"
    req = open_request(agent.thread(first.session_id))
    assert req is not None and "does not grow" in req.data["question"]
    with pytest.raises(SessionError, match="needs yes or no"):
        agent.respond(first.session_id, "maybe later")
    state = agent.respond(first.session_id, "yes")
    assert state.status == "waiting_for_approval"
    assert state.pending_call is not None and state.pending_call.name == "gapfill"
    state = agent.reject(first.session_id, "I will curate it by hand")
    assert state.status == "done" and "growth: 0 1/h" in (state.answer or "")
