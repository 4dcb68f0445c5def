"""A small real registry and runner for testing the flow engine itself (the shipped flows are
tested on real cobrapy models in test_flow_shipped.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from pydantic import BaseModel

from fluxagent.context.manager import ContextManager
from fluxagent.flows.decider import FlowDispatcher
from fluxagent.human.approvals import ApprovalPolicy
from fluxagent.llm.base import Decider
from fluxagent.llm.scripted import ScriptedDecider
from fluxagent.runtime.local import LocalRunner
from fluxagent.store.memory import MemoryStore
from fluxagent.tools.registry import Registry, ToolContext
from fluxagent.tools.results import ToolFailure, ToolResult


class GrowArgs(BaseModel):
    rate: float = 0.5


class LookArgs(BaseModel):
    what: str
    times: int = 1


def mini_registry() -> Registry:
    reg = Registry()

    @reg.tool("grow", "Report a growth rate.", GrowArgs)
    def grow(args: GrowArgs, ctx: ToolContext) -> ToolResult:
        return ToolResult(tool="grow", summary=f"growth {args.rate} 1/h",
                          data={"growth_rate": args.rate})

    @reg.tool("look", "Look something up.", LookArgs)
    def look(args: LookArgs, ctx: ToolContext) -> ToolResult:
        if args.what == "nothing":
            raise ToolFailure("unknown_id", "nothing to look at", hint="try 'glucose'")
        return ToolResult(tool="look", summary=f"saw {args.what}",
                          data={"seen": args.what, "times": args.times})

    @reg.tool("gapfill", "Pretend to gapfill.", LookArgs)
    def gapfill(args: LookArgs, ctx: ToolContext) -> ToolResult:
        return ToolResult(tool="gapfill", summary="added 1 reaction",
                          data={"added": ["R1"], "what": args.what})

    return reg


RunnerFactory = Callable[..., LocalRunner]


@pytest.fixture
def make_runner() -> RunnerFactory:
    def make(inner: Decider | None = None, policy: ApprovalPolicy | None = None,
             store: Any = None) -> LocalRunner:
        cm = ContextManager()
        return LocalRunner(store=store or MemoryStore(),
                           decider=FlowDispatcher(inner or ScriptedDecider([])),
                           registry=mini_registry(),
                           context=lambda t, s: cm.build(t, s, "sys"),
                           tool_context=lambda t, s: ToolContext(session_id=t.session_id,
                                                                 state=s),
                           policy=policy or ApprovalPolicy(tools=frozenset(),
                                                           max_seconds=None))
    return make
