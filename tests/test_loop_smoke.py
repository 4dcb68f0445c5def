from pydantic import BaseModel

from fluxagent.context.manager import ContextManager
from fluxagent.core.steps import Done, ToolCall
from fluxagent.human.approvals import NO_APPROVALS, ApprovalPolicy
from fluxagent.llm.scripted import ScriptedDecider
from fluxagent.runtime import sessions
from fluxagent.runtime.local import LocalRunner
from fluxagent.store.memory import MemoryStore
from fluxagent.tools.registry import Registry, ToolContext
from fluxagent.tools.results import ToolResult


class EchoArgs(BaseModel):
    x: int


def make(script, policy=NO_APPROVALS):
    reg = Registry()

    @reg.tool("echo", "Echo x.", EchoArgs)
    def echo(args, ctx):
        return ToolResult(tool="echo", summary=f"x={args.x}", data={"x": args.x})

    cm = ContextManager()
    return LocalRunner(store=MemoryStore(), decider=ScriptedDecider(script), registry=reg,
                       context=lambda t, s: cm.build(t, s, "sys"),
                       tool_context=lambda t, s: ToolContext(session_id=t.session_id, state=s),
                       policy=policy)


def test_loop_runs_tool_then_answers():
    r = make([ToolCall(name="echo", args={"x": 3}), Done(answer="x is 3")])
    st = sessions.launch(r, "what is x?")
    assert st.status == "done" and st.answer == "x is 3"
    types = [e.type for e in r.store.load(st.session_id)]
    assert types == ["user_message", "tool_call", "tool_result", "final_answer"]


def test_bad_args_become_error_then_escalate():
    r = make([ToolCall(name="echo", args={"x": "no"})] * 3 + [Done(answer="x")])
    st = sessions.launch(r, "q")
    assert st.status == "waiting_for_human"
    st = sessions.respond(r, st.session_id, "try again")
    assert st.status == "done"


def test_approval_stop_and_reject():
    r = make([ToolCall(name="echo", args={"x": 1}), Done(answer="gave up")],
             policy=ApprovalPolicy(tools=frozenset({"echo"})))
    st = sessions.launch(r, "q")
    assert st.status == "waiting_for_approval"
    st = sessions.decide(r, st.session_id, "reject", comment="no")
    assert st.status == "done"
    assert "tool_result" not in [e.type for e in r.store.load(st.session_id)]


def test_tokens_of_a_failed_reply_count_in_the_session_total():
    from fluxagent.core.steps import Usage
    from fluxagent.llm.base import DeciderError

    calls = []

    def decide(ctx):
        calls.append(1)
        if len(calls) == 1:
            raise DeciderError("malformed", kind="bad_arguments", retryable=False,
                               usage=Usage(prompt_tokens=7, completion_tokens=2))
        return Done(answer="ok", usage=Usage(prompt_tokens=5, completion_tokens=1))

    r = make(decide)
    st = sessions.launch(r, "q")
    assert st.status == "done"
    assert (st.prompt_tokens, st.completion_tokens) == (12, 3)
