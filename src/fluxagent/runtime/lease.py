"""The per-session execution lease: one runner drives a session at a time (DESIGN.md).

``hold(store, session_id)`` waits for the session's lease (up to ``wait_s``), renews it from a
heartbeat thread while the body runs, and releases it at the end. If the holder dies, its
lease simply expires after ``ttl_s`` and the next runner takes over from the stored events.
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


class _Heartbeat(threading.Thread):
    """Renews the lease every third of its duration until stopped."""

    def __init__(self, store: EventStore, session_id: str, holder: str, ttl_s: float) -> None:
        super().__init__(name=f"lease-{session_id}", daemon=True)
        self.store, self.session_id, self.holder, self.ttl_s = store, session_id, holder, ttl_s
        self.stopped = threading.Event()
        self.lost = False

    def run(self) -> None:
        while not self.stopped.wait(self.ttl_s / 3):
            try:
                if not self.store.renew_lease(self.session_id, self.holder, self.ttl_s):
                    self.lost = True  # expired and taken: our next append meets a conflict
                    metrics.LEASES_LOST.inc()
                    return
            except StoreError:
                continue  # a busy or briefly unreachable store: try again next beat


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
    beat = _Heartbeat(store, session_id, holder, ttl_s)
    beat.start()
    depths[key] = 1
    try:
        yield holder
    finally:
        depths.pop(key, None)
        beat.stopped.set()
        beat.join(timeout=5)
        with suppress(StoreError):  # if the store is unreachable, the lease expires itself
            store.release_lease(session_id, holder)
