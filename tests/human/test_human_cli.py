"""``fluxagent human pending|check-timeouts|policy`` and approvals through the CLI app."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from fluxagent.agent import Agent
from fluxagent.cli import app
from fluxagent.config import get_settings
from fluxagent.flows.run import run_flow
from fluxagent.flows.schema import load_flow_file

HERE = Path(__file__).parent


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[CliRunner]:
    policy = tmp_path / "policy.yaml"
    policy.write_text("approval_timeout_s: 0.001\nescalate_to: curator\n"
                      "channels: [{type: file, path: notes.jsonl}]\n")
    monkeypatch.setenv("FLUXAGENT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("FLUXAGENT_APPROVAL_POLICY", str(policy))
    get_settings.cache_clear()
    yield CliRunner()
    get_settings.cache_clear()


def test_policy_pending_timeouts_and_approval(cli: CliRunner, tmp_path: Path) -> None:
    res = cli.invoke(app, ["human", "policy"])
    assert res.exit_code == 0
    policy = json.loads(res.stdout)
    assert policy["require"] == ["gapfill", "modelseed_gapfill"]
    assert policy["escalate_to"] == "curator"
    assert policy["data_dir"] == str(tmp_path / "data")

    agent = Agent()
    state = run_flow(agent.runner, load_flow_file(HERE / "damage_flow.yaml"), {})
    sid = state.session_id
    res = cli.invoke(app, ["human", "pending", "--json"])
    [row] = json.loads(res.stdout)
    assert row["session_id"] == sid and row["tool"] == "gapfill"

    res = cli.invoke(app, ["human", "check-timeouts"])
    assert res.exit_code == 0 and f"{sid}: escalated" in res.stdout and "curator" in res.stdout
    res = cli.invoke(app, ["human", "check-timeouts", "--json"])
    assert json.loads(res.stdout) == []  # each request escalates once
    notes = [json.loads(x) for x in (tmp_path / "data" / "notes.jsonl").read_text().split("\n")
             if x]
    assert [n["kind"] for n in notes] == ["approval_request", "escalation"]

    res = cli.invoke(app, ["approve", sid, "--args", "{not json"])
    assert res.exit_code == 1 and "--args is not valid JSON" in res.output
    res = cli.invoke(app, ["reject", sid, "--comment", "later", "--json"])
    assert res.exit_code == 0
    assert json.loads(res.stdout)["status"] == "done"
    res = cli.invoke(app, ["human", "pending", "--json"])
    assert json.loads(res.stdout) == []
