"""A small real registry for testing the flow engine itself (the shipped flows are tested on
real cobrapy models in test_flow_shipped.py)."""

from __future__ import annotations

from pydantic import BaseModel

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

    flaky_calls: list[int] = []

    @reg.tool("flaky", "Fails with a solver error the first time it is called.", GrowArgs)
    def flaky(args: GrowArgs, ctx: ToolContext) -> ToolResult:
        flaky_calls.append(1)
        if len(flaky_calls) == 1:
            raise ToolFailure("solver_error", "the solver gave up")
        return ToolResult(tool="flaky", summary="ok", data={"growth_rate": args.rate})

    import fluxagent.human.tools  # noqa: F401  (registers the human tools)
    from fluxagent.tools.registry import REGISTRY
    for name in ("request_human_input", "request_approval", "escalate"):
        tool = REGISTRY.get(name)
        assert tool is not None
        reg.add(tool)
    return reg


