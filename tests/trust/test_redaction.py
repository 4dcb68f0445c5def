"""Defect 8 of issue 11: secrets never reach events, exports, transcripts or printed errors.

A local OpenAI-compatible stub answers 401 with a body that echoes the key back (as real
providers do); the configured key, a ``Bearer`` token and URL credentials must be masked
wherever the error goes: the stored events, the JSON export, the Markdown transcript, and the
one-line errors the CLI prints for a database URL with a password.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "llm"))

from stub_server import StubServer, openai_error

from fluxagent.agent import Agent
from fluxagent.config import Settings
from fluxagent.core.redact import redact, redact_data
from fluxagent.runtime.transcript import transcript

KEY = "fa-live-7f3a9c1e5b2d4f60aa"  # no well-known shape: only the configured value finds it
TOKEN = "sk-proj-Zq8mW3xV9kL2pR7tY4uN"


def everything_stored(agent: Agent, sid: str, tmp: Path) -> str:
    thread = agent.thread(sid)
    export = agent.export(sid, tmp / "export.json").read_text()
    return "\n".join([json.dumps([e.model_dump(mode="json") for e in thread]), export,
                      transcript(thread)])


def test_a_401_echoing_the_key_is_stored_redacted(tmp_path: Path) -> None:
    echo = (f"Incorrect API key provided: {KEY}. Request had Authorization: Bearer {KEY}; "
            f"also seen: {TOKEN}")
    with StubServer([openai_error(401, echo, kind="invalid_api_key")] * 10) as stub:
        settings = Settings(data_dir=tmp_path / "data", llm="openai:stub-model",
                            llm_base_url=stub.url + "/v1", llm_api_key=KEY, llm_max_retries=0)
        agent = Agent(settings=settings)
        state = agent.ask("How fast does e_coli_core grow?")
        assert stub.requests and stub.requests[0].headers.get("authorization") == \
            f"Bearer {KEY}", "the stub did not see the key: the test proves nothing"
    stored = everything_stored(agent, state.session_id, tmp_path)
    assert "HTTP 401" in stored and "Incorrect API key provided" in stored
    assert KEY not in stored and TOKEN not in stored
    assert "Bearer ***" in stored


def test_url_credentials_are_masked_in_provider_errors(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data", llm="openai:stub-model",
                        llm_base_url="http://flux:hunter2pass@127.0.0.1:9/v1", llm_max_retries=0)
    agent = Agent(settings=settings)
    state = agent.ask("How fast does e_coli_core grow?")
    stored = everything_stored(agent, state.session_id, tmp_path)
    assert "cannot reach" in stored
    assert "hunter2pass" not in stored and "flux:***@127.0.0.1" in stored


def test_printed_database_urls_hide_the_password(tmp_path: Path) -> None:
    for url in ("postgresql://flux:hunter2pass@127.0.0.1:1/db",
                "postgresql://flux:hunter2pass@127.0.0.1:notaport/db",
                "mysql://flux:hunter2pass@127.0.0.1/db"):
        env = {**os.environ, "FLUXAGENT_DATA_DIR": str(tmp_path), "FLUXAGENT_DATABASE_URL": url}
        proc = subprocess.run([sys.executable, "-m", "fluxagent.cli", "sessions", "list"],
                              capture_output=True, text=True, env=env, timeout=300)
        assert proc.returncode == 1, proc.stderr
        assert "error:" in proc.stderr and "hunter2pass" not in proc.stderr, proc.stderr


def test_redact_patterns() -> None:
    cases = {
        f"Authorization: Bearer {KEY}": "Authorization: Bearer ***",
        f"x-api-key: {KEY}": "x-api-key: ***",
        f"key {TOKEN} expired": "key sk-proj-*** expired",
        "postgresql+psycopg://u:pw%40x@db/h": "postgresql+psycopg://u:***@db/h",
        "https://api.example.org/v1?api_key=abcdef123": "https://api.example.org/v1?api_key=***",
        "growth 0.8739 1/h; 8000 tokens": "growth 0.8739 1/h; 8000 tokens",
    }
    for text, want in cases.items():
        assert redact(text) == want, text
    assert redact(f"the key is {KEY}!", [KEY]) == "the key is ***!"
    assert redact_data({"a": [f"Bearer {KEY}", 3], KEY: None}, [KEY]) == \
        {"a": ["Bearer ***", 3], "***": None}
