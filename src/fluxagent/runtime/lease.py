"""The per-session execution lease: one runner drives a session at a time (DESIGN.md).

``hold(store, session_id)`` waits for the session's lease (up to ``wait_s``), renews it from
the process's renewer thread while the body runs, and releases it at the end. If the holder
dies, its lease simply expires after ``ttl_s`` and the next runner takes over from the stored
events.
Holding is re-entrant within one thread, so ``decide`` may call ``run`` under the same lease.
Every function of ``runtime/sessions.py`` takes it, so every channel (CLI, REST, MCP, ...)
gets the same guarantee: an approved tool runs once, a second question waits its turn.
"""

from __future__ import annotations

import os
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, datetime

from fluxagent.observability import metrics
from fluxagent.store.base import EventStore, StoreError

#: Defaults (settings: FLUXAGENT_LEASE_TTL_S, FLUXAGENT_LEASE_WAIT_S).
TTL_S = 30.0
WAIT_S = 300.0

_local = threading.local()


class SessionBusyError(StoreError):
    """Another runner drives the session and did not finish within the wait (nothing stored)."""


def holder_id() -> str:
    """This thread's holder name: host, process and thread, plus a nonce (pids are reused)."""
    name = getattr(_local, "holder", None)
    if name is None:
        name = (f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}:"
                f"{uuid.uuid4().hex[:6]}")
        _local.holder = name
    return str(name)


def _depths() -> dict[tuple[int, str], int]:
    depths = getattr(_local, "depths", None)
    if depths is None:
        depths = _local.depths = {}
    return depths


@dataclass(eq=False)
class _Held:
    """A lease this process holds, renewed by the renewer thread until released."""

    store: EventStore
    session_id: str
    holder: str
    ttl_s: float
    due: float = 0.0
    lost: bool = False  # expired and taken: the holder's next append meets a conflict


class _Renewer:
    """One daemon thread renews every lease of the process, each every third of its ttl.

    One thread for all, started once: a thread per hold (started and joined at every
    question) waited twice for the scheduler, tens of ms on a loaded machine. A renewal is
    an UPDATE of the holder's own row, so one that races a release never brings the lease
    back.
    """

    def __init__(self) -> None:
        self._held: set[_Held] = set()
        self._wake = threading.Condition()
        self._thread: threading.Thread | None = None
        self._sleeps_until = 0.0  # when the thread wakes next by itself

    def add(self, held: _Held) -> None:
        with self._wake:
            held.due = time.monotonic() + held.ttl_s / 3
            self._held.add(held)
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._loop, name="lease-renewer",
                                                daemon=True)
                self._thread.start()
            elif held.due < self._sleeps_until:  # sooner than planned (a shorter ttl)
                self._wake.notify()

    def remove(self, held: _Held) -> None:
        with self._wake:
            self._held.discard(held)

    def _loop(self) -> None:
        while True:
            with self._wake:
                now = time.monotonic()
                due = [h for h in self._held if h.due <= now]
                if not due:
                    self._sleeps_until = min((h.due for h in self._held), default=now + 60.0)
                    self._wake.wait(max(0.0, self._sleeps_until - now))
                    continue
                for h in due:
                    h.due = now + h.ttl_s / 3
            for h in due:
                self._renew(h)

    def _renew(self, held: _Held) -> None:
        try:
            if not held.store.renew_lease(held.session_id, held.holder, held.ttl_s):
                held.lost = True
                metrics.LEASES_LOST.inc()
                self.remove(held)
        except StoreError:
            pass  # a busy or briefly unreachable store: try again next beat


_RENEWER = _Renewer()


def _fresh_renewer_in_child() -> None:
    global _RENEWER
    _RENEWER = _Renewer()  # a forked child (tools/batch.py) holds none of the parent's leases


os.register_at_fork(after_in_child=_fresh_renewer_in_child)


@contextmanager
def hold(store: EventStore, session_id: str, *, ttl_s: float = TTL_S,
         wait_s: float = WAIT_S) -> Iterator[str]:
    """Drive ``session_id`` exclusively inside the block (yields the holder name).

    Raises ``SessionBusyError`` if another live runner keeps it longer than ``wait_s``, and
    ``UnknownSessionError`` for a session that does not exist; nothing is written then.
    """
    holder = holder_id()
    key = (id(store), session_id)
    depths = _depths()
    if depths.get(key, 0) > 0:  # re-entrant: this thread already drives the session
        depths[key] += 1
        try:
            yield holder
        finally:
            depths[key] -= 1
        return
    deadline = time.monotonic() + wait_s
    pause = 0.05
    prior = store.lease(session_id)  # an expired lease of another holder: a takeover
    while (held := store.acquire_lease(session_id, holder, ttl_s)) is not None:
        prior = held
        if time.monotonic() >= deadline:
            raise SessionBusyError(
                f"session {session_id} is being driven by {held.holder.rsplit(':', 2)[0]} "
                f"(lease until {held.expires:%H:%M:%S} UTC); waited {wait_s:g} s — try again "
                "when it is done (FLUXAGENT_LEASE_WAIT_S)")
        time.sleep(min(pause, max(0.0, deadline - time.monotonic())))
        pause = min(pause * 1.5, 1.0)
    if prior is not None and prior.holder != holder and \
            prior.expires <= datetime.now(UTC):
        metrics.LEASE_TAKEOVERS.inc()
    mine = _Held(store, session_id, holder, ttl_s)
    _RENEWER.add(mine)
    depths[key] = 1
    try:
        yield holder
    finally:
        depths.pop(key, None)
        _RENEWER.remove(mine)
        with suppress(StoreError):  # if the store is unreachable, the lease expires itself
            store.release_lease(session_id, holder)
