"""The client side of the Temporal runner: what every channel calls, unchanged.

``TemporalRunner`` is the local runner (store, registry, policy, leases: channels validate
and store exactly as before) whose ``run`` hands the loop to the session's workflow instead
of running it here: an update-with-start wakes the workflow (starting it if none runs) and
returns when the session is at rest. The workers (``fluxagent worker``) do the steps.
Meanwhile ``run`` forwards the heartbeats of the session's running tool activities (their
progress) to this process's progress callback, so the API's session stream shows a long
tool's progress as on the local runner; ``readiness_checks`` gives ``/readyz`` its
``temporal`` check.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import threading
import time
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field, fields
from datetime import timedelta
from typing import Any, TypeVar, cast

from temporalio.client import Client, RPCTimeoutOrCancelledError, WithStartWorkflowOperation
from temporalio.common import WorkflowIDConflictPolicy, WorkflowIDReusePolicy
from temporalio.service import RPCError, RPCStatusCode

from fluxagent.config import Settings
from fluxagent.core.state import SessionState, fold
from fluxagent.runtime.local import LocalRunner
from fluxagent.runtime.runners import RunnerError
from fluxagent.runtime.temporal.workflow import SessionWorkflow, workflow_id
from fluxagent.tools.registry import Progress, ToolContext

T = TypeVar("T")
#: How long ``run`` keeps trying to reach a session's workflow (a server restart).
RETRY_FOR_S = 120.0
#: How often ``run`` reads the heartbeats (progress) of the session's running tool, s.
PROGRESS_POLL_S = 0.5
#: How long a ``/readyz`` waits for the server's health answer, s.
HEALTH_TIMEOUT_S = 2.0
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
            "fanout": settings.temporal_fanout,
            "fanout_min_work": settings.temporal_fanout_min_work}


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
        return self.submit(coro).result()

    def submit(self, coro: Coroutine[Any, Any, T]) -> concurrent.futures.Future[T]:
        return asyncio.run_coroutine_threadsafe(coro, self.loop)


#: A ToolContext's progress callback when nobody listens.
SILENT: Progress = next(cast(Progress, f.default) for f in fields(ToolContext)
                        if f.name == "progress")


@dataclass
class TemporalRunner(LocalRunner):
    temporal: Settings = field(default_factory=Settings)
    #: Whether anyone follows a session's progress now (the API server: a stream is open);
    #: None: whenever this process's tools report progress at all (a terminal, MCP).
    follows: Callable[[str], bool] | None = None
    client: Client = field(init=False)

    def __post_init__(self) -> None:
        self._loop = _Loop()
        self.client = self._loop.run(connect(self.temporal))
        self.options = workflow_options(self.temporal)

    def run(self, session_id: str) -> SessionState:
        """Wake the session's workflow and wait until the session is at rest."""
        pending = self._loop.submit(self._advance(session_id))
        self._follow(session_id, pending)
        pending.result()
        return fold(self.store.load(session_id))

    def _follow(self, session_id: str, pending: concurrent.futures.Future[Any]) -> None:
        """Until ``pending`` is done: the latest heartbeat of the session's running tool
        activities, when it changed, to the progress callback of this process's tools."""
        report, last = None, None
        while True:
            try:
                pending.result(timeout=PROGRESS_POLL_S)
                return
            except concurrent.futures.TimeoutError:
                pass
            except Exception:
                return  # the caller gets the error from ``pending``
            if self.follows is not None and not self.follows(session_id):
                continue
            if report is None:
                thread = self.store.load(session_id)
                report = self.tool_context(thread, fold(thread)).progress
                if report is SILENT:
                    pending.result()  # nobody to tell: no need to ask the server
                    return
            try:
                beat = self._loop.run(asyncio.wait_for(self._progress(session_id),
                                                       PROGRESS_POLL_S * 5))
            except Exception:  # progress is a courtesy: a busy server may not answer
                continue
            if beat is None or beat == last:
                continue
            last = beat
            report(*beat)

    async def _progress(self, session_id: str) -> tuple[float, str] | None:
        """(fraction, message) of the tool activities running now (several: the shares of
        a fanned-out analysis, averaged), from their last heartbeats; None: none runs."""
        desc = await self.client.get_workflow_handle(workflow_id(session_id)).describe()
        beats = []
        for pending in desc.raw_description.pending_activities:
            if pending.heartbeat_details.payloads:
                detail = (await self.client.data_converter.decode(
                    pending.heartbeat_details.payloads))[0]
                if isinstance(detail, dict) and "fraction" in detail:
                    beats.append((float(detail["fraction"]), str(detail.get("message", ""))))
        if not beats:
            return None
        return (round(sum(f for f, _ in beats) / len(beats), 4),
                "; ".join(m for _, m in beats))

    def server_check(self) -> str | None:
        """The ``/readyz`` check: the Temporal server answers its health check."""
        why = None
        try:
            ok = self._loop.run(asyncio.wait_for(self.client.service_client.check_health(
                timeout=timedelta(seconds=HEALTH_TIMEOUT_S)), HEALTH_TIMEOUT_S + 1))
        except Exception as exc:
            text = str(exc).strip().splitlines()
            ok, why = False, (text[0][:200] if text else type(exc).__name__)
        if ok:
            return None
        return (f"Temporal server at {self.temporal.temporal_address} does not answer"
                + (f": {why}" if why else ""))

    def readiness_checks(self) -> dict[str, Callable[[], str | None]]:
        """What ``/readyz`` adds for this runner."""
        return {"temporal": self.server_check}

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
