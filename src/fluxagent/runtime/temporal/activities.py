"""The activities of the session workflow: each does one step of the loop on the stored thread.

Every activity reads the thread from the store and stores its outcome there, at most once:
a step decided on a thread that has since moved on is dropped (``stale``), and a tool result
is stored only if its call has none yet, re-checked right before the append. So a retried
activity (its worker died, the database blinked, the server restarted) never stores a result
twice, and a worker killed in the middle of a tool leaves nothing behind but a retry.

Planning and bookkeeping (``plan_step``, ``apply_step``, ``escalate_due``) run as local
activities of the workflow (workflow.py). They are async and do their work in a thread of
their own: a local activity is cancelled when its workflow leaves the worker's cache (a
takeover, a failed workflow task), and a synchronous activity is cancelled by raising into
its thread, which can land in the middle of a database call and leave the connection
broken; an awaited thread instead finishes its step (stored at most once, like a zombie's).
"""

from __future__ import annotations

import asyncio
import contextvars
import functools
import threading
from collections.abc import Callable
from concurrent.futures import Executor, ThreadPoolExecutor
from contextlib import nullcontext
from datetime import datetime
from pathlib import Path
from typing import Any

from temporalio import activity
from temporalio.exceptions import ApplicationError

from fluxagent.config import get_settings
from fluxagent.core.events import Event, Thread
from fluxagent.human.requests import deadline, due_escalations, open_request
from fluxagent.observability import telemetry
from fluxagent.runtime.local import LocalRunner
from fluxagent.runtime.loop import Plan
from fluxagent.runtime.temporal import fanout
from fluxagent.store.base import ConflictError, InvalidThreadError, UnknownSessionError
from fluxagent.tools.registry import ToolContext

#: Seconds between two heartbeats of a tool that reports no progress of its own.
BEAT_S = 2.0
#: Appends tried when other writers (a pause, an answer) keep moving the thread meanwhile.
APPEND_TRIES = 20


def resolved(thread: Thread, call_id: str) -> bool:
    """Whether the call has its result or error already (the idempotency key of a tool)."""
    return any(ev.call_id == call_id and ev.type in ("tool_result", "tool_error")
               for ev in thread)


def plan_summary(thread: Thread, plan: Plan) -> dict[str, Any]:
    """What the workflow needs of a plan (a few ids, never the thread)."""
    st = plan.state
    request = open_request(thread) if plan.kind == "wait" else None
    due = deadline(request) if request is not None else None
    return {"kind": plan.kind, "seq": len(thread), "delay_s": plan.delay_s,
            "call_id": plan.call.call_id if plan.call else None,
            "tool": plan.call.name if plan.call else None,
            "deadline": due.isoformat() if due else None,
            "state": {"status": st.status, "last_seq": st.last_seq, "turn": st.turn,
                      "pending_human": st.pending_human,
                      "pending_approval": st.pending_approval}}


class _Beat:
    """Heartbeats carrying the latest progress, also while a tool reports none."""

    def __init__(self) -> None:
        self.last: dict[str, Any] = {"fraction": 0.0, "message": "started"}
        self.stop = threading.Event()
        context = contextvars.copy_context()  # the activity's context, for heartbeat()
        self.thread = threading.Thread(target=context.run, args=(self._loop,), daemon=True)

    def progress(self, fraction: float, message: str) -> None:
        self.last = {"fraction": round(float(fraction), 4), "message": message}
        activity.heartbeat(self.last)

    def _loop(self) -> None:
        while not self.stop.wait(BEAT_S):
            activity.heartbeat(self.last)

    def __enter__(self) -> _Beat:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()


class SessionActivities:
    """The activities, bound to a worker's runner (store, decider, registry, policy)."""

    def __init__(self, runner: LocalRunner, steps: Executor | None = None,
                 data_dir: Path | None = None) -> None:
        self.runner = runner
        self.steps = steps or ThreadPoolExecutor(4, thread_name_prefix="fluxagent-step")
        #: where fanned-out shares wait for their merge (the data volume workers share)
        self.chunks = fanout.chunk_store(data_dir or get_settings().data_dir)

    async def _in_thread(self, fn: Callable[[dict[str, Any]], Any], job: dict[str, Any]) -> Any:
        """``fn(job)`` in a step thread with this activity's context (trace, activity info);
        a cancellation stops the waiting, never the thread."""
        call = functools.partial(contextvars.copy_context().run, fn, job)
        return await asyncio.get_running_loop().run_in_executor(self.steps, call)

    def all(self) -> list[Callable[..., Any]]:
        return [self.plan_step, self.apply_step, self.run_tool, self.escalate_due,
                self.fanout_plan, self.fanout_merge]

    def heavy(self) -> list[Callable[..., Any]]:
        return [self.fanout_block]

    # -- helpers --------------------------------------------------------------------------
    def _load(self, session_id: str) -> Thread:
        try:
            return self.runner.store.load(session_id)
        except UnknownSessionError as exc:
            raise ApplicationError(str(exc), type="UnknownSessionError",
                                   non_retryable=True) from None

    def _call_plan(self, thread: Thread, call_id: str) -> Plan | None:
        plan = self.runner.plan(thread)
        if plan.kind != "execute" or plan.call is None or plan.call.call_id != call_id:
            return None
        return plan

    def _tool_context(self, thread: Thread, plan: Plan, beat: _Beat) -> ToolContext:
        ctx = self.runner.tool_context(thread, plan.state)
        ctx.progress = beat.progress
        return ctx

    def _store_result(self, session_id: str, call_id: str, event: Event) -> dict[str, Any]:
        """Append a call's outcome unless it has one (other writers may move the thread);
        with the plan of the thread it made (saves the workflow a ``plan_step``)."""
        for _ in range(APPEND_TRIES):
            thread = self._load(session_id)
            if resolved(thread, call_id):
                return {"stored": False, "why": "duplicate"}
            try:
                after = self.runner.record(thread, event)
            except ConflictError:
                continue
            except InvalidThreadError:  # another attempt stored the outcome in between
                if resolved(self._load(session_id), call_id):
                    return {"stored": False, "why": "duplicate"}
                raise
            return {"stored": True, "next": plan_summary(after, self.runner.plan(after))}
        raise ApplicationError(f"session {session_id} kept moving; result of {call_id} not "
                               "stored yet", type="ConflictError")

    # -- activities -----------------------------------------------------------------------
    @activity.defn(name="plan_step")
    async def plan_step(self, job: dict[str, Any]) -> dict[str, Any]:
        result: dict[str, Any] = await self._in_thread(self._plan, job)
        return result

    def _plan(self, job: dict[str, Any]) -> dict[str, Any]:
        thread = self._load(job["session_id"])
        return plan_summary(thread, self.runner.plan(thread))

    @activity.defn(name="apply_step")
    async def apply_step(self, job: dict[str, Any]) -> dict[str, Any]:
        """A decision or a bookkeeping step (retry, escalation, approval or human request),
        done only on the very thread it was planned on."""
        result: dict[str, Any] = await self._in_thread(self._apply, job)
        return result

    def _apply(self, job: dict[str, Any]) -> dict[str, Any]:
        thread = self._load(job["session_id"])
        if len(thread) != int(job["seq"]):
            return {"stored": False, "why": "stale"}
        plan = self.runner.plan(thread)
        if plan.kind != job["kind"] or plan.kind == "execute":
            return {"stored": False, "why": "stale"}
        telemetry.step(plan.kind)  # counted as the in-process loop counts it
        try:
            after = self.runner.advance(thread, plan)
        except ConflictError:
            return {"stored": False, "why": "stale"}
        if after is None:
            return {"stored": False}
        return {"stored": True, "next": plan_summary(after, self.runner.plan(after))}

    @activity.defn(name="run_tool")
    def run_tool(self, job: dict[str, Any]) -> dict[str, Any]:
        return self._tool_once(job, None)

    def _tool_once(self, job: dict[str, Any],
                   values: Callable[[ToolContext], list[Any]] | None) -> dict[str, Any]:
        """Run the session's pending call unless its result is stored or the plan moved on
        (``values``: gives the chunks' values the tool merges instead of solving its job,
        read only once the call is known to need them)."""
        sid, call_id = job["session_id"], job["call_id"]
        thread = self._load(sid)
        if resolved(thread, call_id):
            return {"stored": False, "why": "duplicate"}
        plan = self._call_plan(thread, call_id)
        if plan is None:
            return {"stored": False, "why": "stale"}
        telemetry.step(plan.kind)
        with _Beat() as beat:
            ctx = self._tool_context(thread, plan, beat)
            with fanout.merging(values(ctx)) if values is not None else nullcontext():
                event = self.runner.tool_event(thread, plan, ctx)
        return self._store_result(sid, call_id, event)

    @activity.defn(name="escalate_due")
    async def escalate_due(self, job: dict[str, Any]) -> int:
        """Record the escalation of a request past its deadline (``now``: workflow time)."""
        found: int = await self._in_thread(self._escalate, job)
        return found

    def _escalate(self, job: dict[str, Any]) -> int:
        now = datetime.fromisoformat(job["now"])
        contact = getattr(self.runner.policy, "escalate_to", "")
        for _ in range(APPEND_TRIES):
            thread = self._load(job["session_id"])
            found = due_escalations(thread, now, contact)
            if not found:
                return 0
            try:
                self.runner.record(thread, *(Event(type="annotation", data=e) for e in found))
                return len(found)
            except ConflictError:
                continue
        return 0

    @activity.defn(name="fanout_plan")
    def fanout_plan(self, job: dict[str, Any]) -> list[list[list[int]]] | None:
        """The shares of chunks of a heavy call, one per ``fanout_block`` (None: run it whole
        with ``run_tool``)."""
        thread = self._load(job["session_id"])
        plan = self._call_plan(thread, job["call_id"])
        if plan is None or resolved(thread, job["call_id"]):
            return None
        assert plan.call is not None
        with _Beat() as beat:
            return fanout.plan(self.runner.registry, plan.call.name, plan.call.args,
                               self._tool_context(thread, plan, beat), int(job["parts"]),
                               int(job.get("min_work", 0)), bool(job.get("stored", False)))

    @activity.defn(name="fanout_block")
    def fanout_block(self, job: dict[str, Any]) -> list[Any] | dict[str, Any] | None:
        """The values of one share of chunks, or (``stored``) the reference of the artifact
        holding them; None: the call moved on, or failed on the way."""
        thread = self._load(job["session_id"])
        plan = self._call_plan(thread, job["call_id"])
        if plan is None:
            return None
        assert plan.call is not None
        with _Beat() as beat:
            ctx = self._tool_context(thread, plan, beat)
            values = fanout.block(self.runner.registry, plan.call.name, plan.call.args, ctx,
                                  job["chunks"])
        if values is None or not job.get("stored"):
            return values
        return fanout.stash(self.chunks, job["session_id"], job["call_id"], job["chunks"],
                            values)

    @activity.defn(name="fanout_merge")
    def fanout_merge(self, job: dict[str, Any]) -> dict[str, Any]:
        """The tool on the chunks' values: the same result as one process computes. Values
        come inline (runs before ``fanout-artifacts-1``) or as the blocks' references, whose
        artifacts are deleted once the result is stored (or found stored: a retry)."""
        if "refs" not in job:
            inline = list(job["values"])
            return self._tool_once(job, lambda ctx: inline)
        refs = list(job["refs"])
        done = self._tool_once(job, lambda ctx: fanout.unstash(
            self.chunks, job["session_id"], job["call_id"], refs))
        if done.get("stored") or done.get("why") == "duplicate":
            fanout.discard(self.chunks, refs)
        return done
