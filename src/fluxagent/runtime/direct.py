"""One registry tool run on behalf of a channel (MCP, REST), with the approval policy kept.

A tool that may run at once runs through ``Registry.execute`` like ``fluxagent tools run``.
A tool the policy gates (gapfill, writing tools, paths outside the data dir, long estimates)
or a question to a person cannot run outside a session: it becomes a new session whose one
tool call waits for approval (or for the person), so every channel's approval goes through
``sessions.decide`` and nothing runs unapproved.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from fluxagent.core.events import Thread, new_event
from fluxagent.core.state import PendingCall, SessionState, fold
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


def request_tool(runner: LocalRunner, name: str, args: dict[str, Any], *, via: str,
                 session_id: str | None = None) -> SessionState:
    """Start a session whose one step is this tool call; the runner then asks for approval
    (or asks the person) and stops. Approving it runs the tool, then the answer is written."""
    sid = session_id or sessions.new_session_id()
    text = f"Run {name} with {json.dumps(args, sort_keys=True)}"
    if not runner.store.exists(sid):
        runner.store.create(sid, title=text[:120], meta={"via": via})
    runner.append(sid, new_event("user_message", {"text": text, "via": via, "tool": name}),
                  new_event("tool_call", {"name": name, "args": args, "by": via},
                            call_id=uuid.uuid4().hex[:12]))
    state = runner.run(sid)
    return state if state.status != "running" else fold(runner.store.load(sid))
