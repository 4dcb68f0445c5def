"""One registry tool run on behalf of a channel (MCP, REST), with the approval policy kept.

A tool that may run at once runs through ``Registry.execute`` like ``fluxagent tools run``.
A tool the policy gates (gapfill, writing tools, paths outside the data dir, long estimates)
or a question to a person cannot run outside a session: it becomes a new session whose one
tool call waits for approval (or for the person), so every channel's approval goes through
``sessions.decide`` and nothing runs unapproved.
"""

from __future__ import annotations

from typing import Any

from fluxagent.core.events import Thread
from fluxagent.core.state import PendingCall, SessionState
from fluxagent.flows.schema import Flow, parse_flow
from fluxagent.human.tools import HUMAN_INPUT_TOOLS
from fluxagent.runtime import sessions
from fluxagent.runtime.local import LocalRunner
from fluxagent.tools.registry import Progress
from fluxagent.tools.results import ToolError, ToolResult

#: The session id of a direct run's tool context (no session is stored for it).
DIRECT = "direct"


def gate(runner: LocalRunner, name: str, args: dict[str, Any]) -> str | None:
    """Why this call cannot run directly (the policy's reason), or None if it may."""
    if name in HUMAN_INPUT_TOOLS:
        return f"{name} asks a person and waits for the answer"
    call = PendingCall(call_id=DIRECT, name=name, args=args)
    return runner.policy.check(call, SessionState(session_id=DIRECT), Thread(DIRECT))


def run_tool(runner: LocalRunner, name: str, args: dict[str, Any], *,
             progress: Progress | None = None) -> ToolResult | ToolError:
    """Run an ungated tool now, on the base models (no session state)."""
    state = SessionState(session_id=DIRECT)
    ctx = runner.tool_context(Thread(DIRECT), state)
    if progress is not None:
        ctx.progress = progress
    return runner.registry.execute(name, args, ctx)


def tool_flow(name: str, args: dict[str, Any]) -> Flow:
    """A one-step flow: call ``name`` with ``args`` (passed as flow inputs, so they stay data
    and are never rendered as templates), answer with its summary."""
    return parse_flow({
        "name": f"tool_{name}", "description": f"Run {name} once, as a channel asked.",
        "inputs": {key: {"required": True} for key in args},
        "start": "call", "limits": {"max_steps": 3},
        "states": {
            "call": {"tool": name, "args": {key: "{{ input." + key + " }}" for key in args},
                     "next": "report", "on_error": "failed"},
            "report": {"end": {"answer": "{{ summaries.call }}"}},
            "failed": {"end": {"answer": f"{name} did not run to a result (rejected or "
                                         "failed); the session's events say why."}}}},
        source=f"tool {name}")


def request_tool(runner: LocalRunner, name: str, args: dict[str, Any], *, via: str
                 ) -> SessionState:
    """Start a session whose one step is this tool call (a one-step flow); the runner asks
    for approval (or asks the person) and stops. Once approved the tool runs and its summary
    is the session's answer."""
    from fluxagent.flows.run import run_flow
    sid = sessions.new_session_id()
    runner.store.create(sid, title=f"{name} via {via}"[:120], meta={"via": via})
    return run_flow(runner, tool_flow(name, args), args, session_id=sid)
