"""A fork at seq N shares exactly the first N events of its parent (LocalRunner on SqlStore)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from proc_session import build_runner

from fluxagent.core.state import fold
from fluxagent.runtime import sessions
from fluxagent.runtime.local import LocalRunner
from fluxagent.store.sql import SqlStore

PARENT_EVENTS = 12  # question, 5 x (call, result), answer


@pytest.fixture(scope="module")
def runner(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalRunner]:
    db: Path = tmp_path_factory.mktemp("fork") / "fluxagent.db"
    with SqlStore(f"sqlite:///{db}") as store:
        r = build_runner(store)
        state = sessions.launch(r, "sum of squares?", session_id="parent")
        assert state.status == "done"
        yield r


@settings(max_examples=40, deadline=None)
@given(n=st.integers(0, PARENT_EVENTS))
def test_fork_shares_exactly_the_prefix(runner: LocalRunner, n: int) -> None:
    parent = runner.store.load("parent")
    assert len(parent) == PARENT_EVENTS
    child_id = sessions.fork(runner, "parent", n)
    child = runner.store.load(child_id)
    assert child.events[:n] == parent.events[:n]  # same ids, data, timestamps, seqs
    assert len(child) == n + 1 and child[n].type == "session_forked"
    assert child[n].data == {"from": "parent", "at_seq": n}
    assert runner.store.load("parent") == parent  # the parent is untouched
    assert fold(child.prefix(n)).model_dump(exclude={"session_id"}) == \
        fold(parent.prefix(n)).model_dump(exclude={"session_id"})


def test_fork_point_outside_the_thread_is_refused(runner: LocalRunner) -> None:
    with pytest.raises(sessions.SessionError, match=rf"outside 0\.\.{PARENT_EVENTS}"):
        sessions.fork(runner, "parent", PARENT_EVENTS + 1)


def test_forked_session_continues_on_its_own(runner: LocalRunner) -> None:
    child_id = sessions.fork(runner, "parent", 5)  # after two results, mid-plan
    state = runner.run(child_id)
    assert state.status == "done" and state.answer == fold(runner.store.load("parent")).answer
    assert len(runner.store.load("parent")) == PARENT_EVENTS
