"""Replaying a stored thread reproduces the same SessionState (SQLite store, hypothesis)."""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import threads

from fluxagent.core.events import Thread
from fluxagent.core.state import fold
from fluxagent.store.sql import SqlStore


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SqlStore]:
    db = tmp_path_factory.mktemp("replay") / "fluxagent.db"
    with SqlStore(f"sqlite:///{db}") as s:
        yield s


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(thread=threads(max_size=25), cuts=st.lists(st.integers(0, 30), max_size=4))
def test_store_then_load_reproduces_the_state(store: SqlStore, thread: Thread,
                                              cuts: list[int]) -> None:
    """Appended in arbitrary batches, loaded back: same events, same digests, same fold."""
    sid = uuid.uuid4().hex
    thread = Thread(sid, thread.events)
    store.create(sid)
    bounds = sorted({0, len(thread), *(c for c in cuts if c < len(thread))})
    for lo, hi in itertools.pairwise(bounds):
        store.append(sid, thread.events[lo:hi], expected_seq=lo)
    loaded = store.load(sid)
    assert loaded == thread
    assert [e.digest() for e in loaded] == [e.digest() for e in thread]
    assert fold(loaded) == fold(thread)
