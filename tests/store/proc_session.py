"""A session process for the crash and fork tests: a LocalRunner on a SQLite file store.

The scripted decider asks ``slow_add`` for 1..CALLS (a tool that sleeps a little, so a kill
often lands while it runs), then answers with the sum of the squares the tool returned (the
last result carries the running total, so the runner can trace the answer's number). The
answer depends on every result, so a lost or doubled result would change it.

Usage: python proc_session.py DB_PATH SESSION_ID run|resume [DELAY_S]; prints the final state
as JSON.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from pydantic import BaseModel

from fluxagent.context.manager import ContextManager
from fluxagent.core.context import Context
from fluxagent.core.steps import Done, Step, ToolCall
from fluxagent.human.approvals import NO_APPROVALS
from fluxagent.llm.scripted import ScriptedDecider
from fluxagent.runtime import sessions
from fluxagent.runtime.local import LocalRunner
from fluxagent.store.base import EventStore
from fluxagent.store.sql import SqlStore
from fluxagent.tools.registry import Registry, ToolContext
from fluxagent.tools.results import ToolResult

CALLS = 5
QUESTION = "What is the sum of the squares of 1..5?"


class AddArgs(BaseModel):
    x: int
    total: int = 0


def plan(ctx: Context) -> Step:
    results = [e for e in ctx.thread.since_last_question() if e.type == "tool_result"]
    total = sum(int(e.data["data"]["square"]) for e in results)
    if len(results) < CALLS:
        return ToolCall(name="slow_add", args={"x": len(results) + 1, "total": total})
    return Done(answer=f"the sum of the squares is {total}")


def build_runner(store: EventStore, delay: float = 0.0) -> LocalRunner:
    reg = Registry()

    @reg.tool("slow_add", "Square x, slowly.", AddArgs)
    def slow_add(args: AddArgs, ctx: ToolContext) -> ToolResult:
        time.sleep(delay)
        total = args.total + args.x ** 2
        return ToolResult(tool="slow_add", summary=f"{args.x}^2 = {args.x ** 2}; total {total}",
                          data={"x": args.x, "square": args.x ** 2, "total": total})

    cm = ContextManager()
    return LocalRunner(store=store, decider=ScriptedDecider(plan), registry=reg,
                       context=lambda t, s: cm.build(t, s, "sys"),
                       tool_context=lambda t, s: ToolContext(session_id=t.session_id, state=s),
                       policy=NO_APPROVALS)


def main(db: Path, session_id: str, mode: str, delay: float) -> None:
    runner = build_runner(SqlStore(f"sqlite:///{db}"), delay)
    if mode == "run":
        state = sessions.launch(runner, QUESTION, session_id=session_id)
    else:
        state = sessions.resume(runner, session_id)
    print(json.dumps({"status": state.status, "answer": state.answer}), flush=True)


if __name__ == "__main__":
    main(Path(sys.argv[1]), sys.argv[2], sys.argv[3],
         float(sys.argv[4]) if len(sys.argv) > 4 else 0.0)
