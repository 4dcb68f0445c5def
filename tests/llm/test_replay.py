"""Cassettes: record a multi-step session against the stub, replay it with no server.

``tests/cassettes/openai_echo_session.jsonl`` is a committed recording replayed in CI. When the
context rendering changes on purpose, re-record it:
``FLUXAGENT_RECORD_CASSETTES=1 .venv/bin/pytest tests/llm/test_replay.py``.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from stub_server import (
    HOUSEKEEPING,
    StubServer,
    make_runner,
    openai_text,
    openai_tool_call,
)

from fluxagent.config import Settings
from fluxagent.core.events import Event
from fluxagent.llm.base import DeciderError
from fluxagent.llm.openai import OpenAIDecider
from fluxagent.llm.providers import make_provider
from fluxagent.llm.replay import CASSETTE_FORMAT, RecordingDecider, ReplayDecider
from fluxagent.runtime import sessions

CASSETTE = Path(__file__).resolve().parents[1] / "cassettes" / "openai_echo_session.jsonl"
QUESTIONS = ("What is x doubled?", "And x tripled?")


def script() -> list[Any]:
    return [openai_tool_call("echo", '{"x": 3,'),  # bad JSON: an error event, recorded too
            openai_tool_call("echo", {"x": 3}, content="First x."),
            openai_tool_call("echo", {"x": 6}),
            openai_text("x is 3; doubled it is 6."),
            openai_tool_call("echo", {"x": 9}),
            openai_text("Tripled, x is 9.")]


def run_session(decider: Any) -> tuple[Any, str]:
    runner = make_runner(decider)
    st = sessions.launch(runner, QUESTIONS[0])
    st = sessions.launch(runner, QUESTIONS[1], session_id=st.session_id)
    return runner, st.session_id


def comparable(ev: Event) -> dict[str, Any]:
    """An event without what legitimately differs between runs (ids, times, the decider)."""
    data = {k: v for k, v in ev.data.items() if k not in ("by", "provenance")}
    return {"type": ev.type, "data": data}


def record(path: Path) -> list[Event]:
    with StubServer(script()) as stub:
        inner = OpenAIDecider("stub-model", base_url=stub.url + "/v1")
        runner, sid = run_session(RecordingDecider(inner, path))
    assert stub.rejected == []
    return list(runner.store.load(sid))


def test_record_then_replay_gives_the_same_events(tmp_path: Path) -> None:
    cassette = tmp_path / "c.jsonl"
    recorded = record(cassette)
    assert [e.type for e in recorded if e.type not in HOUSEKEEPING] == [
        "user_message", "tool_error", "tool_call", "tool_result", "tool_call", "tool_result",
        "final_answer", "user_message", "tool_call", "tool_result", "final_answer"]
    lines = [json.loads(x) for x in cassette.read_text().splitlines()]
    assert lines[0] == {"format": CASSETTE_FORMAT} and len(lines) == 1 + 6
    assert "error" in lines[1] and lines[1]["error"]["kind"] == "bad_arguments"

    # no server now: the replay alone drives a new session to the same events
    runner, sid = run_session(ReplayDecider(cassette))
    replayed = list(runner.store.load(sid))
    assert [comparable(e) for e in replayed] == [comparable(e) for e in recorded]
    assert {e.data["by"] for e in replayed if "by" in e.data} == {"openai"}


def test_committed_cassette_replays_offline() -> None:
    if os.environ.get("FLUXAGENT_RECORD_CASSETTES"):
        CASSETTE.unlink(missing_ok=True)
        record(CASSETTE)
    assert CASSETTE.exists(), f"missing {CASSETTE}; record it with FLUXAGENT_RECORD_CASSETTES=1"
    runner, sid = run_session(ReplayDecider(CASSETTE))
    st = runner.store.load(sid)
    errors = [e.data["message"] for e in st if e.type == "tool_error"
              and "replay" in e.data["message"]]
    assert not errors, ("the context no longer matches the committed cassette (did the "
                        "rendering change?); re-record with FLUXAGENT_RECORD_CASSETTES=1: "
                        f"{errors[0] if errors else ''}")
    answers = [e.data["answer"] for e in st if e.type == "final_answer"]
    assert answers == ["x is 3; doubled it is 6.", "Tripled, x is 9."]
    usage = [e.data["usage"] for e in st if e.type == "tool_call"]
    assert usage[0] == {"prompt_tokens": 50, "completion_tokens": 10}


def test_unknown_context_is_a_clear_error_event(tmp_path: Path) -> None:
    cassette = tmp_path / "c.jsonl"
    record(cassette)
    runner = make_runner(ReplayDecider(cassette))
    st = sessions.launch(runner, "What is y?")
    evs = list(runner.store.load(st.session_id))
    err = evs[1].data
    assert evs[1].type == "tool_error" and err["kind"] == "provider_error"
    assert not err["retryable"]
    assert "no recorded reply" in err["message"] and str(cassette) in err["message"]
    assert "message 1 (user)" in err["message"] and "What is y?" in err["message"]
    assert st.status == "waiting_for_human"  # three errors in a row: a person is asked


def test_bad_cassettes_are_refused(tmp_path: Path) -> None:
    with pytest.raises(DeciderError, match="cannot read cassette"):
        ReplayDecider(tmp_path / "missing.jsonl")
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"format": "something-else/9"}\n')
    with pytest.raises(DeciderError, match="format"):
        ReplayDecider(bad)
    bad.write_text('{"format": "fluxagent-cassette/1"}\n{not json\n')
    with pytest.raises(DeciderError, match="line 2 is not JSON"):
        ReplayDecider(bad)


def test_settings_record_and_replay(tmp_path: Path) -> None:
    """FLUXAGENT_LLM=openai:<m> with FLUXAGENT_LLM_RECORD, then FLUXAGENT_LLM=replay:<path>."""
    cassette = tmp_path / "rec.jsonl"
    with StubServer(script()) as stub:
        settings = Settings(llm="openai:stub-model", llm_base_url=stub.url + "/v1",
                            llm_record=cassette, data_dir=tmp_path)
        decider = make_provider(settings.llm, settings)
        assert isinstance(decider, RecordingDecider) and decider.name == "openai"
        runner, sid = run_session(decider)
    first = [comparable(e) for e in runner.store.load(sid)]
    replay = make_provider(f"replay:{cassette}", Settings(llm_record=tmp_path / "unused"))
    assert isinstance(replay, ReplayDecider)
    runner, sid = run_session(replay)
    assert [comparable(e) for e in runner.store.load(sid)] == first
    assert not (tmp_path / "unused").exists()
