"""A Temporal worker whose decider is the scale benchmark's script (bench/bench_scale.py).

``python bench/scale_worker.py`` with the FLUXAGENT_* settings of ``fluxagent worker``.
"""

from __future__ import annotations

import asyncio
import os

from fluxagent.agent import Agent
from fluxagent.config import Settings
from fluxagent.core.context import Context
from fluxagent.core.steps import Done, Step, ToolCall
from fluxagent.llm.scripted import ScriptedDecider
from fluxagent.runtime.temporal.worker import serve


def script(ctx: Context) -> Step:
    """One real small tool (FBA of e_coli_core), then the answer quoting its result."""
    results = ctx.thread.of_type("tool_result")
    if not results:
        return ToolCall(name="run_fba", args={"model": "e_coli_core"})
    return Done(answer=f"e_coli_core grows at {results[-1].data['data']['objective_value']} 1/h")


def main() -> None:
    settings = Settings()
    agent = Agent(settings=settings.model_copy(update={"runner": "local"}),
                  decider=ScriptedDecider(script))
    asyncio.run(serve(settings, runner=agent.runner,
                      concurrency=int(os.environ.get("BENCH_WORKER_CONCURRENCY", "16")),
                      heavy=False))


if __name__ == "__main__":
    main()
