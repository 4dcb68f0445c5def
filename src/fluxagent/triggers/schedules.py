"""Schedules: cron expressions that launch a question or a flow (e.g. a nightly
``model_validation``), stored in the database.

``tick(agent, now)`` is the whole scheduler: for each schedule it takes the latest due time at
or before ``now`` (not before the schedule was added), claims (schedule, due) in the database
and, if the claim is its own, launches the session through ``runtime/sessions.py`` (or the
flow runner). A due time missed while no server ran fires once when one comes back (missed
slots coalesce into the latest); a restart or a second server finds the claim and does
nothing. Time is an argument, so tests control it; ``start(app_state)`` ticks in a thread.
"""

from __future__ import annotations

import contextlib
import os
import socket
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from croniter import croniter

from fluxagent.runtime import sessions
from fluxagent.store.base import StoreError
from fluxagent.store.triggers import Schedule, ScheduleRun, TriggerStore

if TYPE_CHECKING:
    from fluxagent.agent import Agent

Clock = Callable[[], datetime]
#: Seconds between two ticks of a server's scheduler thread.
TICK_EVERY_S = 20.0


class ScheduleError(StoreError):
    """A schedule that cannot be stored (bad cron, unknown flow): one line for users."""


def utc_now() -> datetime:
    return datetime.now(UTC)


def owner_id() -> str:
    """Who claims: host, process and a random part (two servers on one host differ)."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


def check_cron(cron: str) -> str:
    cron = " ".join(cron.split())
    if len(cron.split()) != 5 or not croniter.is_valid(cron):
        raise ScheduleError(f"bad cron expression {cron!r}: expected 5 fields "
                            "(minute hour day-of-month month day-of-week), e.g. '0 2 * * *'")
    return cron


def make_schedule(agent: Agent, name: str, cron: str, *, question: str | None = None,
                  flow: str | None = None, inputs: dict[str, Any] | None = None,
                  model: str | None = None, now: datetime | None = None) -> Schedule:
    """A checked schedule: exactly one of a question or a flow (whose inputs must fit)."""
    if not name.strip() or len(name) > 100:
        raise ScheduleError("a schedule needs a name of 1 to 100 characters")
    spec: dict[str, Any]
    if (question is None) == (flow is None):
        raise ScheduleError("a schedule launches either a question or a flow (give one)")
    if question is not None:
        if not question.strip():
            raise ScheduleError("the scheduled question is empty")
        kind, spec = "question", {"text": question, "model": model}
    else:
        from fluxagent.flows.library import load_flow
        from fluxagent.flows.schema import FlowError
        assert flow is not None
        try:
            load_flow(flow, agent.settings.data_dir / "flows").resolve_inputs(dict(inputs or {}))
        except FlowError as exc:
            raise ScheduleError(str(exc)) from None
        kind, spec = "flow", {"flow": flow, "inputs": dict(inputs or {}), "model": model}
    return Schedule(name=name.strip(), cron=check_cron(cron), kind=kind, spec=spec,
                    created=now or utc_now())


def due_time(schedule: Schedule, now: datetime) -> datetime | None:
    """The latest due time at or before ``now``, if it is not before the schedule's creation."""
    now = now.astimezone(UTC)
    it = croniter(schedule.cron, now)
    due = now.replace(second=0, microsecond=0) if croniter.match(schedule.cron, now) else \
        it.get_prev(datetime)
    due = due.astimezone(UTC)
    return due if due >= schedule.created.replace(second=0, microsecond=0) else None


def next_time(schedule: Schedule, now: datetime) -> datetime:
    nxt: datetime = croniter(schedule.cron, now.astimezone(UTC)).get_next(datetime)
    return nxt.astimezone(UTC)


def session_id_for(schedule: Schedule, due: datetime) -> str:
    """One session id per (schedule, due): a second launch could not even create it."""
    return uuid.uuid5(uuid.NAMESPACE_URL, f"fluxagent-schedule:{schedule.name}:"
                      f"{due.isoformat()}").hex[:16]


def launch(agent: Agent, schedule: Schedule, session_id: str) -> str:
    """Start the schedule's session; returns its status."""
    spec = schedule.spec
    if schedule.kind == "question":
        state = sessions.launch(agent.runner, str(spec["text"]), model=spec.get("model"),
                                session_id=session_id,
                                max_chars=agent.settings.max_question_chars)
    else:
        from fluxagent.flows.library import load_flow
        from fluxagent.flows.run import run_flow
        flow = load_flow(str(spec["flow"]), agent.settings.data_dir / "flows")
        state = run_flow(agent.runner, flow, dict(spec.get("inputs") or {}),
                         model=spec.get("model"), session_id=session_id)
    return state.status


@dataclass
class Fired:
    schedule: str
    due: datetime
    session_id: str
    status: str
    error: str = ""


def tick(agent: Agent, now: datetime, *, owner: str | None = None,
         triggers: TriggerStore | None = None) -> list[Fired]:
    """Launch every schedule that is due at ``now`` and not claimed yet (by anyone)."""
    triggers = triggers or TriggerStore.for_store(agent.store)
    owner = owner or owner_id()
    fired: list[Fired] = []
    for schedule in triggers.schedules():
        due = due_time(schedule, now)
        if due is None:
            continue
        sid = session_id_for(schedule, due)
        if not triggers.claim(ScheduleRun(schedule=schedule.name, due=due, session_id=sid,
                                          claimed_by=owner, claimed_at=utc_now(),
                                          status="launched")):
            continue
        agent.store.create(sid, title=f"schedule {schedule.name} at {due:%Y-%m-%d %H:%M}Z",
                           meta={"via": "schedule", "schedule": schedule.name,
                                 "due": due.isoformat()})
        try:
            status, error = launch(agent, schedule, sid), ""
        except Exception as exc:  # a bad schedule never stops the scheduler
            status, error = "failed", f"{type(exc).__name__}: {exc}"
        triggers.finish_run(schedule.name, due, status, error)
        fired.append(Fired(schedule.name, due, sid, status, error))
    return fired


@dataclass
class Scheduler:
    """A thread that ticks every ``every_s`` seconds until stopped."""

    agent: Agent
    clock: Clock = utc_now
    every_s: float = TICK_EVERY_S
    owner: str = field(default_factory=owner_id)
    fired: list[Fired] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def start(self) -> Scheduler:
        self._thread = threading.Thread(target=self._loop, name="fluxagent-schedules",
                                        daemon=True)
        self._thread.start()
        return self

    def _loop(self) -> None:
        triggers = TriggerStore.for_store(self.agent.store)
        while not self._stop.is_set():
            try:
                self.fired += tick(self.agent, self.clock(), owner=self.owner,
                                   triggers=triggers)
            except Exception as exc:  # the database is down: try again next tick
                self.errors.append(f"{type(exc).__name__}: {exc}")
            self._stop.wait(self.every_s)

    def stop(self, timeout_s: float = 30.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout_s)


def start(app_state: Any, *, clock: Clock = utc_now, every_s: float | None = None
          ) -> Scheduler:
    """Start ticking for a server: uses ``app_state.agent`` if it has one, else wires an
    Agent from settings; the scheduler is kept as ``app_state.scheduler`` (call ``stop()``)."""
    agent = getattr(app_state, "agent", None)
    if agent is None:
        from fluxagent.agent import Agent
        agent = Agent()
    interval = every_s if every_s is not None else agent.settings.schedule_tick_s
    scheduler = Scheduler(agent, clock=clock, every_s=interval).start()
    with contextlib.suppress(AttributeError):  # an app state that takes no attributes
        app_state.scheduler = scheduler
    return scheduler
