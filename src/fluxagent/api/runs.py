"""Background runs: a worker pool that drives sessions, one run per session at a time.

A run is a piece of work on one session (a question, a flow, a continuation after a person
answered) done by the runtime functions of ``runtime/sessions.py``. Each session has a queue;
a worker takes the session's runs in order, so two runs of one session never interleave
(the store's seq check would refuse it anyway). A new message while a run is in progress
follows the request's policy: ``enqueue`` (run after), ``reject`` (refused, nothing stored) or
``interrupt`` (the current run stops at its next stored step, never inside a tool, and the new
message runs next). A paused session holds its queue until it is resumed.

Every event a run appends, and the progress of long tools, is published to the session's
live subscribers (the SSE stream). The runs themselves are in memory: the thread is the
durable record, and each run is journaled (``api_runs``, with what it was asked to do) so
a restarted server does again what a stopped one had queued or left unfinished
(``recover``): a message accepted is never lost.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
import uuid
from collections import OrderedDict, deque
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

from fluxagent.core.events import Event, Thread, new_event
from fluxagent.core.state import SessionState, fold
from fluxagent.observability import logs
from fluxagent.runtime import sessions

log = logging.getLogger(__name__)

Policy = Literal["enqueue", "reject", "interrupt"]
RunStatus = Literal["queued", "running", "done", "waiting", "paused", "interrupted", "failed"]
Work = Callable[[], SessionState]
_KEEP_RUNS = 10_000


class SessionBusy(Exception):
    """A message with policy ``reject`` arrived while the session had a run."""


class Interrupted(Exception):
    """Raised inside a run after a stored step, to stop it there (never mid-tool)."""


@dataclass
class Run:
    run_id: str
    session_id: str
    kind: str
    work: Work = field(repr=False)
    payload: dict[str, Any] = field(default_factory=dict, repr=False)
    status: RunStatus = "queued"
    created: datetime = field(default_factory=lambda: datetime.now(UTC))
    started: datetime | None = None
    finished: datetime | None = None
    session_status: str | None = None
    error: str = ""
    done: threading.Event = field(default_factory=threading.Event, repr=False)

    def public(self) -> dict[str, Any]:
        return {"run_id": self.run_id, "session_id": self.session_id, "kind": self.kind,
                "status": self.status, "created": self.created.isoformat(),
                "started": self.started.isoformat() if self.started else None,
                "finished": self.finished.isoformat() if self.finished else None,
                "session_status": self.session_status, "error": self.error}


@dataclass
class _Subscriber:
    loop: asyncio.AbstractEventLoop
    queue: asyncio.Queue[dict[str, Any]]


@dataclass
class _Slot:
    """One session's runs: the queue, the run in progress and who listens."""

    queue: deque[Run] = field(default_factory=deque)
    active: Run | None = None
    draining: bool = False
    interrupt: bool = False
    pause_reason: str | None = None
    held: bool = False
    subscribers: list[_Subscriber] = field(default_factory=list)


class RunManager:
    def __init__(self, runner: Any, workers: int = 4, journal: Any = None) -> None:
        self.runner = runner
        self.journal = journal  # an AccessStore (journal_add/journal_status), or None
        self.pool = ThreadPoolExecutor(max(1, workers), thread_name_prefix="fluxagent-run")
        # reentrant: a human answer and a pause append under it, and every append publishes
        self._lock = threading.RLock()
        self._slots: dict[str, _Slot] = {}
        self._runs: OrderedDict[str, Run] = OrderedDict()
        self._local = threading.local()
        runner.observers.append(self._observe)
        if hasattr(runner, "follows"):  # the Temporal runner reads progress only for streams
            runner.follows = self.followed

    # -- submitting ---------------------------------------------------------------------
    def submit(self, session_id: str, kind: str, work: Work, policy: Policy = "enqueue", *,
               payload: dict[str, Any] | None = None, run_id: str | None = None,
               journaled: bool = False) -> Run:
        """Queue ``work`` on the session; raises ``SessionBusy`` for ``reject`` when busy."""
        run = Run(run_id=run_id or uuid.uuid4().hex[:16], session_id=session_id, kind=kind,
                  work=work, payload=payload or {})
        with self._lock:
            slot = self._slots.setdefault(session_id, _Slot())
            busy = slot.active is not None or bool(slot.queue)
            if busy and policy == "reject":
                raise SessionBusy(f"session {session_id} has a run in progress "
                                  f"({(slot.active or slot.queue[0]).run_id}); send again "
                                  "later, or with policy enqueue or interrupt")
            if not journaled:
                self._journal(run)
            if busy and policy == "interrupt":
                slot.interrupt = slot.active is not None
                slot.queue.appendleft(run)
            else:
                slot.queue.append(run)
            self._remember(run)
            self._kick(session_id, slot)
        self._publish(session_id, {"kind": "run", "data": run.public()})
        return run

    def act(self, session_id: str, apply: Callable[[], Any], kind: str, then: Work
            ) -> tuple[Any, Run]:
        """Do ``apply`` (a human answer: it needs the session at rest) and queue ``then``.

        Refused with ``SessionBusy`` while a run is in progress: its next step would
        conflict with the answer. Nothing else can start between the two.
        """
        with self._lock:
            slot = self._slots.setdefault(session_id, _Slot())
            if slot.active is not None or slot.queue:
                raise SessionBusy(f"session {session_id} has a run in progress; answer when "
                                  "it waits for you")
            result = apply()
            run = Run(run_id=uuid.uuid4().hex[:16], session_id=session_id, kind=kind,
                      work=then)
            self._journal(run)
            slot.queue.append(run)
            slot.held = False
            self._remember(run)
            self._kick(session_id, slot)
        self._publish(session_id, {"kind": "run", "data": run.public()})
        return result, run

    def pause(self, session_id: str, reason: str = "") -> SessionState | None:
        """Pause now if nothing runs (returns the state); else stop the run at its next step
        and pause there (returns None). Queued runs wait until ``resume``."""
        with self._lock:
            slot = self._slots.setdefault(session_id, _Slot())
            if slot.active is not None:
                slot.interrupt, slot.pause_reason = True, reason
                slot.held = True
                return None
            state = sessions.pause(self.runner, session_id, reason)
            slot.held = True
            return state

    def resume(self, session_id: str, work: Work) -> Run:
        """Release a held queue: ``work`` (the resume itself) runs first, then the queue."""
        with self._lock:
            slot = self._slots.setdefault(session_id, _Slot())
            slot.held = False
            run = Run(run_id=uuid.uuid4().hex[:16], session_id=session_id, kind="resume",
                      work=work)
            self._journal(run)
            slot.queue.appendleft(run)
            self._remember(run)
            self._kick(session_id, slot)
        self._publish(session_id, {"kind": "run", "data": run.public()})
        return run

    def _journal(self, run: Run, status: str | None = None) -> None:
        if self.journal is None:
            return
        if status is None:
            self.journal.journal_add(run.run_id, run.session_id, run.kind, run.payload,
                                     run.created)
        else:
            self.journal.journal_status(run.run_id, status)

    def recover(self, rows: list[dict[str, Any]], rebuild: Callable[[dict[str, Any]], Work]
                ) -> list[Run]:
        """Queue again the journaled runs a stopped server had not finished, in order."""
        runs = []
        for row in rows:
            try:
                work = rebuild(row)
            except Exception as exc:  # e.g. a flow file removed since: say so, go on
                log.warning("cannot redo run %s: %s", row["run_id"], exc)
                if self.journal is not None:
                    self.journal.journal_status(row["run_id"], "failed")
                continue
            if fold(self.runner.store.load(row["session_id"])).status == "paused":
                with self._lock:  # a paused session keeps its queue held, as before the stop
                    self._slots.setdefault(row["session_id"], _Slot()).held = True
            runs.append(self.submit(row["session_id"], row["kind"], work,
                                    payload=row["payload"], run_id=row["run_id"],
                                    journaled=True))
        return runs

    def _remember(self, run: Run) -> None:
        self._runs[run.run_id] = run
        while len(self._runs) > _KEEP_RUNS:
            self._runs.popitem(last=False)

    def _kick(self, session_id: str, slot: _Slot) -> None:
        """Start draining the session's queue unless a worker already does (lock held)."""
        if not slot.draining and not slot.held and slot.queue:
            slot.draining = True
            self.pool.submit(self._drain, session_id)

    # -- reading ------------------------------------------------------------------------
    def get(self, run_id: str) -> Run | None:
        return self._runs.get(run_id)

    def busy(self, session_id: str) -> bool:
        with self._lock:
            slot = self._slots.get(session_id)
            return slot is not None and (slot.active is not None or bool(slot.queue))

    def idle(self, session_id: str) -> bool:
        """Nothing runs and nothing will run without a new request."""
        with self._lock:
            slot = self._slots.get(session_id)
            return slot is None or (slot.active is None and (not slot.queue or slot.held))

    def stats(self) -> dict[str, int]:
        with self._lock:
            return {"active": sum(s.active is not None for s in self._slots.values()),
                    "queued": sum(len(s.queue) for s in self._slots.values())}

    # -- the worker ---------------------------------------------------------------------
    def _drain(self, session_id: str) -> None:
        while True:
            with self._lock:
                slot = self._slots[session_id]
                if not slot.queue or slot.held:
                    slot.active, slot.draining = None, False
                    break
                run = slot.queue.popleft()
                slot.active, slot.interrupt = run, False
            self._execute(run)
        self._publish(session_id, {"kind": "idle", "data": {"session_id": session_id}})

    def _execute(self, run: Run) -> None:
        run.status, run.started = "running", datetime.now(UTC)
        self._publish(run.session_id, {"kind": "run", "data": run.public()})
        self._local.run = run
        try:
            self._journal(run, "running")
            with logs.bound(session_id=run.session_id, run_id=run.run_id):
                state = run.work()
            run.session_status = state.status
            run.status = ("done" if state.status == "done" else
                          "failed" if state.status == "failed" else
                          "paused" if state.status == "paused" else "waiting")
        except Interrupted:
            run.status = "interrupted"
            self._after_interrupt(run)
        except Exception as exc:  # a bad request found late, or a bug: the thread stays intact
            log.warning("run %s of session %s failed: %s", run.run_id, run.session_id, exc)
            run.status, run.error = "failed", str(exc).splitlines()[0] if str(exc) else \
                type(exc).__name__
        else:
            self._late_pause(run)
        finally:
            self._local.run = None
            with contextlib.suppress(Exception):  # the thread is the record; this is a note
                self._journal(run, run.status)
            run.finished = datetime.now(UTC)
            run.done.set()
            self._publish(run.session_id, {"kind": "run", "data": run.public()})

    def _after_interrupt(self, run: Run) -> None:
        """Record why the run stopped: a pause, or the message that superseded it."""
        with self._lock:
            slot = self._slots[run.session_id]
            reason, slot.pause_reason = slot.pause_reason, None
            slot.interrupt = False
            nxt = slot.queue[0].run_id if slot.queue else None
        try:
            if reason is not None:
                state = sessions.pause(self.runner, run.session_id, reason)
                run.session_status = state.status
            else:
                thread = self.runner.append(run.session_id, new_event(
                    "annotation", {"kind": "interrupted", "run": run.run_id, "by_run": nxt}))
                run.session_status = "running" if thread else None
        except Exception as exc:
            log.warning("recording the interruption of run %s failed: %s", run.run_id, exc)

    def _late_pause(self, run: Run) -> None:
        """A pause asked while the run was in its last step: apply it if the session is
        still live, else release the queue (a finished session has nothing to pause)."""
        with self._lock:
            slot = self._slots[run.session_id]
            reason, slot.pause_reason = slot.pause_reason, None
        if reason is None:
            return
        try:
            run.session_status = sessions.pause(self.runner, run.session_id, reason).status
        except sessions.SessionError:
            with self._lock:
                slot.held = False

    def _observe(self, thread: Thread, added: Sequence[Event]) -> None:
        """Called after every append: publish the events, then stop the run if asked."""
        for ev in added:
            self._publish(thread.session_id, {"kind": "event", "seq": ev.seq,
                                              "data": ev.model_dump(mode="json")})
        run: Run | None = getattr(self._local, "run", None)
        if run is None or run.session_id != thread.session_id:
            return
        with self._lock:
            slot = self._slots.get(run.session_id)
            stop = slot is not None and slot.active is run and slot.interrupt
        if stop:
            raise Interrupted(run.run_id)

    def progress(self, fraction: float, message: str) -> None:
        """The ToolContext progress callback: forwarded to the subscribers of the run's
        session (a tool runs in the worker thread of its run)."""
        run: Run | None = getattr(self._local, "run", None)
        if run is not None:
            self._publish(run.session_id, {"kind": "progress", "data": {
                "run_id": run.run_id, "fraction": round(float(fraction), 4),
                "message": message}})

    # -- live subscribers ---------------------------------------------------------------
    def followed(self, session_id: str) -> bool:
        """Whether a stream of the session is open."""
        with self._lock:
            slot = self._slots.get(session_id)
            return bool(slot is not None and slot.subscribers)

    def subscribe(self, session_id: str) -> asyncio.Queue[dict[str, Any]]:
        sub = _Subscriber(asyncio.get_running_loop(), asyncio.Queue())
        with self._lock:
            self._slots.setdefault(session_id, _Slot()).subscribers.append(sub)
        return sub.queue

    def unsubscribe(self, session_id: str, queue: asyncio.Queue[dict[str, Any]]) -> None:
        with self._lock:
            slot = self._slots.get(session_id)
            if slot is not None:
                slot.subscribers = [s for s in slot.subscribers if s.queue is not queue]

    def _publish(self, session_id: str, message: dict[str, Any]) -> None:
        with self._lock:
            slot = self._slots.get(session_id)
            subs = list(slot.subscribers) if slot else []
        for sub in subs:
            # a closed loop (the server shutting down) has no one left to tell
            with contextlib.suppress(RuntimeError):
                sub.loop.call_soon_threadsafe(sub.queue.put_nowait, message)

    def shutdown(self) -> None:
        self.pool.shutdown(wait=False, cancel_futures=True)
