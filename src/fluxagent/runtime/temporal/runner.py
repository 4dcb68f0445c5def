"""The client side of the Temporal runner: what every channel calls, unchanged.

``TemporalRunner`` is the local runner (store, registry, policy, leases: channels validate
and store exactly as before) whose ``run`` hands the loop to the session's workflow instead
of running it here: an update-with-start wakes the workflow (starting it if none runs) and
returns when the session is at rest. The workers (``fluxagent worker``) do the steps.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Coroutine
from dataclasses import dataclass, field
from typing import Any, TypeVar

from temporalio.client import Client, RPCTimeoutOrCancelledError, WithStartWorkflowOperation
from temporalio.common import WorkflowIDConflictPolicy, WorkflowIDReusePolicy
from temporalio.service import RPCError, RPCStatusCode

from fluxagent.config import Settings
from fluxagent.core.state import SessionState, fold
from fluxagent.runtime.local import LocalRunner
from fluxagent.runtime.runners import RunnerError
from fluxagent.runtime.temporal.workflow import SessionWorkflow, workflow_id

T = TypeVar("T")
#: How long ``run`` keeps trying to reach a session's workflow (a server restart).
RETRY_FOR_S = 120.0
#: How long it keeps trying while the server answers but too slowly (its deadline passed:
#: a thousand sessions submitted at once to a busy server queue up, they are not lost).
BUSY_FOR_S = 900.0


def busy(exc: BaseException) -> bool:
    """The server was reached and is slow, as opposed to down."""
    return isinstance(exc, RPCTimeoutOrCancelledError) or (
        isinstance(exc, RPCError) and exc.status == RPCStatusCode.DEADLINE_EXCEEDED)


def interceptors() -> list[Any]:
    """Tracing interceptors of observability/ when that part is installed, else none."""
    try:
        from fluxagent.observability.tracing import temporal_interceptors
    except ImportError:
        return []
    return list(temporal_interceptors())


def workflow_options(settings: Settings) -> dict[str, Any]:
    """The timeouts and fan-out a session workflow runs with (it reads no settings itself)."""
    llm_s = settings.llm_timeout_s * (settings.llm_max_retries + 1)
    return {"decide_timeout_s": llm_s + 120.0, "tool_timeout_s": settings.tool_time_limit_s
            + 120.0, "heartbeat_s": settings.temporal_heartbeat_s,
            "fanout": settings.temporal_fanout}


async def connect(settings: Settings) -> Client:
    """A client of the configured server, or RunnerError saying which and how to fix it."""
    try:
        return await asyncio.wait_for(Client.connect(
            settings.temporal_address, namespace=settings.temporal_namespace,
            interceptors=interceptors()), timeout=settings.temporal_connect_timeout_s)
    except Exception as exc:
        why = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise RunnerError(
            f"FLUXAGENT_RUNNER=temporal but no Temporal server answers at "
            f"{settings.temporal_address} (namespace {settings.temporal_namespace}): "
            f"{why[:200]}; start one (temporal server start-dev), set "
            "FLUXAGENT_TEMPORAL_ADDRESS, or use FLUXAGENT_RUNNER=local") from None


class _Loop:
    """An asyncio loop in a daemon thread: the synchronous channels' way into the client."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        threading.Thread(target=self.loop.run_forever, name="temporal-client",
                         daemon=True).start()

    def run(self, coro: Coroutine[Any, Any, T]) -> T:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result()


@dataclass
class TemporalRunner(LocalRunner):
    temporal: Settings = field(default_factory=Settings)
    client: Client = field(init=False)

    def __post_init__(self) -> None:
        self._loop = _Loop()
        self.client = self._loop.run(connect(self.temporal))
        self.options = workflow_options(self.temporal)

    def run(self, session_id: str) -> SessionState:
        """Wake the session's workflow and wait until the session is at rest."""
        self._loop.run(self._advance(session_id))
        return fold(self.store.load(session_id))

    async def _advance(self, session_id: str) -> dict[str, Any]:
        last: Exception | None = None
        began = time.monotonic()
        pause = 0.2
        while time.monotonic() < began + (BUSY_FOR_S if last is not None and busy(last)
                                          else RETRY_FOR_S):
            start = WithStartWorkflowOperation(  # the run may end as the update arrives;
                # the server may be restarting, or too busy to answer in time
                SessionWorkflow.run, {"session_id": session_id, "options": self.options},
                id=workflow_id(session_id), task_queue=self.temporal.temporal_task_queue,
                id_conflict_policy=WorkflowIDConflictPolicy.USE_EXISTING,
                id_reuse_policy=WorkflowIDReusePolicy.ALLOW_DUPLICATE)
            try:
                return await self.client.execute_update_with_start_workflow(
                    SessionWorkflow.advance, start_workflow_operation=start)
            except Exception as exc:
                last = exc
                await asyncio.sleep(pause)
                pause = min(2.0, pause * 2)
        raise RunnerError(f"session {session_id}: the Temporal workflow did not run within "
                          f"{time.monotonic() - began:.0f} s: {last}")

    def workflow_state(self, session_id: str) -> dict[str, Any]:
        """The workflow's own view (query ``current``): status and last stored seq."""
        handle = self.client.get_workflow_handle(workflow_id(session_id))
        state: dict[str, Any] = self._loop.run(handle.query(SessionWorkflow.current))
        return state
