"""Property tests of the pure core: the fold is deterministic and reads nothing but events."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import events, threads, timestamps

from fluxagent.core.events import Event, Thread, event_from_dict
from fluxagent.core.state import fold, next_action


@settings(max_examples=200)
@given(threads())
def test_fold_is_deterministic(thread: Thread) -> None:
    assert fold(thread) == fold(thread)
    rebuilt = Thread(thread.session_id, [Event.model_validate(e.model_dump()) for e in thread])
    assert fold(rebuilt) == fold(thread)


@settings(max_examples=200)
@given(threads())
def test_fold_survives_a_json_roundtrip(thread: Thread) -> None:
    """What a store or an export keeps (JSON) is enough to derive the same state."""
    raw = json.loads(json.dumps([e.model_dump(mode="json") for e in thread]))
    again = Thread(thread.session_id, [event_from_dict(r) for r in raw])
    assert again == thread
    assert fold(again) == fold(thread)


@settings(max_examples=100)
@given(threads(), st.data())
def test_fold_ignores_clock_and_event_ids(thread: Thread, data: st.DataObject) -> None:
    """No clock inside the fold: other timestamps and event ids give the same state."""
    moved = Thread(thread.session_id, [
        e.model_copy(update={"ts": data.draw(timestamps), "id": f"other-{e.seq}"})
        for e in thread])
    assert fold(moved) == fold(thread)


@settings(max_examples=100)
@given(threads(max_size=20))
def test_fold_of_prefixes_is_consistent(thread: Thread) -> None:
    """Folding is incremental: every prefix folds without error and tracks its last seq."""
    for n in range(1, len(thread) + 1):
        state = fold(thread.prefix(n))
        assert state.last_seq == n - 1
        assert next_action(state) in ("decide", "execute", "wait", "finished",
                                      "request_approval")


@given(threads(max_size=10), events())
def test_append_returns_a_new_thread(thread: Thread, event: Event) -> None:
    before = list(thread)
    longer = thread.append(event)
    assert list(thread) == before
    assert len(longer) == len(thread) + 1 and longer[-1].seq == len(thread)
    assert longer.prefix(len(thread)) == thread
