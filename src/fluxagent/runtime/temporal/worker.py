"""``fluxagent worker``: runs session workflows and their activities for a Temporal server.

A worker serves two task queues: ``<queue>`` (workflows, decisions, tools, bookkeeping;
many at once) and ``<queue>-heavy`` (chunks of fanned-out analyses, one at a time per worker
so chunks spread over the workers' cores). Start as many workers as there are cores to use,
on any machines that reach the store (PostgreSQL) and the Temporal server.
"""

from __future__ import annotations

import asyncio
import signal
from concurrent.futures import ThreadPoolExecutor
from contextlib import suppress
from datetime import timedelta

from temporalio.worker import UnsandboxedWorkflowRunner, Worker

from fluxagent.config import Settings
from fluxagent.runtime.local import LocalRunner
from fluxagent.runtime.temporal.activities import SessionActivities
from fluxagent.runtime.temporal.runner import connect
from fluxagent.runtime.temporal.workflow import SessionWorkflow

#: Longest gap between two heartbeats sent to the server while a tool reports progress: the
#: API's session stream reads a tool's progress from them (runner.py). The SDK's default
#: (0.8 x the heartbeat timeout, up to 60 s) would show it in jumps of half a minute.
BEAT_TO_SERVER = timedelta(seconds=1)


def local_agent(settings: Settings) -> object:
    """The agent whose in-process runner the activities use (same store, tools, decider)."""
    from fluxagent.agent import Agent
    return Agent(settings=settings.model_copy(update={"runner": "local"}))


async def serve(settings: Settings, *, concurrency: int = 16, heavy: bool = True,
                stop: asyncio.Event | None = None, runner: LocalRunner | None = None) -> None:
    """Run a worker until ``stop`` is set (or SIGTERM/SIGINT); ``runner``: the in-process
    runner whose parts the activities use (default: the configured agent's)."""
    if runner is None:
        runner = local_agent(settings).runner  # type: ignore[attr-defined]
    acts = SessionActivities(runner, steps=ThreadPoolExecutor(concurrency))
    client = await connect(settings)
    queue = settings.temporal_task_queue
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        with suppress(ValueError, RuntimeError):  # not the main thread: stop via the event
            loop.add_signal_handler(sig, stop.set)
    workers = [Worker(client, task_queue=queue, workflows=[SessionWorkflow],
                      # the sandbox re-imports the workflow module for every run and proxies
                      # each call (a quarter of a worker's CPU per session); the workflow uses
                      # only workflow.now/sleep/wait_condition, and every replay (a new worker
                      # taking over a session) still checks its commands against the history
                      workflow_runner=UnsandboxedWorkflowRunner(),
                      # a workflow evicted from the cache redoes its running local step and
                      # replays its history: keep every running session of a busy worker
                      max_cached_workflows=10_000,
                      activities=acts.all(), max_concurrent_activities=concurrency,
                      activity_executor=ThreadPoolExecutor(concurrency),
                      # an eagerly started activity whose hand-over is lost waits for its
                      # start-to-close timeout; from the queue, a lost one is never started
                      disable_eager_activity_execution=True,
                      max_heartbeat_throttle_interval=BEAT_TO_SERVER,
                      default_heartbeat_throttle_interval=BEAT_TO_SERVER)]
    if heavy:
        workers.append(Worker(client, task_queue=f"{queue}-heavy", activities=acts.heavy(),
                              max_concurrent_activities=1,
                              activity_executor=ThreadPoolExecutor(1),
                              max_heartbeat_throttle_interval=BEAT_TO_SERVER,
                              default_heartbeat_throttle_interval=BEAT_TO_SERVER))
    async with workers[0]:
        if heavy:
            async with workers[1]:
                await stop.wait()
        else:
            await stop.wait()
