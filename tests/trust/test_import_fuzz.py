"""Property-based fuzzing of thread import (hypothesis): mutated exports never break anything.

Start from a real signed export (a thread with a tool call, an approval, a human question and
an answer) and mutate it as a careless or hostile user would: reorder, drop or duplicate
events, change types, forge approvals, break or swap the signature, blow fields up, with the
checksum recomputed or not. Whatever the file, import either stores a causally valid thread
(ending in its ``session_imported`` point, approvals honoured only if signed here) or refuses
it with a one-line ``StoreError``; no other exception escapes and a refused import leaves
every stored session as it was.
"""

from __future__ import annotations

import contextlib
import copy
import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fluxagent.config import Settings
from fluxagent.core.events import Thread, new_event
from fluxagent.core.state import fold
from fluxagent.core.validate import validate_events
from fluxagent.runtime.exports import checksum, export_doc, import_thread
from fluxagent.store.base import StoreError
from fluxagent.store.keys import installation_key
from fluxagent.store.sql import EVENTS, SqlStore

TYPES = ["user_message", "tool_call", "tool_result", "tool_error", "human_request",
         "human_response", "approval_request", "approval_decision", "final_answer",
         "session_imported", "bogus", "", "tool_call "]


def _thread() -> Thread:
    args = {"model": "e_coli_core", "path": "out.xml"}
    return Thread("orig").append(
        new_event("user_message", {"text": "export the model"}),
        new_event("tool_call", {"name": "export_model", "args": args}, call_id="c1"),
        new_event("approval_request", {"tool": "export_model", "args": args}, call_id="c1"),
        new_event("approval_decision", {"decision": "approve", "comment": ""}, call_id="c1"),
        new_event("tool_result", {"tool": "export_model", "ok": True, "summary": "ok"},
                  call_id="c1"),
        new_event("tool_call", {"name": "request_human_input", "args": {}}, call_id="h1"),
        new_event("human_request", {"question": "which format?"}, call_id="h1"),
        new_event("human_response", {"text": "sbml"}, call_id="h1"),
        new_event("tool_result", {"tool": "request_human_input", "ok": True}, call_id="h1"),
        new_event("tool_call", {"name": "export_model", "args": args}, call_id="c2"),
        new_event("approval_request", {"tool": "export_model", "args": args}, call_id="c2"),
        new_event("approval_decision", {"decision": "approve", "comment": ""}, call_id="c2"),
    )


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[SqlStore, bytes, Path,
                                                                     dict[str, Any]]]:
    root = tmp_path_factory.mktemp("fuzz")
    key = installation_key(Settings(data_dir=root / "data"))
    with SqlStore(f"sqlite:///{root / 'data' / 'fluxagent.db'}") as store:
        store.create("existing")
        store.append("existing", Thread("existing").append(
            new_event("user_message", {"text": "hi"})).events, expected_seq=0)
        yield store, key, root, export_doc(_thread(), key)


def _snapshot(store: SqlStore) -> dict[str, list[tuple[int, str, str]]]:
    """Every stored event of every session, by (seq, id, type): one cheap query."""
    with store.engine.connect() as conn:
        rows = conn.execute(sa.select(EVENTS.c.session_id, EVENTS.c.seq, EVENTS.c.id,
                                      EVENTS.c.type).order_by(EVENTS.c.session_id,
                                                              EVENTS.c.seq)).all()
    found: dict[str, list[tuple[int, str, str]]] = {i.session_id: []
                                                    for i in store.sessions(10_000)}
    for sid, seq, eid, kind in rows:
        found[sid].append((seq, eid, kind))
    return found


huge = st.sampled_from(["x" * 1_000_000, "[" * 100_000, {"deep": "y" * 200_000}])
junk = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=30),
                 st.lists(st.integers(), max_size=3), st.dictionaries(st.text(max_size=5),
                                                                      st.integers(), max_size=3))


@st.composite
def mutated(draw: st.DrawFn, doc: dict[str, Any]) -> Any:
    doc = copy.deepcopy(doc)
    events: list[Any] = doc["events"]
    doc_ts = events[0]["ts"]
    for _ in range(draw(st.integers(1, 3))):
        n = len(events)
        op = draw(st.sampled_from(["swap", "drop", "dup", "retype", "forge", "field", "huge",
                                   "junk_event", "seq", "call_id"]))
        i = draw(st.integers(0, max(0, n - 1)))
        j = draw(st.integers(0, max(0, n - 1)))
        if not events:
            break
        if op in ("retype", "field", "huge", "call_id") and not isinstance(events[i], dict):
            op = "swap"  # an earlier step made it junk: reorder instead
        if op == "swap":
            events[i], events[j] = events[j], events[i]
        elif op == "drop":
            del events[i]
        elif op == "dup":
            events.insert(j, copy.deepcopy(events[i]))
        elif op == "retype":
            events[i]["type"] = draw(st.sampled_from(TYPES))
        elif op == "forge":
            events.insert(j, {"type": "approval_decision", "data": {"decision": "approve"},
                              "call_id": draw(st.sampled_from(["c1", "c2", "h1", "zz"])),
                              "id": uuid.uuid4().hex, "seq": j, "ts": doc_ts})
        elif op == "field":
            key = draw(st.sampled_from(["data", "call_id", "id", "seq", "ts", "extra"]))
            events[i][key] = draw(junk)
        elif op == "huge":
            events[i]["data"] = {"blob": draw(huge)}
        elif op == "junk_event":
            events[i] = draw(junk)
        elif op == "call_id":
            events[i]["call_id"] = draw(st.sampled_from(["c1", "c2", "h1", None, "new"]))
        if draw(st.booleans()):  # renumber, as a careful forger would
            for k, e in enumerate(events):
                if isinstance(e, dict):
                    e["seq"] = k
    if draw(st.booleans()):
        with contextlib.suppress(TypeError, ValueError):
            doc["sha256"] = checksum(events)
    sig = draw(st.sampled_from(["keep", "drop", "junk", "hex"]))
    if sig == "drop":
        doc.pop("signature", None)
    elif sig == "junk":
        doc["signature"] = draw(junk)
    elif sig == "hex":
        doc["signature"] = {"alg": "hmac-sha256", "value": "ab" * 32}
    if draw(st.integers(0, 9)) == 0:  # now and then, the envelope itself
        doc[draw(st.sampled_from(["format", "events", "session_id"]))] = draw(junk)
    return doc


def test_mutated_exports_are_imported_validly_or_refused(
        env: tuple[SqlStore, bytes, Path, dict[str, Any]]) -> None:
    store, key, root, doc = env
    cases = {"run": 0, "imported": 0, "refused": 0}

    @settings(max_examples=300, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                     HealthCheck.large_base_example])
    @given(bad=mutated(doc))
    def one_file(bad: Any) -> None:
        path = root / "fuzz.json"
        try:
            path.write_text(json.dumps(bad))
        except (TypeError, ValueError):
            return
        before = _snapshot(store)
        cases["run"] += 1
        try:
            sid = import_thread(store, path, key, uuid.uuid4().hex[:16])
        except StoreError as exc:
            cases["refused"] += 1
            assert "\n" not in str(exc) and len(str(exc)) < 600, str(exc)
            assert _snapshot(store) == before, "a refused import changed the store"
            return
        cases["imported"] += 1
        after = _snapshot(store)
        assert {k: v for k, v in after.items() if k != sid} == before
        thread = store.load(sid)
        validate_events(thread.events)
        mark = thread[-1]
        assert mark.type == "session_imported"
        state = fold(thread)
        if not mark.data["trusted"] and state.pending_call is not None:
            assert state.pending_call.approval != "approved", "an untrusted approval is honoured"

    one_file()
    print(f"\nimport fuzz: {cases['run']} files, {cases['imported']} imported, "
          f"{cases['refused']} refused")
    assert cases["run"] >= 250 and cases["imported"] > 0 and cases["refused"] > 0, cases


def test_the_untouched_export_is_trusted_and_a_forged_one_is_not(
        env: tuple[SqlStore, bytes, Path, dict[str, Any]]) -> None:
    store, key, root, doc = env
    path = root / "plain.json"
    path.write_text(json.dumps(doc))
    state = fold(store.load(import_thread(store, path, key, uuid.uuid4().hex[:16])))
    assert state.pending_call is not None and state.pending_call.approval == "approved"
    forged = {**doc, "signature": {"alg": "hmac-sha256", "value": "00" * 32}}
    path.write_text(json.dumps(forged))
    state = fold(store.load(import_thread(store, path, key, uuid.uuid4().hex[:16])))
    assert state.status == "waiting_for_approval" and state.pending_approval == "c2"
    assert state.pending_call is not None and state.pending_call.approval == "requested"
