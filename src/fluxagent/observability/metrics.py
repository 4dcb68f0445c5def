"""Prometheus metrics of fluxagent, in one registry of their own (``REGISTRY``).

Counters and histograms are updated where the work happens (``observability/telemetry.py``
hooks in the runner, ``runtime/lease.py``). What is a *state* rather than an event (sessions
by status, open approvals and their age, the run queue) is read at scrape time from the
store and the run manager by ``StateCollector``, so the numbers stay right across restarts
and across processes sharing one store: the thread is the source of truth, not a counter.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    disable_created_metrics,
    generate_latest,
    start_http_server,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

disable_created_metrics()  # the *_created series double every counter and say little
REGISTRY = CollectorRegistry(auto_describe=True)
#: Seconds: an offline decision takes milliseconds, a remote LLM seconds; FBA takes
#: milliseconds, FVA of a genome-scale model minutes.
_LATENCY = (0.005, 0.025, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 180, 600)

STEPS = Counter("fluxagent_steps", "Loop steps taken, by what the step did.", ["action"],
                registry=REGISTRY)
EVENTS = Counter("fluxagent_events", "Events appended to threads, by type.", ["type"],
                 registry=REGISTRY)
DECIDER_SECONDS = Histogram("fluxagent_decider_seconds", "Latency of one decider call.",
                            ["decider", "outcome"], buckets=_LATENCY, registry=REGISTRY)
TOOL_SECONDS = Histogram("fluxagent_tool_seconds", "Latency of one tool execution.",
                         ["tool", "outcome"], buckets=_LATENCY, registry=REGISTRY)
TOKENS = Counter("fluxagent_tokens", "Tokens used by decisions, by prompt version and "
                 "direction (input: prompt, output: completion).",
                 ["prompt", "version", "direction"], registry=REGISTRY)
ERRORS = Counter("fluxagent_errors", "tool_error events, by error kind and source "
                 "(tool, decider, context).", ["kind", "source"], registry=REGISTRY)
SESSIONS_ENDED = Counter("fluxagent_sessions_ended", "Sessions that reached done or failed.",
                         ["status"], registry=REGISTRY)
LEASE_TAKEOVERS = Counter("fluxagent_lease_takeovers", "Session leases taken over after "
                          "their holder stopped renewing them (a runner died).",
                          registry=REGISTRY)
LEASES_LOST = Counter("fluxagent_leases_lost", "Leases this process held that expired and "
                      "were taken while it was still working.", registry=REGISTRY)


def render() -> tuple[bytes, str]:
    """The exposition text and its content type (for ``/metrics``)."""
    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST


def serve(port: int, addr: str = "0.0.0.0") -> None:
    """Expose ``REGISTRY`` on its own port (a worker process, which has no API server)."""
    start_http_server(port, addr=addr, registry=REGISTRY)


@dataclass
class _Seen:
    """What a session's thread says, cached by its event count (threads only grow)."""

    events: int
    status: str
    waiting_since: datetime | None  # when its open approval or question was asked
    waiting_kind: str | None


def _summary(thread: Any) -> tuple[str, datetime | None, str | None]:
    from fluxagent.core.state import fold
    from fluxagent.human.requests import open_request

    request = open_request(thread)
    return fold(thread).status, (request.ts if request else None), \
        (request.type if request else None)


class StateCollector(Collector):
    """Sessions by status, open requests and their age, stalled sessions, the run queue.

    ``store`` is an EventStore; ``queue`` returns ``{"active": n, "queued": n}``. At most
    ``scan`` most recently updated sessions are read per scrape, and only those whose event
    count changed since the last scrape are loaded again.
    """

    def __init__(self, store: Any, queue: Callable[[], dict[str, int]] | None = None,
                 scan: int = 5000, now: Callable[[], datetime] = lambda: datetime.now(UTC)
                 ) -> None:
        self.store, self.queue, self.scan, self.now = store, queue, scan, now
        self._seen: dict[str, _Seen] = {}
        self._lock = threading.Lock()

    def describe(self) -> Iterable[Any]:
        return []  # collected live: nothing to check at registration

    def _refresh(self) -> tuple[dict[str, _Seen], dict[str, datetime]]:
        infos = self.store.sessions(self.scan)
        updated = {i.session_id: i.updated for i in infos}
        with self._lock:
            for info in infos:
                seen = self._seen.get(info.session_id)
                if seen is None or seen.events != info.events:
                    status, since, kind = _summary(self.store.load(info.session_id))
                    self._seen[info.session_id] = _Seen(info.events, status, since, kind)
            for gone in set(self._seen) - set(updated):
                del self._seen[gone]
            return dict(self._seen), updated

    def collect(self) -> Iterable[Any]:
        started = time.perf_counter()
        by_status = GaugeMetricFamily("fluxagent_sessions", "Sessions by status (the most "
                                      "recently updated ones, up to the scan limit).",
                                      labels=["status"])
        pending = GaugeMetricFamily("fluxagent_requests_pending", "Open approval requests "
                                    "and questions to people.", labels=["kind"])
        oldest = GaugeMetricFamily("fluxagent_request_oldest_age_seconds", "Age of the "
                                   "oldest open request of each kind.", labels=["kind"])
        stalled = GaugeMetricFamily("fluxagent_running_session_idle_seconds", "Time since "
                                    "the least recently updated running session last stored "
                                    "an event (0 if none runs): a stuck session shows here.")
        up = GaugeMetricFamily("fluxagent_store_up", "1 if the store answered this scrape.")
        try:
            seen, updated = self._refresh()
        except Exception:  # the store is down: say so, and report nothing stale
            up.add_metric([], 0)
            yield up
            yield from self._queue()
            return
        up.add_metric([], 1)
        now = self.now()
        counts: dict[str, int] = {}
        ages: dict[str, list[float]] = {"approval": [], "human": []}
        idle = 0.0
        for sid, s in seen.items():
            counts[s.status] = counts.get(s.status, 0) + 1
            if s.waiting_since is not None:
                kind = "approval" if s.waiting_kind == "approval_request" else "human"
                ages[kind].append((now - s.waiting_since).total_seconds())
            if s.status == "running":
                idle = max(idle, (now - updated[sid]).total_seconds())
        for status in ("running", "waiting_for_human", "waiting_for_approval", "paused",
                       "done", "failed", "idle"):
            by_status.add_metric([status], counts.pop(status, 0))
        for status, n in counts.items():
            by_status.add_metric([status], n)
        for kind, values in ages.items():
            pending.add_metric([kind], len(values))
            oldest.add_metric([kind], max(values, default=0.0))
        stalled.add_metric([], idle)
        yield from (by_status, pending, oldest, stalled, up)
        yield from self._queue()
        took = GaugeMetricFamily("fluxagent_scrape_seconds", "Time to read the session state "
                                 "for this scrape.")
        took.add_metric([], time.perf_counter() - started)
        yield took

    def _queue(self) -> Iterable[Any]:
        if self.queue is None:
            return
        runs = GaugeMetricFamily("fluxagent_runs", "Background runs of the API server by "
                                 "state (queued: the queue depth).", labels=["state"])
        for state, n in self.queue().items():
            runs.add_metric([state], n)
        yield runs


def watch(store: Any, queue: Callable[[], dict[str, int]] | None = None) -> StateCollector:
    """Register a ``StateCollector`` for this store, replacing an earlier one."""
    global _watching
    if _watching is not None:
        REGISTRY.unregister(_watching)
    _watching = StateCollector(store, queue)
    REGISTRY.register(_watching)
    return _watching


_watching: StateCollector | None = None
