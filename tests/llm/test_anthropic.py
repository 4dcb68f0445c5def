"""AnthropicDecider against a local Messages API stub: tool use, errors, retries, refusals."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from stub_server import (
    Reply,
    StubServer,
    anthropic_error,
    anthropic_refusal,
    anthropic_text,
    anthropic_tool_use,
    make_runner,
    story,
)

from fluxagent.core.steps import Done, ToolCall
from fluxagent.llm.anthropic import AnthropicDecider
from fluxagent.llm.base import DeciderError
from fluxagent.runtime import sessions


def decider(stub: StubServer, **kw: Any) -> AnthropicDecider:
    kw.setdefault("max_retries", 2)
    d = AnthropicDecider("stub-model", base_url=stub.url, api_key="ak-test", **kw)
    d.transport.backoff_base = 0.05
    return d


def test_tool_use_loop_through_the_runner() -> None:
    with StubServer([anthropic_tool_use("echo", {"x": 4}, text="Checking x."),
                     anthropic_tool_use("echo", {"x": 5}),
                     anthropic_text("x is 4, then 5.")]) as stub:
        runner = make_runner(decider(stub))
        st = sessions.launch(runner, "What is x?")
    assert stub.rejected == []
    assert st.status == "done" and st.answer == "x is 4, then 5."
    evs = story(runner, st.session_id)
    assert [e.type for e in evs] == ["user_message", "tool_call", "tool_result", "tool_call",
                                     "tool_result", "final_answer"]
    assert evs[1].data["usage"] == {"prompt_tokens": 70, "completion_tokens": 12}
    assert evs[1].data["rationale"] == "Checking x."
    assert (st.prompt_tokens, st.completion_tokens) == (220, 49)

    first, *_, last = stub.requests
    assert first.path == "/v1/messages"
    assert first.headers["x-api-key"] == "ak-test"
    assert first.headers["anthropic-version"] == "2023-06-01"
    assert first.body["system"].startswith("You are fluxagent")
    assert all(m["role"] != "system" for m in first.body["messages"])
    assert first.body["tools"][0]["name"] == "echo"
    assert first.body["tools"][0]["input_schema"]["properties"]["x"]["type"] == "integer"
    assert isinstance(first.body["max_tokens"], int)
    msgs = last.body["messages"]
    assert [m["role"] for m in msgs] == ["user", "assistant", "user", "assistant", "user"]
    use = msgs[1]["content"][-1]
    assert use == {"type": "tool_use", "id": evs[1].call_id, "name": "echo", "input": {"x": 4}}
    result = msgs[2]["content"][0]
    assert result["type"] == "tool_result" and result["tool_use_id"] == evs[1].call_id
    assert result["content"].startswith("echo: x=4")


def test_malformed_tool_use_becomes_errors_the_model_sees() -> None:
    with StubServer([anthropic_tool_use("echo", {"x": "four"}),
                     anthropic_tool_use("echo", '{"x": '),  # a string input that is not JSON
                     anthropic_tool_use("echo", {"x": 4}),
                     anthropic_text("x is 4.")]) as stub:
        runner = make_runner(decider(stub))
        st = sessions.launch(runner, "What is x?")
    assert stub.rejected == []
    assert st.status == "done"
    evs = story(runner, st.session_id)
    assert [e.type for e in evs] == ["user_message", "tool_call", "tool_error", "tool_error",
                                     "tool_call", "tool_result", "final_answer"]
    second, third = stub.requests[1].body["messages"], stub.requests[2].body["messages"]
    block = second[-1]["content"][0]
    assert block["type"] == "tool_result" and block["is_error"] is True
    assert block["tool_use_id"] == evs[1].call_id and "[bad_arguments]" in block["content"]
    # the unparsable call has no call id: its error reaches the model as user text
    assert third[-1]["role"] == "user"
    texts = [b.get("text", "") for b in third[-1]["content"] if b["type"] == "text"]
    assert any("not valid JSON" in t for t in texts)


def test_overloaded_529_and_429_are_retried() -> None:
    with StubServer([anthropic_error(529, "Overloaded", kind="overloaded_error"),
                     anthropic_error(429, "rate limited", kind="rate_limit_error",
                                     headers={"retry-after": "1"}),
                     anthropic_text("fine")]) as stub:
        step = decider(stub).next_step(_ctx(), [])
    assert isinstance(step, Done) and step.answer == "fine"
    assert len(stub.requests) == 3
    assert stub.requests[2].at - stub.requests[1].at >= 0.95


def test_timeout_then_error_event_not_a_crash() -> None:
    with StubServer([Reply(anthropic_text("late"), delay=3.0)] * 2
                    + [anthropic_text("I could not reach a conclusion.")]) as stub:
        runner = make_runner(decider(stub, timeout=0.3, max_retries=1))
        st = sessions.launch(runner, "What is x?")
    evs = story(runner, st.session_id)
    assert [e.type for e in evs] == ["user_message", "tool_error", "final_answer"]
    assert evs[1].data["kind"] == "timeout" and evs[1].data["tool"] == "decider:anthropic"
    assert stub.rejected == []


def test_refusal_stop_reason() -> None:
    with StubServer([anthropic_refusal("I won't do that."), anthropic_refusal()]) as stub:
        d = decider(stub)
        a, b = d.next_step(_ctx(), []), d.next_step(_ctx(), [])
    assert isinstance(a, Done) and a.data["refusal"] and "I won't do that." in a.answer
    assert isinstance(b, Done) and b.data["refusal"] and "no reason given" in b.answer


def test_bad_request_is_not_retried() -> None:
    with (StubServer([anthropic_error(400, "max_tokens: too large")]) as stub,
          pytest.raises(DeciderError, match="max_tokens: too large") as err):
        decider(stub).next_step(_ctx(), [])
    assert not err.value.retryable and len(stub.requests) == 1


def test_consecutive_roles_are_merged_and_first_turn_is_user() -> None:
    """A rejected call, a decider error and a follow-up question still form a valid request."""
    from fluxagent.context.manager import ContextManager
    from fluxagent.core.events import Thread, new_event
    from fluxagent.core.state import fold
    thread = Thread("s").append(
        new_event("final_answer", {"answer": "earlier answer"}),
        new_event("user_message", {"text": "q"}),
        new_event("tool_call", {"name": "echo", "args": {"x": 1}}, call_id="c1"),
        new_event("approval_decision", {"decision": "reject", "comment": "no"}, call_id="c1"),
        new_event("tool_error", {"tool": "decider:anthropic", "kind": "timeout",
                                 "message": "slow"}))
    ctx = ContextManager().build(thread, fold(thread), "sys")
    with StubServer([anthropic_tool_use("echo", {"x": 2})]) as stub:
        step = decider(stub).next_step(ctx, [{"name": "echo", "description": "",
                                              "parameters": {}}])
    assert stub.rejected == [] and isinstance(step, ToolCall)
    msgs = stub.requests[0].body["messages"]
    assert [m["role"] for m in msgs] == ["user", "assistant", "user", "assistant", "user"]
    last = msgs[-1]["content"]
    assert last[0]["type"] == "tool_result" and "not run" in last[0]["content"]
    assert [b["type"] for b in last[1:]] == ["text", "text"]


def test_base_url_with_v1_suffix() -> None:
    with StubServer([anthropic_text("ok")]) as stub:
        d = AnthropicDecider("m", base_url=stub.url + "/v1/")
        assert isinstance(d.next_step(_ctx(), []), Done)
    assert stub.requests[0].path == "/v1/messages"
    assert "x-api-key" not in stub.requests[0].headers


def _ctx() -> Any:
    from fluxagent.context.manager import ContextManager
    from fluxagent.core.events import Thread, new_event
    from fluxagent.core.state import fold
    thread = Thread("s").append(new_event("user_message", {"text": "What is x?"}))
    return ContextManager().build(thread, fold(thread), "sys")
