"""The thread validator: causal order, one outcome per call, monotonic seqs (core/validate.py)."""

from __future__ import annotations

import pytest

from fluxagent.core.events import Event, Thread, new_event
from fluxagent.core.state import fold
from fluxagent.core.validate import ThreadError, validate_events


def seq(*events: Event) -> tuple[Event, ...]:
    return Thread("s").append(*events).events


Q = new_event("user_message", {"text": "q"})
CALL = new_event("tool_call", {"name": "export_model", "args": {"path": "x"}}, call_id="c1")
REQ = new_event("approval_request", {"tool": "export_model"}, call_id="c1")
OK = new_event("approval_decision", {"decision": "approve"}, call_id="c1")
RES = new_event("tool_result", {"tool": "export_model", "ok": True}, call_id="c1")


@pytest.mark.parametrize(("events", "message"), [
    ((Q, CALL, OK), "event 2 (approval_decision c1): approval decision without an approval "
                    "request"),
    ((Q, REQ), "event 1 (approval_request c1): approval request for no tool call"),
    ((Q, RES), "event 1 (tool_result c1): tool result for no tool call"),
    ((Q, CALL, RES, RES), "event 3 (tool_result c1): call c1 already has an outcome"),
    ((Q, CALL, REQ, RES), "event 3 (tool_result c1): call c1 ran without being approved"),
    ((Q, CALL, REQ, OK, OK), "event 4 (approval_decision c1): call c1 was already decided"),
    ((Q, new_event("human_response", {"text": "yes"}, call_id="h")),
     "event 1 (human_response h): human response without a human request"),
    ((Q, CALL, CALL), "event 2 (tool_call c1): call id c1 is already used"),
])
def test_out_of_order_events_are_named(events: tuple[Event, ...], message: str) -> None:
    with pytest.raises(ThreadError) as err:
        validate_events(seq(*events))
    assert str(err.value) == message


def test_valid_threads_and_seqs() -> None:
    validate_events(seq(Q, CALL, REQ, OK, RES, new_event("final_answer", {"answer": "a"})))
    events = seq(Q, CALL)
    with pytest.raises(ThreadError, match="seq 1, expected 2"):
        validate_events(events[1:], start=2)
    validate_events(seq(Q, CALL, REQ)[2:], start=2, before=events)


def test_the_fold_does_not_honour_an_approval_nobody_asked_for() -> None:
    state = fold(Thread("s").append(Q, CALL, OK))
    assert state.pending_call is not None and state.pending_call.approval == "none"


def test_an_untrusted_import_reopens_a_given_approval() -> None:
    mark = new_event("session_imported", {"trusted": False, "signature": "foreign"})
    state = fold(Thread("s").append(Q, CALL, REQ, OK, mark))
    assert state.status == "waiting_for_approval" and state.pending_approval == "c1"
    assert state.pending_call is not None and state.pending_call.approval == "requested"
    again = new_event("approval_decision", {"decision": "approve"}, call_id="c1")
    validate_events(seq(Q, CALL, REQ, OK, mark, again))  # may be approved again, here
    assert fold(Thread("s").append(Q, CALL, REQ, OK, mark, again)).pending_call.approval \
        == "approved"  # type: ignore[union-attr]
    trusted = new_event("session_imported", {"trusted": True, "signature": "valid"})
    assert fold(Thread("s").append(Q, CALL, REQ, OK, trusted)).status == "running"
