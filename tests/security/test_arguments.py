"""Issue 11, defects 3 and 7 (arguments): non-finite and oversized arguments are refused.

Defect 3: ``set_bounds`` with ±Infinity (or ``set_medium`` with ``carbon_uptake: Infinity``)
was accepted and stored as ``null``; every later tool of that session, ``reset_model`` and
``load_model`` included, then failed with an internal TypeError; NaN in ``conditions.bounds``
was reported as ``internal``. Defect 7: a 10 MB tool argument from a decider was stored three
times and the session looped on context overflow for ever.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest
from seckit import agent, execute, settings, stored_json, tool_ctx

from fluxagent.context.render import MAX_TEXT_CHARS
from fluxagent.core.context import Context
from fluxagent.core.events import Thread, new_event
from fluxagent.core.state import fold
from fluxagent.core.steps import AskHuman, Done, Step, ToolCall
from fluxagent.llm.scripted import ScriptedDecider
from fluxagent.tools.results import ToolError, ToolResult

INF, NAN = float("inf"), float("nan")
GROWTH = 0.873922


@pytest.mark.parametrize(("tool", "args"), [
    ("set_bounds", {"reaction": "PGI", "lower": -INF, "upper": INF}),
    ("set_bounds", {"reaction": "PGI", "lower": "-Infinity", "upper": "Infinity"}),
    ("set_bounds", {"reaction": "PGI", "upper": NAN}),
    ("set_medium", {"carbon_uptake": INF}),
    ("set_medium", {"carbon_uptake": "Infinity"}),
    ("set_medium", {"uptakes": {"EX_glc__D_e": "inf"}}),
    ("run_fba", {"conditions": {"bounds": {"PGI": [NAN, 1.0]}}}),
    ("run_fba", {"conditions": {"bounds": {"PGI": ["-Infinity", "Infinity"]}}}),
    ("run_fba", {"conditions": {"medium": {"EX_glc__D_e": INF}}}),
    ("run_fba", {"conditions": {"carbon_uptake": "Infinity"}}),
    ("set_objective", {"coefficients": {"PGI": INF}}),
])
def test_non_finite_numbers_are_bad_arguments(tmp_path: Path, tool: str,
                                              args: dict[str, Any]) -> None:
    out = execute(tool, args, tool_ctx(settings(tmp_path / "data")))
    assert isinstance(out, ToolError), out
    assert out.kind == "bad_arguments", out
    assert "finite" in out.message, out


def test_infinite_bounds_from_a_decider_leave_the_session_usable(tmp_path: Path) -> None:
    script: list[Step] = [
        ToolCall(name="set_bounds", args={"reaction": "PGI", "lower": -INF, "upper": INF}),
        ToolCall(name="set_medium", args={"carbon_uptake": INF}),
        ToolCall(name="run_fba", args={}),
        ToolCall(name="reset_model", args={}),
        Done(answer="done")]
    a = agent(settings(tmp_path / "data"), ScriptedDecider(script))
    state = a.ask("break it")
    assert state.status == "done", state
    thread = a.thread(state.session_id)
    outcomes = [(ev.type, ev.data.get("tool"), ev.data.get("kind"))
                for ev in thread if ev.type in ("tool_result", "tool_error")]
    assert outcomes == [("tool_error", "set_bounds", "bad_arguments"),
                        ("tool_error", "set_medium", "bad_arguments"),
                        ("tool_result", "run_fba", None), ("tool_result", "reset_model", None)]
    fba = next(ev for ev in thread if ev.type == "tool_result")
    assert abs(fba.data["data"]["growth_rate"] - GROWTH) < 1e-6
    assert fold(thread).models.get("e_coli_core") is None or \
        not fold(thread).models["e_coli_core"].changes
    text = json.dumps(stored_json(a, state.session_id))
    assert "Infinity" in text and "null, \"upper\"" not in text  # only in the refused preview


def older_thread() -> Thread:
    """A session as an older fluxagent stored it after set_bounds(-Infinity, Infinity)."""
    effect = {"op": "set_bounds", "model": "e_coli_core", "reaction": "PGI", "lower": None,
              "upper": None}
    return Thread("old").append(
        new_event("user_message", {"text": "open PGI"}),
        new_event("tool_call", {"name": "set_bounds", "args": {"reaction": "PGI"}},
                  call_id="c1"),
        new_event("tool_result", {"tool": "set_bounds", "ok": True, "summary": "set",
                                  "effects": [effect]}, call_id="c1"))


def test_a_null_bound_stored_by_an_older_version_is_rejected_cleanly_and_reset(
        tmp_path: Path) -> None:
    s = settings(tmp_path / "data")
    st = fold(older_thread())
    c = tool_ctx(s, st)
    fba = execute("run_fba", {}, c)
    assert isinstance(fba, ToolError) and fba.kind == "bad_arguments", fba
    assert "reset_model" in fba.hint
    reset = execute("reset_model", {}, c)
    assert isinstance(reset, ToolResult), reset
    assert reset.effects == [{"op": "reset_model", "model": "e_coli_core"}]
    loaded = execute("load_model", {"model": "e_coli_core"}, c)
    assert isinstance(loaded, ToolResult), loaded
    assert loaded.data["changes_dropped"] == 1
    after = older_thread().append(
        new_event("tool_call", {"name": "load_model", "args": {"model": "e_coli_core"}},
                  call_id="c2"),
        new_event("tool_result", loaded.model_dump(mode="json"), call_id="c2"))
    again = execute("run_fba", {}, tool_ctx(s, fold(after), c.models))  # type: ignore[arg-type]
    assert isinstance(again, ToolResult) and abs(again.data["growth_rate"] - GROWTH) < 1e-6


def test_a_10_mb_argument_is_refused_before_it_is_stored(tmp_path: Path) -> None:
    huge = "x" * 10_000_000

    def script(ctx: Context) -> Step:
        done = sum(1 for ev in ctx.thread if ev.type == "tool_call")
        return ToolCall(name="search_model", args={"query": huge}) if done == 0 else \
            Done(answer="could not search")

    a = agent(settings(tmp_path / "data"), ScriptedDecider(script))
    state = a.ask("search for a long text")
    assert state.status == "done", state
    events = stored_json(a, state.session_id)
    size = len(json.dumps(events))
    assert size < 20_000, f"{size:,} bytes stored"
    (err,) = [e for e in events if e["type"] == "tool_error"]
    assert err["data"]["kind"] == "bad_arguments"
    assert "10,000,000 characters" in err["data"]["message"]
    assert "FLUXAGENT_MAX_ARG_CHARS" in err["data"]["message"]
    (call,) = [e for e in events if e["type"] == "tool_call"]
    assert call["data"]["args"] == {} and call["data"]["args_refused"]
    db = Path(a.settings.data_dir) / "fluxagent.db"
    assert db.stat().st_size < 2_000_000


def test_an_unbuildable_context_fails_the_session_instead_of_looping(tmp_path: Path) -> None:
    def script(ctx: Context) -> Step:
        return AskHuman(question="Which medium?")

    a = agent(settings(tmp_path / "data"), ScriptedDecider(script))
    state = a.ask("grow it")
    assert state.status == "waiting_for_human"
    state = a.respond(state.session_id, "y" * (MAX_TEXT_CHARS + 10))  # too long to render
    assert state.status == "waiting_for_human"  # a person is asked once, with the reason
    question = a.thread(state.session_id).last.data["question"]  # type: ignore[union-attr]
    assert "context cannot be built" in question
    state = a.respond(state.session_id, "please go on")
    assert state.status == "failed", "the session asked again for a context that cannot fit"
    assert "still cannot be built" in (state.failure or "")
    n = len(a.thread(state.session_id))
    assert a.resume(state.session_id).status == "failed"
    assert len(a.thread(state.session_id)) == n  # resuming does not loop either


def test_limits_are_settings(tmp_path: Path) -> None:
    s = settings(tmp_path / "data", max_arg_chars=50, max_arg_items=3)
    c = tool_ctx(s)
    e = execute("search_model", {"query": "y" * 51}, c)
    assert isinstance(e, ToolError) and e.kind == "bad_arguments" and "limit is 50" in e.message
    e = execute("run_fba", {"conditions": {"knockout_genes": ["b1", "b2", "b3", "b4"]}}, c)
    assert isinstance(e, ToolError) and e.kind == "bad_arguments" and "4 items" in e.message
    nested: Any = "x"
    for _ in range(40):
        nested = [nested]
    e = execute("run_fba", {"conditions": {"knockout_genes": nested}}, tool_ctx(
        settings(tmp_path / "d2")))
    assert isinstance(e, ToolError) and e.kind == "bad_arguments" and "nested" in e.message
    for bad in ("a\x00b", "\ud800"):
        e = execute("search_model", {"query": bad}, c)
        assert isinstance(e, ToolError) and e.kind == "bad_arguments", bad
    assert math.isfinite(s.max_arg_chars)
