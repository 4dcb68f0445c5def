"""A real cobrapy tool and agent factory for the error tests (no mocks but the decider)."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

import cobra
from pydantic import BaseModel

from fluxagent.agent import Agent
from fluxagent.config import Settings
from fluxagent.core.context import Context
from fluxagent.core.steps import Step
from fluxagent.human.approvals import NO_APPROVALS
from fluxagent.llm.scripted import ScriptedDecider
from fluxagent.store.sql import SqlStore
from fluxagent.tools.registry import Registry, ToolContext
from fluxagent.tools.results import ToolFailure, ToolResult


@lru_cache(maxsize=1)
def textbook() -> cobra.Model:
    return cobra.io.load_model("textbook")


class GrowthArgs(BaseModel):
    carbon: str  # an exchange reaction id
    uptake: float = 10.0


def growth_on(args: GrowthArgs, ctx: ToolContext) -> ToolResult:
    """Growth of e_coli_core with one carbon source; only exchange ids are accepted."""
    model = textbook()
    exchanges = {r.id: r for r in model.exchanges}
    if args.carbon not in exchanges:
        word = args.carbon.lower().removeprefix("ex_").removesuffix("_e")
        close = [r.id for r in model.exchanges
                 if any(word[:4] in m.name.lower() for m in r.metabolites)]
        raise ToolFailure("unknown_id", f"no exchange reaction '{args.carbon}' in e_coli_core",
                          hint=f"closest: {', '.join(close[:3])}" if close else
                          "use an exchange reaction id (EX_..._e)")
    with model:
        model.reactions.EX_glc__D_e.lower_bound = 0
        exchanges[args.carbon].lower_bound = -args.uptake
        value = model.slim_optimize(error_value=0.0)
    return ToolResult(tool="growth_on", summary=f"Growth on {args.carbon}: {value:.4f} 1/h.",
                      data={"growth_rate": value, "carbon": args.carbon})


def registry(extra: Callable[[Registry], None] | None = None) -> Registry:
    reg = Registry()
    reg.tool("growth_on", "Growth with one carbon source (an exchange id).",
             GrowthArgs)(growth_on)
    if extra:
        extra(reg)
    return reg


def make_agent(tmp: Path, decider: Any, reg: Registry | None = None,
               **settings: Any) -> Agent:
    s = Settings(data_dir=tmp, **settings)
    return Agent(settings=s, store=SqlStore.from_settings(s), registry=reg or registry(),
                 policy=NO_APPROVALS, decider=decider)


def scripted(fn: Callable[[Context], Step]) -> ScriptedDecider:
    return ScriptedDecider(fn)
