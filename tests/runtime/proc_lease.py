"""A session process for the lease tests: a LocalRunner on a SQL store (SQLite or PostgreSQL).

Each question gets one ``slow_write`` call (sleeps DELAY seconds, then appends a line to the
MARKER file: how many times the tool really ran), then the answer ``done: QUESTION``. With
``approve`` in APPROVE the tool needs a person's approval first.

Usage: python proc_lease.py URL SESSION ask QUESTION | approve | resume
Environment: MARKER (file), DELAY (s), LEASE_TTL_S, LEASE_WAIT_S, APPROVE (1 or 0).
Prints the final state as one JSON line; a refused request prints {"error": ...} and exits 3.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

from pydantic import BaseModel

from fluxagent.context.manager import ContextManager
from fluxagent.core.context import Context
from fluxagent.core.steps import Done, Step, ToolCall
from fluxagent.human.approvals import NO_APPROVALS, ApprovalPolicy
from fluxagent.llm.scripted import ScriptedDecider
from fluxagent.runtime import sessions
from fluxagent.runtime.local import LocalRunner
from fluxagent.store.base import EventStore, StoreError
from fluxagent.store.sql import SqlStore
from fluxagent.tools.registry import Registry, ToolContext
from fluxagent.tools.results import ToolResult


class WriteArgs(BaseModel):
    tag: str


def plan(ctx: Context) -> Step:
    turn = ctx.thread.since_last_question()
    question = str(turn[0].data.get("text", ""))
    if not any(e.type == "tool_result" for e in turn):
        return ToolCall(name="slow_write", args={"tag": question})
    return Done(answer=f"done: {question}")


def build_runner(store: EventStore, marker: Path, delay: float, *, approve: bool,
                 ttl: float = 30.0, wait: float = 300.0) -> LocalRunner:
    reg = Registry()

    @reg.tool("slow_write", "Record a tag in the marker file, slowly.", WriteArgs)
    def slow_write(args: WriteArgs, ctx: ToolContext) -> ToolResult:
        started = time.time()
        time.sleep(delay)
        with marker.open("a") as f:
            f.write(json.dumps({"tag": args.tag, "pid": os.getpid(), "started": started})
                    + "\n")
        return ToolResult(tool="slow_write", summary=f"wrote {args.tag}", data={"tag": args.tag})

    cm = ContextManager()
    policy = ApprovalPolicy(tools=frozenset({"slow_write"}), max_seconds=None) if approve \
        else NO_APPROVALS
    return LocalRunner(store=store, decider=ScriptedDecider(plan), registry=reg,
                       context=lambda t, s: cm.build(t, s, "sys"),
                       tool_context=lambda t, s: ToolContext(session_id=t.session_id, state=s),
                       policy=policy, lease_ttl_s=ttl, lease_wait_s=wait)


def main(url: str, session_id: str, mode: str, rest: list[str]) -> int:
    env = os.environ
    runner = build_runner(SqlStore(url), Path(env["MARKER"]), float(env.get("DELAY", "0")),
                          approve=env.get("APPROVE", "0") == "1",
                          ttl=float(env.get("LEASE_TTL_S", "30")),
                          wait=float(env.get("LEASE_WAIT_S", "300")))
    try:
        if mode == "ask":
            state = sessions.launch(runner, rest[0], session_id=session_id)
        elif mode == "approve":
            state = sessions.decide(runner, session_id, "approve")
        else:
            state = sessions.resume(runner, session_id)
    except StoreError as exc:
        print(json.dumps({"error": str(exc)}), flush=True)
        return 3
    print(json.dumps({"status": state.status, "answer": state.answer}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]))
