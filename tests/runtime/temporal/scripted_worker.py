"""A Temporal worker whose decider makes the tool calls of ``FLUXAGENT_TEST_SCRIPT`` (a JSON
list of ``{"name", "args"}``), then answers: for tests that need exact tool calls rather than
the offline planner's reading of a question. Same FLUXAGENT_* settings as ``fluxagent worker``."""

from __future__ import annotations

import asyncio
import json
import os

from fluxagent.agent import Agent
from fluxagent.config import Settings
from fluxagent.core.steps import Done, Step, ToolCall
from fluxagent.llm.scripted import ScriptedDecider
from fluxagent.observability import logs
from fluxagent.runtime.temporal.worker import serve


def script(text: str) -> list[Step]:
    calls: list[Step] = [ToolCall(name=c["name"], args=c["args"]) for c in json.loads(text)]
    return [*calls, Done(answer="scripted run done")]


def main() -> None:
    logs.install()  # the worker's start, stop and failure lines, as `fluxagent worker`
    settings = Settings()
    agent = Agent(settings=settings.model_copy(update={"runner": "local"}),
                  decider=ScriptedDecider(script(os.environ["FLUXAGENT_TEST_SCRIPT"])))
    asyncio.run(serve(settings, runner=agent.runner, concurrency=4))


if __name__ == "__main__":
    main()
