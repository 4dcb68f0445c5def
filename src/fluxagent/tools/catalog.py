"""``more_tools``: the escape an LLM uses to get the schema of a tool it was not sent.

Each LLM step is sent only a few tool schemas (``agents/schemas.py``); this tool's
description lists the others by name. Calling it records the request in the thread, and the
router sends the asked-for schemas with the next step (a pure function of the thread, so a
replay sends the same ones).
"""

from __future__ import annotations

from difflib import get_close_matches

from pydantic import BaseModel, ConfigDict, Field

from fluxagent.tools.registry import REGISTRY, ToolContext
from fluxagent.tools.results import ToolFailure, ToolResult


class MoreToolsArgs(BaseModel):
    model_config = ConfigDict(extra="forbid")

    names: list[str] = Field(min_length=1, max_length=10,
                             description="Tool names whose schemas to send next step.")


@REGISTRY.tool("more_tools", "Get the schemas of more tools for your next step.",
               MoreToolsArgs)
def more_tools(args: MoreToolsArgs, ctx: ToolContext) -> ToolResult:
    known = set(REGISTRY.names())
    unknown = [n for n in args.names if n not in known]
    if unknown:
        close = [m for n in unknown for m in get_close_matches(n, sorted(known), n=2)]
        raise ToolFailure("unknown_id", f"no tool named {', '.join(unknown)}",
                          hint=f"did you mean {', '.join(close)}?" if close else
                          "the more_tools description lists every tool")
    names = list(dict.fromkeys(args.names))
    return ToolResult(tool="more_tools", data={"tools": names},
                      summary=f"The schemas of {', '.join(names)} are sent with your next "
                      "step; call them then.")
