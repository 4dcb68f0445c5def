"""A Temporal worker whose decider asks for the FVA of every iJO1366 reaction, then answers
(bench/bench_fva_fanout.py). Same FLUXAGENT_* settings as ``fluxagent worker``."""

from __future__ import annotations

import asyncio

from fluxagent.agent import Agent
from fluxagent.config import Settings
from fluxagent.core.context import Context
from fluxagent.core.steps import Done, Step, ToolCall
from fluxagent.llm.scripted import ScriptedDecider
from fluxagent.runtime.temporal.worker import serve


def script(ctx: Context) -> Step:
    if not ctx.thread.of_type("tool_result"):
        return ToolCall(name="run_fva", args={"model": "iJO1366"})
    return Done(answer="FVA done")


def main() -> None:
    settings = Settings()
    agent = Agent(settings=settings.model_copy(update={"runner": "local"}),
                  decider=ScriptedDecider(script))
    asyncio.run(serve(settings, runner=agent.runner, concurrency=4))


if __name__ == "__main__":
    main()
