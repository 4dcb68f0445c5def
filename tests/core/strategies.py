"""Hypothesis strategies for valid events and threads (shared by core and store tests)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from hypothesis import strategies as st

from fluxagent.core.events import Event, Thread
from fluxagent.core.validate import Causality

MODELS = ("e_coli_core", "iML1515", "textbook")
TOOLS = ("run_fba", "knockout_genes", "set_medium", "run_fva")
CALL_IDS = ("c0", "c1", "c2", "c3")

text = st.text(max_size=20)
json_scalar = (st.none() | st.booleans() | st.integers(-(2**53), 2**53)
               | st.floats(allow_nan=False, allow_infinity=False) | text)
json_value = st.recursive(json_scalar, lambda inner: st.lists(inner, max_size=3)
                          | st.dictionaries(text, inner, max_size=3), max_leaves=8)
json_dict = st.dictionaries(text, json_value, max_size=4)
usage = st.fixed_dictionaries({"prompt_tokens": st.integers(0, 5000),
                               "completion_tokens": st.integers(0, 500)})
call_id = st.sampled_from(CALL_IDS)

effect = st.one_of(
    st.fixed_dictionaries({"op": st.just("use_model"), "model": st.sampled_from(MODELS)}),
    st.fixed_dictionaries({"op": st.just("reset_model"), "model": st.sampled_from(MODELS)}),
    st.fixed_dictionaries({"op": st.just("set_bounds"), "model": st.sampled_from(MODELS),
                           "reaction": st.sampled_from(("PGI", "EX_o2_e")),
                           "lower": st.floats(-1000, 0), "upper": st.floats(0, 1000)}),
    st.fixed_dictionaries({"op": st.just("knockout_genes"), "model": st.sampled_from(MODELS),
                           "genes": st.lists(st.sampled_from(("b4025", "b1136")), max_size=2)}),
)


def _with_usage(base: st.SearchStrategy[dict[str, Any]]) -> st.SearchStrategy[dict[str, Any]]:
    return st.tuples(base, st.none() | usage).map(
        lambda p: {**p[0], "usage": p[1]} if p[1] is not None else p[0])


#: (type, data, call_id) for every event type, each with the shape its producer writes.
SHAPES: dict[str, tuple[st.SearchStrategy[dict[str, Any]], st.SearchStrategy[str | None]]] = {
    "user_message": (st.fixed_dictionaries({"text": text},
                                           optional={"model": st.sampled_from(MODELS)}),
                     st.none()),
    "tool_call": (_with_usage(st.fixed_dictionaries(
        {"name": st.sampled_from(TOOLS), "args": json_dict, "by": st.just("scripted")})),
        call_id),
    "tool_result": (st.fixed_dictionaries(
        {"tool": st.sampled_from(TOOLS), "ok": st.just(True), "summary": text,
         "data": json_dict, "effects": st.lists(effect, max_size=3)}), call_id),
    "tool_error": (st.fixed_dictionaries(
        {"tool": st.sampled_from(TOOLS), "ok": st.just(False),
         "kind": st.sampled_from(("bad_arguments", "unknown_id", "infeasible")),
         "message": text, "hint": text}), st.none() | call_id),
    "human_request": (_with_usage(st.fixed_dictionaries(
        {"question": text, "options": st.lists(text, max_size=3)})), call_id),
    "human_response": (st.fixed_dictionaries({"text": text}), call_id),
    "approval_request": (st.fixed_dictionaries({"tool": st.sampled_from(TOOLS),
                                                "args": json_dict}), call_id),
    "approval_decision": (st.fixed_dictionaries(
        {"decision": st.sampled_from(("approve", "reject")), "comment": text},
        optional={"args": json_dict}), call_id),
    "final_answer": (_with_usage(st.fixed_dictionaries({"answer": text, "data": json_dict})),
                     st.none()),
    "session_failed": (st.fixed_dictionaries({"reason": text}), st.none()),
    "session_paused": (st.fixed_dictionaries({"reason": text}), st.none()),
    "session_resumed": (st.just({}), st.none()),
}
GENERIC = (json_dict, st.none() | call_id)  # flow_transition, annotation, ...

timestamps = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1),
                          timezones=st.just(UTC))


@st.composite
def events(draw: st.DrawFn, types: tuple[str, ...] | None = None) -> Event:
    from fluxagent.core.events import EVENT_TYPES

    kind = draw(st.sampled_from(sorted(types or EVENT_TYPES)))
    data_s, call_s = SHAPES.get(kind, GENERIC)
    return Event.model_validate({"type": kind, "data": draw(data_s), "call_id": draw(call_s),
                                 "ts": draw(timestamps)})


@st.composite
def threads(draw: st.DrawFn, max_size: int = 30, session_id: str = "s") -> Thread:
    """A thread that starts with a question, then any valid events."""
    first = draw(events(("user_message",)))
    rest = draw(st.lists(events(), max_size=max_size))
    causal = Causality()  # keep only what may follow (core/validate.py): a valid history
    kept = [ev for ev in rest if causal.accept(ev)]
    return Thread(session_id).append(first, *kept)
