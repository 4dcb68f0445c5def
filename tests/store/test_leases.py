"""The execution-lease contract of the stores (SQLite, PostgreSQL, memory)."""

from __future__ import annotations

import time

import pytest

from fluxagent.runtime.lease import SessionBusyError, hold
from fluxagent.store.base import EventStore, UnknownSessionError
from fluxagent.store.memory import MemoryStore
from fluxagent.store.sql import SqlStore


def _contract(store: EventStore) -> None:
    store.create("s")
    assert store.acquire_lease("s", "A", 0.6) is None
    assert store.acquire_lease("s", "A", 0.6) is None  # the holder may take it again
    held = store.acquire_lease("s", "B", 0.6)
    assert held is not None and held.holder == "A"
    assert store.renew_lease("s", "A", 0.6) and not store.renew_lease("s", "B", 0.6)
    time.sleep(0.8)  # A died: its lease expires
    assert store.acquire_lease("s", "B", 30) is None
    assert not store.renew_lease("s", "A", 30), "a lease taken over is no longer A's"
    store.release_lease("s", "A")  # not A's: nothing happens
    lease = store.lease("s")
    assert lease is not None and lease.holder == "B"
    store.release_lease("s", "B")
    assert store.lease("s") is None
    with pytest.raises(UnknownSessionError):
        store.acquire_lease("nope", "A", 1)


def test_sql_lease_contract(any_store: SqlStore) -> None:
    _contract(any_store)


def test_memory_lease_contract() -> None:
    _contract(MemoryStore())


def test_hold_is_reentrant_renewed_and_released(any_store: SqlStore) -> None:
    any_store.create("s")
    with hold(any_store, "s", ttl_s=0.6) as me:
        with hold(any_store, "s", ttl_s=0.6) as again:  # decide -> run, in one thread
            assert again == me
        time.sleep(1.0)  # longer than the ttl: the heartbeat keeps it
        lease = any_store.lease("s")
        assert lease is not None and lease.holder == me
        assert any_store.acquire_lease("s", "other", 1) is not None
    assert any_store.lease("s") is None


def test_hold_refuses_after_waiting(any_store: SqlStore) -> None:
    any_store.create("s")
    assert any_store.acquire_lease("s", "host:1:2:abc", 30) is None
    t0 = time.monotonic()
    with pytest.raises(SessionBusyError, match=r"being driven by host:1 .*waited 0\.3 s"), \
            hold(any_store, "s", wait_s=0.3):
        pass
    assert time.monotonic() - t0 >= 0.3
