"""OpenAIDecider against a local chat-completions stub: tool calls, errors, retries, refusals."""

from __future__ import annotations

import json
import socket
import sys
import time
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from stub_server import (
    Reply,
    StubServer,
    make_runner,
    openai_error,
    openai_refusal,
    openai_text,
    openai_tool_call,
    story,
)

from fluxagent.core.steps import Done, ToolCall
from fluxagent.llm.base import DeciderError
from fluxagent.llm.openai import OpenAIDecider
from fluxagent.runtime import sessions


def decider(stub: StubServer, **kw: Any) -> OpenAIDecider:
    kw.setdefault("max_retries", 2)
    d = OpenAIDecider("stub-model", base_url=stub.url + "/v1", api_key="sk-test", **kw)
    d.transport.backoff_base = 0.05  # keep transient-error tests fast
    return d


def events(runner: Any, sid: str) -> list[Any]:
    return story(runner, sid)


def test_tool_call_loop_through_the_runner() -> None:
    with StubServer([openai_tool_call("echo", {"x": 3}, content="Let me check."),
                     openai_text("x is 3.")]) as stub:
        runner = make_runner(decider(stub))
        st = sessions.launch(runner, "What is x?")
    assert stub.rejected == []
    assert st.status == "done" and st.answer == "x is 3."
    evs = events(runner, st.session_id)
    assert [e.type for e in evs] == ["user_message", "tool_call", "tool_result", "final_answer"]
    call = evs[1]
    assert call.data["name"] == "echo" and call.data["args"] == {"x": 3}
    assert call.data["usage"] == {"prompt_tokens": 50, "completion_tokens": 10}
    assert call.data["rationale"] == "Let me check."
    assert (st.prompt_tokens, st.completion_tokens) == (110, 30)

    first, second = stub.requests
    assert first.path == "/v1/chat/completions"
    assert first.headers["authorization"] == "Bearer sk-test"
    body = first.body
    assert body["model"] == "stub-model" and body["tool_choice"] == "auto"
    assert body["messages"][0]["role"] == "system"
    assert body["messages"][-1] == {"role": "user", "content": "What is x?"}
    fn = body["tools"][0]["function"]
    assert body["tools"][0]["type"] == "function" and fn["name"] == "echo"
    assert fn["parameters"]["properties"]["x"]["type"] == "integer"
    # the second request carries the call and its result under the thread's call id
    msgs = second.body["messages"]
    asst, tool = msgs[-2], msgs[-1]
    assert asst["tool_calls"][0]["id"] == call.call_id == tool["tool_call_id"]
    assert json.loads(asst["tool_calls"][0]["function"]["arguments"]) == {"x": 3}
    assert tool["role"] == "tool" and tool["tool_call_id"] == call.call_id
    assert tool["content"].startswith("echo: x=3")  # the context manager's rendering


def test_malformed_calls_become_errors_the_model_sees() -> None:
    with StubServer([openai_tool_call("echo", '{"x": 3'),           # not JSON
                     openai_tool_call("echo", {"x": "three"}),      # wrong type
                     openai_tool_call("echo", {"x": 3}),
                     openai_tool_call("ecko", {"x": 1}),            # unknown tool
                     openai_text("x is 3.")]) as stub:
        runner = make_runner(decider(stub))
        st = sessions.launch(runner, "What is x?")
    assert stub.rejected == []
    assert st.status == "done" and st.answer == "x is 3."
    evs = events(runner, st.session_id)
    assert [e.type for e in evs] == ["user_message", "tool_error", "tool_call", "tool_error",
                                     "tool_call", "tool_result", "tool_call", "tool_error",
                                     "final_answer"]
    assert evs[1].data["kind"] == "bad_arguments" and "not valid JSON" in evs[1].data["message"]
    assert evs[3].data["kind"] == "bad_arguments" and evs[3].call_id == evs[2].call_id
    assert evs[7].data["kind"] == "unknown_tool" and "echo" in evs[7].data["hint"]
    # each error is in the very next request, compactly
    after_json, after_type, after_name = (stub.requests[i].body["messages"] for i in (1, 2, 4))
    assert after_json[-1]["role"] == "user"
    assert "[bad_arguments]" in after_json[-1]["content"]
    assert '{"x": 3' in after_json[-1]["content"]
    assert after_type[-1]["role"] == "tool" and after_type[-1]["tool_call_id"] == evs[2].call_id
    assert after_type[-1]["content"].startswith("ERROR echo [bad_arguments]: x:")
    assert len(after_type[-1]["content"]) < 300
    assert after_name[-1]["role"] == "tool" and "[unknown_tool]" in after_name[-1]["content"]


def test_three_bad_calls_in_a_row_ask_a_person() -> None:
    with StubServer([openai_tool_call("echo", "not json")] * 3) as stub:
        runner = make_runner(decider(stub))
        st = sessions.launch(runner, "What is x?")
    assert st.status == "waiting_for_human" and len(stub.requests) == 3


def test_429_with_retry_after_then_success() -> None:
    with StubServer([openai_error(429, "Rate limit reached", headers={"Retry-After": "1"},
                                  kind="rate_limit_error"),
                     openai_text("done")]) as stub:
        step = decider(stub).next_step(_ctx(), [])
    assert isinstance(step, Done) and step.answer == "done"
    first, second = stub.requests
    assert second.at - first.at >= 0.95  # waited as the server asked
    assert second.body == first.body


def test_5xx_retried_with_backoff_then_error() -> None:
    with StubServer([openai_error(503, "overloaded")] * 3) as stub:
        d = decider(stub, max_retries=2)
        waits: list[float] = []
        d.transport.sleep = lambda s: (waits.append(s), time.sleep(s))[1]
        with pytest.raises(DeciderError) as err:
            d.next_step(_ctx(), [])
    assert len(stub.requests) == 3 and len(waits) == 2
    assert 0.0125 <= waits[0] <= 0.05 and 0.025 <= waits[1] <= 0.1  # exponential, jittered
    assert err.value.retryable and err.value.kind == "provider_error"
    msg = str(err.value)
    assert "503" in msg and "overloaded" in msg and "3 tries" in msg


def test_timeout_is_retried_then_recorded_as_an_error_event() -> None:
    with StubServer([Reply(openai_text("late"), delay=3.0), Reply(openai_text("late"), delay=3.0),
                     openai_text("Sorry, the answer is unknown.")]) as stub:
        runner = make_runner(decider(stub, timeout=0.3, max_retries=1))
        t0 = time.monotonic()
        st = sessions.launch(runner, "What is x?")
        elapsed = time.monotonic() - t0
    assert elapsed < 2.5
    evs = events(runner, st.session_id)
    assert [e.type for e in evs] == ["user_message", "tool_error", "final_answer"]
    err = evs[1].data
    assert err["kind"] == "timeout" and err["retryable"] is True
    assert "no reply" in err["message"] and "2 tries" in err["message"]
    assert err["tool"] == "decider:openai"
    assert len(stub.requests) == 3
    assert "[timeout]" in stub.requests[2].body["messages"][-1]["content"]
    assert st.status == "done"


def test_refusals_end_the_turn_with_a_plain_statement() -> None:
    blocked = openai_text("", finish="content_filter")
    with StubServer([openai_refusal("I can't help with that."), blocked]) as stub:
        d = decider(stub)
        a, b = d.next_step(_ctx(), []), d.next_step(_ctx(), [])
    assert isinstance(a, Done) and "declined" in a.answer and "I can't help with that." in a.answer
    assert a.data["refusal"] is True and a.usage.prompt_tokens == 40
    assert isinstance(b, Done) and b.data["refusal"] is True and "content filter" in b.answer


def test_client_errors_are_not_retried_and_keep_the_server_message() -> None:
    with (StubServer([openai_error(401, "Incorrect API key provided", kind="auth")]) as stub,
          pytest.raises(DeciderError) as err):
        decider(stub).next_step(_ctx(), [])
    assert len(stub.requests) == 1
    assert not err.value.retryable
    assert "401" in str(err.value) and "Incorrect API key provided" in str(err.value)
    assert "FLUXAGENT_LLM_API_KEY" in str(err.value)


def test_unreachable_server_is_a_provider_error() -> None:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()  # nothing listens on this port now
    d = OpenAIDecider("m", base_url=f"http://127.0.0.1:{port}/v1", max_retries=1)
    d.transport.backoff_base = 0.01
    with pytest.raises(DeciderError) as err:
        d.next_step(_ctx(), [])
    assert err.value.kind == "provider_error" and err.value.retryable
    assert "cannot reach" in str(err.value)


def test_reply_shapes_from_local_servers() -> None:
    """llama.cpp/Ollama quirks: arguments as an object, a call written as JSON text."""
    as_object = openai_tool_call("echo", "{}")
    as_object["choices"][0]["message"]["tool_calls"][0]["function"]["arguments"] = {"x": 5}
    with StubServer([as_object, openai_text('{"name": "echo", "arguments": {"x": 6}}'),
                     openai_tool_call("echo", {"x": 7}, extra_calls=1),
                     openai_text("", finish="length")]) as stub:
        d = decider(stub)
        tools = [{"name": "echo", "description": "", "parameters": {}}]
        a, b, c = (d.next_step(_ctx(), tools) for _ in range(3))
        with pytest.raises(DeciderError, match="empty reply"):
            d.next_step(_ctx(), tools)
    assert isinstance(a, ToolCall) and a.args == {"x": 5}
    assert isinstance(b, ToolCall) and b.args == {"x": 6}
    assert isinstance(c, ToolCall) and c.args == {"x": 7} and "ran the first" in c.rationale
    assert all(r.body["parallel_tool_calls"] is False for r in stub.requests)


def test_history_the_api_would_reject_is_repaired() -> None:
    """A rejected call has no result, a decider error has no call: both still make a valid
    request."""
    from fluxagent.context.manager import ContextManager
    from fluxagent.core.events import Thread, new_event
    from fluxagent.core.state import fold
    thread = Thread("s").append(
        new_event("user_message", {"text": "q"}),
        new_event("tool_call", {"name": "echo", "args": {"x": 1}}, call_id="c1"),
        new_event("approval_request", {"tool": "echo"}, call_id="c1"),
        new_event("approval_decision", {"decision": "reject", "comment": "no"}, call_id="c1"),
        new_event("tool_error", {"tool": "decider:openai", "kind": "timeout",
                                 "message": "slow"}))
    ctx = ContextManager().build(thread, fold(thread), "sys")
    with StubServer([openai_text("ok")]) as stub:
        decider(stub).next_step(ctx, [{"name": "echo", "description": "", "parameters": {}}])
    assert stub.rejected == []
    msgs = stub.requests[0].body["messages"]
    assert [m["role"] for m in msgs] == ["system", "user", "assistant", "tool", "user", "user"]
    assert "not run" in msgs[3]["content"]


def _ctx() -> Any:
    from fluxagent.context.manager import ContextManager
    from fluxagent.core.events import Thread, new_event
    from fluxagent.core.state import fold
    thread = Thread("s").append(new_event("user_message", {"text": "What is x?"}))
    return ContextManager().build(thread, fold(thread), "sys")


def test_parameters_a_model_rejects_are_dropped_once() -> None:
    """Reasoning models answer 400 to temperature=0: ask again without it, and remember."""
    with StubServer([openai_error(400, "Unsupported value: 'temperature' does not support 0 "
                                       "with this model."),
                     openai_text("one"), openai_text("two")]) as stub:
        d = decider(stub)
        assert isinstance(d.next_step(_ctx(), []), Done)
        assert isinstance(d.next_step(_ctx(), []), Done)
    bodies = [r.body for r in stub.requests]
    assert "temperature" in bodies[0]
    assert "temperature" not in bodies[1] and "temperature" not in bodies[2]


def test_a_reply_that_is_no_step_still_reports_its_tokens() -> None:
    from fluxagent.llm.messages import ReplyError
    with (StubServer([openai_tool_call("echo", "{oops", usage=(33, 7))]) as stub,
          pytest.raises(ReplyError) as err):
        decider(stub).next_step(_ctx(), [{"name": "echo", "description": "", "parameters": {}}])
    assert err.value.kind == "bad_arguments" and not err.value.retryable
    assert (err.value.usage.prompt_tokens, err.value.usage.completion_tokens) == (33, 7)


def test_real_run_fba_on_e_coli_core(tmp_path: Path) -> None:
    """The stub plays the LLM; the tool is the real run_fba on the real e_coli_core."""
    import re

    from fluxagent.config import Settings
    from fluxagent.tools import load_all
    from fluxagent.tools.models import ModelStore
    from fluxagent.tools.registry import Registry, ToolContext
    load_all()
    from fluxagent.tools.registry import REGISTRY
    registry = Registry()
    fba = REGISTRY.get("run_fba")
    assert fba is not None, "run_fba is not registered"
    registry.add(fba)
    settings = Settings(data_dir=tmp_path)
    models = ModelStore(settings)

    def answer_from_result(req: Any) -> dict[str, Any]:
        """What a model would do: read the growth rate from the tool message it was sent."""
        result = req.body["messages"][-1]["content"]
        rate = re.search(r"(\d+\.\d+)", result)
        assert rate, result
        return openai_text(f"Without oxygen e_coli_core grows at {rate.group(1)} 1/h.")

    with StubServer([openai_tool_call("run_fba", {"conditions": {"oxygen": "sometimes"}}),
                     openai_tool_call("run_fba", {"conditions": {"oxygen": False}}),
                     answer_from_result]) as stub:
        runner = make_runner(decider(stub), registry, tool_context=lambda t, s: ToolContext(
            session_id=t.session_id, state=s, models=models, settings=settings))
        st = sessions.launch(runner, "How fast does e_coli_core grow without oxygen?")
    assert stub.rejected == []
    evs = events(runner, st.session_id)
    assert [e.type for e in evs] == ["user_message", "tool_call", "tool_error", "tool_call",
                                     "tool_result", "final_answer"]
    assert evs[2].data["kind"] == "bad_arguments" and "oxygen" in evs[2].data["message"]
    assert "[bad_arguments]" in stub.requests[1].body["messages"][-1]["content"]
    growth = evs[4].data["data"]["growth_rate"]
    assert abs(growth - 0.2117) < 1e-3  # cobrapy's anaerobic e_coli_core optimum
    assert st.status == "done" and "0.2116" in (st.answer or "")  # 0.211663 1/h
    params = stub.requests[0].body["tools"][0]["function"]["parameters"]
    assert "conditions" in params["properties"]
