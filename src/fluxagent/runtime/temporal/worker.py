"""``fluxagent worker``: runs session workflows and their activities for a Temporal server.

A worker serves two task queues: ``<queue>`` (workflows, decisions, tools, bookkeeping;
many at once) and ``<queue>-heavy`` (chunks of fanned-out analyses, one at a time per worker
so chunks spread over the workers' cores). Start as many workers as there are cores to use,
on any machines that reach the store (PostgreSQL) and the Temporal server.

A worker never stops without saying why: a stop signal, a stop asked in-process, a failure
to connect and a fatal error of the Temporal worker are each logged (``fluxagent.worker``)
before ``serve`` returns or raises. The stop signals are those of this process only: a child
forked by a tool (FVA, deletion screens, sampling) starts without the worker's handlers (see
``tools.batch.forget_parent_signals``), so terminating that child no longer stops the worker.
"""

from __future__ import annotations

import asyncio
import logging
import os
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

log = logging.getLogger("fluxagent.worker")


def local_agent(settings: Settings) -> object:
    """The agent whose in-process runner the activities use (same store, tools, decider)."""
    from fluxagent.agent import Agent
    return Agent(settings=settings.model_copy(update={"runner": "local"}))


async def serve(settings: Settings, *, concurrency: int = 16, heavy: bool = True,
                stop: asyncio.Event | None = None, runner: LocalRunner | None = None) -> None:
    """Run a worker until ``stop`` is set (or SIGTERM/SIGINT); ``runner``: the in-process
    runner whose parts the activities use (default: the configured agent's)."""
    queue = settings.temporal_task_queue
    where = (f"pid {os.getpid()}, {settings.temporal_address} namespace "
             f"{settings.temporal_namespace} queue {queue}")
    if runner is None:
        runner = local_agent(settings).runner  # type: ignore[attr-defined]
    acts = SessionActivities(runner, steps=ThreadPoolExecutor(concurrency),
                             data_dir=settings.data_dir)
    try:
        client = await connect(settings)
    except BaseException as exc:
        log.error("worker not started (%s): %s", where, exc)
        raise
    stop = stop or asyncio.Event()
    why: list[str] = []
    loop = asyncio.get_running_loop()

    def on_signal(sig: signal.Signals) -> None:
        why.append(f"{sig.name} received")
        log.warning("worker stopping (%s): %s", where, why[-1])
        stop.set()

    installed = []
    for sig in (signal.SIGTERM, signal.SIGINT):
        with suppress(ValueError, RuntimeError):  # not the main thread: stop via the event
            loop.add_signal_handler(sig, on_signal, sig)
            installed.append(sig)
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
    try:
        async with workers[0]:
            if heavy:
                async with workers[1]:
                    log.info("worker started (%s)", where)
                    await stop.wait()
            else:
                log.info("worker started (%s)", where)
                await stop.wait()
    except BaseException as exc:
        log.error("worker failed (%s): %s: %s", where, type(exc).__name__, exc,
                  exc_info=not isinstance(exc, asyncio.CancelledError))
        raise
    finally:
        for sig in installed:
            loop.remove_signal_handler(sig)
    log.log(logging.WARNING if why else logging.INFO, "worker stopped (%s): %s", where,
            why[-1] if why else "asked to stop")
